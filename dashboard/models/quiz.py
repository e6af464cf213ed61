"""The Quiz page's model: the questions shown, feedback, the summary, the handout.

Questions come from ``content/data/quiz_questions.csv`` (validated by
:data:`dashboard.core.schemas.QUIZ_QUESTIONS`); each row names its source and
the page (and view) that answers it. A session's answers are a mapping from
question id to (chosen option or ``None``, sure?), as in
:func:`dashboard.core.quiz.summarise`. Everything here is pure text and data:
the section lays it out with widgets and keeps the answers in the session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.core import quiz
from dashboard.core.handout import Handout
from dashboard.core.site import PAGE_SLUGS, PAGES, page_by_slug
from dashboard.core.tables import source_markdown

#: Question id -> (chosen option or ``None`` if not answered, sure?).
Answers = Mapping[str, tuple[str | None, bool]]
#: What the summary says before any question is answered.
NOTHING_ANSWERED = "Answer a question to see your summary."
HANDOUT_TITLE = "Quiz: tacrolimus in nephrotic syndrome"


@dataclass(frozen=True, eq=False)
class Item:
    """One question as the page shows it.

    Parameters
    ----------
    id
        The question's id (its widgets are keyed by it).
    label
        The numbered question in Markdown (``"**3.** Which lesion …?"``).
    options
        The answer options, in the order of the data.
    question
        The question's row, for marking and feedback.
    """

    id: str
    label: str
    options: tuple[str, ...]
    question: pd.Series


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: whether it is right, and what to say (Markdown)."""

    right: bool
    text: str


@dataclass(frozen=True)
class SessionSummary:
    """How the session went, as the sentences the page shows.

    Parameters
    ----------
    score
        ``"**R of A** answered right."``
    confident_errors
        The sure-but-wrong questions, quoted, or ``None`` if there are none.
    lucky_guesses
        How many were right but unsure, or ``None`` if none.
    revisit
        A Markdown list of pages to revisit with links to the questions, or
        ``None`` if every answer was right.
    """

    score: str
    confident_errors: str | None
    lucky_guesses: str | None
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


def items(questions: pd.DataFrame) -> tuple[Item, ...]:
    """The questions as numbered items (1, 2, …), in order."""
    return tuple(
        Item(
            id=str(row["id"]),
            label=f"**{number}.** {row['question']}",
            options=tuple(quiz.options(row)),
            question=row,
        )
        for number, (_, row) in enumerate(questions.iterrows(), start=1)
    )


def feedback(question: pd.Series, choice: str) -> Feedback:
    """The verdict on ``choice``: the explanation and source, and where to revisit.

    Raises
    ------
    ValueError
        If ``choice`` is not one of the question's options.
    """
    if choice not in quiz.options(question):
        raise ValueError(f"{choice!r} is not an option of question {question['id']}")
    source = source_markdown(str(question["source"]), str(question["source_url"]))
    if quiz.is_right(question, choice):
        return Feedback(
            True, f"**Right.** {question['explanation']} *Source:* {source}"
        )
    page = page_by_slug(str(question["page"]))
    link = f"[{page.title}]({quiz.revisit_link(question)})"
    return Feedback(
        False,
        f"**Not quite.** The answer is “{question['answer']}”. "
        f"{question['explanation']} Revisit: {link}. *Source:* {source}",
    )


def summary(questions: pd.DataFrame, answers: Answers) -> SessionSummary | None:
    """The session summary for the questions shown, or ``None`` if none is answered.

    Questions are numbered by their place in ``questions`` (as on the page);
    answers to questions not in ``questions`` are ignored.
    """
    if all(choice is None for choice, _ in answers.values()):
        return None
    result = quiz.summarise(questions, answers)
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
        score=f"**{result.right} of {result.answered}** answered right.",
        confident_errors=confident,
        lucky_guesses=lucky,
        revisit=revisit,
    )


def handout(questions: pd.DataFrame, answers: Answers) -> Handout:
    """The questions shown, with this session's result for each, and sources."""
    result = quiz.summarise(questions, answers)
    rows = []
    for number, (_, question) in enumerate(questions.iterrows(), start=1):
        choice, sure = answers.get(str(question["id"]), (None, False))
        if choice is None:
            mark = "not answered"
        else:
            mark = "right" if quiz.is_right(question, choice) else "wrong"
            mark += " (sure)" if sure else " (unsure)"
        rows.append((f"{number}. {question['question']}", mark))
    pages = ", ".join(page_by_slug(p).title for p in dict.fromkeys(questions["page"]))
    return Handout(
        title=HANDOUT_TITLE,
        view=f"{result.right} of {result.answered} answered right; "
        f"{len(result.confident_errors)} sure but wrong. Pages: {pages}",
        numbers=rows,
        numbers_title="Questions and your answers",
        sources=list(
            dict.fromkeys(
                (str(s), str(u))
                for s, u in zip(
                    questions["source"], questions["source_url"], strict=True
                )
            )
        ),
    )
