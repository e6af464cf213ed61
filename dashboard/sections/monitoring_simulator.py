"""The trough simulator section of the monitoring page. A teaching model only.

Widgets and layout over :mod:`dashboard.models.monitoring_simulator`: every
number and sentence comes from the model. The simulator is two fragments: its
controls, and what they drive (numbers, curve, captions, prediction, handout
button). Moving a control reruns only the second (the control's callback asks
for it by key, ``st.rerun([OUTPUTS])``), so the eight controls are not sent
again on every move; choosing another drug reruns both, because it switches
the start-day slider on or off.

On wide screens the controls sit in a narrow column to the left of what they
drive, so a moved slider and its curve are seen together (PhET's layout); on
phones the columns stack. Picking another drug asks for a prediction before
the change is drawn (:mod:`dashboard.sections.monitoring_predict`).
"""

from __future__ import annotations

import streamlit as st

from dashboard.charts import pk as pk_charts
from dashboard.charts.chart import Chart
from dashboard.core import pk, pk_data
from dashboard.models import monitoring_population as people
from dashboard.models import monitoring_simulator as model
from dashboard.models.monitoring_simulator import Band
from dashboard.sections import monitoring_controls as panel
from dashboard.sections import monitoring_predict as predict
from dashboard.sections.monitoring_controls import VIEWS
from dashboard.ui import cached, fragments, handout, lazy
from dashboard.ui.charts import show
from dashboard.ui.sources import provenance

BANNER = (
    "**Teaching model, not for dosing patients.** The curves come from a published "
    "population model of children with nephrotic syndrome and show how weight, "
    "genotype and other drugs move the level. Real patients differ; doses are set by "
    "clinicians with measured levels."
)
POPULATION = 1000


@cached.shared
def _population_model() -> pk.PopulationModel:
    return pk_data.population_model(cached.dataset("pk_parameters"))


@cached.shared
def _references() -> pk_data.ReferenceValues:
    return pk_data.reference_values(cached.dataset("pk_parameters"))


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
        _course(regimen, drug_id), panel.band_options()[band_id], revealed=revealed
    )
    cached.freeze(chart.figure)
    return chart


@cached.shared
def _population(regimen: pk.Regimen) -> people.Population:
    """1,000 simulated patients on ``regimen``, once per input for every session."""
    return people.population(_population_model(), regimen, POPULATION)


@cached.shared
def _population_chart(regimen: pk.Regimen, band_id: str) -> Chart:
    population = _population(regimen)
    band = panel.band_options()[band_id]
    chart = pk_charts.population_chart(
        population.times_h,
        population.bands,
        band=band,
        n=POPULATION,
        interval_h=regimen.interval_h,
        in_band_percent=people.band_shares(population.last_troughs, band).within,
    )
    cached.freeze(chart.figure)
    return chart


def section() -> None:
    """The whole simulator: banner, then controls beside what they drive."""
    st.warning(BANNER, icon=":material/medication:")
    left, right = st.columns([1, 2.6], gap="medium")
    with left:
        controls()
    with right:
        outputs()


@fragments.section("the trough simulator's controls", key=panel.CONTROLS)
def controls() -> None:
    """The controls; their values are read back from the session by the outputs."""
    panel.inputs(cached.pk_interactions())


@fragments.section("the trough simulator", key=panel.OUTPUTS)
def outputs() -> None:
    """Prediction, numbers, sentences, curve or population, captions, sources."""
    interactions = cached.pk_interactions()
    regimen, band_id, drug_id, view = panel.chosen(interactions)
    band = panel.band_options()[band_id]
    drug = None if drug_id == "none" else interactions[drug_id]
    try:
        course = _course(regimen, drug_id)
    except pk.RegimenError as error:
        st.error(
            f"The simulator cannot run these inputs: {error}", icon=":material/error:"
        )
        return
    # Predict, then reveal: the changed course stays hidden until the student
    # predicts (or skips), and nothing below may give it away before that.
    revealed = (
        drug is not None
        and course.changed is not None
        and predict.revealed(drug_id, drug.short_name, regimen, course.changed)
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
    if view == VIEWS[0]:
        show(_curve(regimen, drug_id, band_id, revealed), key="pk_curve")
    else:
        shown = course.changed_regimen if changed is not None else regimen
        st.markdown(people.shares_sentence(_population(shown), band))
        show(_population_chart(shown, band_id), key="pk_population")
        st.caption(model.variability_caption(_population_model(), _references()))
    if drug is not None and changed is not None:
        st.caption(model.onset_caption(drug))
    st.caption(model.kinetics_caption(_references()))
    st.caption(model.genotype_caption(_references()))
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


def _numbers(course: model.Course, changed: pk.Summary | None, band: Band) -> None:
    metrics = model.metrics(course.base, changed)
    # Two to a row: beside the controls the outputs are narrow, and a row of
    # four cut the labels short ("Model-apparent …").
    columns = st.columns(2)
    for index, metric in enumerate(metrics):
        columns[index % 2].metric(
            metric.label,
            metric.value,
            delta=metric.delta,
            delta_color="off",
            help=metric.help,
        )
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
