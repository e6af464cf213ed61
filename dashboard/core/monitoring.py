"""The monitoring case: judge results against sourced thresholds (pure).

Each case row names a threshold row; :func:`is_abnormal` applies it, so the
flag shown as correct is computed from the sourced cut-off and checked by a
test against the row's stated answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

_COMPARE = {
    ">": lambda v, t: v > t,
    ">=": lambda v, t: v >= t,
    "<": lambda v, t: v < t,
    "<=": lambda v, t: v <= t,
}


def is_abnormal(value: float, comparator: str, threshold: float) -> bool:
    """Whether ``value`` crosses ``threshold`` in the direction of ``comparator``."""
    return bool(_COMPARE[comparator](value, threshold))


@dataclass(frozen=True)
class Feedback:
    """How the student did on one result."""

    row_id: str
    flag_right: bool
    action_right: bool
    correct_action: str
    explanation: str


def judge(
    case: pd.DataFrame, answers: dict[str, tuple[bool | None, str | None]]
) -> list[Feedback]:
    """Compare ``answers`` (row id → (flagged abnormal, chosen action)) with the key."""
    out = []
    for row in case.itertuples(index=False):
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
