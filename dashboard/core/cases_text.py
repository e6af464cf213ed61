"""Placeholders in virtual-patient prose, and the rates drawn from data rows (pure).

A case's prose never types a number. Every number a student reads is filled in
from one of three places, written as a placeholder in the YAML text:

``{row:DATASET:ID:COLUMN}``
    a cell of a sourced data row, e.g.
    ``{row:ns_diagnostic_criteria:child-upcr:threshold}`` → ``200`` (floats
    shown with ``:g``; text shown as written).
``{rate:DATASET:ID:ARM}``
    the rate of one arm of a row (see :func:`rate_of`), e.g.
    ``{rate:efficacy_evidence:SDNS-BASU-01:tac}`` → ``38 of 60 (63%)``.
``{fact:NAME}``
    a value of the virtual patient (``facts:`` in the case file): invented
    for teaching, never a clinical claim (weight, a measured result).
``{model:NAME}``
    computed by the engine from the patient's model state (see
    :data:`MODEL_NAMES`): a trough from :mod:`dashboard.core.pk`, the dose.

Years (``KDIGO 2021``) and digits inside a word (``CYP3A5``, ``PLA2R``) are the
only digits prose may hold itself (:func:`stray_numbers`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from dashboard.core.content import CITATION

#: ``{kind:argument}``; the argument has no spaces or braces.
PLACEHOLDER = re.compile(r"\{(row|rate|fact|model):([^{}\s]+)\}")
#: Anything that looks like a placeholder, to catch misspelt kinds.
ANY_BRACES = re.compile(r"\{[^{}\n]*\}")
#: Model values the engine can fill in (units in the words).
MODEL_NAMES: dict[str, str] = {
    "trough": "model trough at steady state, ng/mL (one decimal)",
    "dose": "tacrolimus dose, mg/kg per day",
    "dose_per_dose": "tacrolimus dose, mg/kg per dose (twice daily)",
    "dose_mg": "tacrolimus dose, mg per dose (twice daily) at the patient's weight",
    "band": "target trough band, e.g. '5–7' (ng/mL)",
    "band_position": "'below', 'within' or 'above' the band",
    "band_label": "the band as the monitoring page's band control names it",
    "drug": "the interacting drug in force (or 'no interacting drug')",
}
#: Which arms each dataset's rows can give a rate for.
RATE_ARMS: dict[str, tuple[str, ...]] = {
    "efficacy_evidence": ("tac", "comparator"),
    "alternative_trials": ("intervention", "comparator"),
    "ns_steroid_course": ("row",),
    "ns_complications": ("row",),
    "ns_histology_by_age": ("row",),
}
_YEAR = r"(?:19|20)\d\d"
#: A number standing on its own: not part of a word, not a year.
_STRAY_NUMBER = re.compile(rf"(?<![\w.])(?!{_YEAR}(?!\w|[.,]\d))\d+(?:[.,]\d+)?(?!\w)")
_RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(\s[^>]*)?/?\s*>|<!--")
#: Characters that would start Markdown formatting inside a filled-in value.
_MARKDOWN = re.compile(r"([\\*_\[\]`$~#|])")
#: A dose written in a row, e.g. ``0.2 mg/kg/day`` or ``Tacrolimus 0.1 mg/kg/d``.
DOSE_IN_TEXT = re.compile(
    r"(\d+(?:\.\d+)?)(?:\s*-\s*\d+(?:\.\d+)?)?\s*mg/kg/d(?:ay)?\b"
)


def placeholders(text: str) -> list[tuple[str, str]]:
    """The ``(kind, argument)`` pairs in ``text``, in order."""
    return [(m.group(1), m.group(2)) for m in PLACEHOLDER.finditer(text)]


def unknown_braces(text: str) -> list[str]:
    """Brace groups that are not valid placeholders (a misspelt kind, a space)."""
    return [b for b in ANY_BRACES.findall(text) if not PLACEHOLDER.fullmatch(b)]


def stray_numbers(text: str) -> list[str]:
    """Numbers typed into prose (placeholders and citations removed first)."""
    bare = CITATION.sub("", PLACEHOLDER.sub("", text))
    return _STRAY_NUMBER.findall(bare)


def raw_html(text: str) -> str | None:
    """The first raw HTML tag in ``text`` (not allowed: Markdown only)."""
    found = _RAW_HTML.search(text)
    return found.group() if found else None


def escape_markdown(text: str) -> str:
    """``text`` safe to insert into Markdown (``*1/*3`` stays literal)."""
    return _MARKDOWN.sub(r"\\\1", text)


def format_number(value: float, digits: int | None = None) -> str:
    """``3.5`` → ``3.5``, ``300.0`` → ``300``; ``digits`` fixes the decimals."""
    if digits is not None:
        return f"{value:.{digits}f}"
    return f"{value:g}"


def is_missing(value: object) -> bool:
    """Whether a cell is empty (``None``, NaN or blank text)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def format_cell(value: object) -> str:
    """A data cell as a student reads it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(float(value))
    return str(value)


def _percent(value: float) -> str:
    return f"{value:.0f}%" if float(value).is_integer() else f"{value:.1f}%"


@dataclass(frozen=True)
class Rate:
    """How often something happened in one arm of a sourced row.

    ``share`` is a proportion (0-1) used for branching: the case follows the
    more likely outcome, ``share >= 0.5`` (no randomness, so a link always
    reopens the same view). ``words`` is how the page states it.
    """

    share: float
    words: str


def rate_of(dataset: str, row: Mapping[str, object], arm: str) -> Rate | None:
    """The rate of ``arm`` in ``row`` of ``dataset``, or ``None`` if it has none.

    efficacy_evidence
        ``tac`` / ``comparator``: events of total (``38 of 60 (63%)``), or
        the reported percentage when counts are missing.
    alternative_trials
        ``intervention`` / ``comparator``: the reported percentage.
    ns_steroid_course, ns_complications, ns_histology_by_age
        ``row``: ``percent_low``–``percent_high``; a range is taken at its
        middle for branching.
    """
    if arm not in RATE_ARMS.get(dataset, ()):
        return None
    if dataset == "efficacy_evidence":
        events, total = row.get(f"events_{arm}"), row.get(f"total_{arm}")
        if not is_missing(events) and not is_missing(total) and float(total) > 0:
            share = float(events) / float(total)
            return Rate(share, f"{events:g} of {total:g} ({share * 100:.0f}%)")
        pct = row.get(f"pct_{arm}")
        if is_missing(pct):
            return None
        return Rate(float(pct) / 100, _percent(float(pct)))
    if dataset == "alternative_trials":
        value = row.get(f"value_{arm}")
        if is_missing(value):
            return None
        return Rate(float(value) / 100, _percent(float(value)))
    low, high = row.get("percent_low"), row.get("percent_high")
    if is_missing(low) or is_missing(high):
        return None
    low, high = float(low), float(high)
    words = _percent(low) if low == high else f"{low:g}–{_percent(high)}"
    return Rate((low + high) / 200, words)


def dose_in_text(text: object) -> float | None:
    """The first dose in mg/kg per day written in a cell (the lower end of a range)."""
    if not isinstance(text, str):
        return None
    found = DOSE_IN_TEXT.search(text)
    return float(found.group(1)) if found else None


def split_ref(argument: str, parts: int) -> tuple[str, ...] | None:
    """``a:b:c`` → ``("a", "b", "c")`` if it has exactly ``parts`` parts."""
    pieces = tuple(argument.split(":"))
    return pieces if len(pieces) == parts and all(pieces) else None
