"""The live class check's model: what each view says, the results chart, the handout.

A poll is read from :class:`dashboard.core.polls.PollStore` by the section,
as a :class:`~dashboard.core.polls.PollView` (counts only for the teacher, or
for everyone after the reveal). Here that view becomes the sentences the page
shows (status lines with counts, verdicts, the join address and its QR
code), the light results a student's phone shows, the results chart the
teacher reveals, and the teacher's handout. The question bank is
``content/data/quiz_questions.csv``: a poll asks one of the quiz's questions.
Counts are answers from the class, one per browser; they are not data about
patients.

Before the reveal the teacher's view (the projected one) carries only the
number of answers (:func:`answer_count`); the distribution is drawn only
after the reveal, or on the teacher's own device when they choose to peek
(:data:`PEEK_LABEL`), which presenter mode never offers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.charts import polls as poll_charts
from dashboard.charts.chart import Chart
from dashboard.core import quiz
from dashboard.core.poll_text import chart_text, plain_markdown
from dashboard.core.polls import PollView
from dashboard.core.site import page_by_slug
from dashboard.models import class_check_rounds

#: Live panels (teacher's results, a student's wait) refresh this often (s).
REFRESH_S = 2.0
#: The teacher's browser keeps each poll's token this long (a day of teaching).
TEACHER_COOKIE_PREFIX = "cc_teacher_"
TEACHER_COOKIE_S = 12 * 3600
#: Failed guesses a tab may make per window (count, seconds) (L6): unknown
#: join codes, and wrong teacher PINs or tokens. A typo never meets these; a
#: script does at once.
GUESSES = {"join": (10, 60.0), "teacher": (5, 60.0)}
#: The address parameter that opens a poll for a student (``keys.POLL_JOIN``).
JOIN_PARAM = "join"

START_HELP = (
    "Choose a PIN that only you know; it is never shown on the screen. "
    "This browser keeps control of the poll, even if the server "
    "restarts. On another device, open the poll's address and type the "
    "PIN to take control."
)
BAD_TOKEN = "The teacher key this tab holds is not valid for that poll."
NO_PIN = (
    "This poll was started without a teacher PIN, so only the browser "
    "that started it can reveal or close it."
)
NOT_IN_CONTROL = (
    "This tab is not in control of the poll. If you started it, type "
    "your teacher PIN to take control again (after a server restart, or "
    "on another device)."
)
ANSWER_IS_IN = (
    "Your answer is in. The results appear here when your teacher reveals them."
)
WAITING_FOR_DATABASE = "Waiting for the poll database…"
WATCHING = "This page updates by itself when your teacher moves on."
CLOSED = "This poll is closed."
#: The join field's hint: it must not look like a real, pre-filled code.
JOIN_PLACEHOLDER = "6 letters and digits, from the screen"
PEEK_LABEL = "Peek at the answers on this device"
PEEK_HELP = (
    "For your own laptop or phone, not the projector: shows how the class "
    "is answering before you reveal it. Off by default, and not offered "
    "in presenter mode."
)
HIDDEN_UNTIL_REVEAL = "The answers stay hidden from the room until you reveal them."
PICK_FIRST = "Pick an answer first."
OTHER_TAB = (
    "This browser had already answered this poll (in another tab); "
    "that first answer is the one that counts."
)


@dataclass(frozen=True)
class NewPoll:
    """What a poll on one bank question asks: its prompt, options and answer."""

    question_id: str
    prompt: str
    options: tuple[str, ...]
    correct: int


@dataclass(frozen=True)
class Status:
    """The line above the results, and a warning when the counts look wrong."""

    caption: str
    warning: str | None = None


@dataclass(frozen=True)
class Verdict:
    """A student's verdict after the reveal (Markdown)."""

    right: bool
    text: str


def bank_by_id(questions: pd.DataFrame) -> pd.DataFrame:
    """The question bank indexed by question id (the id stays a column too)."""
    return questions.set_index("id", drop=False)


def question_label(bank: pd.DataFrame, question_id: str) -> str:
    """How the start form lists a question: ``"<page title>: <question>"``."""
    row = bank.loc[question_id]
    return f"{page_by_slug(row['page']).title}: {row['question']}"


def topics(bank: pd.DataFrame) -> tuple[str, ...]:
    """The bank's pages (slugs), in the order their first question comes."""
    return tuple(dict.fromkeys(str(p) for p in bank["page"]))


