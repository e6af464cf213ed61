"""Sections of the Nephrotic syndrome page: widgets and layout over the page model.

Everything shown that is not a widget comes from
:mod:`dashboard.models.nephrotic_syndrome`. Each interactive section is a
fragment (:func:`dashboard.ui.fragments.section`): moving its control reruns
that section alone, with the section's error guard inside it.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from dashboard.core import classify
from dashboard.core.classify import Criterion
from dashboard.core.content import ContentDoc
from dashboard.core.nephrotic_syndrome import primary_criteria
from dashboard.core.pathophysiology import AlbuminModel
from dashboard.models import nephrotic_syndrome as model
from dashboard.ui import (
    cached,
    fragments,
    handout,
    keys,
    markdown,
    presenter,
    responsive,
    url_state,
)
from dashboard.ui.charts import show, show_both_forms
from dashboard.ui.sources import provenance

#: The classify exercise's prediction, and the entry it was made for.
CLASSIFY_PREDICTION = keys.CLASSIFY_PREDICTION
CLASSIFY_PREDICTED_FOR = keys.CLASSIFY_PREDICTED_FOR


@cached.shared
def _definitions(group: str) -> model.Definitions:
    """One population's definitions, built once for all sessions."""
    return model.definitions(cached.dataset("ns_diagnostic_criteria"), group)


@fragments.section("the defining features")
def definitions(doc: ContentDoc) -> None:
    """Defining features: the prose, then each population's thresholds by source.

    The two tables are reference material: they sit in a closed panel, so the
    page reads as text and a projector shows no long table.
    """
    markdown.section(doc)
    with st.expander(
        "The definitions side by side: adults and children, by source",
        icon=":material/table:",
    ):
        _definition_tables()


def _definition_tables() -> None:
    group = st.segmented_control(
        "Show definitions for",
        options=list(model.GROUPS),
        format_func=url_state.label(
            keys.NS_DEFINITION_GROUP, {"adult": "Adults", "child": "Children"}.get
        ),
        default="adult",
        required=True,
        key=keys.NS_DEFINITION_GROUP,
        bind="query-params",
    )
    group = url_state.required(group, keys.NS_DEFINITION_GROUP, "adult")
    shown = _definitions(group)
    st.markdown(f"**The definition this dashboard applies**\n\n{shown.applied}")
    st.markdown(f"**What other sources use**\n\n{shown.others}")
    provenance(shown.rows, model.criterion_line, key="ns_definition_sources")


@cached.shared
def _chain_inputs() -> model.ChainInputs:
    """The albumin model and the chain's thresholds, from the data files."""
    return model.chain_inputs(
        cached.dataset("ns_model_parameters"), cached.dataset("ns_diagnostic_criteria")
    )


@cached.shared
def _chain_view(proteinuria: float, albumin: float) -> model.ChainView:
    """Everything the chain shows at one urine protein and albumin (shared)."""
    view = model.chain_view(_chain_inputs(), proteinuria, albumin)
    cached.freeze(view.chain.figure)
    cached.freeze(view.chain_narrow)
    cached.freeze(view.curve.figure)
    return view


@fragments.section("the pathophysiology chain")
def pathophysiology_chain(doc: ContentDoc, note: ContentDoc | None) -> None:
    """The interactive chain: move proteinuria or albumin, the rest follows.

    The controls sit beside the chain on wide screens and above it on phones
    (Streamlit stacks the columns); the chain is drawn left to right on wide
    screens and top to bottom on phones (:mod:`dashboard.ui.responsive`). The
    longer explanation follows the curve.
    """
    lead, rest = model.framing(doc)
    presenting = presenter.is_on()
    # On a projector the chain and its slider make the first screen; the
    # educator frames it aloud, and the framing follows below.
    markdown.section(lead if not presenting else dataclasses.replace(lead, body=""))
    inputs = _chain_inputs()
    # Above the columns on a laptop (its column is too narrow for both
    # choices); beside the chain on a projector, so the chain makes the first
    # screen.
    driver = None if presenting else _driver()
    controls, drawn = st.columns([1, 3], gap="small")
    with controls:
        driver = driver or _driver()
        proteinuria, albumin = _slider(driver, inputs.model)
        view = _chain_view(float(proteinuria), float(albumin))
        st.markdown(view.sentence)
    with drawn:
        _show_chain(view)
    if presenting:
        markdown.body(lead)
    handout.offer(
        "nephrotic-syndrome",
        lambda: model.chain_handout(
            doc, note, inputs, view.state, references=handout.references
        ),
    )
    left, right = st.columns([3, 2])
    with left:
        show(view.curve, key="ns_albumin_curve")
    with right:
        if note is not None:
            st.info(
                model.note_text(note, cached.references()), icon=":material/school:"
            )
    if rest is not None:
        markdown.body(rest)
    provenance(
        lambda: cached.dataset("ns_model_parameters"),
        model.parameter_line,
        key="ns_model_sources",
    )


