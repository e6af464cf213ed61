"""A class session's model: the list of its polls, and what each view says.

A session is a lecture's sequence of polls under one join code
(:mod:`dashboard.core.polls_sessions`). The teacher's view lists the polls
with their results (:func:`poll_table`); a student's page says what it waits
for. Poll text is untrusted when an educator wrote it, so every prompt and
option is shown through :func:`dashboard.core.poll_text.plain_markdown` (no
formatting, links or HTML). Counts are class answers, not patient data.
Pure: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.core.poll_text import plain_markdown
from dashboard.core.polls_common import PollView
from dashboard.core.polls_sessions import SessionView
from dashboard.core.tables import markdown_table
from dashboard.models import class_check_rounds as rounds

#: The address parameter of a session's teacher view.
SESSION_PARAM = "session"
WAITING_FOR_FIRST = (
    "You have joined the session. The first question appears here when your "
    "teacher opens it; keep this page open."
)
WAITING_FOR_NEXT = (
    "The next question appears here when your teacher opens it; keep this page open."
)
NO_POLLS_YET = (
    "No question yet. Add one below: from the quiz bank, or write your own. "
    "Students who joined see it as soon as you open it."
)
OWN_FORM_HELP = (
    "Your question is stored with this session only, never added to the "
    "dashboard's shared question bank. Students see it as plain text: no "
    "formatting, links or HTML."
)
OWN_NOTE = "Written by your teacher for this session (not from the dashboard's bank)."
START_SESSION_HELP = (
    "A session keeps one join code for the whole lecture: add questions one "
    "after another and students' pages show each as you open it."
)
TABLE_COLUMNS = (
    "#",
    "Question",
    "Status",
    "Answers (round 1 / 2)",
    "Right (round 1 → 2)",
    "Confidently wrong",
)


def session_heading(view: SessionView) -> str:
    """The session's caption under the join code."""
    queued = f", {view.queued} waiting" if view.queued else ""
    polls = f"{view.polls} question{'' if view.polls == 1 else 's'}"
    return f"Session `{view.code}`: {polls}{queued}."


def still_joining(code: str) -> str:
    """Under a revealed question of a session: the code latecomers still use."""
    return (
        f"This question takes no more answers. Session join code: `{code}` "
        "(students who join now see the next question)."
    )


def prompt(view: PollView) -> str:
    """The poll's question as plain Markdown (bold), safe for any author."""
    return f"**{plain_markdown(view.prompt)}**"


def option_labels(view: PollView) -> tuple[str, ...]:
    """The options as plain Markdown, for radio labels and lists."""
    return tuple(plain_markdown(o) for o in view.options)


def status(view: PollView, current: str | None) -> str:
    """One poll's state in the session's list."""
    if view.queued:
        return "waiting"
    state = "closed" if view.closed else "revealed" if view.revealed else "open"
    if view.round == 2 and not view.revealed:
        state += ", round 2"
    return f"{state} (on screen)" if view.code == current else state


def _right(counts: tuple[int, ...] | None, correct: int | None) -> str:
    if counts is None or correct is None or not sum(counts):
        return "–"
    return f"{counts[correct] / sum(counts):.0%}"


def poll_row(view: PollView, current: str | None) -> dict[str, object]:
    """One line of the session's list (the teacher's counts)."""
    first = sum(view.counts) if view.counts is not None else 0
    second = "–" if view.counts2 is None else str(sum(view.counts2))
    right = _right(view.counts, view.correct)
    if view.counts2 is not None:
        right += f" → {_right(view.counts2, view.correct)}"
    wrong = "–"
    if view.sure is not None and view.correct is not None:
        wrong = str(rounds.confidently_wrong(view))
    return {
        "#": view.position or "",
        "Question": plain_markdown(view.prompt) + (" (own)" if view.own else ""),
        "Status": status(view, current),
        "Answers (round 1 / 2)": f"{first} / {second}",
        "Right (round 1 → 2)": right,
        "Confidently wrong": wrong,
    }


def poll_table(polls: Sequence[PollView], current: str | None) -> str:
    """The session's polls as a Markdown table (questions as plain text)."""
    return markdown_table(
        [poll_row(view, current) for view in polls],
        TABLE_COLUMNS,
        raw_columns=("Question",),
    )


def own_explanation(view: PollView) -> str | None:
    """Why, for a question the educator wrote: their text and source, as typed."""
    if not view.own:
        return None
    parts = []
    if view.explanation:
        parts.append(f"**Why:** {plain_markdown(view.explanation)}")
    if view.source:
        parts.append(
            f"*Source, as given by your teacher:* {plain_markdown(view.source)}"
        )
    parts.append(f"*{OWN_NOTE}*")
    return "  \n".join(parts)


def bank_choices(bank: pd.DataFrame, topic: str) -> tuple[str, ...]:
    """The bank's question ids about page ``topic``, in bank order."""
    return tuple(str(q) for q in bank.index[bank["page"] == topic])
