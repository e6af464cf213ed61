"""A virtual patient's decision as a class poll, and the case after the room's vote.

Pure (no Streamlit). The educator copies the Virtual patients page's address
at a decision ("Link to this view") into the class session; the poll asks
that decision's question with its choices as options. After the reveal, the
room's most chosen option is played on the same position, and the page links
to the case there, so the case follows the majority.

The poll's question id records where it came from: ``case:<case id>:<position>``
(the engine's encoded state, see :func:`dashboard.models.cases.encode`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from dashboard.core.cases import Case
from dashboard.models import cases as engine

PREFIX = "case:"


@dataclass(frozen=True)
class CasePoll:
    """What the poll asks: its id, question, options and the recommended option."""

    question_id: str
    prompt: str
    options: tuple[str, ...]
    correct: int


def _position(address: str) -> str | None:
    """The ``vp_at`` value of a pasted address (or the value itself), if any."""
    text = address.strip()
    if not text:
        return None
    if "vp_at=" in text:
        query = urlsplit(text).query or text.split("?", 1)[-1]
        found = parse_qs(query).get("vp_at")
        return found[0] if found else None
    return text


def case_poll(case: Case, address: str) -> tuple[CasePoll | None, str | None]:
    """The poll for the decision at ``address`` in ``case`` (empty: its first).

    Returns the poll, or ``None`` and a message saying why not (an address
    the case cannot replay, or a position at the end of the case).
    """
    state, notice = engine.decode(case, _position(address))
    if notice:
        return None, notice
    here = case.node(state.node_id)
    if here.is_end:
        return None, "That position is the end of the case: there is no decision left."
    poll = engine.as_poll(case, here)
    view = engine.node(case, state)
    return (
        CasePoll(
            question_id=f"{PREFIX}{case.id}:{engine.encode(state)}",
            prompt=f"{case.title} — {view.title}: {poll.question}",
            options=poll.options,
            correct=poll.correct,
        ),
        None,
    )


@dataclass(frozen=True)
class Follow:
    """The case after the room's vote: the option chosen and the link there."""

    option: str
    href: str
    tied: bool


def follow(
    cases: Sequence[Case], question_id: str, counts: Sequence[int] | None
) -> Follow | None:
    """Play the room's most chosen option; ``None`` if the poll is not a case's.

    A tie goes to the first of the tied options, and ``tied`` says so. With no
    answer at all there is nothing to follow.
    """
    if not question_id.startswith(PREFIX) or not counts or max(counts) == 0:
        return None
    case_id, _, position = question_id[len(PREFIX) :].partition(":")
    case = next((c for c in cases if c.id == case_id), None)
    if case is None:
        return None
    state, notice = engine.decode(case, position)
    if notice or engine.is_finished(case, state):
        return None
    here = case.node(state.node_id)
    top = max(counts)
    index = list(counts).index(top)
    if index >= len(here.choices):
        return None
    after = engine.choose(case, state, engine.choice_for_option(here, index))
    query = urlencode({"vp": case.title, "vp_at": engine.encode(after)})
    label = engine.as_poll(case, here).options[index]
    return Follow(option=label, href=f"cases?{query}", tied=list(counts).count(top) > 1)
