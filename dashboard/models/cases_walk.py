"""Walking every path of a case (pure): what the contract test and loader use.

The future of a case depends only on the node it is at and the patient's
tacrolimus (:class:`~dashboard.models.cases_pk.PkState`): the choices taken
before change nothing else. So :func:`explore` visits each (node, tacrolimus)
pair once and still covers every path: it shows each node, makes each choice,
builds its feedback, shows each ending, and counts the paths (a sum over the
choices, so cases with many thousand paths cost milliseconds). Whatever fails
to render becomes a :class:`~dashboard.core.cases.CaseProblem` naming the file
and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.core.cases import Case, CaseProblem
from dashboard.models import cases as engine
from dashboard.models.cases_pk import PkState


@dataclass
class Exploration:
    """What a walk of every path found.

    ``paths``: how many different paths lead from the start to an ending;
    ``reached``: the nodes some path reaches; ``endings``: (ending, state)
    pairs met; ``problems``: what failed.
    """

    paths: int = 0
    reached: set[str] = field(default_factory=set)
    endings: dict[tuple[str, PkState], engine.State] = field(default_factory=dict)
    problems: list[CaseProblem] = field(default_factory=list)


def explore(case: Case) -> Exploration:
    """Play every path of ``case`` (see the module notes)."""
    found = Exploration()
    counts: dict[tuple[str, PkState], int] = {}

    def fail(where: str, error: Exception) -> None:
        problem = CaseProblem(case.file, where, f"cannot be played: {error}")
        if problem not in found.problems:
            found.problems.append(problem)

    def visit(state: engine.State) -> int:
        key = (state.node_id, state.pk)
        if key in counts:
            return counts[key]
        counts[key] = 0  # a loop would stop here (the contract forbids loops)
        found.reached.add(state.node_id)
        where = f"nodes[{state.node_id}]"
        try:
            engine.node(case, state)
        except Exception as error:  # left out with a problem, never a traceback
            fail(getattr(error, "field", "") or where, error)
        if engine.is_finished(case, state):
            found.endings[key] = state
            counts[key] = 1
            return 1
        total = 0
        for choice in case.node(state.node_id).choices:
            at = f"{where}.choices[{choice.id}]"
            try:
                after = engine.choose(case, state, choice.id)
                engine.feedback(case, after)
            except Exception as error:  # left out with a problem, never a traceback
                fail(getattr(error, "field", "") or at, error)
                continue
            total += visit(after)
        counts[key] = total
        return total

    found.paths = visit(engine.start(case))
    for ending in found.endings.values():
        try:
            engine.debrief(case, ending)
        except Exception as error:  # left out with a problem, never a traceback
            fail(getattr(error, "field", "") or f"nodes[{ending.node_id}]", error)
    for node in case.nodes:
        if node.id not in found.reached and not found.problems:
            found.problems.append(
                CaseProblem(
                    case.file,
                    f"nodes[{node.id}]",
                    "no path reaches this node: the branches that lead here never "
                    "happen with these data rows and this model",
                )
            )
    return found
