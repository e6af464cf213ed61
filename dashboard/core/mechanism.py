"""The tacrolimus mechanism as two step-through lanes, in pure data.

Lanes
-----
* ``tcell``: T-cell receptor signal → Ca²⁺ → calmodulin → calcineurin →
  NFAT dephosphorylated → NFAT with AP-1 in the nucleus → IL-2 → T-cell
  proliferation and help for B cells; tacrolimus binds FKBP-12 and the complex
  blocks calcineurin.
* ``podocyte``: calcineurin dephosphorylates synaptopodin → cathepsin L
  degrades it → the actin cytoskeleton and foot processes fail → protein leaks;
  tacrolimus-FKBP-12 keeps synaptopodin phosphorylated and protected.

Each element of a lane enters the story at a step; :func:`diagram_state` says,
for a (lane, step, drug present) triple, whether each element and link is
hidden, shown, highlighted (new at this step) or blocked by the drug. The
diagram builder draws that; the narration and its sources live in
``content/mechanism/``; step titles and evidence levels in
``content/data/mechanism_steps.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lane = Literal["tcell", "podocyte"]
State = Literal["hidden", "normal", "highlight", "blocked", "protected"]
LANES: tuple[Lane, ...] = ("tcell", "podocyte")


@dataclass(frozen=True)
class Element:
    """A box in a lane's diagram.

    Parameters
    ----------
    key
        Identifier, unique within the lane.
    label
        Text in the box (may contain ``<br>``).
    step
        The step at which the element enters the story.
    drug
        True for the drug and its binding protein: shown only when the drug is.
    blocked_by_drug
        True if tacrolimus stops this element from happening.
    protected_by_drug
        True if tacrolimus preserves this element (it stays or accumulates).
    early
        For drug elements: shown as soon as the drug is switched on, even
        before the element's step (the drug and FKBP-12 are); ``False`` keeps a
        drug consequence hidden until its step.
    """

    key: str
    label: str
    step: int
    drug: bool = False
    blocked_by_drug: bool = False
    protected_by_drug: bool = False
    early: bool = True


@dataclass(frozen=True)
class Link:
    """An arrow between two elements; ``inhibits`` draws a blunt-ended bar."""

    start: str
    end: str
    step: int
    label: str = ""
    inhibits: bool = False


@dataclass(frozen=True)
class LaneSpec:
    """A lane: its elements, links, number of steps and the step the drug enters."""

    lane: Lane
    title: str
    elements: tuple[Element, ...]
    links: tuple[Link, ...]
    drug_step: int

    @property
    def steps(self) -> int:
        """Number of steps in the lane."""
        return max(e.step for e in self.elements)

    def element(self, key: str) -> Element:
        """The element called ``key``."""
        return next(e for e in self.elements if e.key == key)


TCELL = LaneSpec(
    lane="tcell",
    title="In the T cell",
    drug_step=3,
    elements=(
        Element("tcr", "T-cell receptor<br>signal", 1),
        Element("calcium", "Ca²⁺ rises", 1),
        Element("calmodulin", "Calmodulin", 1),
        Element("calcineurin", "Calcineurin<br>(phosphatase)", 1, blocked_by_drug=True),
        Element("nfat_p", "NFAT-P<br>(inactive)", 2, protected_by_drug=True),
        Element("nfat", "NFAT + AP-1<br>in nucleus", 2, blocked_by_drug=True),
        Element("il2", "IL-2 gene<br>switched on", 2, blocked_by_drug=True),
        Element(
            "effects",
            "T-cell proliferation,<br>help for B cells",
            2,
            blocked_by_drug=True,
        ),
        Element("tacrolimus", "Tacrolimus", 3, drug=True),
        Element("fkbp12", "FKBP-12", 3, drug=True),
        Element(
            "outcome",
            "Less IL-2, fewer<br>activated T cells",
            4,
            drug=True,
            early=False,
        ),
    ),
    links=(
        Link("tcr", "calcium", 1),
        Link("calcium", "calmodulin", 1, "binds"),
        Link("calmodulin", "calcineurin", 1, "activates"),
        Link("calcineurin", "nfat_p", 2, "removes phosphate"),
        Link("nfat_p", "nfat", 2, "moves in"),
        Link("nfat", "il2", 2),
        Link("il2", "effects", 2),
        Link("tacrolimus", "fkbp12", 3, "binds"),
        Link("fkbp12", "calcineurin", 3, "blocks", inhibits=True),
    ),
)

PODOCYTE = LaneSpec(
    lane="podocyte",
    title="In the podocyte",
    drug_step=4,
    elements=(
        Element("calcineurin", "Calcineurin", 1, blocked_by_drug=True),
        Element(
            "synpo_p", "Synaptopodin-P<br>bound to 14-3-3β", 1, protected_by_drug=True
        ),
        Element("synpo", "Synaptopodin<br>dephosphorylated", 2, blocked_by_drug=True),
        Element("cathepsin", "Cathepsin L<br>degrades it", 2, blocked_by_drug=True),
        Element("actin", "Actin cytoskeleton<br>unstable", 3, blocked_by_drug=True),
        Element(
            "leak", "Foot processes efface,<br>protein leaks", 3, blocked_by_drug=True
        ),
        Element("tacrolimus", "Tacrolimus", 4, drug=True),
        Element("fkbp12", "FKBP-12", 4, drug=True),
        Element(
            "outcome",
            "Synaptopodin kept,<br>actin steadier, less leak",
            4,
            drug=True,
            early=False,
        ),
    ),
    links=(
        Link("calcineurin", "synpo_p", 1, "acts on"),
        Link("synpo_p", "synpo", 2, "loses phosphate"),
        Link("synpo", "cathepsin", 2, "exposed to"),
        Link("cathepsin", "actin", 3),
        Link("actin", "leak", 3),
        Link("tacrolimus", "fkbp12", 4, "binds"),
        Link("fkbp12", "calcineurin", 4, "blocks", inhibits=True),
    ),
)

LANE_SPECS: dict[Lane, LaneSpec] = {"tcell": TCELL, "podocyte": PODOCYTE}


@dataclass(frozen=True)
class DiagramState:
    """What to draw: a state per element key and per link (start, end)."""

    lane: Lane
    step: int
    drug: bool
    elements: dict[str, State]
    links: dict[tuple[str, str], State]


def clamp_step(lane: Lane, step: int) -> int:
    """``step`` limited to the lane's range 1…N."""
    return min(max(1, step), LANE_SPECS[lane].steps)


