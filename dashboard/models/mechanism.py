"""The Mechanism page: everything it shows that is not a widget.

The step-through (a lane, a step and the drug switch give a diagram in a wide
and a narrow form, a step heading, a sentence saying what the diagram shows,
an evidence line, and a handout; Back and Next walk both lanes in one line),
the comparison of regimens, the identifiers in public databases, and the
check-yourself feedback. Every function takes plain values and validated data
frames
(``content/data/mechanism_*.csv``, ``quiz_questions.csv``) and never imports
streamlit; the page's sections lay the results out.

Sources: each step's key source is a row of ``mechanism_steps.csv``; the
narration's sources are the ``sources`` of its content file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

import pandas as pd

from dashboard.charts.chart import Chart
from dashboard.charts.mechanism import diagram_chart
from dashboard.core import mechanism
from dashboard.core.content import ContentDoc
from dashboard.core.handout import Handout
from dashboard.core.tables import (
    escape_cell,
    markdown_table,
    short_citation,
    source_markdown,
)

#: How the lane control names each lane.
LANE_NAMES = {"tcell": "T cell", "podocyte": "Podocyte"}
_LANE_WORDS = {"tcell": "T-cell", "podocyte": "podocyte"}
#: The evidence level of a step, in words.
EVIDENCE_WORDS = {
    "human": "Shown in people",
    "human and animal": "Shown in people and in animals",
    "animal and cell": "Shown in animals and cultured cells; inferred for people",
    "structural": "Shown in crystal structures of the proteins",
    "biochemical": "Shown in cells and purified proteins",
}

#: Turns reference ids into (citation, locator) pairs, in order, without repeats.
ReferenceLookup = Callable[[Iterable[str]], list[tuple[str, str]]]


@dataclasses.dataclass(frozen=True)
class StepView:
    """One lane at one step, with or without the drug.

    Attributes
    ----------
    diagram
        Which boxes and links show, and how.
    chart
        The diagram as a chart, left to right (laptops and projectors).
    narrow_chart
        The same diagram top to bottom (phones), with the same alt text and
        table.
    heading
        ``### Step n: title`` (Markdown), or ``None`` if the step has no row.
    caption
        One sentence saying what the diagram shows in this drug state.
    evidence
        The evidence level in words and the key source as a link, or ``None``.
    first, last
        Whether this is the first or the last stop of the walk (T-cell step 1,
        podocyte step 4): Back or Next has nowhere to go.
    """

    diagram: mechanism.DiagramState
    chart: Chart
    narrow_chart: Chart
    heading: str | None
    caption: str
    evidence: str | None
    first: bool
    last: bool

    @property
    def progress(self) -> str:
        """Where this stop is on the walk, e.g. "5 of 8: the podocyte, step 1"."""
        place = mechanism.walk_index(self.diagram.lane, self.diagram.step) + 1
        lane = _LANE_WORDS[self.diagram.lane]
        return (
            f"Stop {place} of {len(mechanism.WALK)}: {lane} lane, "
            f"step {self.diagram.step}"
        )


def _step_row(steps: pd.DataFrame, lane: str, step: int) -> pd.Series | None:
    row = steps[(steps["lane"] == lane) & (steps["step"] == step)]
    return None if row.empty else row.iloc[0]


def step_view(steps: pd.DataFrame, lane: str, step: int, drug: bool) -> StepView:
    """The diagram, heading and evidence line of one step.

    Parameters
    ----------
    steps
        The validated ``mechanism_steps`` rows (title, evidence, key source).
    lane
        ``"tcell"`` or ``"podocyte"``.
    step
        The step, 1-based; clamped to the lane's steps.
    drug
        Whether tacrolimus is shown.

    Raises
    ------
    KeyError
        If ``lane`` is not a lane.
    """
    diagram = mechanism.diagram_state(lane, step, drug)
    row = _step_row(steps, lane, diagram.step)
    heading = evidence = None
    if row is not None:
        heading = f"### Step {diagram.step}: {row['title']}"
        evidence = f"{EVIDENCE_WORDS[row['evidence']]}. Key source: " + (
            source_markdown(short_citation(str(row["source"])), str(row["source_url"]))
        )
    place = mechanism.walk_index(lane, diagram.step)
    return StepView(
        diagram=diagram,
        chart=diagram_chart(diagram, "wide"),
        narrow_chart=diagram_chart(diagram, "narrow"),
        heading=heading,
        caption=mechanism.step_caption(lane, diagram.step, drug),
        evidence=evidence,
        first=place == 0,
        last=place == len(mechanism.WALK) - 1,
    )


def step_handout(
    steps: pd.DataFrame,
    diagram: mechanism.DiagramState,
    doc: ContentDoc | None,
    references: ReferenceLookup,
) -> Handout:
    """The one-page handout of one step: the state of each molecule and the sources.

    Parameters
    ----------
    steps
        The validated ``mechanism_steps`` rows.
    diagram
        The step shown (lane, step, drug).
    doc
        The step's narration (``None`` if its file is broken); its sources
        follow the step's key source.
    references
        Turns reference ids into (citation, locator) pairs.

    Raises
    ------
    ValueError
        If ``steps`` has no row for the step.
    """
    row = _step_row(steps, diagram.lane, diagram.step)
    if row is None:
        raise ValueError(f"no step {diagram.step} of lane {diagram.lane!r}")
    spec = mechanism.LANE_SPECS[diagram.lane]
    shown = [
        (e.label.replace("<br>", " "), diagram.elements[e.key])
        for e in spec.elements
        if diagram.elements[e.key] != "hidden"
    ]
    sources = [
        (str(row["source"]), str(row["source_url"])),
        *references(doc.sources if doc else []),
    ]
    return Handout(
        title=f"How tacrolimus works: {spec.title.lower()}",
        view=f"Step {diagram.step} of {spec.steps}: {row['title']}; "
        f"{'with' if diagram.drug else 'without'} tacrolimus. "
        f"{mechanism.step_caption(diagram.lane, diagram.step, diagram.drug)} "
        f"{EVIDENCE_WORDS[row['evidence']]}.",
        numbers=shown,
        numbers_title="State of each molecule at this step",
        sources=list(dict.fromkeys((str(s), str(u)) for s, u in sources)),
    )


def comparison_table(frame: pd.DataFrame) -> str:
    """Where each regimen acts, as a Markdown table in the dataset's order.

    ``frame`` is the validated ``mechanism_comparison`` rows.
    """
    return markdown_table(
        (
            {
                "Drug": f"**{r.drug}**",
                "Binds": r.binds,
                "What that does": r.action,
                "Cells mainly affected": r.cells,
                "Source": source_markdown(short_citation(r.source), r.source_url),
            }
            for r in frame.sort_values("order").itertuples(index=False)
        ),
        ["Drug", "Binds", "What that does", "Cells mainly affected", "Source"],
        raw_columns=("Drug", "Source"),
    )


def comparison_cards(frame: pd.DataFrame) -> str:
    """The comparison as one short block per regimen, for phones (Markdown).

    A five-column table on a 390 px screen breaks words mid-letter; each
    regimen instead reads as its name and binding partner, what that does,
    the cells mainly affected, and the source. ``frame`` is the validated
    ``mechanism_comparison`` rows.
    """
    return "\n\n---\n\n".join(
        f"**{escape_cell(r.drug)}**, binds {escape_cell(r.binds)}  \n"
        f"{escape_cell(r.action)}  \n"
        f"*Cells mainly affected:* {escape_cell(r.cells)}. "
        f"Source: {source_markdown(short_citation(r.source), r.source_url)}"
        for r in frame.sort_values("order").itertuples(index=False)
    )


def identifier_list(frame: pd.DataFrame) -> str:
    """Identifiers in public databases as a Markdown list of links.

    ``frame`` is the validated ``mechanism_identifiers`` rows.
    """
    return "\n".join(
        f"- **{r.resource}** {source_markdown(r.identifier, r.link)}: {r.what}"
        for r in frame.itertuples(index=False)
    )


@dataclasses.dataclass(frozen=True)
class Question:
    """A check-yourself question, with the step that answers it.

    Attributes
    ----------
    id
        The question's id in ``quiz_questions.csv`` (part of its widget key).
    question, options, answer, explanation
        The question, its options in order, the right one, and why.
    goto
        (lane, step) of the step that answers it, or ``None``.
    """

    id: str
    question: str
    options: tuple[str, ...]
    answer: str
    explanation: str
    goto: tuple[str, int] | None


def questions(quiz: pd.DataFrame) -> list[Question]:
    """The Mechanism page's questions from the validated ``quiz_questions`` rows."""
    rows = quiz[quiz["page"] == "mechanism"]
    return [
        Question(
            id=str(q.id),
            question=str(q.question),
            options=tuple(str(q.options).split(" | ")),
            answer=str(q.answer),
            explanation=str(q.explanation),
            goto=(str(q.lane), int(q.step))
            if pd.notna(q.lane) and pd.notna(q.step)
            else None,
        )
        for q in rows.itertuples(index=False)
    ]


def goto_label(question: Question) -> str:
    """The label of the button that opens the step answering ``question``.

    Raises
    ------
    ValueError
        If the question points to no step.
    """
    if question.goto is None:
        raise ValueError(f"question {question.id!r} points to no step")
    lane, step = question.goto
    return f"Show me step {step} ({LANE_NAMES[lane]})"
