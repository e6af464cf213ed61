"""Sections of the Nephrotic syndrome page. Each takes its content docs and data.

Views stay thin: they call these in order inside ``section_guard`` blocks, so a
broken file disables one section with a clear message and the rest still works.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts import pathophysiology, static
from dashboard.core import classify, ns_data
from dashboard.core.content import ContentDoc, render_citations
from dashboard.core.handout import Handout
from dashboard.core.pathophysiology import (
    AlbuminModel,
    ChainState,
    ChainThresholds,
    evaluate_chain,
)
from dashboard.core.tables import markdown_table, short_citation, source_markdown
from dashboard.ui import cached, handout, keys, markdown, url_state
from dashboard.ui.charts import chart
from dashboard.ui.sources import provenance


def _static_chart(kind: str, *, key: str) -> None:
    figure, alt, data = cached.static_figure(kind)
    chart(figure, alt=alt, key=key, data=data)


def definitions(doc: ContentDoc) -> None:
    """Defining features: the prose, then each population's thresholds by source."""
    markdown.section(doc)
    group = st.segmented_control(
        "Show definitions for",
        options=["adult", "child"],
        format_func=url_state.label(
            keys.NS_DEFINITION_GROUP, {"adult": "Adults", "child": "Children"}.get
        ),
        default="adult",
        required=True,
        key=keys.NS_DEFINITION_GROUP,
        bind="query-params",
    )
    group = url_state.required(group, keys.NS_DEFINITION_GROUP, "adult")
    rows, applied, others = _definition_tables(group)
    st.markdown(f"**The definition this dashboard applies**\n\n{applied}")
    st.markdown(f"**What other sources use**\n\n{others}")
    provenance(rows, lambda r: f"{r['statement']}", key="ns_definition_sources")


@cached.shared
def _definition_tables(group: str) -> tuple[pd.DataFrame, str, str]:
    """One population's criteria rows, and the applied and other definitions."""
    criteria = cached.dataset("ns_diagnostic_criteria")
    rows = criteria[criteria["population"] == group]
    primary = rows["primary"].astype(bool)
    return (
        rows,
        _criteria_table(rows[primary], one_definition=True),
        _criteria_table(rows[~primary], one_definition=False),
    )


@cached.shared
def _primary_criteria() -> list:
    """The criteria the dashboard applies when it classifies a patient."""
    return ns_data.primary_criteria(cached.dataset("ns_diagnostic_criteria"))


def _short(source: str) -> str:
    return short_citation(source)


_ROLE_WORDS = {
    "required": "needed",
    "substitute": "only if albumin unknown",
    "supporting": "usually present",
}


def _role_words(role: str, alternatives: int) -> str:
    """The role in words.

    Several required rules for one feature in one definition are alternatives
    (a 24-hour collection or a spot ratio): any one of them is enough.
    """
    if role == "required" and alternatives > 1:
        return "needed (any one of these)"
    return _ROLE_WORDS[role]


def _criteria_table(rows: pd.DataFrame, *, one_definition: bool) -> str:
    """Markdown table of criteria rows; the source column holds a link.

    ``one_definition``: the rows form one definition (the one the dashboard
    applies, drawn from several sources); otherwise each source's rows are a
    definition of their own.
    """
    # Required rules per feature in the same definition, for every row.
    by = ["feature"] if one_definition else ["source", "feature"]
    alternatives = (rows["role"] == "required").groupby([rows[c] for c in by])
    alternatives = alternatives.transform("sum")
    return markdown_table(
        (
            {
                "Feature": r.feature,
                "Rule": r.statement,
                "Role": _role_words(r.role, count),
                "Source": source_markdown(_short(r.source), r.source_url),
            }
            for r, count in zip(rows.itertuples(index=False), alternatives, strict=True)
        ),
        ["Feature", "Rule", "Role", "Source"],
        raw_columns=("Source",),
    )


