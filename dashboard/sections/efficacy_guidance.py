"""Efficacy page: the current guidance, by disease, and the trials it rests on.

The tacrolimus trials on this page were designed against the comparators of
their day. This section shows how guidance moved (a timeline of guidelines),
what it says now for each disease (Markdown in ``content/efficacy``), and the
landmark trials of the alternatives, which are not tacrolimus-vs-comparator
rows and so stay out of the forest plot.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from dashboard.charts import guidance as charts
from dashboard.charts.chart import Chart
from dashboard.core.content import ContentDoc
from dashboard.models import efficacy_guidance as model
from dashboard.ui import cached, fragments, markdown
from dashboard.ui.charts import show
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
    part (a broken text shows its message where the text would be). The
    timeline and the trials are fragments: opening their data or source
    lists reruns only them.
    """
    timeline_section(docs)
    with section_guard("the guidance by disease"):
        by_disease(docs)
    alternatives_section(docs)


@fragments.section("the guidance timeline")
def timeline_section(docs: Sections) -> None:
    """The guidance introduction and the timeline (a section-only rerun)."""
    intro = doc_or_message(docs, "guidance")
    if intro is not None:
        markdown.section(intro)
    timeline()


@fragments.section("the trials of the alternatives")
def alternatives_section(docs: Sections) -> None:
    """The trials of the alternatives with their text (a section-only rerun)."""
    alternatives(doc_or_message(docs, "alternatives"))


@cached.shared
def _timeline_chart() -> Chart:
    """The timeline chart, built once (shared)."""
    chart = charts.timeline_chart(cached.dataset("guidance_timeline"))
    cached.freeze(chart.figure)
    return chart


def timeline() -> None:
    """The guideline timeline with its data table and the quotes behind it."""
    st.subheader(TIMELINE_HEADING)
    show(_timeline_chart(), key="guidance_timeline")
    st.caption(
        "Each guideline sits at its year of publication. An arrow runs from a "
        "guideline to the one that replaced it; a diamond marks one whose "
        "chapters were partly updated by later guidelines."
    )
    provenance(
        lambda: model.guidelines_in_order(cached.dataset("guidance_timeline")),
        model.guideline_line,
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
    return model.trials_markdown(cached.dataset("alternative_trials"))


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
        model.trial_line,
        key="guidance_trials_sources",
        title="Where the trial figures come from",
    )
