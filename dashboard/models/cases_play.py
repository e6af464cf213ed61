"""Playing a virtual patient: the state, a choice, the current node (pure).

The state is the list of choices made. Everything else, the node reached and
the patient's tacrolimus, is recomputed from it, deterministically: a branch
on a data row follows the more likely outcome (a rate of one half or more), a
branch on the model follows the computed trough against the band. Texts are
filled in by :func:`render` (placeholders: :mod:`dashboard.core.cases_text`).
The facade with the whole API is :mod:`dashboard.models.cases`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from dashboard.core import cases_text as text
from dashboard.core.cases import Case, Choice, Consequence, Node
from dashboard.models import cases_pk
from dashboard.models.cases_pk import CaseRenderError, PkState
from dashboard.models.cases_views import NodeView, Option

NOT_ADVICE = (
    "A virtual patient for teaching. The doses and levels come from a teaching "
    "model, not clinical advice."
)
GRADE_WORDS = {
    "recommended": "Recommended",
    "acceptable": "Acceptable",
    "not recommended": "Not recommended",
}


@dataclass(frozen=True)
class Step:
    """One decision taken: the node, the choice, the branch that followed.

    ``index`` is the choice's position among the node's choices.
    """

    node: str
    choice: str
    outcome: str = ""
    index: int = 0


@dataclass(frozen=True)
class State:
    """Where a student is in a case: the steps taken and what they led to.

    ``version`` is the case's :func:`fingerprint`, kept for :func:`encode`.
    """

    case_id: str
    steps: tuple[Step, ...]
    node_id: str
    pk: PkState = field(default_factory=PkState)
    version: str = ""


def fingerprint(case: Case) -> str:
    """Two characters that change when the case's nodes or choices change."""
    shape = "|".join(
        f"{n.id}:{','.join(ch.id for ch in n.choices)}" for n in case.nodes
    )
    number = int(hashlib.sha256(f"{case.id}|{shape}".encode()).hexdigest(), 16)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    return digits[number % 36] + digits[number // 36 % 36]


def start(case: Case) -> State:
    """The state at the first node."""
    return State(case.id, (), case.start, version=fingerprint(case))


def is_finished(case: Case, state: State) -> bool:
    """Whether the state is at an ending."""
    return case.node(state.node_id).is_end


def _outcome(case: Case, choice: Choice, pk: PkState, where: str) -> str:
    cons = choice.consequence
    if cons.branches_on == "band":
        if pk.trough is None or pk.band is None:
            raise CaseRenderError(
                f"{where}.next", "branches on the band, but no dose and band are set"
            )
        return cases_pk.position(case, pk)
    if cons.branches_on == "rate":
        return "likely" if rate_for(case, cons).share >= 0.5 else "unlikely"
    return ""


def rate_for(case: Case, cons: Consequence) -> text.Rate:
    """The rate a consequence draws from its row (the contract checked it exists)."""
    rate = text.rate_of(cons.row.dataset, case.rows[cons.row.key], cons.rate)
    if rate is None:
        raise CaseRenderError("", f"{cons.row} has no rate for arm {cons.rate!r}")
    return rate


def choose(case: Case, state: State, choice_id: str) -> State:
    """The state after ``choice_id`` at the current node.

    Raises ``KeyError`` for a choice the node does not have (an ending has none).
    """
    here = case.node(state.node_id)
    choice = here.choice(choice_id)
    cons = choice.consequence
    where = f"nodes[{here.id}].choices[{choice.id}].consequence"
    pk = cases_pk.apply(case, state.pk, cons, where) if cons.model else state.pk
    outcome = _outcome(case, choice, pk, where)
    target = dict(cons.next)[outcome]
    step = Step(here.id, choice.id, outcome, here.choices.index(choice))
    return State(state.case_id, (*state.steps, step), target, pk, state.version)


def render(
    case: Case, pk: PkState, value: str, where: str, *, escape: bool = True
) -> str:
    """``value`` with its placeholders filled in (Markdown-escaped if ``escape``)."""
    model = None

    def fill(match: re.Match[str]) -> str:
        nonlocal model
        kind, argument = match.group(1), match.group(2)
        if kind == "fact":
            out = text.format_cell(case.facts[argument])
        elif kind == "row":
            dataset, row_id, column = argument.split(":")
            out = text.format_cell(case.rows[(dataset, row_id)][column])
        elif kind == "rate":
            dataset, row_id, arm = argument.split(":")
            rate = text.rate_of(dataset, case.rows[(dataset, row_id)], arm)
            out = rate.words if rate else ""
        else:
            model = cases_pk.values(case, pk) if model is None else model
            if argument not in model:
                raise CaseRenderError(
                    where, f"{{model:{argument}}} has no value yet on this path"
                )
            out = model[argument]
        return text.escape_markdown(out) if escape else out

    return text.PLACEHOLDER.sub(fill, value)


def _options(case: Case, node: Node, where: str) -> tuple[Option, ...]:
    return tuple(
        Option(ch.id, render(case, PkState(), ch.label, f"{where}.choices[{ch.id}]"))
        for ch in node.choices
    )


def node(case: Case, state: State) -> NodeView:
    """The current node, ready to show."""
    here = case.node(state.node_id)
    where = f"nodes[{here.id}]"
    return NodeView(
        id=here.id,
        title=render(case, state.pk, here.title, f"{where}.title"),
        text=render(case, state.pk, here.text, f"{where}.text"),
        question=render(case, state.pk, here.question or "", f"{where}.question"),
        options=_options(case, here, where),
        is_end=here.is_end,
        decisions_made=len(state.steps),
        note=NOT_ADVICE,
    )


def recommended_path(case: Case) -> State:
    """The state reached by taking the first recommended choice at every node."""
    state = start(case)
    while not is_finished(case, state):
        here = case.node(state.node_id)
        best = next(ch for ch in here.choices if ch.grade == "recommended")
        state = choose(case, state, best.id)
    return state
