"""The trough simulator section of the monitoring page. A teaching model only."""

from __future__ import annotations

import dataclasses

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts import pk as pk_charts
from dashboard.charts import static
from dashboard.core import pk, pk_data
from dashboard.core.handout import Handout
from dashboard.ui import cached, handout, keys, lazy, url_state
from dashboard.ui.charts import chart
from dashboard.ui.sources import provenance

GENOTYPES = {
    "*3/*3": "CYP3A5 *3/*3 (non-expresser)",
    "*1 carrier": "CYP3A5 *1 carrier (expresser)",
}
VIEWS = ("Typical patient", "1,000 patients")
BANNER = (
    "**Teaching model, not for dosing patients.** The curves come from a published "
    "population model of children with nephrotic syndrome and show how weight, "
    "genotype and other drugs move the level. Real patients differ; doses are set by "
    "clinicians with measured levels."
)
DRUG_HELP = (
    "Only drugs whose effect on tacrolimus is known as a usable size are offered. "
    "The table under the chart lists the others, with what is known about them."
)


def _references():
    return pk_data.reference_values(cached.dataset("pk_parameters"))


def genotype_caption(ref: pk_data.ReferenceValues) -> str:
    """The CPIC guideline next to the genotype control (a teaching note)."""
    return (
        "Genotype-guided dosing: the CPIC guideline (Birdwell 2015) advises that "
        f"CYP3A5 expressers start at {ref.cpic_start_low:g}-{ref.cpic_start_high:g} "
        "times the usual starting dose, without exceeding "
        f"{ref.cpic_max_mg_per_kg_day:g} mg/kg/day, then adjust by measured levels. "
        "It was written for transplant recipients, not nephrotic syndrome. "
        "Teaching model, not clinical advice."
    )


def kinetics_caption(ref: pk_data.ReferenceValues) -> str:
    """Why the model's half-life is shorter than the drug's (A4)."""
    return (
        "The half-life and time to steady state above are *model-apparent*: they "
        "come from clearance and volume of a one-compartment model fitted to sparse "
        "troughs. The real terminal half-life of tacrolimus is longer: the Prograf "
        f"label gives {ref.label_half_life_child_h:g} h after intravenous dosing in "
        "children after liver transplant and "
        f"{ref.label_half_life_volunteers_h:g} h in healthy adult volunteers. Steady "
        "state in patients usually takes several days (about "
        f"{ref.label_steady_state_days:g} days for a once-daily tablet, by its label), "
        "so a level checked too soon after a change can mislead."
    )


def variability_caption(model: pk.PopulationModel, ref) -> str:
    """What the ribbons show and what they leave out (B5)."""
    return (
        "The same dose gives very different levels: the ribbons show between-patient "
        f"variability as the model reports it (clearance {100 * model.cv_cl:.1f}%, "
        f"volume {100 * model.cv_v:.1f}%, absorption {100 * model.cv_ka:.1f}%). "
        "Within-patient day-to-day variation (food, dose timing, missed doses, "
        "diarrhoea) and assay error are not shown: the model's residual variability "
        f"of {ref.residual_error_percent:g}% lumps them together, and the simulator "
        "leaves it out, so each simulated patient is perfectly repeatable, which "
        "real patients are not."
    )


def onset_caption(drug: pk.Interaction) -> str:
    """How the chosen drug's effect starts in the model (B6)."""
    if drug.onset_days > 0:
        return (
            f"In this model the effect of {drug.short_name} builds up linearly over "
            f"{drug.onset_days:g} days after it starts, because enzyme induction "
            "needs new enzyme to be made. Wearing off after stopping is also slow "
            "and is not simulated."
        )
    return (
        f"In this model {drug.short_name} acts in full from the day it starts (no "
        "sourced onset time); the level then climbs over several doses. What "
        "happens after stopping is not simulated."
    )


@cached.shared
def _band_options() -> dict[str, tuple[float, float, str]]:
    frame = cached.dataset("tacrolimus_trough_targets")
    frame = frame[frame["trough_low"].notna()]
    return {
        str(r.id): (
            float(r.trough_low),
            float(r.trough_high),
            f"{r.disease_group}, {r.setting}",
        )
        for r in frame.itertuples(index=False)
    }