def pathophysiology_chain(doc: ContentDoc, note: ContentDoc | None) -> None:
    """The interactive chain: move proteinuria or albumin, the rest follows."""
    markdown.section(doc)
    model, _ = _chain_model()

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
            min_value=float(model.floor),
            max_value=float(model.normal_albumin),
            value=25.0,
            step=0.5,
            key=keys.NS_ALBUMIN,
            bind="query-params",
        )
        proteinuria = model.proteinuria_for(albumin)
    else:
        proteinuria = st.slider(
            "Urine protein (g/day)",
            min_value=0.0,
            max_value=model.max_proteinuria,
            value=6.0,
            step=0.1,
            key=keys.NS_PROTEINURIA,
            bind="query-params",
        )
        albumin = model.albumin_for(proteinuria)
    view = _chain_view(float(proteinuria), float(albumin))
    chart(view.chain, alt=view.chain_alt, key="ns_chain_chart", data=view.chain_data)
    st.markdown(view.sentence)
    handout.offer(
        "nephrotic-syndrome", lambda: _chain_handout(doc, note, model, view.state)
    )
    left, right = st.columns([3, 2])
    with left:
        chart(
            view.curve, alt=view.curve_alt, key="ns_albumin_curve", data=view.curve_data
        )
    with right:
        if note is not None:
            st.info(f"**{note.title}.** " + _inline(note), icon=":material/school:")
    provenance(
        lambda: cached.dataset("ns_model_parameters"),
        lambda r: f"{r['meaning']}: {r['value']:g} {r['unit']}",
        key="ns_model_sources",
    )


@cached.shared
def _chain_model() -> tuple[AlbuminModel, ChainThresholds]:
    """The albumin model and the chain's thresholds, from the data files."""
    parameters = cached.dataset("ns_model_parameters")
    criteria = cached.dataset("ns_diagnostic_criteria")
    return (
        ns_data.albumin_model(parameters),
        ns_data.chain_thresholds(criteria, parameters),
    )


@dataclasses.dataclass(frozen=True)
class _ChainView:
    state: ChainState
    chain: go.Figure
    chain_alt: str
    chain_data: pd.DataFrame
    sentence: str
    curve: go.Figure
    curve_alt: str
    curve_data: pd.DataFrame


@cached.shared
def _chain_view(proteinuria: float, albumin: float) -> _ChainView:
    """Everything the chain shows at one urine protein and albumin (shared)."""
    model, thresholds = _chain_model()
    state = evaluate_chain(
        proteinuria=proteinuria, albumin=albumin, thresholds=thresholds
    )
    return _ChainView(
        state=state,
        chain=cached.freeze(pathophysiology.chain_figure(state)),
        chain_alt=pathophysiology.chain_alt_text(state),
        chain_data=pathophysiology.chain_table(state),
        sentence=_chain_sentence(state, thresholds),
        curve=cached.freeze(
            pathophysiology.albumin_curve_figure(
                model, thresholds, proteinuria=proteinuria
            )
        ),
        curve_alt=pathophysiology.albumin_curve_alt_text(
            model, thresholds, proteinuria=proteinuria
        ),
        curve_data=pathophysiology.albumin_curve_table(model, proteinuria=proteinuria),
    )


def _chain_handout(doc, note, model, state) -> Handout:
    x = np.linspace(0, model.max_proteinuria, 120)
    figure = static.line_png(
        x,
        [("serum albumin (model)", np.array([model.albumin_for(v) for v in x]))],
        xlabel="Urine protein (g/day)",
        ylabel="Serum albumin (g/L)",
        point=(state.proteinuria, state.albumin),
    )
    numbers = [
        (
            f.label,
            f"{f.value:.1f} {f.unit} ({f.state})" if f.value is not None else f.state,
        )
        for f in state.features
    ]
    ids = list(doc.sources) + (list(note.sources) if note is not None else [])
    return Handout(
        title="Nephrotic syndrome: from leaky filter to swollen legs",
        view="Teaching model of albumin balance at the chosen urine protein.",
        numbers=numbers,
        figure_png=figure,
        sources=handout.references(ids),
    )


def _inline(doc: ContentDoc) -> str:
    return render_citations(doc.body, cached.references())


