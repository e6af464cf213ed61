"""Virtual patients: the content contract of a case file (pure; no Streamlit).

A case is one YAML file, ``content/cases/<case id>.yaml`` (the author's guide
is ``content/cases/README.md``)::

    id: child-frns                # the file name without .yaml
    title: …                      # shown as the case's heading
    summary: …                    # one sentence for the list of cases
    reviewed: 2026-12-05          # date of the last content review
    facts: {weight_kg: 28, …}     # the virtual patient's own values (invented)
    start: presentation           # the first node
    nodes:                        # decision points and endings, in any order
      - id: presentation
        title: …
        text: …                   # Markdown; numbers only as placeholders
        question: …               # a decision node asks; an ending has end: true
        teach: {why: …, source: <references id>, evidence: [<dataset>:<id>],
                link: {page: <slug>, params: {…}, section: <content section>, label: …}}
        choices:
          - id: …
            label: …
            grade: recommended | acceptable | not recommended
            feedback: …
            consequence: {text: …, row: <dataset>:<id>, rate: <arm>,
                          model: pk, dose: …, drug: …, band: <dataset>:<id>,
                          next: <node> | {likely: …, unlikely: …}
                                | {low: …, in: …, high: …}}

Numbers in prose are placeholders (:mod:`dashboard.core.cases_text`). A
consequence cites a data ``row`` (optionally branching on its ``rate``), the
``model`` (``pk``: a trough computed by :mod:`dashboard.core.pk`, optionally
branching on a ``band``), or both. This module holds the frozen dataclasses
a case becomes; :mod:`dashboard.core.cases_parse` reads a file into them,
reporting every problem with the FILE and FIELD
(``nodes[relapses].choices[frequent].consequence.row``), and
:mod:`dashboard.core.cases_checks` checks what the fields point to (data rows,
references, pages, the graph). A file with any problem is left out; the other
cases load (:func:`dashboard.models.cases.load_cases`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Points per grade in the debrief score.
GRADES: dict[str, int] = {"recommended": 2, "acceptable": 1, "not recommended": 0}
#: A case has at least this many decision points (issue 20).
MIN_DECISIONS = 6
#: A decision offers 2 to this many choices (a class-check poll's limit).
MAX_CHOICES = 8
#: Ways a consequence may set the tacrolimus dose.
DOSE_WORDS = ("keep", "band-middle", "stop")
#: Branch outcomes: by a row's rate, or by the model trough against a band.
RATE_BRANCHES = ("likely", "unlikely")
BAND_BRANCHES = ("low", "in", "high")


@dataclass(frozen=True)
class CaseProblem:
    """One broken field of a case file."""

    file: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RowRef:
    """A data row ``dataset:id`` (``dataset:id:column`` names one cell)."""

    dataset: str
    id: str
    column: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """The row without its column."""
        return self.dataset, self.id

    def __str__(self) -> str:
        tail = f":{self.column}" if self.column else ""
        return f"{self.dataset}:{self.id}{tail}"


@dataclass(frozen=True)
class Link:
    """A view of another page: its slug, URL parameters and content section."""

    page: str
    params: tuple[tuple[str, str], ...]
    label: str
    section: str | None = None


@dataclass(frozen=True)
class Teaching:
    """What the feedback after a decision names: the source and where it is taught."""

    why: str
    source: str
    evidence: tuple[RowRef, ...]
    link: Link


@dataclass(frozen=True)
class Dose:
    """How a model consequence sets the dose (mg/kg per day).

    ``word``: ``keep``, ``band-middle`` (scaled so the model trough sits in
    the middle of the band; troughs are proportional to the dose) or
    ``stop``; otherwise ``row`` names a cell that states a dose in mg/kg/day,
    optionally multiplied by the number in ``times``.
    """

    word: str | None = None
    row: RowRef | None = None
    times: RowRef | None = None


@dataclass(frozen=True)
class Consequence:
    """What follows a choice, and what it rests on."""

    text: str
    next: tuple[tuple[str, str], ...]
    row: RowRef | None = None
    rate: str | None = None
    model: str | None = None
    dose: Dose | None = None
    drug: str | None = None
    band: RowRef | None = None

    @property
    def targets(self) -> tuple[str, ...]:
        """The nodes it can lead to."""
        return tuple(dict.fromkeys(target for _, target in self.next))

    @property
    def branches_on(self) -> str | None:
        """``rate``, ``band`` or ``None`` (one next node)."""
        outcome = self.next[0][0] if self.next else ""
        if outcome in RATE_BRANCHES:
            return "rate"
        return "band" if outcome in BAND_BRANCHES else None


@dataclass(frozen=True)
class Choice:
    """One option of a decision."""

    id: str
    label: str
    grade: str
    feedback: str
    consequence: Consequence


@dataclass(frozen=True)
class Node:
    """A decision point (with a question and choices) or an ending."""

    id: str
    title: str
    text: str
    question: str | None = None
    choices: tuple[Choice, ...] = ()
    teach: Teaching | None = None

    @property
    def is_end(self) -> bool:
        """Whether the case ends here."""
        return not self.choices

    def choice(self, choice_id: str) -> Choice:
        """The choice called ``choice_id``."""
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise KeyError(f"node {self.id!r} has no choice {choice_id!r}")


@dataclass(frozen=True)
class Case:
    """A validated case, with the data rows and references it cites.

    ``rows`` holds every cited row in full (its provenance and quote too), so
    the engine needs nothing but the case; ``references`` maps reference id →
    (short label, locator) for the ids the case names; ``anchors`` maps
    (page, content section) → the section heading's ``#anchor``.
    """

    id: str
    title: str
    summary: str
    file: str
    reviewed: dt.date
    facts: Mapping[str, Any]
    start: str
    nodes: tuple[Node, ...]
    rows: Mapping[tuple[str, str], Mapping[str, Any]] = field(default_factory=dict)
    references: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    anchors: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def node(self, node_id: str) -> Node:
        """The node called ``node_id``."""
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(f"case {self.id!r} has no node {node_id!r}")

    @property
    def decisions(self) -> tuple[Node, ...]:
        """The decision points."""
        return tuple(n for n in self.nodes if not n.is_end)