def topic_label(slug: str) -> str:
    """A topic as the start form names it: the page's title."""
    return page_by_slug(slug).title


def questions_on(bank: pd.DataFrame, slug: str) -> tuple[str, ...]:
    """The ids of the bank's questions about page ``slug``, in bank order."""
    return tuple(str(q) for q in bank.index[bank["page"] == slug])


def question_text(bank: pd.DataFrame, question_id: str) -> str:
    """A question's full text, as the start form lists it (never truncated)."""
    return str(bank.loc[question_id, "question"])


def new_poll(bank: pd.DataFrame, question_id: str) -> NewPoll:
    """The poll to start on ``question_id`` of the bank (from :func:`bank_by_id`).

    Raises
    ------
    ValueError
        If the bank has no such question, or its answer is not an option.
    """
    if question_id not in bank.index:
        raise ValueError(f"the quiz bank has no question {question_id!r}")
    row = bank.loc[question_id]
    options = tuple(quiz.options(row))
    if row["answer"] not in options:
        raise ValueError(f"question {question_id!r}: its answer is not an option")
    return NewPoll(
        question_id, str(row["question"]), options, options.index(row["answer"])
    )


def too_many_guesses(kind: str, wait_s: int) -> str:
    """The message for a tab that made too many failed guesses of ``kind``."""
    if kind not in GUESSES:
        raise ValueError(f"unknown kind of guess {kind!r}")
    what = "join codes" if kind == "join" else "teacher PINs or keys"
    return f"Too many wrong {what} from this tab. Wait {wait_s} s and try again."


def teacher_cookie(code: str) -> str:
    """Name of the cookie that keeps poll ``code``'s teacher token."""
    return f"{TEACHER_COOKIE_PREFIX}{code}"


def join_address(page_address: str, code: str) -> str:
    """The address students open to answer poll ``code``."""
    return f"{page_address}?{JOIN_PARAM}={code}"


def join_code_heading(code: str) -> str:
    """The heading of the teacher's view (shown large on the projector)."""
    return f"## Join code: `{code}`"


def poll_code_caption(code: str) -> str:
    """The poll's code after the reveal, when it takes no more answers."""
    return f"Poll `{code}`: it takes no more answers now that the results are out."


def join_instructions(page_address: str, code: str) -> str:
    """How students reach the poll, under the join code."""
    address = join_address(page_address, code)
    return f"Students open **{address}**, or this page and type the code."


def students_answer_at(page_address: str, code: str) -> str:
    """The join address, on the view of a tab without control of the poll."""
    return f"Students: open **{join_address(page_address, code)}** to answer."


def control_help(has_pin: bool) -> str:
    """What happens if the teacher's page loses control, and how to take it back."""
    again = (
        "On another device, open this page's address and type the PIN you "
        "chose when you started the poll."
        if has_pin
        else "This poll was started without a PIN, so only this browser can control it."
    )
    return (
        "This browser keeps the poll's teacher key in a cookie, never in "
        "the address. If the server restarts or the page reconnects to "
        f"another server, it takes control again by itself. {again} Late "
        "answers: once you reveal the results, the poll takes no more "
        "answers, so the counts stay what the class thought before seeing "
        "the answer."
    )


def counted(number: int | None, noun: str) -> str:
    """``"1 answer"``, ``"3 answers"``: a count with its noun."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def answer_count(view: PollView) -> str:
    """The teacher's count, shown large: ``"3 answers"`` (never per option)."""
    return counted(view.total, "answer")


def status(view: PollView, *, teacher: bool) -> Status:
    """The poll's state; for the teacher also the opened count and a check.

    The teacher's line carries no count per option: it is projected.
    """
    state = "closed" if view.closed else "open"
    state += ", results shown to the class" if view.revealed else ""
    if not teacher:
        return Status(f"Poll {state}.")
    caption = (
        f"Poll {state}. {counted(view.opened, 'browser')} opened the "
        f"question. Updates every {REFRESH_S:g} s."
    )
    warning = None
    if view.more_answers_than_opens:
        warning = (
            f"More answers ({view.total}) than browsers that opened the "
            f"question ({view.opened}): some answers did not come through "
            "this page. Treat the counts with care."
        )
    return Status(caption, warning)


def waiting_status(view: PollView) -> str:
    """A student's line while waiting for the reveal."""
    return f"Poll {'closed' if view.closed else 'open'}."


