"""Two-round polls (peer instruction): how the room moved, in numbers and words.

Round 1 collects each student's answer and how sure they are; after the room
has discussed, the educator opens round 2 and students answer again. At the
reveal the educator shows both rounds and the **shift**: how many students
who answered both rounds switched *to* the right answer, how many switched
*away* from it, and the share of round-1 answers that were **confidently
wrong** (wrong and marked "sure": the misconceptions most worth time). A
student who answered only one round counts in that round's bars, not in the
switches. Counts are class answers, one per browser, not data about patients.

Also the wording of the student's round-2 form and the teacher's round
controls. Every sentence with a number is built here. Pure: no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.charts import poll_rounds
from dashboard.charts.chart import Chart
from dashboard.core.poll_text import chart_text, plain_markdown
from dashboard.core.polls_common import PollView

ROUND_NAMES = poll_rounds.ROUND_NAMES
CONFIDENCE_LABEL = "How sure are you?"
CONFIDENCE = ("Sure", "Unsure")
CONFIDENCE_HELP = (
    "Only your teacher sees this, as a count: it shows which wrong answers "
    "the room holds with confidence."
)
PICK_CONFIDENCE = "Say how sure you are, too."
ROUND_TWO_INTRO = (
    "**Round 2.** Talk it over with a neighbour, then answer again: you may "
    "keep your answer or change it."
)
OPEN_ROUND_TWO = "Open round 2"
OPEN_ROUND_TWO_HELP = (
    "Peer instruction: after the first answers, ask the room to discuss "
    "with a neighbour, then open round 2. Students answer again; the "
    "reveal shows both rounds and who changed their mind."
)


@dataclass(frozen=True)
class Shift:
    """How the room moved between the rounds, and round 1's confident errors.

    ``to_right``/``away``: students who answered both rounds and switched to
    or away from the correct option; ``both``: students in both rounds.
    ``sure_wrong``: round-1 answers that were wrong and marked sure, of
    ``first_total`` round-1 answers.
    """

    to_right: int
    away: int
    both: int
    sure_wrong: int
    first_total: int

    @property
    def sure_wrong_share(self) -> float:
        """Confidently wrong round-1 answers as a fraction (0 when none)."""
        return self.sure_wrong / self.first_total if self.first_total else 0.0


def confidently_wrong(view: PollView) -> int:
    """Round-1 answers that were wrong and marked "sure" (needs visible counts)."""
    if view.sure is None or view.correct is None:
        raise ValueError(f"poll {view.code}: the counts are not visible here")
    return sum(n for i, n in enumerate(view.sure) if i != view.correct)


def shift(view: PollView) -> Shift:
    """The shift between the rounds of a poll whose counts are visible.

    Raises
    ------
    ValueError
        If the counts are hidden from this viewer, or round 2 never opened.
    """
    if view.switches is None or view.correct is None or view.counts is None:
        raise ValueError(f"poll {view.code}: no second round visible")
    right = view.correct
    size = len(view.options)
    to_right = sum(view.switches[i][right] for i in range(size) if i != right)
    away = sum(view.switches[right][j] for j in range(size) if j != right)
    return Shift(
        to_right=to_right,
        away=away,
        both=sum(map(sum, view.switches)),
        sure_wrong=confidently_wrong(view),
        first_total=sum(view.counts),
    )


def _students(number: int) -> str:
    return f"{number} student{'' if number == 1 else 's'}"


def shift_lines(view: PollView) -> tuple[str, ...]:
    """The reveal's sentences about the shift (Markdown), for a two-round poll."""
    moved = shift(view)
    right = view.counts[view.correct]
    second_right = view.counts2[view.correct] if view.counts2 else 0
    first_total = moved.first_total
    second_total = sum(view.counts2 or ())
    return (
        f"**Right answers:** {right} of {first_total} in round 1 "
        f"({_pct(right, first_total)}), {second_right} of {second_total} in "
        f"round 2 ({_pct(second_right, second_total)}).",
        f"**Changed their mind** (of {_students(moved.both)} who answered both "
        f"rounds): {_students(moved.to_right)} switched **to** the right answer, "
        f"{_students(moved.away)} switched **away** from it.",
        f"**Confidently wrong in round 1:** {moved.sure_wrong} of {first_total} "
        f"answers ({_pct(moved.sure_wrong, first_total)}) were wrong and marked "
        "sure.",
    )


def confident_line(view: PollView) -> str:
    """A one-round poll's confident errors, once its counts are visible."""
    total = sum(view.counts or ())
    wrong = confidently_wrong(view)
    return (
        f"**Confidently wrong:** {wrong} of {total} answers "
        f"({_pct(wrong, total)}) were wrong and marked sure."
    )


def both_counts(view: PollView) -> str:
    """``"23 answers in round 1, 21 in round 2"`` (needs visible counts)."""
    first, second = sum(view.counts or ()), sum(view.counts2 or ())
    return f"{first} answer{'' if first == 1 else 's'} in round 1, {second} in round 2"


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "no answers"


def rounds_chart(view: PollView) -> Chart:
    """Both rounds side by side, the answer marked only once revealed."""
    if view.counts is None or view.counts2 is None:
        raise ValueError(f"poll {view.code}: no second round visible")
    return poll_rounds.rounds_chart(
        tuple(chart_text(o) for o in view.options),
        view.counts,
        view.counts2,
        view.correct if view.revealed else None,
    )


def first_answer_line(view: PollView, choice: int) -> str:
    """On the round-2 form: what the student answered alone."""
    return f"Your answer in round 1: **{plain_markdown(view.options[choice])}**"


def round_status(view: PollView) -> str:
    """The teacher's line naming the round open now."""
    if view.round == 2:
        return "Round 2 is open: students answer again after discussing."
    return "Round 1 is open: students answer alone and say how sure they are."