def inputs(interactions: dict[str, pk.Interaction]) -> tuple[pk.Regimen, str, str, str]:
    """Controls; returns (baseline regimen, band id, drug id, view)."""
    bands = _band_options()
    left, middle, right = st.columns(3)
    with left:
        weight = st.slider(
            "Body weight (kg)", 5, 100, 20, key=keys.PK_WEIGHT, bind="query-params"
        )
        dose = st.slider(
            "Dose (mg/kg per dose)",
            0.0,
            0.30,
            0.10,
            step=0.01,
            key=keys.PK_DOSE,
            bind="query-params",
            format="%.2f",
        )
        interval = st.segmented_control(
            "Dosing interval",
            (12, 24),
            default=12,
            required=True,
            format_func=url_state.label(keys.PK_INTERVAL, lambda h: f"every {h} h"),
            key=keys.PK_INTERVAL,
            bind="query-params",
        )
        interval = url_state.required(interval, keys.PK_INTERVAL, 12)
    with middle:
        genotype = st.radio(
            "CYP3A5 genotype",
            tuple(GENOTYPES),
            format_func=url_state.label(keys.PK_GENOTYPE, GENOTYPES.get),
            key=keys.PK_GENOTYPE,
            bind="query-params",
        )
        st.caption(genotype_caption(_references()))
        band = st.selectbox(
            "Target trough band (from trial protocols)",
            tuple(bands),
            format_func=url_state.label(
                keys.PK_BAND,
                lambda b: f"{bands[b][0]:g}-{bands[b][1]:g} ng/mL: {bands[b][2]}",
            ),
            key=keys.PK_BAND,
            bind="query-params",
        )
        days = st.slider("Days shown", 3, 28, 14, key=keys.PK_DAYS, bind="query-params")
    with right:
        drug = st.selectbox(
            "Compare: start another drug",
            ("none", *interactions),
            format_func=url_state.label(
                keys.PK_DRUG,
                lambda d: "No change" if d == "none" else interactions[d].name,
            ),
            key=keys.PK_DRUG,
            bind="query-params",
            help=DRUG_HELP,
        )
        start = st.slider(
            "…starting on day",
            0,
            28,
            5,
            key=keys.PK_START,
            bind="query-params",
            disabled=drug == "none",
        )
        view = st.segmented_control(
            "Show",
            VIEWS,
            default=VIEWS[0],
            required=True,
            key=keys.PK_VIEW,
            bind="query-params",
        )
        view = url_state.required(view, keys.PK_VIEW, VIEWS[0])
    regimen = pk.Regimen(
        weight_kg=float(weight),
        dose_mg_per_kg=float(dose),
        interval_h=float(interval),
        expresser=genotype == "*1 carrier",
        days=int(days),
        interaction_start_day=float(min(start, days)),
    )
    return regimen, band, drug, view


def _position(value: float, band: tuple[float, float, str]) -> str:
    low, high, _ = band
    return "below" if value < low else "above" if value > high else "within"


def section(interactions: dict[str, pk.Interaction]) -> None:
    """The whole simulator: banner, inputs, numbers, curve or population."""
    st.warning(BANNER, icon=":material/medication:")
    regimen, band_id, drug, view = inputs(interactions)
    band = _band_options()[band_id]
    try:
        pk.check_regimen(regimen)
    except pk.RegimenError as error:
        st.error(
            f"The simulator cannot run these inputs: {error}", icon=":material/error:"
        )
        return
    course = _course(regimen, drug)
    base_sim, base = course.base_sim, course.base
    changed_regimen, changed_sim, changed = (
        course.changed_regimen,
        course.changed_sim,
        course.changed,
    )
    if changed is not None and not _revealed(changed, interactions[drug].short_name):
        changed = None  # the student predicts before seeing the change
    _numbers(base, changed, band, regimen)
    if changed is not None:
        st.markdown(
            _change_sentence(
                base,
                changed,
                interactions[drug].short_name,
                regimen.interaction_start_day,
                band,
            )
        )
        st.caption(onset_caption(interactions[drug]))
    if view == VIEWS[0]:
        fig, table = _curve_view(regimen, drug, band, changed is not None)
        chart(fig, alt=_curve_alt(base, changed, band), key="pk_curve", data=table)
    else:
        _population(changed_regimen if changed is not None else regimen, band)
    _interaction_table()
    _sources()
    handout.offer(
        "trough-simulator",
        lambda: _handout(
            regimen,
            band,
            base_sim,
            base,
            None if changed is None else (changed_sim, changed, interactions[drug]),
        ),
    )


@dataclasses.dataclass(frozen=True)
class _Course:
    """The typical patient's simulated course, without and with the other drug."""

    base_sim: pk.Simulation
    base: pk.Summary
    changed_regimen: pk.Regimen | None
    changed_sim: pk.Simulation | None
    changed: pk.Summary | None


