"""Monitoring page sections: harms from the evidence, the plan and the case.

Widgets and layout over :mod:`dashboard.models.monitoring`. The case (its
form, score and feedback) is one fragment: answering it reruns the case alone.
"""

from __future__ import annotations

import streamlit as st

from dashboard.core.content import ContentDoc
from dashboard.models import monitoring as model
from dashboard.sections import efficacy as efficacy_sections
from dashboard.ui import cached, fragments, keys, lazy, markdown, responsive
from dashboard.ui.charts import show


@cached.shared
def _harms_view() -> model.HarmsView:
    """The harms forest and the rows in words only, built once for every session."""
    view = model.harms_view(cached.dataset("efficacy_evidence"))
    cached.freeze(view.chart.figure)
    return view


@cached.shared
def _plan_view() -> model.PlanView:
    """The plan grid and checklist, built once for every session."""
    view = model.plan_view(cached.dataset("monitoring_plan"))
    cached.freeze(view.chart.figure)
    return view


@cached.shared
def _case_view() -> model.CaseView:
    """The case's answer key and layout, built once for every session."""
    return model.case_view(
        cached.dataset("monitoring_case"), cached.dataset("monitoring_thresholds")
    )


def harms(doc: ContentDoc | None) -> None:
    """Pooled and per-trial harms, direction normalised, sources one click away."""
    if doc is not None:
        markdown.section(doc)
    view = _harms_view()
    event = show(view.chart, key="harms_forest", selectable=True)
    points = getattr(getattr(event, "selection", None), "points", None) or []
    if points and points[0].get("customdata"):
        efficacy_sections.source_dialog(str(points[0]["customdata"][0]))
    if view.words:
        st.markdown("**Reported in words only** (no numbers in the source excerpt):")
        st.markdown(view.words)
    st.caption(
        "Click a marker, or pick a row in the Efficacy page's table, to read "
        "its source and exact words."
    )


def plan(doc: ContentDoc | None) -> None:
    """The monitoring plan first, its notes after it.

    Wide screens get the grid, phones one card per check (plain text, cheap;
    both are sent, and the stylesheet shows the one that fits). The finding
    and the response, which the grid shows on hover, are on every card and in
    the checklist under the grid, so touch and projector users have them too.
    """
    if doc is not None:
        st.markdown(f"## {doc.title}")
    view = _plan_view()
    with responsive.wide_only("mon-grid"):
        show(view.chart, key="monitoring_plan")
    with responsive.narrow_only("mon-grid"):
        for card in view.cards:
            st.container(border=True).markdown(card)
    st.caption(view.legend)
    box = lazy.expander(
        "If a check is abnormal, what then? The plan as a checklist, with sources",
        key="monitoring_plan_checklist",
        icon=":material/checklist:",
    )
    if box is not None:
        box.markdown(view.checklist)
    if doc is not None:
        markdown.section(doc, level=0)


@fragments.section("the monitoring case")
def case() -> None:
    """The virtual patient: flag each result and pick a response, then check."""
    view = _case_view()
    # Built only while open: a radio and a select per result were half of the
    # messages this page sent on every rerun (make load-bench).
    box = lazy.expander(view.title, key=keys.CASE_OPEN, icon=":material/assignment:")
    if box is None:
        return
    with box:
        _case_form(view)


def _case_form(view: model.CaseView) -> None:
    """The case's form and, once submitted, the feedback on every answer."""
    answers: dict[str, tuple[bool | None, str | None]] = {}
    with st.form("monitoring_case_form"):
        for week, rows in view.weeks:
            st.markdown(f"**Week {week}**")
            for r in rows:
                left, middle, right = st.columns([3, 2, 3], vertical_alignment="center")
                left.markdown(model.result_label(r))
                flag = middle.radio(
                    f"{r.analyte} in week {week}",
                    ("normal", "abnormal"),
                    index=None,
                    horizontal=True,
                    label_visibility="collapsed",
                    key=f"{keys.CASE_PREFIX}{r.id}_flag",
                )
                action = right.selectbox(
                    f"Response to {r.analyte} in week {week}",
                    view.actions,
                    index=None,
                    placeholder="Choose a response",
                    label_visibility="collapsed",
                    key=f"{keys.CASE_PREFIX}{r.id}_action",
                )
                answers[str(r.id)] = (
                    None if flag is None else flag == "abnormal",
                    action,
                )
        submitted = st.form_submit_button("Check my answers", type="primary")
    if not submitted:
        return
    result = model.case_result(view, cached.dataset("monitoring_thresholds"), answers)
    st.success(result.score, icon=":material/grading:")
    st.markdown(result.feedback)
