"""Virtual patients: the engine that plays a case (pure; no Streamlit).

A teaching model, not clinical advice. The API the Cases page uses:

``load_cases(content_dir, data_dir) -> (cases, problems)``
    every ``content/cases/*.yaml`` that passes the contract
    (:mod:`dashboard.core.cases`, :mod:`dashboard.core.cases_checks`) and a
    walk of all its paths (:func:`explore`); a broken file is left out and
    each of its problems names the file and the field.
``start(case) -> State``; ``choose(case, state, choice_id) -> State``
    the state is the list of choices made; everything else (the node, the
    patient's dose and trough) is recomputed from it, deterministically: a
    branch on a data row follows the more likely outcome, a branch on the
    model follows the computed trough.
``node(case, state) -> NodeView``
    the current decision (or ending) as Markdown, with its options.
``feedback(case, state) -> Feedback | None``
    after a choice: its grade, why, what followed and what that rests on
    (a row with its source and quote, or the model), the guideline or trial
    behind the better choice and a link to the view that teaches it.
``is_finished(case, state)``; ``debrief(case, state) -> Debrief``
    score, path against the recommended path, what to review.
``encode(state) -> str``; ``decode(case, text) -> (State, notice | None)``
    the state as a short URL-safe value (``k3-0210``): a fingerprint of the
    case's structure, then one digit per choice. A value that cannot be
    replayed opens the start with a notice saying why.
``as_poll(case, node) -> Poll``; ``choice_for_option(node, index)``
    a decision as a class-check poll (question, options, correct index), and
    the choice the room's majority option stands for.

Markdown from this module may hold ``[@id]`` citations: render them with
:func:`dashboard.core.content.render_citations` and the shared references.
"""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.core import cases_checks as checks
from dashboard.core import cases_parse
from dashboard.core.cases import Case, CaseProblem, Node
from dashboard.core.cases_library import Library
from dashboard.core.paths import CONTENT_DIR, DATA_DIR
from dashboard.models.cases_feedback import debrief, feedback, link_view
from dashboard.models.cases_pk import CaseRenderError, PkState
from dashboard.models.cases_play import (
    GRADE_WORDS,
    NOT_ADVICE,
    State,
    Step,
    choose,
    fingerprint,
    is_finished,
    node,
    recommended_path,
    render,
    start,
)
from dashboard.models.cases_views import Poll

__all__ = [
    "GRADE_WORDS",
    "NOT_ADVICE",
    "CaseRenderError",
    "PkState",
    "State",
    "Step",
    "as_poll",
    "choice_for_option",
    "choose",
    "debrief",
    "decode",
    "encode",
    "feedback",
    "fingerprint",
    "is_finished",
    "link_view",
    "load_cases",
    "node",
    "recommended_path",
    "render",
    "start",
]


def as_poll(case: Case, node_: Node) -> Poll:
    """A decision as a class-check poll: question, options, the right option.

    The right option is the first ``recommended`` choice; the options are
    plain text (no Markdown escapes), as a poll shows them.
    """
    where = f"nodes[{node_.id}]"
    if node_.is_end:
        raise ValueError(f"{node_.id!r} is an ending, not a decision")
    options = tuple(
        render(case, PkState(), ch.label, f"{where}.choices[{ch.id}]", escape=False)
        for ch in node_.choices
    )
    correct = next(i for i, ch in enumerate(node_.choices) if ch.grade == "recommended")
    question = render(case, PkState(), node_.question or "", where, escape=False)
    return Poll(question=question, options=options, correct=correct)


def choice_for_option(node_: Node, index: int) -> str:
    """The choice id of poll option ``index`` (the room's majority)."""
    return node_.choices[index].id


def encode(state: State) -> str:
    """The state as a short URL-safe value: fingerprint, ``-``, one digit per choice.

    E.g. ``sb-0210``: the case's :func:`fingerprint`, then the position of each
    choice taken among its node's choices (a decision has at most
    :data:`~dashboard.core.cases.MAX_CHOICES` choices, so one digit each).
    """
    return f"{state.version}-{''.join(str(step.index) for step in state.steps)}"


_ENCODED = re.compile(r"([0-9a-z]{2})-([0-9]*)")


def decode(case: Case, value: str | None) -> tuple[State, str | None]:
    """The state a value encodes, or the start and a notice saying why not."""
    if not value:
        return start(case), None
    found = _ENCODED.fullmatch(value.strip().lower())
    if found is None or len(found.group(2)) > len(case.nodes):
        return (
            start(case),
            "The case position in this link is not readable, so the case opens "
            "at the start.",
        )
    if found.group(1) != fingerprint(case):
        return start(case), (
            "This link was made for an earlier version of the case, so the case "
            "opens at the start."
        )
    state = start(case)
    for digit in found.group(2):
        here = case.node(state.node_id)
        index = int(digit)
        if here.is_end or index >= len(here.choices):
            return start(case), (
                "The case position in this link does not fit the case, so the "
                "case opens at the start."
            )
        state = choose(case, state, here.choices[index].id)
    return state, None


def load_cases(
    content_dir: Path = CONTENT_DIR, data_dir: Path = DATA_DIR
) -> tuple[tuple[Case, ...], tuple[CaseProblem, ...]]:
    """Every case in ``content_dir/cases`` that passes its contract and its walk.

    A file with problems is left out; the others load. The problems name the
    file and the field. The walk (:func:`dashboard.models.cases_walk.explore`)
    plays every path, so a case that loads can be played to a debrief on
    every path.
    """
    from dashboard.models.cases_walk import explore

    library = Library(data_dir=data_dir, content_dir=content_dir)
    loaded: list[Case] = []
    problems: list[CaseProblem] = []
    for path in cases_parse.case_files(content_dir / "cases"):
        try:
            case, found = cases_parse.read(path)
            if case is not None:
                case, found = checks.check(case, library)
            if case is not None:
                found = explore(case).problems
        except Exception as error:  # a fault the checks missed: leave the case out
            file = f"cases/{path.name}"
            case, found = None, [CaseProblem(file, "", f"cannot be loaded: {error!r}")]
        if found:
            problems.extend(found)
        else:
            loaded.append(case)
    return tuple(loaded), tuple(problems)