@cached.shared
def _course(regimen: pk.Regimen, drug: str) -> _Course:
    """Simulate ``regimen`` (and with ``drug`` started) once for every session."""
    model = pk_data.population_model(cached.dataset("pk_parameters"))
    params = pk.typical_parameters(model, regimen)
    base_sim = pk.simulate(regimen, params)
    base = pk.summarise(base_sim, regimen, params)
    if drug == "none":
        return _Course(base_sim, base, None, None, None)
    interaction = cached.pk_interactions()[drug]
    changed_regimen = pk.with_interaction(
        regimen, interaction, regimen.interaction_start_day
    )
    changed_sim = pk.simulate(changed_regimen, params)
    changed = pk.summarise(changed_sim, changed_regimen, params)
    return _Course(base_sim, base, changed_regimen, changed_sim, changed)


@cached.shared
def _curve_view(
    regimen: pk.Regimen, drug: str, band: tuple[float, float, str], show_change: bool
) -> tuple[go.Figure, pd.DataFrame]:
    """The typical patient's curve and its table (with the change once revealed)."""
    course = _course(regimen, drug)
    changed_conc, changed_label = None, ""
    if show_change and course.changed_sim is not None:
        changed_conc = course.changed_sim.conc[0]
        name = cached.pk_interactions()[drug].short_name
        changed_label = f"with {name}"
    times, conc = course.base_sim.times_h, course.base_sim.conc[0]
    figure = pk_charts.curve_figure(
        times,
        conc,
        band=band,
        changed=changed_conc,
        changed_label=changed_label,
        change_day=regimen.interaction_start_day if changed_conc is not None else None,
    )
    table = pk_charts.curve_table(
        times, conc, changed=changed_conc, changed_label=changed_label
    )
    return cached.freeze(figure), table


def _handout(regimen: pk.Regimen, band, base_sim, base: pk.Summary, change) -> Handout:
    """The simulator's current state on one page (typical patient curve)."""
    days = base_sim.times_h / 24
    series = [("typical patient", base_sim.conc[0])]
    numbers = [
        ("Dose", f"{regimen.dose_mg:.2f} mg every {regimen.interval_h:g} h"),
        ("Weight", f"{regimen.weight_kg:g} kg ({regimen.dose_mg_per_kg:.2f} mg/kg)"),
        ("Trough (ng/mL)", f"{base.trough:.1f}"),
        ("Peak (ng/mL)", f"{base.peak:.1f}"),
        ("Model-apparent half-life (h)", f"{base.half_life_h:.1f}"),
        ("Target band (ng/mL)", f"{band[0]:g}-{band[1]:g}"),
    ]
    view = "Typical patient under the teaching model; no other drug."
    if change is not None:
        changed_sim, changed, drug = change
        name = drug.short_name
        series.append((f"with {name}", changed_sim.conc[0]))
        numbers.append((f"Trough with {name} (ng/mL)", f"{changed.trough:.1f}"))
        view = (
            f"Typical patient; {name} started on day {regimen.interaction_start_day:g}."
        )
    params = cached.dataset("pk_parameters")
    drugs = cached.dataset("pk_interactions")
    sources = handout.rows(
        zip(
            pd.concat([params["source"], drugs["source"]]),
            pd.concat([params["source_url"], drugs["source_url"]]),
            strict=True,
        )
    )
    return Handout(
        title="Tacrolimus trough simulator (teaching model, not for dosing)",
        view=view,
        numbers=numbers,
        figure_png=static.line_png(
            days,
            series,
            xlabel="Day",
            ylabel="Tacrolimus (ng/mL)",
            band=(band[0], band[1]),
        ),
        sources=sources,
    )


def _revealed(changed: pk.Summary, name: str) -> bool:
    """Predict, then reveal: hide the changed scenario until the student guesses."""
    if not st.toggle("Predict the new trough before you see it", key=keys.PK_PREDICT):
        return True
    with st.form("pk_predict_form"):
        guess = st.number_input(
            f"Your prediction: the trough with {name} (ng/mL)",
            min_value=0.0,
            max_value=500.0,
            value=None,
            step=0.5,
            key=keys.PK_GUESS,
        )
        submitted = st.form_submit_button("Reveal")
    if not submitted:
        st.info(
            "Make a prediction, then reveal the model's answer.",
            icon=":material/psychology:",
        )
        return False
    if guess is None:
        st.warning("Enter a number first, then reveal.", icon=":material/edit_note:")
        return False
    off = (guess - changed.trough) / changed.trough * 100 if changed.trough else 0.0
    st.success(
        f"You predicted **{guess:g} ng/mL**; the model gives **{changed.trough:.1f} "
        f"ng/mL** ({off:+.0f}% off).",
        icon=":material/visibility:",
    )
    return True


