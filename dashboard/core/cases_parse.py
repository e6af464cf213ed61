"""Reading a case file into the contract's dataclasses (pure; no Streamlit).

:func:`read` loads one ``content/cases/*.yaml`` and :func:`parse` checks the
shape and type of every field (the contract is described in
:mod:`dashboard.core.cases`), collecting every problem with the file and the
field, e.g. ``nodes[relapses].choices[frequent].consequence.row``. What the
fields point to is checked by :mod:`dashboard.core.cases_checks`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from dashboard.core.cases import (
    BAND_BRANCHES,
    DOSE_WORDS,
    GRADES,
    RATE_BRANCHES,
    Case,
    CaseProblem,
    Choice,
    Consequence,
    Dose,
    Link,
    Node,
    RowRef,
    Teaching,
)
from dashboard.core.textfiles import UnreadableFileError, read_utf8


class _Reader:
    """Reads fields, collecting a :class:`CaseProblem` for every fault."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[CaseProblem] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(CaseProblem(self.file, where, message))

    def mapping(
        self, value: object, where: str, required: tuple[str, ...], optional=()
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(where, f"must be a mapping (key: value), not {_kind(value)}")
            return None
        for key in required:
            if key not in value or value[key] is None:
                self.fail(_join(where, key), "is required")
        for key in value:
            if key not in required and key not in optional:
                known = ", ".join((*required, *optional))
                self.fail(_join(where, str(key)), f"unknown field (known: {known})")
        return value

    def text(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(_join(where, key), "must be non-empty text")
            return ""
        return value.strip()

    def ref(self, value: object, where: str, *, column: bool = False) -> RowRef | None:
        shape = "dataset:id:column" if column else "dataset:id"
        if not isinstance(value, str):
            self.fail(where, f"must be text of the form {shape}")
            return None
        parts = value.split(":")
        if len(parts) != (3 if column else 2) or not all(p.strip() for p in parts):
            self.fail(where, f"{value!r} is not of the form {shape}")
            return None
        return RowRef(*(p.strip() for p in parts))


_IDENT = re.compile(r"[a-z0-9][a-z0-9-]*")


def _ident(r: _Reader, data: Mapping[str, Any], key: str, where: str) -> str:
    """An id: lower-case letters, digits and hyphens (it appears in links)."""
    value = data.get(key)
    if value is not None and not (isinstance(value, str) and _IDENT.fullmatch(value)):
        r.fail(_join(where, key), "must be lower-case letters, digits and hyphens")
    return str(value)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


def _label(items: list, index: int) -> str:
    item = items[index]
    name = item.get("id") if isinstance(item, dict) else None
    return str(name) if isinstance(name, str) and name else str(index)


def _link(r: _Reader, value: object, where: str) -> Link | None:
    data = r.mapping(value, where, ("page", "label"), ("params", "section"))
    if data is None:
        return None
    params = data.get("params") or {}
    if not isinstance(params, dict):
        r.fail(_join(where, "params"), "must be a mapping of URL parameter: value")
        params = {}
    pairs = []
    for key, raw in params.items():
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            r.fail(_join(where, f"params.{key}"), "must be one text or number value")
            continue
        pairs.append((str(key), str(raw)))
    section = data.get("section")
    if section is not None and not isinstance(section, str):
        r.fail(_join(where, "section"), "must be a content section slug")
        section = None
    return Link(
        page=str(data.get("page") or ""),
        params=tuple(pairs),
        label=r.text(data, "label", where),
        section=section,
    )


def _teaching(r: _Reader, value: object, where: str) -> Teaching | None:
    data = r.mapping(value, where, ("why", "source", "link"), ("evidence",))
    if data is None:
        return None
    evidence = data.get("evidence") or []
    if not isinstance(evidence, list):
        r.fail(_join(where, "evidence"), "must be a list of dataset:id")
        evidence = []
    refs = [r.ref(e, f"{where}.evidence[{i}]") for i, e in enumerate(evidence)]
    link = _link(r, data.get("link"), _join(where, "link"))
    source = data.get("source")
    if not isinstance(source, str):
        r.fail(_join(where, "source"), "must be an id from data/references.csv")
    if link is None or not isinstance(source, str):
        return None
    return Teaching(
        why=r.text(data, "why", where),
        source=source,
        evidence=tuple(ref for ref in refs if ref),
        link=link,
    )


def _dose(r: _Reader, value: object, where: str) -> Dose | None:
    if isinstance(value, str):
        if value not in DOSE_WORDS:
            r.fail(where, f"must be one of {', '.join(DOSE_WORDS)} or a mapping")
            return None
        return Dose(word=value)
    data = r.mapping(value, where, ("row",), ("times",))
    if data is None:
        return None
    row = r.ref(data.get("row"), _join(where, "row"), column=True)
    times = data.get("times")
    scale = None if times is None else r.ref(times, _join(where, "times"), column=True)
    return Dose(row=row, times=scale) if row else None


def _next(r: _Reader, value: object, where: str) -> tuple[tuple[str, str], ...]:
    if isinstance(value, str) and value:
        return (("", value),)
    if not isinstance(value, dict):
        r.fail(where, "must be a node id or a mapping of outcome: node id")
        return ()
    keys = set(value)
    for branches in (RATE_BRANCHES, BAND_BRANCHES):
        if keys == set(branches):
            bad = [k for k in branches if not isinstance(value[k], str)]
            for key in bad:
                r.fail(_join(where, key), "must be a node id")
            return () if bad else tuple((k, value[k]) for k in branches)
    r.fail(
        where,
        f"branches must be exactly {', '.join(RATE_BRANCHES)} (on a rate) "
        f"or {', '.join(BAND_BRANCHES)} (on a band); got {', '.join(map(str, keys))}",
    )
    return ()


def _consequence(r: _Reader, value: object, where: str) -> Consequence | None:
    data = r.mapping(
        value,
        where,
        ("text", "next"),
        ("row", "rate", "model", "dose", "drug", "band"),
    )
    if data is None:
        return None
    row = data.get("row")
    band = data.get("band")
    dose = data.get("dose")
    model = data.get("model")
    if model is not None and model != "pk":
        r.fail(_join(where, "model"), "the only model is 'pk' (dashboard.core.pk)")
    rate = data.get("rate")
    if rate is not None and not isinstance(rate, str):
        r.fail(_join(where, "rate"), "must name an arm of the row, e.g. tac")
    drug = data.get("drug")
    if drug is not None and not isinstance(drug, str):
        r.fail(_join(where, "drug"), "must be a pk_interactions id or none")
    return Consequence(
        text=r.text(data, "text", where),
        next=_next(r, data.get("next"), _join(where, "next")),
        row=None if row is None else r.ref(row, _join(where, "row")),
        rate=rate if isinstance(rate, str) else None,
        model=model if model == "pk" else None,
        dose=None if dose is None else _dose(r, dose, _join(where, "dose")),
        drug=drug if isinstance(drug, str) else None,
        band=None if band is None else r.ref(band, _join(where, "band")),
    )


def _choice(r: _Reader, value: object, where: str) -> Choice | None:
    data = r.mapping(value, where, ("id", "label", "grade", "feedback", "consequence"))
    if data is None:
        return None
    grade = data.get("grade")
    if not isinstance(grade, str) or grade not in GRADES:
        grade = None if grade is None else "?"
    if grade == "?":
        r.fail(_join(where, "grade"), f"must be one of: {', '.join(GRADES)}")
    consequence = _consequence(r, data.get("consequence"), _join(where, "consequence"))
    if consequence is None or grade not in GRADES:
        return None
    return Choice(
        id=_ident(r, data, "id", where),
        label=r.text(data, "label", where),
        grade=grade,
        feedback=r.text(data, "feedback", where),
        consequence=consequence,
    )


def _node(r: _Reader, value: object, where: str) -> Node | None:
    if isinstance(value, dict) and value.get("end") is True:
        data = r.mapping(value, where, ("id", "title", "text", "end"))
        if data is None:
            return None
        return Node(
            _ident(r, data, "id", where),
            r.text(data, "title", where),
            r.text(data, "text", where),
        )
    data = r.mapping(
        value, where, ("id", "title", "text", "question", "choices", "teach"), ("end",)
    )
    if data is None:
        return None
    if data.get("end") not in (None, False):
        r.fail(_join(where, "end"), "must be true (an ending) or left out")
    items = data.get("choices")
    if not isinstance(items, list):
        r.fail(_join(where, "choices"), "must be a list of choices")
        items = []
    choices = [
        _choice(r, item, f"{where}.choices[{_label(items, i)}]")
        for i, item in enumerate(items)
    ]
    teach = _teaching(r, data.get("teach"), _join(where, "teach"))
    return Node(
        id=_ident(r, data, "id", where),
        title=r.text(data, "title", where),
        text=r.text(data, "text", where),
        question=r.text(data, "question", where),
        choices=tuple(c for c in choices if c),
        teach=teach,
    )


def parse(data: object, file: str) -> tuple[Case | None, list[CaseProblem]]:
    """A case from the YAML of ``file``, or ``None`` and every problem found.

    Checks shapes and types only; what the fields point to is checked by
    :func:`dashboard.core.cases_checks.check`.
    """
    r = _Reader(file)
    top = r.mapping(
        data,
        "",
        ("id", "title", "summary", "reviewed", "start", "nodes"),
        ("facts",),
    )
    if top is None:
        return None, r.problems
    reviewed = top.get("reviewed")
    if reviewed is not None and not isinstance(reviewed, dt.date):
        r.fail("reviewed", "must be a date written YYYY-MM-DD")
    facts = top.get("facts") or {}
    if not isinstance(facts, dict):
        r.fail("facts", "must be a mapping of name: value")
        facts = {}
    for name, value in facts.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            r.fail(f"facts.{name}", "must be one text or number value")
    items = top.get("nodes")
    if not isinstance(items, list) or not items:
        r.fail("nodes", "must be a non-empty list of nodes")
        items = []
    nodes = [
        _node(r, item, f"nodes[{_label(items, i)}]") for i, item in enumerate(items)
    ]
    case = Case(
        id=_ident(r, top, "id", ""),
        title=r.text(top, "title", ""),
        summary=r.text(top, "summary", ""),
        file=file,
        reviewed=reviewed if isinstance(reviewed, dt.date) else dt.date.min,
        facts={str(k): v for k, v in facts.items()},
        start=_ident(r, top, "start", ""),
        nodes=tuple(n for n in nodes if n),
    )
    return (None if r.problems else case), r.problems


def read(path: Path) -> tuple[Case | None, list[CaseProblem]]:
    """Read and parse one case file; a file that cannot be read is one problem."""
    file = f"cases/{path.name}"
    try:
        text = read_utf8(path)
    except UnreadableFileError as error:
        return None, [CaseProblem(file, "", error.cause, error.line)]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        cause = getattr(error, "problem", None) or str(error)
        return None, [CaseProblem(file, "", f"not valid YAML: {cause}", line)]
    case, problems = parse(data, file)
    if case is not None and case.id != path.stem:
        problems = [CaseProblem(file, "id", f"must be {path.stem!r}, the file's name")]
        case = None
    return case, problems


def case_files(directory: Path) -> list[Path]:
    """The case files in ``directory`` (``*.yaml``), by name."""
    return sorted(directory.glob("*.yaml")) if directory.is_dir() else []
