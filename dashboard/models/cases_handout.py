"""The one-page handout of a virtual patient: the path so far and its sources.

Pure (no Streamlit). A teaching model, not clinical advice: the handout says
so in its title, as every case screen does.
"""

from __future__ import annotations

from dashboard.core.cases import Case
from dashboard.core.handout import Handout
from dashboard.models import cases as engine


def case_handout(case: Case, state: engine.State) -> Handout:
    """The decisions taken so far with their grades, and the sources behind them.

    With the case finished, the first line is the score of the debrief. The
    sources are those the feedback on each decision names, in path order,
    without repeats.
    """
    numbers: list[tuple[str, str]] = []
    sources: dict[tuple[str, str], None] = {}
    replay = engine.start(case)
    for step in state.steps:
        replay = engine.choose(case, replay, step.choice)
        said = engine.feedback(case, replay)
        if said is None:
            continue
        numbers.append((said.node_title, f"{said.choice_label} ({said.grade_words})"))
        for cited in (said.source, *said.evidence):
            sources[(cited.source, cited.locator)] = None
    if engine.is_finished(case, state):
        report = engine.debrief(case, state)
        numbers.insert(
            0,
            (
                "Score",
                f"{report.score} of {report.possible}; recommended at "
                f"{report.recommended_taken} of {report.decisions} decisions",
            ),
        )
        view = f"{case.title}: finished ({report.ending_title})."
    else:
        here = engine.node(case, state)
        view = f"{case.title}: now at '{here.title}'."
    return Handout(
        title="Virtual patient (teaching model, not clinical advice)",
        view=view,
        numbers=numbers or [("Decisions", "none yet")],
        sources=list(sources),
        numbers_title="Decisions taken",
    )
