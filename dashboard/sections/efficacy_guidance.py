"""Efficacy page: the current guidance, by disease, and the trials it rests on.

The tacrolimus trials on this page were designed against the comparators of
their day. This section shows how guidance moved (a timeline of guidelines),
what it says now for each disease (Markdown in ``content/efficacy``), and the
landmark trials of the alternatives, which are not tacrolimus-vs-comparator
rows and so stay out of the forest plot.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts import guidance as charts
from dashboard.core.content import ContentDoc
from dashboard.core.tables import markdown_table, short_citation, source_markdown
from dashboard.ui import cached, markdown
from dashboard.ui.charts import chart
from dashboard.ui.errors import section_guard
from dashboard.ui.page import Sections, doc_or_message
from dashboard.ui.sources import provenance

#: Section slugs of the per-disease texts, with their tab labels.
DISEASE_TABS = {
    "guidance_mn": "Membranous nephropathy",
    "guidance_ln": "Lupus nephritis",
    "guidance_children": "Children",
}
TIMELINE_HEADING = (
    "Why older trials compare tacrolimus with cyclophosphamide "
    "and newer ones with rituximab"
)


def guidance(docs: Sections) -> None:
    """The whole section: introduction, timeline, text by disease, trials.

    Each part has its own guard, so a broken file or dataset hides only its
    part (a broken text shows its message where the text would be).
    """
    with section_guard("the guidance timeline"):
        intro = doc_or_message(docs, "guidance")
        if intro is not None:
            markdown.section(intro)
        timeline()
    with section_guard("the guidance by disease"):
        by_disease(docs)
    with section_guard("the trials of the alternatives"):
        alternatives(doc_or_message(docs, "alternatives"))


@cached.shared
def _timeline_view() -> tuple[go.Figure, str, pd.DataFrame]:
    """The timeline figure, its alt text and its data (built once)."""
    frame = cached.dataset("guidance_timeline")
    return (
        cached.freeze(charts.timeline_figure(frame)),
        charts.timeline_alt_text(frame),
        charts.timeline_table(frame),
    )


def _guideline_line(row: pd.Series) -> str:
    return f"{row['body']} {row['year']}: {row['headline']}"


def timeline() -> None:
    """The guideline timeline with its data table and the quotes behind it."""
    st.subheader(TIMELINE_HEADING)
    figure, alt, data = _timeline_view()
    chart(figure, alt=alt, key="guidance_timeline", data=data)
    st.caption(
        "Each guideline sits at its year of publication. An arrow runs from a "
        "guideline to the one that replaced it; a diamond marks one whose "
        "chapters were partly updated by later guidelines."
    )
    provenance(
        lambda: cached.dataset("guidance_timeline").sort_values("order"),
        _guideline_line,
        key="guidance_timeline_sources",
        title="Where the timeline comes from",
    )


def by_disease(docs: Mapping[str, ContentDoc]) -> None:
    """What guidance says now, one tab per disease."""
    present = [(slug, label) for slug, label in DISEASE_TABS.items() if slug in docs]
    if not present:
        return
    st.subheader("What guidance says now")
    for tab, (slug, label) in zip(
        st.tabs([label for _, label in present]), present, strict=True
    ):
        with tab, section_guard(f"the guidance for {label.lower()}"):
            doc = docs[slug]
            markdown.section(doc, level=4)
            markdown.sources_footer(doc)


@cached.shared
def _trials_markdown() -> str:
    """The alternative trials as a Markdown table with source links (built once)."""
    frame = cached.dataset("alternative_trials")
    table = charts.trials_table(frame)
    links = [
        source_markdown(short_citation(str(r.source)), str(r.source_url))
        for r in frame.itertuples(index=False)
    ]
    columns = [*table.columns, "Source"]
    return markdown_table(
        (
            {**row, "Source": link}
            for row, link in zip(table.to_dict("records"), links, strict=True)
        ),
        columns,
        raw_columns=("Source",),
    )


def _trial_line(row: pd.Series) -> str:
    return (
        f"{row['trial']}, {row['outcome']} at {row['timepoint']}: "
        f"{charts.trial_result(row)}"
    )


def alternatives(doc: ContentDoc | None) -> None:
    """The landmark trials of rituximab, voclosporin and belimumab."""
    if doc is not None:
        markdown.section(doc, level=3)
    st.markdown(_trials_markdown())
    st.caption(
        "Doses are given as the trials used them, to explain the regimens: a "
        "teaching summary, not dosing advice. These trials did not test "
        "tacrolimus, so they are not in the forest plot above."
    )
    provenance(
        lambda: cached.dataset("alternative_trials"),
        _trial_line,
        key="guidance_trials_sources",
        title="Where the trial figures come from",
    )
