"""Monitoring page sections: harms from the evidence, the plan and the case."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts import efficacy as charts
from dashboard.charts import monitoring as monitoring_charts
from dashboard.core import efficacy, monitoring
from dashboard.core.content import ContentDoc
from dashboard.core.schemas import CAVEATS
from dashboard.core.tables import source_markdown
from dashboard.sections import efficacy as efficacy_sections
from dashboard.ui import cached, keys, lazy, markdown
from dashboard.ui.charts import chart

SYMBOLS = {">": ">", ">=": "≥", "<": "<", "<=": "≤"}


def harms(doc: ContentDoc | None) -> None:
    """Pooled and per-trial harms, direction normalised, sources one click away."""
    if doc is not None:
        markdown.section(doc)
    figure, alt, data, words = _harms_view()
    event = chart(figure, alt=alt, key="harms_forest", data=data, selectable=True)
    points = getattr(getattr(event, "selection", None), "points", None) or []
    if points and points[0].get("customdata"):
        efficacy_sections.source_dialog(str(points[0]["customdata"][0]))
    if words:
        st.markdown("**Reported in words only** (no numbers in the source excerpt):")
        st.markdown(words)
    st.caption(
        "Click a marker, or pick a row in the Efficacy page's table, to read "
        "its source and exact words."
    )


@cached.shared
def _harms_view() -> tuple[go.Figure, str, pd.DataFrame, str]:
    """The harms forest (figure, alt text, table) and the rows in words only."""
    evidence = cached.dataset("efficacy_evidence")
    rows = evidence[evidence["outcome_group"] == "adverse events"]
    ratios = efficacy.forest_rows(rows, "adverse events")
    figure = charts.forest_figure(
        ratios,
        higher_is_better=False,
        title="Harms: ratios, tacrolimus-based vs comparator",
    )
    words = rows[rows["effect"].isna() & rows["value_tac"].isna()]
    return (
        cached.freeze(figure),
        charts.forest_alt_text(ratios, higher_is_better=False),
        charts.forest_table(ratios),
        "\n".join(_statement(r) for _, r in words.iterrows()),
    )


def _statement(row: pd.Series) -> str:
    caveats = efficacy.caveat_words(row["caveats"], CAVEATS)
    note = f" ⚠ *{'; '.join(caveats)}*" if caveats else ""
    return (
        f"- {row['outcome'][0].upper()}{row['outcome'][1:]} "
        f"({row['study']}, vs {row['comparator_class']}).{note}"
    )


def plan(doc: ContentDoc | None) -> None:
    """The monitoring plan as a grid and as a checklist with sources."""
    if doc is not None:
        markdown.section(doc)
    figure, alt, data, checklist = _plan_view()
    chart(figure, alt=alt, key="monitoring_plan", data=data)
    box = lazy.expander(
        "The same plan as a checklist, with sources",
        key="monitoring_plan_checklist",
        icon=":material/checklist:",
    )
    if box is not None:
        box.markdown(checklist)


@cached.shared
def _plan_view() -> tuple[go.Figure, str, pd.DataFrame, str]:
    """The plan grid (figure, alt text, table) and the checklist in Markdown."""
    frame = cached.dataset("monitoring_plan").sort_values("order")
    # A ballot box, not a Markdown task list: those render as disabled
    # checkboxes without labels (axe rule "label").
    checklist = "\n".join(
        f"- ☐ **{r.parameter}**: if {r.finding}, {r.action}. "
        f"*Source:* {source_markdown(str(r.source), str(r.source_url))}"
        for r in frame.itertuples(index=False)
    )
    return (
        cached.freeze(monitoring_charts.plan_figure(frame)),
        monitoring_charts.plan_alt_text(frame),
        monitoring_charts.plan_table(frame),
        checklist,
    )


@cached.shared
def _case_layout() -> tuple[list[tuple[int, list]], list[str]]:
    """The case's results grouped by week (rows as named tuples) and the actions."""
    results = cached.dataset("monitoring_case").sort_values(["week", "id"])
    weeks = [
        (int(week), list(part.itertuples(index=False)))
        for week, part in results.groupby("week", sort=True)
    ]
    return weeks, sorted(set(results["action"]))


def case(doc: ContentDoc | None) -> None:
    """The virtual patient: flag each result and pick a response, then check."""
    if doc is not None:
        markdown.section(doc)
    weeks, actions = _case_layout()
    results = sum(len(part) for _, part in weeks)
    # Built only while open: a radio and a select per result were half of the
    # messages this page sent on every rerun (make load-bench).
    box = lazy.expander(
        f"Work through the case: {results} results over {len(weeks)} weeks",
        key=keys.CASE_OPEN,
        icon=":material/assignment:",
    )
    if box is None:
        return
    with box:
        _case_form(weeks, actions)


def _case_form(weeks: list[tuple[int, list]], actions: list[str]) -> None:
    """The case's form and, once submitted, the feedback on every answer."""
    answers: dict[str, tuple[bool | None, str | None]] = {}
    with st.form("monitoring_case_form"):
        for week, part in weeks:
            st.markdown(f"**Week {week}**")
            for r in part:
                left, middle, right = st.columns([3, 2, 3], vertical_alignment="center")
                left.markdown(f"{r.analyte.capitalize()}: **{r.value:g} {r.unit}**")
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
                    actions,
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
    results = cached.dataset("monitoring_case").sort_values(["week", "id"])
    thresholds = cached.dataset("monitoring_thresholds").set_index("id")
    feedback = monitoring.judge(results, answers)
    points, most = monitoring.score(feedback)
    st.success(f"**{points} of {most}** right.", icon=":material/grading:")
    rows = results.set_index("id")
    lines = []
    for item in feedback:
        r = rows.loc[item.row_id]
        t = thresholds.loc[r["threshold_id"]]
        mark = (
            ":green[:material/check_circle:]"
            if item.flag_right and item.action_right
            else ":red[:material/cancel:]"
        )
        lines.append(
            f"- {mark} **Week {r['week']}, {r['analyte']} "
            f"{r['value']:g} {r['unit']}**: "
            f"{'abnormal' if r['abnormal'] else 'normal'}; {item.correct_action}. "
            f"{item.explanation} *Threshold:* {SYMBOLS[t['comparator']]} "
            f"{t['threshold']:g} "
            f"{t['unit']} ({t['meaning']}), "
            f"{source_markdown(str(t['source']), str(t['source_url']))}."
        )
    st.markdown("\n".join(lines))
