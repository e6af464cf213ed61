"""Sections of the Nephrotic syndrome page: widgets and layout over the page model.

Everything shown that is not a widget comes from
:mod:`dashboard.models.nephrotic_syndrome`. Each interactive section is a
fragment (:func:`dashboard.ui.fragments.section`): moving its control reruns
that section alone, with the section's error guard inside it.
"""

from __future__ import annotations

import streamlit as st

from dashboard.core import classify
from dashboard.core.classify import Criterion
from dashboard.core.content import ContentDoc
from dashboard.core.nephrotic_syndrome import primary_criteria
from dashboard.models import nephrotic_syndrome as model
from dashboard.ui import cached, fragments, handout, keys, markdown, url_state
from dashboard.ui.charts import show
from dashboard.ui.sources import provenance


@cached.shared
def _definitions(group: str) -> model.Definitions:
    """One population's definitions, built once for all sessions."""
    return model.definitions(cached.dataset("ns_diagnostic_criteria"), group)


@fragments.section("the defining features")
def definitions(doc: ContentDoc) -> None:
    """Defining features: the prose, then each population's thresholds by source."""
    markdown.section(doc)
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
    cached.freeze(view.curve.figure)
    return view


@fragments.section("the pathophysiology chain")
def pathophysiology_chain(doc: ContentDoc, note: ContentDoc | None) -> None:
    """The interactive chain: move proteinuria or albumin, the rest follows."""
    markdown.section(doc)
    inputs = _chain_inputs()
    albumin_model = inputs.model

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
    driver = url_state.required(driver, keys.NS_DRIVER, "protein")
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
        proteinuria = albumin_model.proteinuria_for(albumin)
    else:
        proteinuria = st.slider(
            "Urine protein (g/day)",
            min_value=0.0,
            max_value=albumin_model.max_proteinuria,
            value=6.0,
            step=0.1,
            key=keys.NS_PROTEINURIA,
            bind="query-params",
        )
        albumin = albumin_model.albumin_for(proteinuria)
    view = _chain_view(float(proteinuria), float(albumin))
    show(view.chain, key="ns_chain_chart")
    st.markdown(view.sentence)
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
    provenance(
        lambda: cached.dataset("ns_model_parameters"),
        model.parameter_line,
        key="ns_model_sources",
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
    st.markdown("**Definitions used for children**")
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
    """The classify-a-patient widget: inputs on the left, the verdict on the right."""
    markdown.section(doc)
    criteria = _primary_criteria()
    left, right = st.columns([2, 3], gap="large")
    with left:
        entry = _patient_inputs()
    with right:
        _verdict(model.feedback(entry, criteria))


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
    if feedback.status == "entry error":
        st.error(feedback.message, icon=":material/edit_note:")
        return
    _BOXES[feedback.status](feedback.message)
    st.markdown(feedback.findings)
