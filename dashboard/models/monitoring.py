"""The Monitoring page's model: harms, the plan and the case.

Everything these sections show that is not a widget: the charts (with alt
text and tables), the checklist, and the case's answer key, layout and
feedback. Pure: never imports streamlit; :mod:`dashboard.sections.monitoring`
lays it out. The trough simulator, the page's largest part, has its own model
(:mod:`dashboard.models.monitoring_simulator`).

Sources: harms are the "adverse events" rows of ``efficacy_evidence.csv``
(ratios, tacrolimus-based vs comparator, lower is better); the plan is
``monitoring_plan.csv``; the case's results are invented for the exercise
(``monitoring_case.csv``) and judged by the sourced cut-offs of
``monitoring_thresholds.csv``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from dashboard.charts import efficacy as efficacy_charts
from dashboard.charts import monitoring as monitoring_charts
from dashboard.charts.chart import Chart
from dashboard.core import efficacy, monitoring
from dashboard.core.schemas import CAVEATS
from dashboard.core.tables import source_markdown

SYMBOLS = {">": ">", ">=": "≥", "<": "<", "<=": "≤"}


# -- harms and the plan ----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class HarmsView:
    """The harms forest and, as a Markdown list, the harms reported in words only."""

    chart: Chart
    words: str


def harms_view(evidence: pd.DataFrame) -> HarmsView:
    """Harms of tacrolimus-based regimens: ratios (lower is better) and words.

    ``evidence`` is the validated ``efficacy_evidence`` table; its rows in the
    "adverse events" group are drawn as ratios, tacrolimus-based vs comparator,
    and those with neither an effect nor an arm value are listed in words.
    """
    rows = evidence[evidence["outcome_group"] == "adverse events"]
    chart = efficacy_charts.forest_chart(
        efficacy.forest_rows(rows, "adverse events"),
        higher_is_better=False,
        title="Harms: ratios, tacrolimus-based vs comparator",
    )
    words = rows[rows["effect"].isna() & rows["value_tac"].isna()]
    return HarmsView(chart, "\n".join(_statement(r) for _, r in words.iterrows()))


def _statement(row: pd.Series) -> str:
    caveats = efficacy.caveat_words(row["caveats"], CAVEATS)
    note = f" ⚠ *{'; '.join(caveats)}*" if caveats else ""
    return (
        f"- {row['outcome'][0].upper()}{row['outcome'][1:]} "
        f"({row['study']}, vs {row['comparator_class']}).{note}"
    )


@dataclasses.dataclass(frozen=True)
class PlanView:
    """The monitoring plan three ways: a grid, a card per check, and a checklist.

    ``chart`` is the grid (laptops and projectors), ``cards`` one Markdown
    card per check (phones: what, when in each phase, finding and response),
    ``checklist`` the Markdown checklist with sources, and ``legend`` what a
    "not listed" cell means.
    """

    chart: Chart
    cards: tuple[str, ...]
    checklist: str
    legend: str = monitoring_charts.NOT_LISTED_MEANING


def plan_card(row: Any) -> str:
    """One check as a phone card (Markdown): what, when in each phase, if → then.

    A phase without a check in the sources reads "not listed", as in the grid.
    """
    when = "\n".join(
        f"- *{label}:* {monitoring_charts.cell_text(getattr(row, column))}"
        for column, label in monitoring_charts.PHASES.items()
    )
    return (
        f"**{row.parameter}**\n\n{when}\n\n**If** {row.finding}, **then** {row.action}."
    )


def plan_view(plan: pd.DataFrame) -> PlanView:
    """The plan (validated ``monitoring_plan`` table): grid, cards and checklist."""
    frame = plan.sort_values("order")
    # A ballot box, not a Markdown task list: those render as disabled
    # checkboxes without labels (axe rule "label").
    checklist = "\n".join(
        f"- ☐ **{r.parameter}**: if {r.finding}, {r.action}. "
        f"*Source:* {source_markdown(str(r.source), str(r.source_url))}"
        for r in frame.itertuples(index=False)
    )
    cards = tuple(plan_card(r) for r in frame.itertuples(index=False))
    return PlanView(monitoring_charts.plan_chart(frame), cards, checklist)


# -- the monitoring case ---------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CaseView:
    """The case's answer key, its results grouped by week, and the responses offered.

    ``weeks`` holds (week, rows) with each row a named tuple of the key.
    """

    key: pd.DataFrame
    weeks: tuple[tuple[int, tuple[Any, ...]], ...]
    actions: tuple[str, ...]

    @property
    def title(self) -> str:
        """The label of the case's expander: how many results, from which week to which.

        Read from the data: "9 results from week 2 to week 8" (results on
        weeks 2, 4, 6 and 8 span weeks 2 to 8, not "4 weeks").
        """
        results = sum(len(rows) for _, rows in self.weeks)
        first, last = self.weeks[0][0], self.weeks[-1][0]
        span = (
            f"in week {first}" if first == last else f"from week {first} to week {last}"
        )
        return f"Work through the case: {results} results {span}"


def case_view(case: pd.DataFrame, thresholds: pd.DataFrame) -> CaseView:
    """The case (``monitoring_case``) judged by its ``monitoring_thresholds`` rows.

    Raises
    ------
    DataError
        If a row names an unknown threshold or one in another unit.
    """
    key = monitoring.answer_key(case, thresholds)
    weeks = tuple(
        (int(week), tuple(part.itertuples(index=False)))
        for week, part in key.groupby("week", sort=True)
    )
    return CaseView(key, weeks, tuple(sorted(set(key["action"]))))


def result_label(row: Any) -> str:
    """One result as the student sees it: "Potassium: **5.8 mmol/L**"."""
    return f"{row.analyte.capitalize()}: **{row.value:g} {row.unit}**"


@dataclasses.dataclass(frozen=True)
class CaseResult:
    """The score sentence and, as a Markdown list, the feedback on every result."""

    score: str
    feedback: str


def case_result(
    view: CaseView,
    thresholds: pd.DataFrame,
    answers: dict[str, tuple[bool | None, str | None]],
) -> CaseResult:
    """Score ``answers`` (row id → (flagged abnormal, response)) and explain each.

    One point for each right flag and each right response. Each line judges
    the two apart ("Flag ✓ … Response ✗ …"), names the right response when
    the student's was missing or wrong, and gives the threshold that decides
    the flag and the threshold's source.
    """
    feedback = monitoring.judge(view.key, answers)
    points, most = monitoring.score(feedback)
    rows = view.key.set_index("id")
    cuts = thresholds.set_index("id")
    lines = []
    for item in feedback:
        r = rows.loc[item.row_id]
        t = cuts.loc[r["threshold_id"]]
        flagged, chosen = answers.get(item.row_id, (None, None))
        mark = (
            ":green[:material/check_circle:]"
            if item.flag_right and item.action_right
            else ":red[:material/cancel:]"
        )
        lines.append(
            f"- {mark} **Week {r['week']}, {r['analyte']} "
            f"{r['value']:g} {r['unit']}**: "
            f"{flag_words(item.flag_right, flagged, bool(r['abnormal']))} "
            f"{response_words(item.action_right, chosen, item.correct_action)} "
            f"{item.explanation} *Threshold:* {SYMBOLS[t['comparator']]} "
            f"{t['threshold']:g} "
            f"{t['unit']} ({t['meaning']}), "
            f"{source_markdown(str(t['source']), str(t['source_url']))}."
        )
    return CaseResult(f"**{points} of {most}** right.", "\n".join(lines))


def flag_words(right: bool, flagged: bool | None, abnormal: bool) -> str:
    """The flag half of a result's feedback: "Flag ✓ (abnormal)." or what was wrong."""
    truth = "abnormal" if abnormal else "normal"
    if right:
        return f"**Flag** :green[✓] ({truth})."
    if flagged is None:
        return f"**Flag** :red[✗] missing: it is {truth}."
    return (
        f"**Flag** :red[✗]: it is {truth}, not {'abnormal' if flagged else 'normal'}."
    )


def response_words(right: bool, chosen: str | None, correct: str) -> str:
    """The response half: "Response ✓ (…)." or which response was missing or wrong."""
    if right:
        return f"**Response** :green[✓] ({correct})."
    if chosen is None:
        return f"**Response** :red[✗] missing: the right one is *{correct}*."
    return f"**Response** :red[✗]: the right one is *{correct}*, not *{chosen}*."
