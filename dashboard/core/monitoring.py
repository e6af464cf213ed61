"""The monitoring case: judge results against sourced thresholds (pure).

Each case row names a threshold row (``monitoring_thresholds.csv``), and that
row is the one source of truth for whether the result is abnormal:
:func:`answer_key` applies it with :func:`is_abnormal`. The case file does not
store the flag as well, so the two can never disagree; a row's ``explanation``
says in words why, and a unit test pins the resulting key to the case as
written.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.core.datasets import DataError, Problem

_COMPARE = {
    ">": lambda v, t: v > t,
    ">=": lambda v, t: v >= t,
    "<": lambda v, t: v < t,
    "<=": lambda v, t: v <= t,
}
_CASE_FILE = "monitoring_case.csv"


def is_abnormal(value: float, comparator: str, threshold: float) -> bool:
    """Whether ``value`` crosses ``threshold`` in the direction of ``comparator``."""
    return bool(_COMPARE[comparator](value, threshold))


def answer_key(case: pd.DataFrame, thresholds: pd.DataFrame) -> pd.DataFrame:
    """The case's rows by week, each with ``abnormal`` computed from its threshold.

    Parameters
    ----------
    case
        The validated ``monitoring_case`` table.
    thresholds
        The validated ``monitoring_thresholds`` table.

    Returns
    -------
    pandas.DataFrame
        ``case`` sorted by week and id, with a bool column ``abnormal``:
        whether the value crosses the named threshold (the value and the
        threshold in the same unit).

    Raises
    ------
    DataError
        If a row names a threshold that does not exist, or one in another unit
        (comparing 1.6 × baseline with a cut-off in µmol/L would be wrong).
    """
    by_id = thresholds.set_index("id")
    problems, flags = [], []
    for row in case.itertuples(index=False):
        if row.threshold_id not in by_id.index:
            problems.append(
                Problem(
                    _CASE_FILE, f"row {row.id}: unknown threshold {row.threshold_id}"
                )
            )
            continue
        cut = by_id.loc[row.threshold_id]
        if cut["unit"] != row.unit:
            problems.append(
                Problem(
                    _CASE_FILE,
                    f"row {row.id}: unit {row.unit} differs from threshold "
                    f"{row.threshold_id} ({cut['unit']})",
                )
            )
            continue
        flags.append(is_abnormal(row.value, cut["comparator"], cut["threshold"]))
    if problems:
        raise DataError(problems)
    key = case.assign(abnormal=flags)
    return key.sort_values(["week", "id"]).reset_index(drop=True)


@dataclass(frozen=True)
class Feedback:
    """How the student did on one result."""

    row_id: str
    flag_right: bool
    action_right: bool
    correct_action: str
    explanation: str


def judge(
    key: pd.DataFrame, answers: dict[str, tuple[bool | None, str | None]]
) -> list[Feedback]:
    """Compare ``answers`` (row id → (flagged abnormal, chosen action)) with ``key``.

    ``key`` is the case with its computed flags (:func:`answer_key`).
    """
    out = []
    for row in key.itertuples(index=False):
        flagged, action = answers.get(str(row.id), (None, None))
        out.append(
            Feedback(
                row_id=str(row.id),
                flag_right=flagged is not None and flagged == bool(row.abnormal),
                action_right=action == row.action,
                correct_action=str(row.action),
                explanation=str(row.explanation),
            )
        )
    return out


def score(feedback: list[Feedback]) -> tuple[int, int]:
    """(points, maximum): one point for each right flag and each right action."""
    points = sum(f.flag_right + f.action_right for f in feedback)
    return points, 2 * len(feedback)
