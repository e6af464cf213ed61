"""What an educator takes home from a class session: a CSV and a one-page PDF.

* **Results CSV** (:func:`results_csv`): one row per poll, round and option,
  with the counts, the share, how many round-1 answers were marked sure, and
  per poll how many switched to or away from the right answer. No student
  identifiers: the store keeps only counts' sources as hashes, and nothing
  per student is written. Text cells are made safe for spreadsheets
  (:func:`dashboard.core.poll_text.csv_text`).
* **Misconceptions PDF** (:func:`misconceptions_pdf`): the questions with the
  most confidently wrong answers (wrong and marked sure in round 1), each with
  the correct answer's source and the link to the view that teaches it; for
  an educator's own question, the source as they gave it.

The polls come from :meth:`dashboard.core.polls.PollStore.session_polls`
(the teacher's view, with counts). Counts are class answers, not patient
data. Pure: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.core import quiz
from dashboard.core.handout import Handout
from dashboard.core.poll_report import Misconception, build_pdf
from dashboard.core.poll_text import clean, csv_text
from dashboard.core.polls_common import PollView
from dashboard.models import class_check_rounds as rounds
from dashboard.models.class_check import shown_answer

HANDOUT_TITLE = "Live class check"
#: Most questions the PDF lists (fewer if they do not fit on the page).
MOST_MISCONCEPTIONS = 8
CSV_COLUMNS = (
    "session",
    "position",
    "question",
    "written_by",
    "bank_question_id",
    "round",
    "option",
    "correct",
    "answers",
    "share_of_round",
    "marked_sure",
    "switched_to_right",
    "switched_away_from_right",
)
NO_MISCONCEPTIONS = (
    "No question in this session had a confidently wrong answer (wrong and "
    "marked sure in round 1)."
)


def results_frame(session: str, polls: Sequence[PollView]) -> pd.DataFrame:
    """The session's results, one row per poll, round and option (no identifiers)."""
    rows = []
    for view in polls:
        if view.counts is None or view.queued:
            continue
        moved = rounds.shift(view) if view.switches is not None else None
        rounds_shown = [(1, view.counts)]
        if view.counts2 is not None:
            rounds_shown.append((2, view.counts2))
        for round_no, counts in rounds_shown:
            total = sum(counts)
            for i, option in enumerate(view.options):
                rows.append(
                    {
                        "session": session,
                        "position": view.position,
                        "question": csv_text(view.prompt),
                        "written_by": "educator" if view.own else "bank",
                        "bank_question_id": "" if view.own else view.question_id,
                        "round": round_no,
                        "option": csv_text(option),
                        "correct": "yes" if i == view.correct else "no",
                        "answers": counts[i],
                        "share_of_round": round(counts[i] / total, 3) if total else 0,
                        "marked_sure": (view.sure or ())[i] if round_no == 1 else "",
                        "switched_to_right": "" if moved is None else moved.to_right,
                        "switched_away_from_right": "" if moved is None else moved.away,
                    }
                )
    return pd.DataFrame(rows, columns=list(CSV_COLUMNS))


def results_csv(session: str, polls: Sequence[PollView]) -> bytes:
    """:func:`results_frame` as UTF-8 CSV bytes."""
    return results_frame(session, polls).to_csv(index=False).encode("utf-8")


def app_root(page_address: str) -> str:
    """The dashboard's address from this page's (``…/class-check``); may be empty."""
    return page_address.rsplit("/", 1)[0] if "/" in page_address else ""


def misconception(view: PollView, bank: pd.DataFrame, root: str) -> Misconception:
    """One question's entry: its confident errors, right answer, source, link."""
    total = sum(view.counts or ())
    wrong = rounds.confidently_wrong(view)
    correct = int(view.correct or 0)
    others = [(n, i) for i, n in enumerate(view.counts or ()) if i != correct]
    count, common = max(others, default=(0, None), key=lambda pair: pair[0])
    share = f"{wrong / total:.0%}" if total else "0%"
    if view.own or view.question_id not in bank.index:
        source = (
            f"Source, as given by the educator: {clean(view.source)}"
            if view.source
            else "No source given (written by the educator)."
        )
        link = "Written by the educator for this session; not from the dashboard."
    else:
        row = bank.loc[view.question_id]
        source = f"Source: {clean(row['source'])} ({clean(row['source_url'])})"
        link = f"Taught at: {root}/{quiz.revisit_link(row)}"
    return Misconception(
        question=clean(view.prompt),
        confidently_wrong=(
            f"{wrong} of {total} round-1 answers ({share}) were wrong and marked sure."
        ),
        common_wrong=(
            f"Wrong answer chosen most: {clean(view.options[common])} "
            f"({count} answer{'' if count == 1 else 's'})."
            if common is not None and count
            else "No wrong answers."
        ),
        correct=f"Correct answer: {clean(view.options[correct])}.",
        source=source,
        link=link,
    )


def ranked(polls: Sequence[PollView]) -> list[PollView]:
    """Polls with confident errors, the most first (then the larger share)."""
    scored = [
        view
        for view in polls
        if view.sure is not None
        and view.correct is not None
        and rounds.confidently_wrong(view) > 0
    ]
    return sorted(
        scored,
        key=lambda v: (
            -rounds.confidently_wrong(v),
            -rounds.confidently_wrong(v) / max(1, sum(v.counts or ())),
            v.position or 0,
        ),
    )


def misconceptions_pdf(
    session: str, polls: Sequence[PollView], bank: pd.DataFrame, page_address: str
) -> bytes:
    """The one-page PDF of the session's misconceptions."""
    root = app_root(page_address)
    asked = [v for v in polls if v.counts is not None and not v.queued]
    answers = sum(sum(v.counts or ()) for v in asked)
    wrong = sum(rounds.confidently_wrong(v) for v in asked if v.sure is not None)
    items = [misconception(v, bank, root) for v in ranked(asked)]
    return build_pdf(
        title=f"Misconceptions: class session {session}",
        summary=(
            f"{len(asked)} question{'' if len(asked) == 1 else 's'} asked, "
            f"{answers} answers in round 1, {wrong} of them confidently wrong "
            "(wrong and marked sure). The questions with the most confident "
            "errors come first."
        ),
        items=items,
        most=MOST_MISCONCEPTIONS,
        link=f"Session results: {page_address}" if page_address else "",
        empty=NO_MISCONCEPTIONS,
    )


def handout(view: PollView, bank: pd.DataFrame) -> Handout:
    """The poll's question, the class's answers and, once revealed, the answer."""
    counts = view.counts or (0,) * len(view.options)
    shown = shown_answer(view)
    sources = []
    if view.question_id in bank.index:
        row = bank.loc[view.question_id]
        sources = [(str(row["source"]), str(row["source_url"]))]
    return Handout(
        title=HANDOUT_TITLE,
        view=f"{view.prompt} ({view.total} answers; "
        f"{'answer revealed' if view.revealed else 'answer not yet revealed'}.)",
        numbers=[
            (option + ("  ✓ correct" if i == shown else ""), str(counts[i]))
            for i, option in enumerate(view.options)
        ],
        numbers_title="Answers from the class",
        sources=sources,
    )


def unreadable_handout(code: str, error: Exception) -> Handout:
    """The handout when the poll cannot be read: it says so instead of failing."""
    return Handout(
        title=HANDOUT_TITLE,
        view=f"Poll {code}: the answers could not be read. {error}",
    )
