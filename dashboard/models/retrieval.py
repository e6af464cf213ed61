"""Check items scored by certainty, as in Gardner-Medwin's LAPT (pure).

A *check item* is a question with options, answered from memory and rated
"Sure" or "Unsure" before the student asks to **Check** it. Nothing about the
answer is shown before Check, and Check takes only an answer *and* a rating
(:func:`missing` says what is still needed). The rules:

* **The first attempt is what is scored.** After Check the item is locked: its
  first answer and rating stay as they were, with the feedback.
* **A retry is scored apart.** After a wrong answer the student may *try
  again*; retries are counted on their own ("retries: n right") and never
  change the first attempt's mark.
* **Confident errors and right-but-unsure answers come only from first
  attempts the student rated** (an unrated answer, ``sure=None``, is neither).

An :class:`ItemState` holds one item's attempts; it is immutable, so the
section stores a new one in the session after each Check or Try again. Nothing
here imports Streamlit; the widget is :mod:`dashboard.sections.retrieval`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

#: The two ratings, as stored by the confidence control (shown capitalised).
SURE, UNSURE = "sure", "unsure"
CONFIDENCE = (SURE, UNSURE)


@dataclass(frozen=True)
class CheckItem:
    """One question as a check item shows it.

    Attributes
    ----------
    id
        The question's id (its widget keys are built from it).
    label
        The question in Markdown (for instance ``"**3.** Which lesion …?"``).
    options
        The answer options, in order.
    answer
        The right option, exactly as in ``options``.
    explanation
        Markdown shown after Check: why the answer is right.
    link
        Markdown link to the page and view that teach it, or ``None``.
    source
        The source in Markdown, or ``None``.
    """

    id: str
    label: str
    options: tuple[str, ...]
    answer: str
    explanation: str
    link: str | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        if self.answer not in self.options:
            raise ValueError(f"question {self.id}: the answer is not an option")


@dataclass(frozen=True)
class Attempt:
    """One checked answer: the option chosen, the rating, and whether it was right.

    ``sure`` is ``True`` (Sure), ``False`` (Unsure) or ``None`` (not rated; only
    answers carried over from older sessions can be unrated).
    """

    choice: str
    sure: bool | None
    right: bool

    @property
    def rating(self) -> str:
        """The rating in words: sure, unsure or not rated."""
        return {True: "sure", False: "unsure"}.get(self.sure, "not rated")


@dataclass(frozen=True)
class ItemState:
    """One item's attempts, the first one first, and whether a retry is open."""

    attempts: tuple[Attempt, ...] = ()
    retrying: bool = False

    @property
    def first(self) -> Attempt | None:
        """The scored attempt, or ``None`` before the first Check."""
        return self.attempts[0] if self.attempts else None

    @property
    def retries(self) -> tuple[Attempt, ...]:
        """Checked attempts after the first (scored apart)."""
        return self.attempts[1:]

    @property
    def last(self) -> Attempt | None:
        """The latest checked attempt, or ``None``."""
        return self.attempts[-1] if self.attempts else None

    @property
    def locked(self) -> bool:
        """Whether the item shows a checked attempt (its answer cannot change)."""
        return bool(self.attempts) and not self.retrying

    @property
    def can_retry(self) -> bool:
        """Whether Try again is offered: locked on a wrong answer."""
        last = self.last
        return self.locked and last is not None and not last.right


@dataclass(frozen=True)
class Feedback:
    """The verdict on one attempt: right or not, and what to say (Markdown)."""

    right: bool
    text: str


def missing(choice: str | None, confidence: str | None) -> str | None:
    """What Check still needs, in plain words, or ``None`` if it has both."""
    if choice is None and confidence is None:
        return "Choose an answer and say how sure you are, then Check."
    if choice is None:
        return "Choose an answer first, then Check."
    if confidence is None:
        return "Say how sure you are (Sure or Unsure) first, then Check."
    return None


