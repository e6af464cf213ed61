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
    """Whether the story at ``step`` is told with the drug.

    Used only when a question's "Show me step" button opens its step; stepping
    with Back and Next never changes the drug switch (the student flips it).
    """
    return step >= LANE_SPECS[lane].drug_step


#: The walk: the T-cell lane, then the podocyte lane, one (lane, step) per stop.
WALK: tuple[tuple[Lane, int], ...] = tuple(
    (lane, step) for lane in LANES for step in range(1, LANE_SPECS[lane].steps + 1)
)


def walk_index(lane: Lane, step: int) -> int:
    """The 0-based place of (lane, step) on :data:`WALK`; the step is clamped."""
    return WALK.index((lane, clamp_step(lane, step)))


def walk_neighbour(lane: Lane, step: int, delta: int) -> tuple[Lane, int]:
    """The stop ``delta`` places along the walk from (lane, step), kept on the walk.

    Next from the T cell's last step opens the podocyte lane at step 1, and
    Back from there returns to the T cell's last step.
    """
    index = min(max(0, walk_index(lane, step) + delta), len(WALK) - 1)
    return WALK[index]


@dataclass(frozen=True)
class Caption:
    """What the diagram of one step shows, in one sentence per drug state.

    ``without`` describes the diagram with the drug switched off, ``with_drug``
    with it on. Where the step is about the drug, ``without`` says so and
    names the switch, so the words never contradict the picture.
    """

    without: str
    with_drug: str

    def text(self, drug: bool) -> str:
        """The sentence for the drug state shown."""
        return self.with_drug if drug else self.without


#: One caption per (lane, step), written from the step narration in
#: ``content/mechanism/steps/`` and the key source rows of
#: ``content/data/mechanism_steps.csv``.
CAPTIONS: dict[tuple[Lane, int], Caption] = {
    ("tcell", 1): Caption(
        "Drawn without the drug: the T-cell receptor's signal lets calcium in, "
        "calcium binds calmodulin, and calmodulin switches on calcineurin.",
        "Drawn with tacrolimus: the signal still arrives and calcium still rises, "
        "but the drug, held by FKBP-12, blocks calcineurin.",
    ),
    ("tcell", 2): Caption(
        "Drawn without the drug: calcineurin strips NFAT's phosphates, NFAT moves "
        "into the nucleus and, with AP-1, switches on the IL-2 gene.",
        "Drawn with tacrolimus: calcineurin is blocked, so NFAT keeps its "
        "phosphates and stays outside the nucleus; the IL-2 gene stays off.",
    ),
    ("tcell", 3): Caption(
        "The drug is not drawn yet: switch on Tacrolimus present to see it bind "
        "FKBP-12 and the pair block calcineurin.",
        "Drawn with tacrolimus: the drug binds FKBP-12, and the pair blocks "
        "calcineurin, so everything after calcineurin is crossed out.",
    ),
    ("tcell", 4): Caption(
        "Drawn without the drug: NFAT enters the nucleus and IL-2 is made, the "
        "opposite of this step's title; switch on Tacrolimus present to compare.",
        "Drawn with tacrolimus: NFAT stays outside the nucleus, less IL-2 is made, "
        "and fewer T cells are activated to help B cells.",
    ),
    ("podocyte", 1): Caption(
        "Drawn without the drug: the podocyte's own calcineurin acts on "
        "synaptopodin, which is held by 14-3-3β while it keeps its phosphate.",
        "Drawn with tacrolimus: calcineurin in the podocyte is blocked too, so "
        "synaptopodin keeps its phosphate and stays held by 14-3-3β.",
    ),
    ("podocyte", 2): Caption(
        "Drawn without the drug: synaptopodin loses its phosphate, lets go of "
        "14-3-3β, and cathepsin L cuts it up.",
        "Drawn with tacrolimus: synaptopodin keeps its phosphate, so it is not "
        "released and cathepsin L cannot cut it up.",
    ),
    ("podocyte", 3): Caption(
        "Drawn without the drug: without synaptopodin the actin scaffold fails, "
        "the foot processes flatten, and protein leaks into the urine.",
        "Drawn with tacrolimus: synaptopodin is kept, so the actin scaffold "
        "holds and the foot processes keep their shape.",
    ),
    ("podocyte", 4): Caption(
        "Drawn without the drug: the chain runs to the end and protein leaks, "
        "the opposite of this step's title; switch on Tacrolimus present to "
        "compare.",
        "Drawn with tacrolimus: synaptopodin is kept, the actin scaffold is "
        "steadier and less protein leaks.",
    ),
}


def step_caption(lane: Lane, step: int, drug: bool) -> str:
    """The sentence saying what the diagram of (lane, step) shows, drug on or off."""
    return CAPTIONS[(lane, clamp_step(lane, step))].text(drug)
