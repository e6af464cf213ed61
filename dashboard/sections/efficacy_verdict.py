"""The Efficacy page's answer first: the verdict box and the note on direction.

Drawn at the top of the evidence section, beside the forest plot on wide
screens and above it on phones (Streamlit's columns stack at 640 px). Every
sentence comes from :mod:`dashboard.models.efficacy_verdict`; the verdict is
built once per filter and shared by all sessions.
"""

from __future__ import annotations

import streamlit as st

from dashboard.core.content import ContentDoc
from dashboard.core.efficacy import EvidenceFilter
from dashboard.models import efficacy as model
from dashboard.models import efficacy_verdict as verdict_model
from dashboard.ui import cached, markdown


@cached.shared
def _verdict(
    chosen: EvidenceFilter, _view: model.EvidenceView
) -> verdict_model.Verdict:
    """:func:`dashboard.models.efficacy_verdict.verdict`, once per filter (shared).

    ``_view`` is the evidence view of ``chosen`` (not hashed: it follows from it).
    """
    return verdict_model.verdict(
        _view.rows, _view.oriented, cached.dataset("efficacy_claims"), chosen
    )


def verdict(chosen: EvidenceFilter, view: model.EvidenceView) -> None:
    """The answer in summary-of-findings form, one line per follow-up time."""
    shown = _verdict(chosen, view)
    with st.container(border=True, key="eff-verdict"):
        st.markdown(shown.heading)
        if shown.findings:
            st.markdown("\n".join(f"- {line}" for line in shown.findings))
        else:
            st.markdown(
                "No figure in these rows compares the two arms for this outcome. "
                "Try another comparator, outcome or follow-up."
            )
        if shown.claim:
            st.markdown(shown.claim)
        if shown.more:
            st.caption(shown.more)


def direction(chosen: EvidenceFilter) -> None:
    """A visible note when lower is better (relapse, harms), so the sides swap."""
    note = verdict_model.direction_note(chosen.outcome)
    if note:
        st.info(note, icon=":material/swap_horiz:")


def reading_guide(doc: ContentDoc | None) -> None:
    """How to read the forest plot, folded (closed also in presenter mode)."""
    if doc is not None:
        with st.expander(doc.title, icon=":material/help:"):
            markdown.body(doc)


def notes(view: model.EvidenceView) -> None:
    """The row count and the footnotes on turned-round (†) and unattributed (‡) rows."""
    st.markdown(view.summary)
    if view.turned_note:
        st.caption(view.turned_note)
