"""Checks of a parsed case against the data, references, pages and itself (pure).

:func:`check` takes a case from :func:`dashboard.core.cases.parse` and returns
it with the rows and references it cites attached, or every problem found,
each naming the case file and the field. What it checks:

- the graph: unique node and choice ids, a start that exists, every ``next``
  pointing to a node, 2 to :data:`~dashboard.core.cases.MAX_CHOICES` choices
  with at least one ``recommended``, no cycle, every node reachable, at least
  :data:`~dashboard.core.cases.MIN_DECISIONS` decision points;
- the prose: placeholders that resolve (data row, column with a value, fact,
  model name), no number typed by hand (:func:`cases_text.stray_numbers`), no
  raw HTML, ``[@id]`` citations that exist in ``references.csv``; model values
  never in a question or an option (a poll shows them without a patient);
- consequences: a cited row or model; a rate the row can give; a dose, band
  and drug the model can use; branches that match what is branched on;
- feedback: a reference that exists, evidence rows that exist, and a link to a
  page that exists, with URL parameters that page binds
  (:data:`~dashboard.core.cases_library.LINK_PARAMS`) and a content section
  the page has.

What only a walk can show (a ``{model:…}`` value before any dose is set, a
node no path reaches) is checked by :func:`dashboard.models.cases.load_cases`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from dashboard.core import cases_text as text
from dashboard.core import pk, pk_data
from dashboard.core.cases import (
    MAX_CHOICES,
    MIN_DECISIONS,
    Case,
    CaseProblem,
    Consequence,
    Node,
    RowRef,
)
from dashboard.core.cases_library import ANY_PAGE_PARAMS, LINK_PARAMS, Library, anchor
from dashboard.core.content import (
    CITATION,
)
from dashboard.core.site import PAGE_SLUGS

#: The facts the pharmacokinetic model reads.
GENOTYPES = ("expresser", "non-expresser")


class _Checker:
    def __init__(self, case: Case, library: Library) -> None:
        self.case = case
        self.library = library
        self.problems: list[CaseProblem] = []
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}
        self.references: dict[str, tuple[str, str]] = {}
        self.anchors: dict[tuple[str, str], str] = {}

    def fail(self, where: str, message: str) -> None:
        self.problems.append(CaseProblem(self.case.file, where, message))

    def row(self, ref: RowRef, where: str) -> dict[str, Any] | None:
        found = self.library.row(ref.dataset, ref.id)
        if isinstance(found, str):
            self.fail(where, found)
            return None
        self.rows[ref.key] = found
        if ref.column is not None:
            if ref.column not in found:
                self.fail(where, f"{ref.dataset}.csv has no column {ref.column!r}")
                return None
            if text.is_missing(found[ref.column]):
                self.fail(where, f"{ref} is empty in the data")
                return None
        return found

    def reference(self, ref_id: str, where: str) -> None:
        frame = self.library.frame("references")
        if isinstance(frame, str):
            self.fail(where, frame)
            return
        found = frame[frame["id"] == ref_id]
        if found.empty:
            self.fail(where, f"{ref_id!r} is not an id in data/references.csv")
            return
        first = found.iloc[0]
        self.references[ref_id] = (str(first["short"]), str(first["source_url"]))

    def prose(
        self, value: str, where: str, *, model: bool, numbers: bool = False
    ) -> None:
        """Check one text: placeholders, typed numbers, HTML, citations."""
        for brace in text.unknown_braces(value):
            self.fail(where, f"{brace} is not a placeholder (row, rate, fact or model)")
        for kind, argument in text.placeholders(value):
            self.placeholder(kind, argument, where, model=model)
        if not numbers:
            stray = text.stray_numbers(value)
            if stray:
                self.fail(
                    where,
                    f"types the number(s) {', '.join(stray)}: write a placeholder "
                    "({row:…}, {rate:…}, {fact:…} or {model:…}) instead",
                )
        html = text.raw_html(value)
        if html:
            self.fail(where, f"raw HTML is not allowed: {html!r}")
        for cited in CITATION.findall(value):
            self.reference(cited, where)

    def placeholder(self, kind: str, argument: str, where: str, *, model: bool) -> None:
        if kind == "fact":
            if argument not in self.case.facts:
                self.fail(
                    where, f"{{fact:{argument}}}: no fact {argument!r} in 'facts'"
                )
        elif kind == "model":
            if not model:
                self.fail(
                    where,
                    f"{{model:{argument}}} is not allowed here (no patient state)",
                )
            elif argument not in text.MODEL_NAMES:
                known = ", ".join(text.MODEL_NAMES)
                self.fail(where, f"{{model:{argument}}}: unknown (known: {known})")
        elif kind == "row":
            parts = text.split_ref(argument, 3)
            if parts is None:
                self.fail(where, f"{{row:{argument}}} is not row:dataset:id:column")
            else:
                self.row(RowRef(*parts), where)
        else:
            parts = text.split_ref(argument, 3)
            if parts is None:
                self.fail(where, f"{{rate:{argument}}} is not rate:dataset:id:arm")
            else:
                self.rate(RowRef(parts[0], parts[1]), parts[2], where)

    def rate(self, ref: RowRef, arm: str, where: str) -> None:
        found = self.row(ref, where)
        if found is None:
            return
        arms = text.RATE_ARMS.get(ref.dataset)
        if not arms:
            self.fail(where, f"rows of {ref.dataset} give no rate")
        elif arm not in arms:
            self.fail(
                where, f"arm {arm!r} unknown for {ref.dataset} (use {', '.join(arms)})"
            )
        elif text.rate_of(ref.dataset, found, arm) is None:
            self.fail(where, f"{ref} has no numbers for arm {arm!r}")


def _walk_texts(node: Node, where: str) -> Iterator[tuple[str, str, bool]]:
    """(text, field, model values allowed) for every text of a node."""
    yield node.title, f"{where}.title", False
    yield node.text, f"{where}.text", True
    if node.question:
        yield node.question, f"{where}.question", False
    if node.teach:
        yield node.teach.why, f"{where}.teach.why", False
    for choice in node.choices:
        at = f"{where}.choices[{choice.id}]"
        yield choice.label, f"{at}.label", False
        yield choice.feedback, f"{at}.feedback", True
        yield choice.consequence.text, f"{at}.consequence.text", True


def _check_graph(c: _Checker) -> None:
    case = c.case
    ids = [n.id for n in case.nodes]
    for node_id in {i for i in ids if ids.count(i) > 1}:
        c.fail(f"nodes[{node_id}]", "two nodes have this id")
    known = set(ids)
    if case.start not in known:
        c.fail("start", f"{case.start!r} is not a node id")
    for node in case.nodes:
        where = f"nodes[{node.id}]"
        if node.is_end:
            continue
        choice_ids = [ch.id for ch in node.choices]
        if len(set(choice_ids)) != len(choice_ids):
            c.fail(f"{where}.choices", "two choices have the same id")
        if not 2 <= len(node.choices) <= MAX_CHOICES:
            c.fail(f"{where}.choices", f"a decision needs 2 to {MAX_CHOICES} choices")
        if not any(ch.grade == "recommended" for ch in node.choices):
            c.fail(f"{where}.choices", "no choice is graded 'recommended'")
        for choice in node.choices:
            for outcome, target in choice.consequence.next:
                if target not in known:
                    tail = f".{outcome}" if outcome else ""
                    c.fail(
                        f"{where}.choices[{choice.id}].consequence.next{tail}",
                        f"{target!r} is not a node id",
                    )
    decisions = len(case.decisions)
    if decisions < MIN_DECISIONS:
        c.fail("nodes", f"{decisions} decision points; a case needs {MIN_DECISIONS}")
    if c.problems:
        return
    edges = {
        n.id: [t for ch in n.choices for t in ch.consequence.targets]
        for n in case.nodes
    }
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node_id: str, trail: list[str]) -> None:
        state[node_id] = 1
        for target in edges[node_id]:
            if state.get(target) == 1:
                loop = " → ".join([*trail[trail.index(target) :], node_id, target])
                c.fail(f"nodes[{node_id}]", f"leads back in a loop: {loop}")
            elif target not in state:
                visit(target, [*trail, node_id])
        state[node_id] = 2

    visit(case.start, [])
    for node_id in ids:
        if node_id not in state:
            c.fail(f"nodes[{node_id}]", "no choice leads here from the start")


def _check_consequence(c: _Checker, cons: Consequence, where: str) -> None:
    if cons.row is None and cons.model is None:
        c.fail(where, "must cite a data 'row' or a 'model' (or both)")
    found = None if cons.row is None else c.row(cons.row, f"{where}.row")
    if cons.rate is not None:
        if cons.row is None:
            c.fail(f"{where}.rate", "a rate needs a 'row' to come from")
        elif found is not None:
            c.rate(cons.row, cons.rate, f"{where}.rate")
    branch = cons.branches_on
    if branch == "rate" and cons.rate is None:
        c.fail(f"{where}.next", "branches on likely/unlikely but no 'rate' is given")
    if branch == "band" and cons.model is None:
        c.fail(f"{where}.next", "branches on low/in/high but no 'model: pk' is given")
    for name in ("dose", "drug", "band"):
        if getattr(cons, name) is not None and cons.model is None:
            c.fail(f"{where}.{name}", "needs 'model: pk'")
    if cons.model == "pk":
        _check_pk(c, cons, where)


def _check_pk(c: _Checker, cons: Consequence, where: str) -> None:
    facts = c.case.facts
    weight = facts.get("weight_kg")
    low, high = pk.LIMITS["weight_kg"]
    if not isinstance(weight, int | float) or not low <= weight <= high:
        c.fail("facts.weight_kg", f"the pk model needs a weight of {low:g}-{high:g} kg")
    if facts.get("cyp3a5") not in GENOTYPES:
        c.fail("facts.cyp3a5", f"the pk model needs one of: {', '.join(GENOTYPES)}")
    frame = c.library.frame("pk_parameters")
    if isinstance(frame, str):
        c.fail(f"{where}.model", frame)
    else:
        for row in frame.to_dict("records"):
            c.rows[("pk_parameters", str(row["id"]))] = row
    if cons.dose is not None and cons.dose.row is not None:
        cell = c.row(cons.dose.row, f"{where}.dose.row")
        value = cell and cell[cons.dose.row.column]
        if (
            cell is not None
            and not _positive(value)
            and text.dose_in_text(value) is None
        ):
            c.fail(f"{where}.dose.row", f"{cons.dose.row} states no dose in mg/kg/day")
        if cons.dose.times is not None:
            cell = c.row(cons.dose.times, f"{where}.dose.times")
            if cell is not None and not _positive(cell[cons.dose.times.column]):
                c.fail(
                    f"{where}.dose.times", f"{cons.dose.times} is not a positive number"
                )
    if cons.band is not None and cons.band.dataset != "tacrolimus_trough_targets":
        c.fail(f"{where}.band", "a band is a row of tacrolimus_trough_targets")
    elif cons.band is not None:
        cell = c.row(cons.band, f"{where}.band")
        if cell is not None and not all(
            _positive(cell.get(k)) for k in ("trough_low", "trough_high")
        ):
            c.fail(f"{where}.band", f"{cons.band} has no trough_low and trough_high")
    if cons.drug not in (None, "none"):
        frame = c.library.frame("pk_interactions")
        if isinstance(frame, str):
            c.fail(f"{where}.drug", frame)
        elif cons.drug not in pk_data.interactions(frame):
            c.fail(
                f"{where}.drug",
                f"{cons.drug!r} is not a pk_interactions id with a factor",
            )
        else:
            c.row(RowRef("pk_interactions", cons.drug), f"{where}.drug")


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and not math.isnan(value) and value > 0


def _check_teaching(c: _Checker, node: Node, where: str) -> None:
    teach = node.teach
    if teach is None:
        return
    c.reference(teach.source, f"{where}.source")
    for i, ref in enumerate(teach.evidence):
        c.row(ref, f"{where}.evidence[{i}]")
    link, at = teach.link, f"{where}.link"
    if link.page not in PAGE_SLUGS:
        c.fail(
            f"{at}.page", f"{link.page!r} is not a page (see dashboard/core/site.py)"
        )
        return
    allowed = LINK_PARAMS.get(link.page, frozenset()) | ANY_PAGE_PARAMS
    for key, value in link.params:
        if key not in allowed:
            shown = ", ".join(sorted(allowed))
            c.fail(
                f"{at}.params.{key}", f"not a URL parameter of {link.page} ({shown})"
            )
        c.prose(value, f"{at}.params.{key}", model=True, numbers=True)
    if link.section is not None:
        found = anchor(c.library, link.page, link.section)
        if found is None:
            c.fail(
                f"{at}.section", f"{link.page} has no content section {link.section!r}"
            )
        else:
            c.anchors[(link.page, link.section)] = found


def check(case: Case, library: Library) -> tuple[Case | None, list[CaseProblem]]:
    """``case`` with its cited rows and references attached, or its problems."""
    c = _Checker(case, library)
    _check_graph(c)
    for value, where in ((case.title, "title"), (case.summary, "summary")):
        c.prose(value, where, model=False)
    for name, value in case.facts.items():
        if isinstance(value, str):
            c.prose(value, f"facts.{name}", model=False, numbers=True)
    for node in case.nodes:
        where = f"nodes[{node.id}]"
        for value, at, model in _walk_texts(node, where):
            c.prose(value, at, model=model)
        _check_teaching(c, node, f"{where}.teach")
        for choice in node.choices:
            _check_consequence(
                c, choice.consequence, f"{where}.choices[{choice.id}].consequence"
            )
    if c.problems:
        return None, _unique(c.problems)
    return replace(case, rows=c.rows, references=c.references, anchors=c.anchors), []


def _unique(problems: list[CaseProblem]) -> list[CaseProblem]:
    return list(dict.fromkeys(problems))