def check(
    state: ItemState, item: CheckItem, choice: str | None, confidence: str | None
) -> ItemState:
    """The state after Check with ``choice`` and ``confidence``.

    Raises
    ------
    ValueError
        If the item is locked (its answer was checked and no retry is open),
        if something is :func:`missing`, or if ``choice`` is not an option or
        ``confidence`` not one of :data:`CONFIDENCE`.
    """
    if state.locked:
        raise ValueError(f"question {item.id} is locked: its answer was checked")
    gap = missing(choice, confidence)
    if gap is not None:
        raise ValueError(gap)
    if choice not in item.options:
        raise ValueError(f"{choice!r} is not an option of question {item.id}")
    if confidence not in CONFIDENCE:
        raise ValueError(f"{confidence!r} is not one of {CONFIDENCE}")
    attempt = Attempt(choice, confidence == SURE, choice == item.answer)
    return ItemState((*state.attempts, attempt), retrying=False)


def try_again(state: ItemState) -> ItemState:
    """The state with a retry open (the first attempt stays as it was).

    Raises
    ------
    ValueError
        If no retry is offered (nothing checked yet, a retry already open, or
        the last answer was right).
    """
    if not state.can_retry:
        raise ValueError("a retry is offered only after a wrong answer was checked")
    return replace(state, retrying=True)


def feedback(item: CheckItem, attempt: Attempt) -> Feedback:
    """What to say after ``attempt``: right or not, the answer, why, where taught."""
    tail = f" Where it is taught: {item.link}." if item.link else ""
    tail += f" *Source:* {item.source}" if item.source else ""
    if attempt.right:
        return Feedback(True, f"**Right.** {item.explanation}{tail}")
    return Feedback(
        False,
        f"**Not quite.** You chose “{attempt.choice}”; the answer is "
        f"“{item.answer}”. {item.explanation}{tail}",
    )


def first_attempt_line(attempt: Attempt, *, scored: bool = True) -> str:
    """A one-line record of the first attempt, shown above a retry."""
    verdict = "right" if attempt.right else "not right"
    tail = " This is the one scored." if scored else ""
    return f"First attempt: “{attempt.choice}”, {attempt.rating}, {verdict}.{tail}"


@dataclass(frozen=True)
class Score:
    """First attempts scored; retries counted apart.

    Attributes
    ----------
    checked, right
        First attempts checked, and how many of them were right.
    confident_errors
        Ids of first attempts rated Sure and wrong, in the order given.
    right_unsure
        Ids of first attempts rated Unsure and right.
    retries, retries_right
        Retries checked, and how many of them were right.
    """

    checked: int
    right: int
    confident_errors: tuple[str, ...]
    right_unsure: tuple[str, ...]
    retries: int
    retries_right: int


def first_answers(
    states: Mapping[str, ItemState],
) -> dict[str, tuple[str | None, bool | None]]:
    """Question id -> (first answer, rating); ``(None, None)`` if not checked."""
    return {
        qid: (s.first.choice, s.first.sure) if s.first else (None, None)
        for qid, s in states.items()
    }


def score(states: Mapping[str, ItemState], ids: Iterable[str] | None = None) -> Score:
    """Score the items ``ids`` (all of ``states`` if ``None``) on first attempts."""
    wanted = list(states) if ids is None else [i for i in ids if i in states]
    firsts = [(i, states[i].first) for i in wanted if states[i].first is not None]
    retries = [a for i in wanted for a in states[i].retries]
    return Score(
        checked=len(firsts),
        right=sum(a.right for _, a in firsts),
        confident_errors=tuple(i for i, a in firsts if a.sure is True and not a.right),
        right_unsure=tuple(i for i, a in firsts if a.sure is False and a.right),
        retries=len(retries),
        retries_right=sum(a.right for a in retries),
    )


def retries_line(result: Score) -> str | None:
    """``"Retries: 2 right of 3 (not in the score)."``, or ``None`` if no retries."""
    if not result.retries:
        return None
    return (
        f"Retries: {result.retries_right} right of {result.retries} "
        "(not in the score, which counts first attempts only)."
    )