def _driver() -> str:
    """What the student moves: urine protein (default) or serum albumin."""
    driver = st.segmented_control(
        "What do you want to move?",
        options=["protein", "albumin"],
        format_func=url_state.label(
            keys.NS_DRIVER,
            {"protein": "Urine protein", "albumin": "Serum albumin"}.get,
        ),
        default="protein",
        required=True,
        key=keys.NS_DRIVER,
        bind="query-params",
    )
    return url_state.required(driver, keys.NS_DRIVER, "protein")


def _slider(driver: str, albumin_model: AlbuminModel) -> tuple[float, float]:
    """The slider of what is moved; returns (urine protein g/day, albumin g/L)."""
    if driver == "albumin":
        albumin = st.slider(
            "Serum albumin (g/L)",
            min_value=float(albumin_model.floor),
            max_value=float(albumin_model.normal_albumin),
            value=25.0,
            step=0.5,
            key=keys.NS_ALBUMIN,
            bind="query-params",
        )
        return albumin_model.proteinuria_for(albumin), albumin
    proteinuria = st.slider(
        "Urine protein (g/day)",
        min_value=0.0,
        max_value=albumin_model.max_proteinuria,
        value=6.0,
        step=0.1,
        key=keys.NS_PROTEINURIA,
        bind="query-params",
    )
    return proteinuria, albumin_model.albumin_for(proteinuria)


def _show_chain(view: model.ChainView) -> None:
    """The chain in both forms (CSS shows the one that fits), one data table.

    The key to the marks is drawn once, above both forms.
    """
    markdown.small_print(model.CHAIN_KEY)
    show_both_forms(
        view.chain,
        view.chain_narrow,
        key="ns_chain_chart",
        narrow_key="ns_chain_vertical",
        place="ns-chain",
    )


def causes(doc: ContentDoc) -> None:
    """Histology by age: biopsy cohorts and review estimates."""
    markdown.section(doc)
    histology = cached.dataset("ns_histology_by_age")
    show(cached.static_chart("histology"), key="ns_histology_chart")
    show(cached.static_chart("mcd_share"), key="ns_mcd_chart")
    provenance(histology, model.histology_line, key="ns_causes_sources")


@cached.shared
def _response_table() -> str:
    """Steroid response and relapse definitions as a Markdown table (built once)."""
    return model.response_table(cached.dataset("ns_steroid_response"))


def steroid_response(doc: ContentDoc) -> None:
    """Definitions of response and relapse, and the usual course in children."""
    markdown.section(doc)
    course = cached.dataset("ns_steroid_course")
    show(cached.static_chart("steroid_course"), key="ns_course_chart")
    with st.expander(
        "Definitions of response and relapse used for children",
        icon=":material/table:",
    ):
        st.markdown(_response_table())
    provenance(
        lambda: model.steroid_sources(course, cached.dataset("ns_steroid_response")),
        model.steroid_line,
        key="ns_steroid_sources",
    )


def complications(doc: ContentDoc) -> None:
    """Complications: prose and a dot plot of reported frequencies."""
    markdown.section(doc)
    frame = cached.dataset("ns_complications")
    show(cached.static_chart("complications"), key="ns_complications_chart")
    provenance(frame, model.complication_line, key="ns_complication_sources")


@cached.shared
def _primary_criteria() -> list[Criterion]:
    """The criteria the dashboard applies when it classifies a patient."""
    return primary_criteria(cached.dataset("ns_diagnostic_criteria"))