def _element_state(element: Element, step: int, drug: bool) -> State:
    if element.drug:
        if not drug or (element.step > step and not element.early):
            return "hidden"
        return "highlight" if element.step == step else "normal"
    if element.step > step:
        return "hidden"
    if drug and element.blocked_by_drug:
        return "blocked"
    if drug and element.protected_by_drug:
        return "protected"
    return "highlight" if element.step == step else "normal"


def diagram_state(lane: Lane, step: int, drug: bool) -> DiagramState:
    """The state of every element and link for one view of one lane.

    Elements introduced after ``step`` are hidden. With the drug present, the
    drug and FKBP-12 are shown, calcineurin and everything downstream of it
    are *blocked*, and what calcineurin would have removed is *protected*. New
    elements at the current step are highlighted.
    """
    spec = LANE_SPECS[lane]
    step = clamp_step(lane, step)
    elements = {e.key: _element_state(e, step, drug) for e in spec.elements}
    links: dict[tuple[str, str], State] = {}
    for link in spec.links:
        ends = (elements[link.start], elements[link.end])
        if "hidden" in ends:
            state: State = "hidden"
        elif link.inhibits:
            state = "highlight" if drug else "hidden"
        elif elements[link.start] == "blocked" or elements[link.end] == "blocked":
            state = "blocked"
        elif link.step == step:
            state = "highlight"
        else:
            state = "normal"
        links[(link.start, link.end)] = state
    return DiagramState(lane=lane, step=step, drug=drug, elements=elements, links=links)


def drug_default(lane: Lane, step: int) -> bool:
    """Whether the story at ``step`` includes the drug (used when stepping)."""
    return step >= LANE_SPECS[lane].drug_step
