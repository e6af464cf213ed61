"""Sections of the Efficacy page: widgets and layout over its model.

Every number, sentence and table comes from :mod:`dashboard.models.efficacy`
(and its ``efficacy_sources`` and ``efficacy_guidance`` parts); the model's
results are shared by all sessions through :func:`dashboard.ui.cached.shared`.
The filters are one fragment; the charts, the per-1000 panel, the claims and
the data table another (:func:`evidence`). Moving a filter reruns only the
second: the filter's callback asks for it by key (``st.rerun([EVIDENCE])``),
so the filters are not sent again on every move.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.core.content import ContentDoc
from dashboard.core.efficacy import EvidenceFilter
from dashboard.models import efficacy as model
from dashboard.models import efficacy_guidance as guidance_model
from dashboard.models import efficacy_sources as sources
from dashboard.sections import efficacy_verdict as verdict_sections
from dashboard.sections.efficacy_filters import (
    EVIDENCE,
    FILTERS,
    chosen_filter,
    filters,
)
from dashboard.ui import cached, fragments, handout, keys, lazy, markdown
from dashboard.ui.charts import show
from dashboard.ui.errors import needs, section_guard


@cached.shared
def evidence_view(chosen: EvidenceFilter) -> model.EvidenceView:
    """:func:`dashboard.models.efficacy.evidence_view`, once per filter (shared)."""
    view = model.evidence_view(cached.dataset("efficacy_evidence"), chosen)
    for chart in (view.forest, view.arms):
        if chart is not None:
            cached.freeze(chart.figure)
    return view


@cached.shared
def _absolute_view(
    chosen: EvidenceFilter, row_id: str, baseline: int
) -> model.AbsoluteView:
    """:func:`dashboard.models.efficacy.absolute_view`, once per choice (shared)."""
    row = evidence_view(chosen).ratio_rows[row_id]
    result = model.absolute_view(row, baseline, chosen.outcome)
    cached.freeze(result.chart.figure)
    return result


@cached.shared
def _claims(disease: str) -> tuple[sources.Claim, ...]:
    """The checked claims for ``disease`` (or all), built once (shared)."""
    return sources.claims_for(cached.dataset("efficacy_claims"), disease)


@cached.shared
def _trough_table() -> str:
    """The trough targets as a Markdown table, built once (shared)."""
    return guidance_model.trough_table(cached.dataset("tacrolimus_trough_targets"))


def evidence(
    claims_box: DeltaGenerator,
    table_box: DeltaGenerator,
    reading: ContentDoc | None = None,
) -> None:
    """The filters, then everything they change (two section-only reruns).

    ``reading`` (how to read the forest plot) is shown folded beside the plot.
    """
    filter_controls()
    evidence_outputs(claims_box, table_box, reading)


@fragments.section("the evidence filters", key=FILTERS)
def filter_controls() -> None:
    """The filters; the evidence reads their values back from the session."""
    filters()


@fragments.section("the evidence charts", key=EVIDENCE)
def evidence_outputs(
    claims_box: DeltaGenerator,
    table_box: DeltaGenerator,
    reading: ContentDoc | None = None,
) -> None:
    """Everything the filters change, as one section-only rerun.

    The verdict comes first, beside the forest plot (above it on a phone),
    then the arms and the per-1000 panel;
    the claims and the data table, which follow the same filters further down
    the page, are drawn into ``claims_box`` and ``table_box`` (containers the
    view made in their places). Each part keeps its own guard, so a broken
    file hides only its part. This section writes into both boxes and the
    sidebar on every run, as a fragment must to keep their places.
    """
    st.sidebar.empty()  # keeps this section's place for the handout button
    chosen = chosen_filter()
    view: model.EvidenceView | None = None
    with section_guard("the evidence charts"):
        view = evidence_view(chosen)
        answer, plot = st.columns([2, 3], gap="medium")
        with answer:
            # The verdict also reads the claims: a broken claims file hides
            # only the verdict, never the forest plot beside it.
            with section_guard("the verdict"):
                verdict_sections.verdict(chosen, view)
            verdict_sections.direction(chosen)
            verdict_sections.notes(view)
            verdict_sections.reading_guide(reading)
        with plot:
            forest(view, chosen)
        arms(view)
        absolute(view, chosen)
    with claims_box, section_guard("the claims"):
        claims(None, chosen, cached.dataset("efficacy_evidence"))
    with table_box, section_guard("the data table"):
        table(None, needs(view, "the evidence data"))


def forest(view: model.EvidenceView, chosen: EvidenceFilter) -> None:
    """The forest plot of ratio rows (each row prints its effect and interval).

    Offers the handout of this forest plot in the sidebar (:func:`evidence`
    writes there on every run, so that the button can appear on a rerun of
    the section alone: a fragment may write outside itself only where it
    wrote on the last full run of the page).
    """
    if view.forest is None:
        st.info(
            "No ratio (RR, OR or HR) matches these filters. Try another outcome "
            "or widen the filters.",
            icon=":material/filter_alt_off:",
        )
        return
    _open_selected(show(view.forest, key="eff_forest", selectable=True))
    handout.offer("efficacy", lambda: model.forest_handout(view.oriented, chosen))


def arms(view: model.EvidenceView) -> None:
    """Per-arm proportions with Wilson intervals for rows with counts."""
    st.subheader("Arm by arm: proportions with 95% intervals")
    if view.arms is None:
        st.info(
            "No study in this selection reports counts for both arms.",
            icon=":material/filter_alt_off:",
        )
        return
    _open_selected(show(view.arms, key="eff_arms", selectable=True), index=2)
    st.caption(
        "Intervals are 95% Wilson score intervals computed here from the counts "
        "(Newcombe 1998), not taken from the papers."
    )


def absolute(view: model.EvidenceView, chosen: EvidenceFilter) -> None:
    """Per-1000 effects for one ratio under a baseline risk the student sets."""
    st.subheader("In absolute terms: per 1000 people")
    if view.ratios.empty:
        st.info(
            "Pick a selection with a risk ratio or odds ratio to see absolute effects.",
            icon=":material/filter_alt_off:",
        )
        return
    labels = view.ratio_labels
    row_id = st.selectbox(
        "Ratio", list(labels), format_func=labels.get, key=keys.EFF_RATIO_ROW
    )
    baseline = st.slider(
        "Risk without tacrolimus (comparator), per 1000",
        10,
        990,
        model.default_baseline(view.ratio_rows[row_id]),
        step=1,
        key=f"{keys.EFF_BASELINE}_{row_id}",
        help="Start from the comparator risk in the source where it gives one.",
    )
    shown = _absolute_view(chosen, row_id, baseline)
    left, right = st.columns([3, 2])
    with left:
        show(shown.chart, key="eff_absolute")
    with right:
        st.markdown(shown.words)
        st.markdown(shown.certainty)
        _caveat_box(shown.caveats)
    st.caption(shown.caption)


def _caveat_box(caveats: str) -> None:
    if caveats:
        st.warning(caveats, icon=":material/warning:")


def claims(
    doc: ContentDoc | None, chosen: EvidenceFilter, evidence: pd.DataFrame
) -> None:
    """Verdicts on the common claims for the chosen disease (or all).

    ``evidence`` is the evidence data frame the rows behind each verdict are
    listed from (only while a student has that list open).
    """
    if doc is not None:
        markdown.section(doc)
    rows = _claims(chosen.disease)
    if not rows:
        st.info("No claim is checked for this disease yet.")
        return
    for claim in rows:
        with st.container(border=True):
            st.markdown(claim.text)
            box = lazy.expander(claim.rows_label, key=f"claim_rows_{claim.id}")
            if box is not None:
                box.markdown(sources.rows_behind(evidence, claim.evidence_ids))


def regimens(doc: ContentDoc | None, troughs_doc: ContentDoc | None) -> None:
    """The regimens prose and the trough targets the protocols used."""
    if doc is not None:
        markdown.section(doc)
        markdown.sources_footer(doc)
    if troughs_doc is None:
        return
    markdown.section(troughs_doc, level=3)
    st.markdown(_trough_table())
    markdown.sources_footer(troughs_doc)


@st.dialog("Where this number comes from", width="large")
def source_dialog(row_id: str) -> None:
    """Everything about one evidence row: citation, design, n, figures, quote, link."""
    try:
        shown = sources.source_view(cached.dataset("efficacy_evidence"), row_id)
    except ValueError as missing:
        st.error(str(missing))
        return
    st.markdown(shown.heading)
    st.markdown(shown.facts)
    st.markdown(shown.line)
    if shown.quote is not None:
        st.markdown(f"> {shown.quote}")
    markdown.small_print(shown.small_print)
    _caveat_box(shown.caveats)


def _open_selected(event: object, index: int = 0) -> None:
    points = getattr(getattr(event, "selection", None), "points", None) or []
    if points:
        custom = points[0].get("customdata") or []
        if len(custom) > index:
            source_dialog(str(custom[index]))


def table(doc: ContentDoc | None, view: model.EvidenceView) -> None:
    """The filtered rows as a table, a source picker and a CSV download."""
    if doc is not None:
        markdown.section(doc)
    shown = view.shown
    if view.rows.empty:
        st.info("No rows match these filters.")
        return
    selection = st.dataframe(
        cached.arrow_table(shown),
        hide_index=True,
        width="stretch",
        key="eff_table",
        on_select="rerun",
        selection_mode="single-row",
    )
    picked = getattr(getattr(selection, "selection", None), "rows", None) or []
    if picked:
        source_dialog(str(shown.iloc[picked[0]]["id"]))
    picker, button, download = st.columns([4, 1, 1], vertical_alignment="bottom")
    labels = view.source_labels
    row_id = picker.selectbox(
        "Open a row's source",
        list(labels),
        key=keys.EFF_SOURCE_ROW,
        format_func=labels.get,
    )
    if button.button(
        "Show source", key="eff_open_source", icon=":material/open_in_new:"
    ):
        source_dialog(row_id)
    download.download_button(
        "CSV",
        lambda: shown.to_csv(index=False).encode("utf-8"),
        file_name="tacrolimus-evidence.csv",
        mime="text/csv",
        icon=":material/download:",
        key="eff_download",
    )
