"""The Monitoring page's trough simulator: everything it shows that is not a widget.

The course of the typical patient, the numbers and sentences about it, the
captions that compare the model with its sources, the curve (with alt text
and table) and the handout. Pure: never imports streamlit;
:mod:`dashboard.sections.monitoring_simulator` lays it out.

A teaching model, not for dosing patients: a published population model of
children with nephrotic syndrome (:mod:`dashboard.core.pk`, PMID 29637588),
with every number from a row of ``pk_parameters.csv`` or
``pk_interactions.csv``; target bands come from trial protocols
(``tacrolimus_trough_targets.csv``). Units: concentrations are whole-blood
tacrolimus in ng/mL, times in hours (days where a name says so), doses in mg
and mg/kg, weights in kg.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from dashboard.charts import pk as pk_charts
from dashboard.charts import static
from dashboard.charts.chart import Chart
from dashboard.core import pk, pk_data
from dashboard.core.handout import Handout

#: A target trough band: low and high (ng/mL), and where it comes from.
Band = tuple[float, float, str]


def band_options(targets: pd.DataFrame) -> dict[str, Band]:
    """Target bands by row id: the ``tacrolimus_trough_targets`` rows with one."""
    frame = targets[targets["trough_low"].notna()]
    return {
        str(r.id): (
            float(r.trough_low),
            float(r.trough_high),
            f"{r.disease_group}, {r.setting}",
        )
        for r in frame.itertuples(index=False)
    }


def band_label(band: Band) -> str:
    """How a band is offered: its range in ng/mL and where it comes from."""
    return f"{band[0]:g}-{band[1]:g} ng/mL: {band[2]}"


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
    """Why the model's half-life is shorter than the drug's (label values, hours)."""
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


def variability_caption(model: pk.PopulationModel, ref: pk_data.ReferenceValues) -> str:
    """What the population ribbons show (the model's CVs) and what they leave out."""
    return (
        "**Why one dose gives such different levels:** children differ in how fast "
        "they clear the drug, how far it spreads in the body and how fast they "
        "absorb it. The model gives each spread as a coefficient of variation (how "
        "far a child typically lies from the average, as a percentage of it): "
        f"clearance {100 * model.cv_cl:.1f}%, volume {100 * model.cv_v:.1f}%, "
        f"absorption {100 * model.cv_ka:.1f}%. **What the ribbons leave out:** "
        "Within-patient day-to-day variation (food, dose timing, missed doses, "
        "diarrhoea) and assay error are not shown. The model puts them together "
        f"at {ref.residual_error_percent:g}%; the simulator leaves that out, so each "
        "simulated patient is perfectly repeatable, which real patients are not."
    )


def onset_caption(drug: pk.Interaction) -> str:
    """How the chosen drug's effect starts in the model (a linear ramp, or at once)."""
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


@dataclasses.dataclass(frozen=True)
class Course:
    """The typical patient's simulated course, without and with the other drug.

    ``changed_*`` are ``None`` when no drug is started (``drug`` is ``None``).
    """

    regimen: pk.Regimen
    drug: pk.Interaction | None
    base_sim: pk.Simulation
    base: pk.Summary
    changed_regimen: pk.Regimen | None = None
    changed_sim: pk.Simulation | None = None
    changed: pk.Summary | None = None


def course(
    model: pk.PopulationModel, regimen: pk.Regimen, drug: pk.Interaction | None
) -> Course:
    """Simulate the typical patient on ``regimen``, and with ``drug`` started.

    The drug starts on ``regimen.interaction_start_day``.

    Raises
    ------
    dashboard.core.pk.RegimenError
        (a ``ValueError``) naming every input outside the model's range.
    """
    pk.check_regimen(regimen)
    params = pk.typical_parameters(model, regimen)
    base_sim = pk.simulate(regimen, params)
    base = pk.summarise(base_sim, regimen, params)
    if drug is None:
        return Course(regimen, None, base_sim, base)
    changed_regimen = pk.with_interaction(regimen, drug, regimen.interaction_start_day)
    changed_sim = pk.simulate(changed_regimen, params)
    changed = pk.summarise(changed_sim, changed_regimen, params)
    return Course(regimen, drug, base_sim, base, changed_regimen, changed_sim, changed)


def position(value: float, band: Band) -> str:
    """Where ``value`` (ng/mL) lies: "below", "within" or "above" the band."""
    low, high, _ = band
    return "below" if value < low else "above" if value > high else "within"


@dataclasses.dataclass(frozen=True)
class Metric:
    """One number shown as a metric: label, formatted value, change and help."""

    label: str
    value: str
    delta: str | None = None
    help: str | None = None


def metrics(base: pk.Summary, changed: pk.Summary | None) -> tuple[Metric, ...]:
    """The four numbers above the curve: of the changed course once it is shown."""
    shown = changed or base
    delta = None if changed is None else f"{changed.trough - base.trough:+.1f} ng/mL"
    return (
        Metric(
            "Trough (ng/mL)",
            f"{shown.trough:.1f}",
            delta,
            "Just before the last dose shown.",
        ),
        Metric("Peak (ng/mL)", f"{shown.peak:.1f}"),
        Metric(
            "Model-apparent half-life (h)",
            f"{shown.half_life_h:.1f}",
            help="ln 2 / (CL/V) of the one-compartment model, not the terminal "
            "half-life of tacrolimus.",
        ),
        Metric(
            "90% of steady state (model) after",
            f"{shown.time_to_90_percent_h / 24:.1f} days",
        ),
    )


def numbers_sentence(regimen: pk.Regimen, base: pk.Summary, band: Band) -> str:
    """The dose in mg and the typical patient's trough against the band (Markdown)."""
    return (
        f"With **{regimen.dose_mg:.2f} mg every {regimen.interval_h:g} h** "
        f"({regimen.dose_mg_per_kg:.2f} mg/kg for {regimen.weight_kg:g} kg) the "
        "typical "
        f"patient's trough is **{base.trough:.1f} ng/mL**, "
        f"{position(base.trough, band)} the {band[0]:g}-{band[1]:g} ng/mL band."
    )


def change_sentence(
    base: pk.Summary, changed: pk.Summary, drug: str, day: float, band: Band
) -> str:
    """What starting ``drug`` on ``day`` does to the trough (in %, against the band)."""
    change = (changed.trough - base.trough) / base.trough * 100 if base.trough else 0.0
    verb = "raises" if change > 0 else "lowers"
    return (
        f"Starting **{drug}** on day {day:g} {verb} the trough "
        f"from **{base.trough:.1f}** to **{changed.trough:.1f} ng/mL** "
        f"({change:+.0f}%), now {position(changed.trough, band)} the band."
    )


def prediction_sentence(guess: float, trough: float) -> str:
    """The student's predicted trough next to the model's (ng/mL, % off)."""
    off = (guess - trough) / trough * 100 if trough else 0.0
    return (
        f"You predicted **{guess:g} ng/mL**; the model gives **{trough:.1f} "
        f"ng/mL** ({off:+.0f}% off)."
    )


def curve_alt(base: pk.Summary, changed: pk.Summary | None, band: Band) -> str:
    """Alt text of the typical patient's curve: trough, peak, band, changed trough."""
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


def curve_chart(course: Course, band: Band, *, revealed: bool) -> Chart:
    """The typical patient's curve, with the changed course once ``revealed``."""
    changed = course.changed if revealed else None
    times, conc = course.base_sim.times_h, course.base_sim.conc[0]
    if changed is None or course.changed_sim is None or course.drug is None:
        return pk_charts.curve_chart(
            times, conc, band=band, alt=curve_alt(course.base, None, band)
        )
    return pk_charts.curve_chart(
        times,
        conc,
        band=band,
        alt=curve_alt(course.base, changed, band),
        changed=course.changed_sim.conc[0],
        changed_label=f"with {course.drug.short_name}",
        change_day=course.regimen.interaction_start_day,
    )


def simulator_handout(
    course: Course,
    band: Band,
    *,
    revealed: bool,
    parameters: pd.DataFrame,
    interactions: pd.DataFrame,
) -> Handout:
    """The simulator's current state on one page (the typical patient's curve).

    ``parameters`` and ``interactions`` are the ``pk_parameters`` and
    ``pk_interactions`` tables, whose sources the page lists. The changed
    course is included only once ``revealed``.
    """
    regimen, base, base_sim = course.regimen, course.base, course.base_sim
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
    changed = course.changed if revealed else None
    if changed is not None and course.changed_sim is not None and course.drug:
        name = course.drug.short_name
        series.append((f"with {name}", course.changed_sim.conc[0]))
        numbers.append((f"Trough with {name} (ng/mL)", f"{changed.trough:.1f}"))
        view = (
            f"Typical patient; {name} started on day {regimen.interaction_start_day:g}."
        )
    # Only the rows the simulator and its captions use: the table also holds
    # the measured-levels lessons' rows, which this view does not show.
    used = parameters[
        parameters["id"].isin([*pk_data.MODEL_FIELDS, *pk_data.REFERENCE_VALUES])
    ]
    pairs = zip(
        pd.concat([used["source"], interactions["source"]]),
        pd.concat([used["source_url"], interactions["source_url"]]),
        strict=True,
    )
    return Handout(
        title="Tacrolimus trough simulator (teaching model, not for dosing)",
        view=view,
        numbers=numbers,
        figure_png=static.line_png(
            base_sim.times_h / 24,
            series,
            xlabel="Day",
            ylabel="Tacrolimus (ng/mL)",
            band=(band[0], band[1]),
        ),
        sources=list(dict.fromkeys((str(s), str(u)) for s, u in pairs)),
    )


def source_rows(parameters: pd.DataFrame, interactions: pd.DataFrame) -> pd.DataFrame:
    """Every row behind the simulator's numbers, with the onset times' own sources."""
    timed = interactions[interactions["time_course_url"].notna()]
    time_course = pd.DataFrame(
        {
            "drug": timed["drug"] + ", time course",
            "derivation": timed["time_course"],
            "source": timed["time_course_source"],
            "source_url": timed["time_course_url"],
            "quote": timed["time_course_quote"],
            "read_at": "",
            "attribution": "",
        }
    )
    used = parameters[
        parameters["id"].isin([*pk_data.MODEL_FIELDS, *pk_data.REFERENCE_VALUES])
    ]
    return pd.concat([used, interactions, time_course], ignore_index=True)


def describe_source(row: pd.Series) -> str:
    """One :func:`source_rows` row in words: a parameter's value or a drug's effect."""
    if pd.notna(row.get("meaning")):
        unit = row["unit"] if pd.notna(row["unit"]) else ""
        return f"{row['meaning']}: {row['value']:g} {unit}"
    return f"{row['drug']}: {row['derivation']}"