def _numbers(base: pk.Summary, changed: pk.Summary | None, band, regimen) -> None:
    shown = changed or base
    cols = st.columns(4)
    delta = None if changed is None else f"{changed.trough - base.trough:+.1f} ng/mL"
    cols[0].metric(
        "Trough (ng/mL)",
        f"{shown.trough:.1f}",
        delta=delta,
        delta_color="off",
        help="Just before the last dose shown.",
    )
    cols[1].metric("Peak (ng/mL)", f"{shown.peak:.1f}")
    cols[2].metric(
        "Model-apparent half-life (h)",
        f"{shown.half_life_h:.1f}",
        help="ln 2 / (CL/V) of the one-compartment model, not the terminal "
        "half-life of tacrolimus.",
    )
    cols[3].metric(
        "90% of steady state (model) after",
        f"{shown.time_to_90_percent_h / 24:.1f} days",
    )
    st.caption(kinetics_caption(_references()))
    st.markdown(
        f"With **{regimen.dose_mg:.2f} mg every {regimen.interval_h:g} h** "
        f"({regimen.dose_mg_per_kg:.2f} mg/kg for {regimen.weight_kg:g} kg) the "
        "typical "
        f"patient's trough is **{base.trough:.1f} ng/mL**, "
        f"{_position(base.trough, band)} the {band[0]:g}-{band[1]:g} ng/mL band."
    )


def _change_sentence(
    base: pk.Summary, changed: pk.Summary, drug: str, day: float, band
) -> str:
    change = (changed.trough - base.trough) / base.trough * 100 if base.trough else 0.0
    verb = "raises" if change > 0 else "lowers"
    return (
        f"Starting **{drug}** on day {day:g} {verb} the trough "
        f"from **{base.trough:.1f}** to **{changed.trough:.1f} ng/mL** "
        f"({change:+.0f}%), now {_position(changed.trough, band)} the band."
    )


def _curve_alt(base: pk.Summary, changed: pk.Summary | None, band) -> str:
    text = (
        f"Line chart of tacrolimus concentration over days, rising to a steady "
        f"pattern with trough {base.trough:.1f} and peak {base.peak:.1f} ng/mL; "
        f"target band {band[0]:g}-{band[1]:g} ng/mL shaded."
    )
    if changed is not None:
        text += (
            f" Dashed changed scenario reaches a trough of {changed.trough:.1f} ng/mL."
        )
    return text


def _population(regimen: pk.Regimen, band) -> None:
    times, bands = cached.population_bands(regimen)
    chart(
        cached.shared_figure(
            pk_charts.population_figure, times, bands, band=band, n=1000
        ),
        alt=(
            f"Percentile ribbons of 1000 simulated patients; median final trough "
            f"{bands[2][-1]:.1f} ng/mL, middle half between {bands[1][-1]:.1f} and "
            f"{bands[3][-1]:.1f} ng/mL."
        ),
        key="pk_population",
        data=pk_charts.population_table(times, bands),
    )
    model = pk_data.population_model(cached.dataset("pk_parameters"))
    st.caption(variability_caption(model, _references()))


def _interaction_table() -> None:
    """Every interaction in the table, including those the simulator cannot run."""
    box = lazy.expander(
        "Interacting drugs: what is known, and what the simulator uses",
        key="pk_interactions_table",
        icon=":material/medication:",
    )
    if box is None:
        return
    frame = cached.dataset("pk_interactions")
    with box:
        st.markdown(
            "Drugs without a usable size are listed but not simulated. Sizes come "
            "from different populations (children with nephrotic syndrome, "
            "transplant recipients, healthy volunteers), so compare them with care. "
            "Teaching model, not clinical advice: check levels after any change."
        )
        st.markdown(pk_data.interaction_cards(pk_data.interaction_table(frame)))


def _time_course_rows(drugs: pd.DataFrame) -> pd.DataFrame:
    """The onset times' own sources, as rows the provenance list can show."""
    rows = drugs[drugs["time_course_url"].notna()]
    return pd.DataFrame(
        {
            "drug": rows["drug"] + ", time course",
            "derivation": rows["time_course"],
            "source": rows["time_course_source"],
            "source_url": rows["time_course_url"],
            "quote": rows["time_course_quote"],
            "read_at": "",
            "attribution": "",
        }
    )


def _sources() -> None:
    params = cached.dataset("pk_parameters")
    drugs = cached.dataset("pk_interactions")
    provenance(
        lambda: pd.concat([params, drugs, _time_course_rows(drugs)], ignore_index=True),
        key="pk_sources",
        describe=lambda r: (
            f"{r['meaning']}: {r['value']:g} {r['unit'] if pd.notna(r['unit']) else ''}"
            if pd.notna(r.get("meaning"))
            else f"{r['drug']}: {r['derivation']}"
        ),
        title="Where the model's numbers come from",
    )