def _chain_sentence(state: object, thresholds: object) -> str:
    p = state.feature("proteinuria")  # type: ignore[attr-defined]
    a = state.feature("albumin")  # type: ignore[attr-defined]
    o = state.feature("oedema")  # type: ignore[attr-defined]
    return (
        f"At **{p.value:.1f} g/day** of urine protein ({p.state}), the model's "
        f"serum albumin settles at **{a.value:.1f} g/L** ({a.state}). "
        f"Oedema: **{o.state}**; raised lipids: "
        f"**{state.feature('lipids').state}**."  # type: ignore[attr-defined]
    )


def causes(doc: ContentDoc) -> None:
    """Histology by age: biopsy cohorts and review estimates."""
    markdown.section(doc)
    histology = cached.dataset("ns_histology_by_age")
    _static_chart("histology", key="ns_histology_chart")
    _static_chart("mcd_share", key="ns_mcd_chart")
    provenance(
        histology,
        key="ns_causes_sources",
        describe=lambda r: (
            f"{r['age_group']}, {r['lesion']}: "
            + _range(r["percent_low"], r["percent_high"])
            + f" ({r['cohort']})"
        ),
    )


def _range(low: float, high: float) -> str:
    if low == high:
        return f"{low:g}%"
    return f"up to {high:g}%" if low == 0 else f"{low:g}–{high:g}%"


def steroid_response(doc: ContentDoc) -> None:
    """Definitions of response and relapse, and the usual course in children."""
    markdown.section(doc)
    course = cached.dataset("ns_steroid_course")
    _static_chart("steroid_course", key="ns_course_chart")
    st.markdown("**Definitions used for children**")
    st.markdown(_response_table())
    provenance(
        lambda: pd.concat(
            [course, cached.dataset("ns_steroid_response").sort_values("order")],
            ignore_index=True,
        ),
        key="ns_steroid_sources",
        describe=lambda r: (
            r["term"]
            if pd.notna(r.get("term"))
            else f"{r['step']}: " + _range(r["percent_low"], r["percent_high"])
        ),
    )


@cached.shared
def _response_table() -> str:
    """Steroid response and relapse definitions as a Markdown table (built once)."""
    response = cached.dataset("ns_steroid_response").sort_values("order")
    rows = []
    for r in response.itertuples(index=False):
        term = r.term + (f" ({r.abbreviation})" if pd.notna(r.abbreviation) else "")
        rows.append(
            {
                "Term": f"**{term}**",
                "Definition": r.definition,
                "Source": source_markdown(_short(r.source), r.source_url),
            }
        )
    return markdown_table(
        rows, ["Term", "Definition", "Source"], raw_columns=("Term", "Source")
    )


def complications(doc: ContentDoc) -> None:
    """Complications: prose and a dot plot of reported frequencies."""
    markdown.section(doc)
    frame = cached.dataset("ns_complications")
    _static_chart("complications", key="ns_complications_chart")
    provenance(
        frame,
        key="ns_complication_sources",
        describe=lambda r: (
            f"{r['complication']}, {r['setting']}: "
            + _range(r["percent_low"], r["percent_high"])
        ),
    )


def classify_exercise(doc: ContentDoc) -> None:
    """The classify-a-patient widget: inputs on the left, the verdict on the right."""
    markdown.section(doc)
    criteria = _primary_criteria()
    left, right = st.columns([2, 3], gap="large")
    with left:
        entry = _patient_inputs()
    with right:
        _verdict(entry, criteria)


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


_ICONS = {
    True: ":green[:material/check_circle:] met",
    False: ":red[:material/cancel:] not met",
    None: ":gray[:material/help:] unknown",
}


def _verdict(entry: classify.PatientEntry, criteria: list) -> None:
    try:
        verdict = classify.classify(entry, criteria)
    except classify.EntryError as error:
        st.error(str(error), icon=":material/edit_note:")
        return
    box = {"meets": st.success, "does not meet": st.warning, "incomplete": st.info}
    box[verdict.status](f"**{verdict.headline}**")
    lines = []
    for finding in verdict.findings:
        line = f"- **{finding.feature.capitalize()}** ({_ICONS[finding.met]}): "
        line += finding.explanation
        if finding.criterion is not None:
            link = source_markdown(
                _short(finding.criterion.source), finding.criterion.source_url
            )
            line += f" *Source:* {link}."
        lines.append(line)
    st.markdown("\n".join(lines))
