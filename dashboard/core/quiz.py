"""Retrieval practice: mark answers and sum up a session (pure).

A session is a mapping from question id to (first checked answer, rating),
the rating ``True`` (Sure), ``False`` (Unsure) or ``None`` (not rated). Only
first attempts are passed in (retries are scored apart, see
:mod:`dashboard.models.retrieval`). The summary counts right answers and
singles out *confident errors* (rated Sure but wrong), the ones most worth
revisiting, and *lucky guesses* (rated Unsure but right); an unrated answer is
neither. It lists the pages to go back to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd


def options(question: pd.Series) -> list[str]:
    """The answer options of a question, in order."""
    return [o.strip() for o in str(question["options"]).split(" | ")]


def is_right(question: pd.Series, choice: str | None) -> bool:
    """Whether ``choice`` is the question's answer."""
    return choice is not None and choice == question["answer"]


def revisit_link(question: pd.Series) -> str:
    """Relative URL of the page (and view) that answers the question."""
    view = question.get("view")
    suffix = f"?{view}" if isinstance(view, str) and view else ""
    return f"{question['page']}{suffix}"


@dataclass(frozen=True)
class Summary:
    """How a session went."""

    answered: int
    right: int
    confident_errors: tuple[str, ...]
    lucky_guesses: tuple[str, ...]
    revisit: dict[str, list[str]] = field(default_factory=dict)


def summarise(
    questions: pd.DataFrame, answers: Mapping[str, tuple[str | None, bool | None]]
) -> Summary:
    """Count right answers; list confident errors, lucky guesses, pages to revisit."""
    by_id = questions.set_index("id")
    right, confident, lucky = 0, [], []
    revisit: dict[str, list[str]] = {}
    for qid, (choice, sure) in answers.items():
        if qid not in by_id.index or choice is None:
            continue
        question = by_id.loc[qid]
        if is_right(question, choice):
            right += 1
            if sure is False:
                lucky.append(qid)
        else:
            if sure is True:
                confident.append(qid)
            revisit.setdefault(str(question["page"]), []).append(qid)
    answered = sum(
        1 for q, (c, _) in answers.items() if c is not None and q in by_id.index
    )
    return Summary(
        answered=answered,
        right=right,
        confident_errors=tuple(confident),
        lucky_guesses=tuple(lucky),
        revisit=revisit,
    )
