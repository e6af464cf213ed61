"""The Quiz page's model: the items shown, the session summary, the handout.

Questions come from ``content/data/quiz_questions.csv`` (validated by
:data:`dashboard.core.schemas.QUIZ_QUESTIONS`); each row names its source and
the page (and view) that answers it. Each question is a
:class:`~dashboard.models.retrieval.CheckItem`, marked by certainty: a
session is a mapping from question id to its
:class:`~dashboard.models.retrieval.ItemState`, and only first attempts are
scored (retries are counted apart). Everything here is pure text and data:
the section lays it out with widgets and keeps the states in the session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.core import quiz
from dashboard.core.handout import Handout
from dashboard.core.site import PAGE_SLUGS, PAGES, page_by_slug
from dashboard.core.tables import source_markdown
from dashboard.models import retrieval

#: Question id -> that question's attempts in this session.
States = Mapping[str, retrieval.ItemState]
#: What the summary says before any question is checked.
NOTHING_ANSWERED = "Check an answer to see your summary."
HANDOUT_TITLE = "Quiz: tacrolimus in nephrotic syndrome"


@dataclass(frozen=True)
class SessionSummary:
    """How the session went, as the sentences the page shows.

    Parameters
    ----------
    score
        ``"**R of C** right at the first attempt."``
    confident_errors
        The sure-but-wrong questions, quoted, or ``None`` if there are none.
    lucky_guesses
        How many were right but unsure, or ``None`` if none.
    retries
        How many retries were right, or ``None`` if there were none.
    revisit
        A Markdown list of pages to revisit with links to the questions, or
        ``None`` if every first attempt was right.
    """

    score: str
    confident_errors: str | None
    lucky_guesses: str | None
    retries: str | None
    revisit: str | None


def quizzed_pages(questions: pd.DataFrame) -> tuple[str, ...]:
    """Slugs of the pages that have questions, in the site's order.

    Parameters
    ----------
    questions
        The validated question bank (column ``page`` holds page slugs).
    """
    asked = set(questions["page"].astype(str))
    return tuple(p.slug for p in PAGES if p.slug in asked)


def questions_on(questions: pd.DataFrame, pages: Iterable[str]) -> pd.DataFrame:
    """The questions about ``pages``, in the bank's order (the quiz order).

    Raises
    ------
    ValueError
        If a slug in ``pages`` is not a page of the site.
    """
    wanted = list(pages)
    unknown = sorted(set(wanted) - PAGE_SLUGS)
    if unknown:
        raise ValueError(f"no page with slug {unknown[0]!r}")
    return questions[questions["page"].isin(wanted)]


def check_item(question: pd.Series, number: int | None = None) -> retrieval.CheckItem:
    """A bank row as a check item, numbered ``number`` (unnumbered if ``None``).

    The feedback gives the row's explanation, its source, and a link to the
    page and view that teach it.
    """
    prefix = "" if number is None else f"**{number}.** "
    page = page_by_slug(str(question["page"]))
    return retrieval.CheckItem(
        id=str(question["id"]),
        label=f"{prefix}{question['question']}",
        options=tuple(quiz.options(question)),
        answer=str(question["answer"]),
        explanation=str(question["explanation"]),
        link=f"[{page.title}]({quiz.revisit_link(question)})",
        source=source_markdown(str(question["source"]), str(question["source_url"])),
    )


def items(questions: pd.DataFrame) -> tuple[retrieval.CheckItem, ...]:
    """The questions as numbered check items (1, 2, …), in order."""
    return tuple(
        check_item(row, number)
        for number, (_, row) in enumerate(questions.iterrows(), start=1)
    )


def _firsts(questions: pd.DataFrame, states: States) -> dict[str, tuple]:
    """First attempts to the questions shown: id -> (choice or None, rating)."""
    shown = set(questions["id"].astype(str))
    return {q: a for q, a in retrieval.first_answers(states).items() if q in shown}


def summary(questions: pd.DataFrame, states: States) -> SessionSummary | None:
    """The session summary for the questions shown, or ``None`` if none is checked.

    Only first attempts are scored; retries are counted in a line of their
    own. Questions are numbered by their place in ``questions`` (as on the
    page); states of questions not in ``questions`` are ignored.
    """
    answers = _firsts(questions, states)
    if all(choice is None for choice, _ in answers.values()):
        return None
    result = quiz.summarise(questions, answers)
    tally = retrieval.score(states, questions["id"].astype(str))
    by_id = questions.set_index("id")
    confident = None
    if result.confident_errors:
        confident = (
            "**Sure but wrong**, the ones most worth a second look: "
            + "; ".join(
                f"“{by_id.loc[q, 'question']}”" for q in result.confident_errors
            )
        )
    lucky = None
    if result.lucky_guesses:
        lucky = f"Right but unsure: {len(result.lucky_guesses)}. Worth revisiting too."
    revisit = None
    if result.revisit:
        ids = list(questions["id"])
        lines = []
        for slug, qids in result.revisit.items():
            links = ", ".join(
                f"[question {ids.index(q) + 1}]"
                f"({quiz.revisit_link(questions[questions['id'] == q].iloc[0])})"
                for q in qids
            )
            title = page_by_slug(slug).title
            lines.append(f"- **{title}**: {len(qids)} to revisit ({links})")
        revisit = "**Pages to revisit**\n" + "\n".join(lines)
    return SessionSummary(
        score=f"**{result.right} of {result.answered}** right at the first attempt.",
        confident_errors=confident,
        lucky_guesses=lucky,
        retries=retrieval.retries_line(tally),
        revisit=revisit,
    )


def _mark(state: retrieval.ItemState | None) -> str:
    """A question's line in the handout: the first attempt, then any retries."""
    if state is None or state.first is None:
        return "not checked"
    first = state.first
    mark = f"{'right' if first.right else 'wrong'} ({first.rating})"
    if state.retries:
        right = sum(a.right for a in state.retries)
        mark += f"; retries: {right} right of {len(state.retries)}"
    return mark


def handout(questions: pd.DataFrame, states: States) -> Handout:
    """The questions shown, with this session's first attempts, and sources.

    As many A4 pages as the questions need (the whole bank runs to several):
    every question and every source is printed (:attr:`Handout.multi_page`).
    """
    result = quiz.summarise(questions, _firsts(questions, states))
    tally = retrieval.score(states, questions["id"].astype(str))
    rows = [
        (f"{number}. {question['question']}", _mark(states.get(str(question["id"]))))
        for number, (_, question) in enumerate(questions.iterrows(), start=1)
    ]
    pages = ", ".join(page_by_slug(p).title for p in dict.fromkeys(questions["page"]))
    retries = (
        f"; retries: {tally.retries_right} right of {tally.retries}"
        if tally.retries
        else ""
    )
    return Handout(
        title=HANDOUT_TITLE,
        view=f"{result.right} of {result.answered} right at the first attempt; "
        f"{len(result.confident_errors)} sure but wrong{retries}. Pages: {pages}",
        numbers=rows,
        numbers_title="Questions and your first attempts",
        multi_page=True,
        sources=list(
            dict.fromkeys(
                (str(s), str(u))
                for s, u in zip(
                    questions["source"], questions["source_url"], strict=True
                )
            )
        ),
    )