@fragments.section("the classify-a-patient exercise")
def classify_exercise(doc: ContentDoc) -> None:
    """Classify a patient: inputs on the left; predict, then see the verdict.

    The verdict stays hidden until the student has said what they expect
    (meets / does not meet / cannot decide). Changing the patient clears the
    prediction, so each new patient is predicted afresh. A mistake in the
    entry (a unit, a negative value) is shown at once: it is not the answer.
    """
    markdown.section(doc)
    criteria = _primary_criteria()
    left, right = st.columns([2, 3], gap="large")
    with left:
        entry = _patient_inputs()
    with right:
        verdict = model.feedback(entry, criteria)
        if verdict.status == "entry error":
            st.error(verdict.message, icon=":material/edit_note:")
            return
        predicted = _prediction(entry)
        if predicted is None:
            st.caption("Choose your answer to see the verdict and the reasons.")
            return
        right_call, sentence = model.prediction_check(predicted, verdict)
        st.markdown(
            (
                ":green[:material/check_circle:] "
                if right_call
                else ":orange[:material/info:] "
            )
            + sentence
        )
        _verdict(verdict)


def _prediction(entry: classify.PatientEntry) -> str | None:
    """Ask for the student's call; forget it when the patient has changed."""
    shown = repr(entry)
    state = st.session_state
    if state.get(CLASSIFY_PREDICTION) is None:
        state.pop(CLASSIFY_PREDICTED_FOR, None)
    elif state.setdefault(CLASSIFY_PREDICTED_FOR, shown) != shown:
        state[CLASSIFY_PREDICTION] = None
        state.pop(CLASSIFY_PREDICTED_FOR)
    with responsive.answers("ns-classify"):
        return st.radio(
            "**Your call first:** does this patient meet the definition?",
            options=list(model.PREDICTIONS),
            format_func=model.PREDICTIONS.get,
            index=None,
            key=CLASSIFY_PREDICTION,
        )


def _patient_inputs() -> classify.PatientEntry:
    population = st.radio(
        "Patient",
        options=["adult", "child"],
        format_func={"adult": "Adult", "child": "Child"}.get,
        horizontal=True,
        key=keys.CLASSIFY_POPULATION,
    )
    unit = st.selectbox(
        "Urine protein measured as",
        options=list(classify.PROTEIN_UNITS),
        key=keys.CLASSIFY_PROTEIN_UNIT,
    )
    value, dipstick = None, None
    if unit == "dipstick grade":
        dipstick = st.selectbox(
            "Dipstick result", classify.DIPSTICK_GRADES, key=keys.CLASSIFY_DIPSTICK
        )
    else:
        value = st.number_input(
            f"Urine protein ({unit})",
            value=4.2,
            step=0.1,
            placeholder="Not measured",
            key=keys.CLASSIFY_PROTEIN_VALUE,
        )
    albumin, albumin_unit = None, "g/L"
    if st.checkbox(
        "Serum albumin was measured", value=True, key=keys.CLASSIFY_ALBUMIN_MEASURED
    ):
        albumin = st.number_input(
            "Serum albumin", value=24.0, step=0.5, key=keys.CLASSIFY_ALBUMIN_VALUE
        )
        albumin_unit = st.radio(
            "Albumin unit",
            options=list(classify.ALBUMIN_UNITS),
            horizontal=True,
            key=keys.CLASSIFY_ALBUMIN_UNIT,
        )
    oedema = st.radio(
        "Oedema",
        options=["yes", "no", "not examined"],
        format_func=str.capitalize,
        horizontal=True,
        key=keys.CLASSIFY_OEDEMA,
    )
    return classify.PatientEntry(
        population=population,
        protein_value=value,
        protein_unit=unit,
        albumin_value=albumin,
        albumin_unit=albumin_unit,
        oedema=oedema,
        dipstick=dipstick,
    )


_BOXES = {"meets": st.success, "does not meet": st.warning, "incomplete": st.info}


def _verdict(feedback: model.Feedback) -> None:
    _BOXES[feedback.status](feedback.message)
    st.markdown(feedback.findings)
