"""Does a patient meet the definition of nephrotic syndrome? A teaching exercise.

The rules are data: rows of ``content/data/ns_diagnostic_criteria.csv`` flagged
``primary`` give, per population, the threshold for each measure and its role:

* ``required``: must be met;
* ``substitute``: counts for serum albumin only when albumin was not measured
  (the paediatric rule: oedema when albumin is unavailable).

Units accepted and converted here (pure arithmetic, no clinical judgement):

* urine protein: g/day, mg/day; protein:creatinine ratio (UPCR) in mg/mmol,
  mg/mg (= g/g) or mg/g, with 1 mg/mg = 113.12 mg/mmol (creatinine molar mass
  113.12 g/mol); mg/m² per day or per hour; dipstick grade;
* serum albumin: g/L or g/dL (1 g/dL = 10 g/L).

A criterion may also carry the *same source's* threshold stated in another unit
(``alt_threshold`` in ``alt_unit``, e.g. IPNA's "200 mg/mmol (2 mg/mg)"). Sources
round the two separately, so they are not exact conversions of each other
(300 mg/mmol is 2,652 mg/g, not 3,000). When the student enters a value in the
alternative unit, that threshold is applied as the source states it, and where the
exact conversion would give the other verdict the finding says so; otherwise the
value is converted exactly and the conversion is shown. No rule is ever printed
beside a verdict that contradicts it.

Entries outside the ranges in :data:`PLAUSIBLE` are refused with a message that
suggests the likely mistake (usually the unit), never with an exception that
reaches the student.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

CREATININE_MG_PER_MMOL = 113.12

Population = Literal["adult", "child"]
Oedema = Literal["yes", "no", "not examined"]

#: Entry unit → the unit string it has in the criteria table (``unit`` column).
ENTRY_TABLE_UNITS: dict[str, str] = {
    "g/day (24-hour urine)": "g/day",
    "mg/day (24-hour urine)": "mg/day",
    "UPCR mg/mmol": "mg/mmol",
    "UPCR mg/mg (= g/g)": "g/g",
    "UPCR mg/g": "mg/g",
    "mg/m² per day (24-hour urine)": "mg/m²/day",
    "mg/m² per hour (timed urine)": "mg/m²/h",
}

#: Entry unit → (measure in the criteria table, factor to that measure's unit).
PROTEIN_UNITS: dict[str, tuple[str, float]] = {
    "g/day (24-hour urine)": ("protein_24h", 1.0),
    "mg/day (24-hour urine)": ("protein_24h", 0.001),
    "UPCR mg/mmol": ("upcr", 1.0),
    "UPCR mg/mg (= g/g)": ("upcr", CREATININE_MG_PER_MMOL),
    "UPCR mg/g": ("upcr", CREATININE_MG_PER_MMOL / 1000),
    "mg/m² per day (24-hour urine)": ("protein_m2_day", 1.0),
    "mg/m² per hour (timed urine)": ("protein_m2_hour", 1.0),
    "dipstick grade": ("dipstick", 1.0),
}
ALBUMIN_UNITS: dict[str, float] = {"g/L": 1.0, "g/dL": 10.0}
#: Dipstick grade → the number used in the criteria table (3+ counts as 3).
DIPSTICK_SCORES: dict[str, float] = {
    "negative": 0.0,
    "trace": 0.5,
    "1+": 1.0,
    "2+": 2.0,
    "3+": 3.0,
    "4+": 4.0,
}
DIPSTICK_GRADES: tuple[str, ...] = tuple(DIPSTICK_SCORES)

#: Accepted entry ranges (inclusive), in the entry's own unit. They bound what
#: this exercise accepts; they are not clinical reference ranges.
PLAUSIBLE: dict[str, tuple[float, float]] = {
    "g/day (24-hour urine)": (0, 50),
    "mg/day (24-hour urine)": (0, 50_000),
    "UPCR mg/mmol": (0, 5_000),
    "UPCR mg/mg (= g/g)": (0, 50),
    "UPCR mg/g": (0, 50_000),
    "mg/m² per day (24-hour urine)": (0, 20_000),
    "mg/m² per hour (timed urine)": (0, 800),
    "g/L": (5, 60),
    "g/dL": (0.5, 6),
}


@dataclass(frozen=True)
class Criterion:
    """One threshold row of the criteria table (already validated)."""

    population: str
    feature: str
    measure: str
    comparator: str
    threshold: float | None
    unit: str
    role: str
    statement: str
    source: str
    source_url: str
    alt_threshold: float | None = None
    alt_unit: str = ""

    def is_met(self, value: float, *, alternative: bool = False) -> bool:
        """Whether ``value`` meets the threshold.

        ``value`` is in this criterion's ``unit``, or in ``alt_unit`` when
        ``alternative`` is true (then ``alt_threshold`` is applied).
        """
        threshold = self.alt_threshold if alternative else self.threshold
        if threshold is None:
            raise ValueError(f"criterion {self.measure} has no numeric threshold")
        return {
            ">": value > threshold,
            ">=": value >= threshold,
            "<": value < threshold,
            "<=": value <= threshold,
        }[self.comparator]


@dataclass(frozen=True)
class PatientEntry:
    """What the student typed. ``None`` means not measured."""

    population: Population
    protein_value: float | None
    protein_unit: str
    albumin_value: float | None
    albumin_unit: str
    oedema: Oedema
    dipstick: str | None = None


@dataclass(frozen=True)
class Finding:
    """The verdict on one feature, with the rule and source behind it."""

    feature: str
    met: bool | None
    explanation: str
    criterion: Criterion | None = None


@dataclass(frozen=True)
class Verdict:
    """The overall answer."""

    status: Literal["meets", "does not meet", "incomplete"]
    headline: str
    findings: tuple[Finding, ...]


class EntryError(ValueError):
    """An entry that cannot be classified; the message is for the student."""


def check_entry(entry: PatientEntry) -> list[str]:
    """Return every problem with ``entry`` as a plain-language message."""
    problems = []
    if entry.protein_unit not in PROTEIN_UNITS:
        problems.append(f"Unknown urine protein unit {entry.protein_unit!r}.")
    elif entry.protein_unit == "dipstick grade":
        if entry.dipstick not in DIPSTICK_GRADES:
            problems.append("Choose a dipstick grade from the list.")
    elif entry.protein_value is not None:
        problems.extend(
            _range_problem("Urine protein", entry.protein_value, entry.protein_unit)
        )
    if entry.albumin_unit not in ALBUMIN_UNITS:
        problems.append(f"Unknown albumin unit {entry.albumin_unit!r}.")
    elif entry.albumin_value is not None:
        problems.extend(_albumin_problem(entry.albumin_value, entry.albumin_unit))
    if entry.oedema not in ("yes", "no", "not examined"):
        problems.append("Say whether oedema is present, absent or not examined.")
    return problems


def _range_problem(label: str, value: float, unit: str) -> list[str]:
    if value != value:  # NaN
        return [f"{label} must be a number."]
    if value < 0:
        return [f"{label} cannot be negative."]
    low, high = PLAUSIBLE[unit]
    if not low <= value <= high:
        return [
            f"{label} of {value:g} {unit} is outside what this exercise accepts "
            f"({low:g}–{high:g} {unit}). Check the number and the unit."
        ]
    return []


def _albumin_problem(value: float, unit: str) -> list[str]:
    if value != value:
        return ["Serum albumin must be a number."]
    if value <= 0:
        return ["Serum albumin must be greater than zero."]
    other = "g/dL" if unit == "g/L" else "g/L"
    low, high = PLAUSIBLE[unit]
    if low <= value <= high:
        return []
    hint = ""
    other_low, other_high = PLAUSIBLE[other]
    if other_low <= value <= other_high:
        hint = f" It looks like a value in {other}: switch the unit to {other}."
    return [
        f"A serum albumin of {value:g} {unit} is outside what this exercise accepts "
        f"({low:g}–{high:g} {unit}).{hint}"
    ]


def _primary(criteria: Iterable[Criterion], population: str) -> list[Criterion]:
    return [c for c in criteria if c.population == population]


def _protein_finding(entry: PatientEntry, rules: list[Criterion]) -> Finding:
    measure, factor = PROTEIN_UNITS[entry.protein_unit]
    rule = next(
        (c for c in rules if c.feature == "proteinuria" and c.measure == measure), None
    )
    if rule is None:
        return Finding(
            "proteinuria",
            None,
            f"The definition used here for {entry.population}s has no threshold for "
            f"{entry.protein_unit}. Quantify the protein loss another way.",
        )
    if measure == "dipstick":
        if entry.dipstick is None:
            return Finding("proteinuria", None, "No dipstick grade entered.", rule)
        met = rule.is_met(DIPSTICK_SCORES[entry.dipstick])
        shown = entry.dipstick
    elif entry.protein_value is None:
        return Finding("proteinuria", None, "Urine protein was not entered.", rule)
    else:
        return _quantity_finding(entry.protein_value, entry.protein_unit, factor, rule)
    verb = "meets" if met else "does not meet"
    return Finding(
        "proteinuria", met, f"{shown} {verb} the rule: {rule.statement}.", rule
    )


def _number(value: float) -> str:
    """A value with thousands separators and three significant figures at most."""
    return f"{float(f'{value:.3g}'):,g}"


def _conversion(typed_unit: str, factor: float, rule_unit: str) -> str:
    """The exact conversion, written the way round that gives a factor above 1."""
    if factor >= 1:
        return f"1 {typed_unit} = {_number(factor)} {rule_unit}"
    return f"1 {rule_unit} = {_number(1 / factor)} {typed_unit}"


def _quantity_finding(
    typed: float, entry_unit: str, factor: float, rule: Criterion
) -> Finding:
    """Proteinuria typed as a number, judged in the unit the source states it in.

    If the source also states its threshold in the unit typed, that threshold is
    applied as written; else the value is converted exactly and the conversion
    shown. A borderline value on which the source's two rounded thresholds
    disagree is called out, so the rule shown never contradicts the verdict.
    """
    exact = typed * factor
    threshold_symbol = {">": ">", ">=": "≥", "<": "<", "<=": "≤"}[rule.comparator]
    own_unit = ENTRY_TABLE_UNITS.get(entry_unit, "")
    if rule.alt_threshold is not None and rule.alt_unit == own_unit:
        met = rule.is_met(typed, alternative=True)
        verb = "meets" if met else "does not meet"
        text = (
            f"{_number(typed)} {own_unit} {verb} the source's threshold in this "
            f"unit ({threshold_symbol} {_number(rule.alt_threshold)} {own_unit}); "
            f"the rule: {rule.statement}."
        )
        if rule.is_met(exact) != met:
            other = "meets" if rule.is_met(exact) else "does not meet"
            text += (
                f" Converted exactly it is {_number(exact)} {rule.unit}, which "
                f"{other} the {threshold_symbol} {_number(rule.threshold or 0)} "
                f"{rule.unit} threshold: the source rounds its two thresholds "
                f"separately, so a value this close to the cut-off falls on "
                f"different sides of them ({_conversion(own_unit, factor, rule.unit)})."
            )
        return Finding("proteinuria", met, text, rule)
    met = rule.is_met(exact)
    verb = "meets" if met else "does not meet"
    shown = f"{_number(typed)} {own_unit or entry_unit}"
    if factor != 1.0:
        shown += f" = {_number(exact)} {rule.unit} (exact conversion, × {factor:.4g})"
    return Finding(
        "proteinuria",
        met,
        f"{shown} {verb} the threshold of {threshold_symbol} "
        f"{_number(rule.threshold or 0)} {rule.unit}; the rule: {rule.statement}.",
        rule,
    )


def _albumin_finding(entry: PatientEntry, rules: list[Criterion]) -> Finding:
    rule = next((c for c in rules if c.feature == "albumin"), None)
    if rule is None:
        return Finding("albumin", None, "No albumin threshold is defined.")
    if entry.albumin_value is None:
        return Finding("albumin", None, "Serum albumin was not measured.", rule)
    value = entry.albumin_value * ALBUMIN_UNITS[entry.albumin_unit]
    met = rule.is_met(value)
    shown = f"{entry.albumin_value:g} {entry.albumin_unit}"
    if entry.albumin_unit != rule.unit:
        shown += f" = {value:.3g} {rule.unit}"
    verb = "meets" if met else "does not meet"
    return Finding("albumin", met, f"{shown} {verb} the rule: {rule.statement}.", rule)


def _oedema_finding(entry: PatientEntry, rules: list[Criterion]) -> Finding:
    rule = next((c for c in rules if c.feature == "oedema"), None)
    met = {"yes": True, "no": False, "not examined": None}[entry.oedema]
    words = {True: "Oedema is present", False: "No oedema", None: "Oedema not examined"}
    text = words[met]
    if rule is not None:
        text += f"; the rule: {rule.statement}."
    return Finding("oedema", met, text, rule)


def classify(entry: PatientEntry, criteria: Iterable[Criterion]) -> Verdict:
    """Apply the primary definition for the entry's population.

    Raises
    ------
    EntryError
        If :func:`check_entry` finds problems (message lists them all).
    """
    problems = check_entry(entry)
    if problems:
        raise EntryError(" ".join(problems))
    rules = _primary(criteria, entry.population)
    protein = _protein_finding(entry, rules)
    albumin = _albumin_finding(entry, rules)
    oedema = _oedema_finding(entry, rules)
    findings = (protein, albumin, oedema)

    oedema_role = oedema.criterion.role if oedema.criterion else "supporting"
    if oedema_role == "substitute" and albumin.met is None and oedema.met is not None:
        albumin_ok: bool | None = oedema.met
        albumin = Finding(
            "albumin",
            oedema.met,
            "Serum albumin was not measured, so oedema stands in for it, as this "
            "definition allows.",
            albumin.criterion,
        )
        findings = (protein, albumin, oedema)
    else:
        albumin_ok = albumin.met
    needed = [protein.met, albumin_ok]
    if oedema_role == "required":
        needed.append(oedema.met)
    return _verdict(needed, findings, entry.population)


def _verdict(
    needed: list[bool | None], findings: tuple[Finding, ...], population: str
) -> Verdict:
    who = "an adult" if population == "adult" else "a child"
    if all(n is True for n in needed):
        return Verdict(
            "meets", f"Meets the definition of nephrotic syndrome in {who}.", findings
        )
    if any(n is False for n in needed):
        unmet = [
            f.feature for f, n in zip(findings, needed, strict=False) if n is False
        ]
        return Verdict(
            "does not meet",
            f"Does not meet the definition in {who}: {', '.join(unmet)} not met.",
            findings,
        )
    missing = [f.feature for f, n in zip(findings, needed, strict=False) if n is None]
    return Verdict(
        "incomplete",
        f"Cannot decide yet: {', '.join(missing)} still needed.",
        findings,
    )