def shown_answer(view: PollView) -> int | None:
    """The correct option's index once revealed, else ``None``.

    The answer is marked only after the reveal, even on the teacher's screen,
    which is often the one on the projector.
    """
    return view.correct if view.revealed else None


def results_chart(view: PollView) -> Chart:
    """The answer counts as a chart, the answer marked only once revealed.

    A two-round poll draws both rounds side by side
    (:func:`dashboard.models.class_check_rounds.rounds_chart`).

    Raises
    ------
    ValueError
        If the view has no counts (a student's view before the reveal).
    """
    if view.counts is None:
        raise ValueError(f"poll {view.code}: the counts are not visible to this viewer")
    if view.counts2 is not None:
        return class_check_rounds.rounds_chart(view)
    options = tuple(chart_text(o) for o in view.options)
    return poll_charts.results_chart(options, view.counts, shown_answer(view))


def options_list(view: PollView) -> str:
    """The options as a Markdown list, for the projector: no counts, no marks."""
    return "\n".join(f"- {plain_markdown(option)}" for option in view.options)


@dataclass(frozen=True)
class ResultRow:
    """One option in the light results view: a Markdown line and its share."""

    text: str
    share: float
    correct: bool


def result_rows(
    view: PollView, choice: int | None = None, round_no: int | None = None
) -> tuple[ResultRow, ...]:
    """The answers as lines with a bar each, for a phone (no chart library).

    ``share`` is the option's fraction of all answers (0 to 1; 0 when nobody
    answered). The right answer is marked with a symbol and a word once
    revealed, never by colour alone; ``choice`` marks the student's own.
    ``round_no`` picks a round of a two-round poll (default: the last one).

    Raises
    ------
    ValueError
        If the view has no counts (a student's view before the reveal).
    """
    counts = view.counts if round_no == 1 else view.current_counts
    if counts is None:
        raise ValueError(f"poll {view.code}: the counts are not visible to this viewer")
    total = sum(counts)
    shown = shown_answer(view)
    rows = []
    for i, (option, count) in enumerate(zip(view.options, counts, strict=True)):
        share = count / total if total else 0.0
        text = f"{plain_markdown(option)}: **{count}** of {total} ({share:.0%})"
        if i == shown:
            text = f"✓ Correct: {text}"
        if i == choice:
            text += " · your answer"
        rows.append(ResultRow(text, share, i == shown))
    return tuple(rows)


def your_answer(view: PollView, choice: int) -> str:
    """The student's own answer, shown once it is stored."""
    return f"Your answer: **{plain_markdown(view.options[choice])}**"


def verdict(view: PollView, choice: int) -> Verdict:
    """Whether the student's ``choice`` was right, after the reveal.

    Raises
    ------
    ValueError
        If the answer is not revealed yet.
    """
    if not view.revealed or view.correct is None:
        raise ValueError(f"poll {view.code}: the answer is not revealed yet")
    if choice == view.correct:
        return Verdict(True, "You were right.")
    answer = plain_markdown(view.options[view.correct])
    return Verdict(False, f"The answer is **{answer}**.")


def explanation(bank: pd.DataFrame, question_id: str) -> str | None:
    """Why the answer is right, with a link to the page that explains it.

    ``None`` if the bank no longer has the question.
    """
    if question_id not in bank.index:
        return None
    row = bank.loc[question_id]
    return (
        f"**Why:** {row['explanation']} "
        f"[Open the page that explains it](/{quiz.revisit_link(row)})"
    )


def panel_error(error: Exception) -> str:
    """A live panel's message when the database cannot be used (it retries)."""
    return f"{error} This panel tries again every {REFRESH_S:g} s by itself."


def outage(error: Exception) -> str:
    """The page's message when the database cannot be used (it retries)."""
    return (
        f"{error} This page tries again every {REFRESH_S:g} s by itself; nothing "
        "already stored is lost."
    )


def kept_answer(label: str) -> str:
    """The answer this tab keeps while the database is down."""
    return (
        f"Your answer (**{label}**) is kept in this tab. It will be sent "
        "as soon as the poll database is back; keep this page open."
    )


def not_counted(label: str, error: Exception) -> str:
    """A kept answer the poll could no longer take (closed, or revealed)."""
    return f"Your answer ({label}) could not be counted. {error}"
