"""The trough simulator section of the monitoring page. A teaching model only.

Widgets and layout over :mod:`dashboard.models.monitoring_simulator`: every
number and sentence comes from the model. The simulator is two fragments: its
controls, and what they drive (numbers, curve, captions, prediction, handout
button). Moving a control reruns only the second (the control's callback asks
for it by key, ``st.rerun([OUTPUTS])``), so the eight controls are not sent
again on every move; choosing another drug reruns both, because it switches
the start-day slider on or off.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from dashboard.charts import pk as pk_charts
from dashboard.charts.chart import Chart
from dashboard.core import pk, pk_data
from dashboard.models import monitoring_simulator as model
from dashboard.models.monitoring_simulator import Band
from dashboard.ui import cached, fragments, handout, keys, lazy, url_state
from dashboard.ui.charts import show
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
POPULATION = 1000


@cached.shared
def _population_model() -> pk.PopulationModel:
    return pk_data.population_model(cached.dataset("pk_parameters"))


@cached.shared
def _references() -> pk_data.ReferenceValues:
    return pk_data.reference_values(cached.dataset("pk_parameters"))


@cached.shared
def _band_options() -> dict[str, Band]:
    return model.band_options(cached.dataset("tacrolimus_trough_targets"))


@cached.shared
def _course(regimen: pk.Regimen, drug_id: str) -> model.Course:
    """The typical patient's course, simulated once per input for every session.

    Keyed by the drug's id, not the model objects: the shared cache hashes its
    arguments on every call, and small keys keep that cheap.
    """
    drug = None if drug_id == "none" else cached.pk_interactions()[drug_id]
    return model.course(_population_model(), regimen, drug)


@cached.shared
def _curve(regimen: pk.Regimen, drug_id: str, band_id: str, revealed: bool) -> Chart:
    chart = model.curve_chart(
        _course(regimen, drug_id), _band_options()[band_id], revealed=revealed
    )
    cached.freeze(chart.figure)
    return chart


@cached.shared
def _population_chart(regimen: pk.Regimen, band_id: str) -> Chart:
    times, bands = cached.population_bands(regimen, POPULATION)
    chart = pk_charts.population_chart(
        times, bands, band=_band_options()[band_id], n=POPULATION
    )
    cached.freeze(chart.figure)
    return chart


#: Fragment keys: a control's callback reruns the outputs (and the controls).
CONTROLS = "pk_controls"
OUTPUTS = "pk_outputs"


def _rerun(*scope: str) -> None:
    """Callback of a control: rerun the fragments ``scope`` (or the page).

    Before either fragment has been drawn in this session Streamlit does not
    know their keys; then the whole page runs.
    """
    try:
        st.rerun(list(scope))
    except StreamlitAPIException:
        st.rerun()


def _rerun_outputs() -> None:
    _rerun(OUTPUTS)


def _rerun_all() -> None:
    _rerun(CONTROLS, OUTPUTS)


def section() -> None:
    """The whole simulator: banner, controls, then what they drive."""
    st.warning(BANNER, icon=":material/medication:")
    controls()
    outputs()


@fragments.section("the trough simulator's controls", key=CONTROLS)
def controls() -> None:
    """The controls; their values are read back from the session by the outputs."""
    inputs(cached.pk_interactions())


@fragments.section("the trough simulator", key=OUTPUTS)
def outputs() -> None:
    """Numbers, sentences, curve or population, prediction, sources and handout."""
    interactions = cached.pk_interactions()
    regimen, band_id, drug_id, view = chosen(interactions)
    band = _band_options()[band_id]
    drug = None if drug_id == "none" else interactions[drug_id]
    population = _population_model()
    try:
        course = _course(regimen, drug_id)
    except pk.RegimenError as error:
        st.error(
            f"The simulator cannot run these inputs: {error}", icon=":material/error:"
        )
        return
    # Predict, then reveal: the changed course stays hidden until the student guesses.
    revealed = (
        drug is not None
        and course.changed is not None
        and _revealed(course.changed, drug.short_name)
    )
    changed = course.changed if revealed else None
    _numbers(course, changed, band)
    if drug is not None and changed is not None:
        st.markdown(
            model.change_sentence(
                course.base,
                changed,
                drug.short_name,
                regimen.interaction_start_day,
                band,
            )
        )
        st.caption(model.onset_caption(drug))
    if view == VIEWS[0]:
        show(_curve(regimen, drug_id, band_id, revealed), key="pk_curve")
    else:
        shown = course.changed_regimen if changed is not None else regimen
        show(_population_chart(shown, band_id), key="pk_population")
        st.caption(model.variability_caption(population, _references()))
    _interaction_table()
    _sources()
    handout.offer(
        "trough-simulator",
        lambda: model.simulator_handout(
            course,
            band,
            revealed=revealed,
            parameters=cached.dataset("pk_parameters"),
            interactions=cached.dataset("pk_interactions"),
        ),
    )


#: Each control's value when the session has none (as the widgets' defaults).
DEFAULTS = {
    keys.PK_WEIGHT: 20,
    keys.PK_DOSE: 0.10,
    keys.PK_INTERVAL: 12,
    keys.PK_GENOTYPE: next(iter(GENOTYPES)),
    keys.PK_DAYS: 14,
    keys.PK_DRUG: "none",
    keys.PK_START: 5,
    keys.PK_VIEW: VIEWS[0],
}


def chosen(interactions: dict[str, pk.Interaction]) -> tuple[pk.Regimen, str, str, str]:
    """The controls' values as the session holds them: (regimen, band, drug, view).

    The controls fragment runs first on a full run, so the values are there;
    a value the session lacks (or a required control left empty by a cut link)
    falls back to the control's default.
    """
    state = st.session_state

    def value(key: str) -> object:
        found = state.get(key)
        return DEFAULTS[key] if found is None else found

    bands = _band_options()
    band = state.get(keys.PK_BAND)
    band = band if band in bands else next(iter(bands))
    drug = value(keys.PK_DRUG)
    drug = drug if drug in interactions else "none"
    days = int(value(keys.PK_DAYS))
    regimen = pk.Regimen(
        weight_kg=float(value(keys.PK_WEIGHT)),
        dose_mg_per_kg=float(value(keys.PK_DOSE)),
        interval_h=float(value(keys.PK_INTERVAL)),
        expresser=value(keys.PK_GENOTYPE) == "*1 carrier",
        days=days,
        interaction_start_day=float(min(int(value(keys.PK_START)), days)),
    )
    view = value(keys.PK_VIEW)
    return regimen, band, drug, view if view in VIEWS else VIEWS[0]


def inputs(interactions: dict[str, pk.Interaction]) -> tuple[pk.Regimen, str, str, str]:
    """Controls; returns (baseline regimen, band id, drug id, view)."""
    bands = _band_options()
    left, middle, right = st.columns(3)
    with left:
        weight = st.slider(
            "Body weight (kg)",
            5,
            100,
            DEFAULTS[keys.PK_WEIGHT],
            key=keys.PK_WEIGHT,
            on_change=_rerun_outputs,
            bind="query-params",
        )
        dose = st.slider(
            "Dose (mg/kg per dose)",
            0.0,
            0.30,
            DEFAULTS[keys.PK_DOSE],
            step=0.01,
            key=keys.PK_DOSE,
            on_change=_rerun_outputs,
            bind="query-params",
            format="%.2f",
        )
        interval = st.segmented_control(
            "Dosing interval",
            (12, 24),
            default=DEFAULTS[keys.PK_INTERVAL],
            required=True,
            format_func=url_state.label(keys.PK_INTERVAL, lambda h: f"every {h} h"),
            key=keys.PK_INTERVAL,
            on_change=_rerun_outputs,
            bind="query-params",
        )
        interval = url_state.required(
            interval, keys.PK_INTERVAL, DEFAULTS[keys.PK_INTERVAL]
        )
    with middle:
        genotype = st.radio(
            "CYP3A5 genotype",
            tuple(GENOTYPES),
            format_func=url_state.label(keys.PK_GENOTYPE, GENOTYPES.get),
            key=keys.PK_GENOTYPE,
            on_change=_rerun_outputs,
            bind="query-params",
        )
        st.caption(model.genotype_caption(_references()))
        band = st.selectbox(
            "Target trough band (from trial protocols)",
            tuple(bands),
            format_func=url_state.label(
                keys.PK_BAND, lambda b: model.band_label(bands[b])
            ),
            key=keys.PK_BAND,
            on_change=_rerun_outputs,
            bind="query-params",
        )
        days = st.slider(
            "Days shown",
            3,
            28,
            DEFAULTS[keys.PK_DAYS],
            key=keys.PK_DAYS,
            on_change=_rerun_outputs,
            bind="query-params",
        )
    with right:
        drug = st.selectbox(
            "Compare: start another drug",
            ("none", *interactions),
            format_func=url_state.label(
                keys.PK_DRUG,
                lambda d: "No change" if d == "none" else interactions[d].name,
            ),
            key=keys.PK_DRUG,
            on_change=_rerun_all,
            bind="query-params",
            help=DRUG_HELP,
        )
        start = st.slider(
            "…starting on day",
            0,
            28,
            DEFAULTS[keys.PK_START],
            key=keys.PK_START,
            on_change=_rerun_outputs,
            bind="query-params",
            disabled=drug == "none",
        )
        view = st.segmented_control(
            "Show",
            VIEWS,
            default=DEFAULTS[keys.PK_VIEW],
            required=True,
            key=keys.PK_VIEW,
            on_change=_rerun_outputs,
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


def _revealed(changed: pk.Summary, name: str) -> bool:
    """Whether to show the changed course: at once, or after the student's guess."""
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
    st.success(
        model.prediction_sentence(guess, changed.trough),
        icon=":material/visibility:",
    )
    return True


def _numbers(course: model.Course, changed: pk.Summary | None, band: Band) -> None:
    metrics = model.metrics(course.base, changed)
    for column, metric in zip(st.columns(len(metrics)), metrics, strict=True):
        column.metric(
            metric.label,
            metric.value,
            delta=metric.delta,
            delta_color="off",
            help=metric.help,
        )
    st.caption(model.kinetics_caption(_references()))
    st.markdown(model.numbers_sentence(course.regimen, course.base, band))


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


def _sources() -> None:
    params = cached.dataset("pk_parameters")
    drugs = cached.dataset("pk_interactions")
    provenance(
        lambda: model.source_rows(params, drugs),
        key="pk_sources",
        describe=model.describe_source,
        title="Where the model's numbers come from",
    )
