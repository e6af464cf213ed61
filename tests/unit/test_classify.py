"""Classify-a-patient: definitions applied per population, units, bad entries."""

from __future__ import annotations

import math

import pytest

from dashboard.core import datasets, nephrotic_syndrome, schemas
from dashboard.core.classify import (
    CREATININE_MG_PER_MMOL,
    PROTEIN_UNITS,
    EntryError,
    PatientEntry,
    check_entry,
    classify,
)
from dashboard.core.paths import DATA_DIR

CRITERIA = nephrotic_syndrome.primary_criteria(
    datasets.load_dataset(schemas.NS_DIAGNOSTIC_CRITERIA, DATA_DIR)
)


def entry(**changes) -> PatientEntry:
    base = {
        "population": "adult",
        "protein_value": 4.2,
        "protein_unit": "g/day (24-hour urine)",
        "albumin_value": 24.0,
        "albumin_unit": "g/L",
        "oedema": "yes",
        "dipstick": None,
    }
    return PatientEntry(**(base | changes))


def status(**changes) -> str:
    return classify(entry(**changes), CRITERIA).status


def test_typical_adult_meets_definition() -> None:
    verdict = classify(entry(), CRITERIA)
    assert verdict.status == "meets"
    assert verdict.headline == "Meets the definition of nephrotic syndrome in an adult."
    assert all(f.criterion is not None for f in verdict.findings)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"protein_value": 3.5}, "meets"),  # ≥ 3.5 g/day is inclusive
        ({"protein_value": 3.49}, "does not meet"),
        ({"albumin_value": 30.0}, "does not meet"),  # < 30 g/L is strict
        ({"albumin_value": 29.9}, "meets"),
        ({"oedema": "no"}, "does not meet"),  # oedema is part of the adult definition
        ({"oedema": "not examined"}, "incomplete"),
        ({"albumin_value": None}, "incomplete"),
        ({"protein_value": None}, "incomplete"),
    ],
)
def test_adult_boundaries(changes: dict, expected: str) -> None:
    assert status(**changes) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (3500, "mg/day (24-hour urine)", "meets"),
        (3499, "mg/day (24-hour urine)", "does not meet"),
        (300, "UPCR mg/mmol", "meets"),
        (2.7, "UPCR mg/mg (= g/g)", "meets"),  # 2.7 × 113.12 = 305 mg/mmol
        (2.6, "UPCR mg/mg (= g/g)", "does not meet"),  # 294 mg/mmol
        # the source's own mg/g cut-off (3,000) applies to a value typed in mg/g,
        # although 2,700 mg/g is 305 mg/mmol exactly (the finding explains both)
        (2700, "UPCR mg/g", "does not meet"),
        (3000, "UPCR mg/g", "meets"),
    ],
)
def test_adult_units_are_converted(value: float, unit: str, expected: str) -> None:
    assert status(protein_value=value, protein_unit=unit) == expected


def test_conversion_is_shown_to_the_student() -> None:
    verdict = classify(
        entry(protein_value=2.7, protein_unit="UPCR mg/mg (= g/g)"), CRITERIA
    )
    assert "= 305 mg/mmol" in verdict.findings[0].explanation
    assert math.isclose(PROTEIN_UNITS["UPCR mg/mg (= g/g)"][1], CREATININE_MG_PER_MMOL)


def test_albumin_in_g_per_dl_is_converted() -> None:
    verdict = classify(entry(albumin_value=2.4, albumin_unit="g/dL"), CRITERIA)
    assert verdict.status == "meets"
    assert "2.4 g/dL = 24 g/L" in verdict.findings[1].explanation


def test_adult_dipstick_has_no_threshold() -> None:
    verdict = classify(
        entry(protein_value=None, protein_unit="dipstick grade", dipstick="4+"),
        CRITERIA,
    )
    assert verdict.status == "incomplete"
    assert "no threshold for dipstick grade" in verdict.findings[0].explanation


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"protein_value": 250, "protein_unit": "UPCR mg/mmol"}, "meets"),
        ({"protein_value": 150, "protein_unit": "UPCR mg/mmol"}, "does not meet"),
        (
            {"protein_value": 40, "protein_unit": "mg/m² per hour (timed urine)"},
            "meets",
        ),
        (
            {"protein_value": 1000, "protein_unit": "mg/m² per day (24-hour urine)"},
            "meets",
        ),
        ({"protein_unit": "dipstick grade", "dipstick": "3+"}, "meets"),
        ({"protein_unit": "dipstick grade", "dipstick": "2+"}, "does not meet"),
        ({"protein_unit": "dipstick grade", "dipstick": "trace"}, "does not meet"),
        # Oedema stands in for albumin only when albumin was not measured.
        ({"albumin_value": None, "oedema": "yes"}, "meets"),
        ({"albumin_value": None, "oedema": "no"}, "does not meet"),
        ({"albumin_value": None, "oedema": "not examined"}, "incomplete"),
        ({"albumin_value": 35.0, "oedema": "yes"}, "does not meet"),
        ({"oedema": "no"}, "meets"),  # oedema is not required for children
    ],
)
def test_child_definition(changes: dict, expected: str) -> None:
    base = {"population": "child", "protein_value": 250, "protein_unit": "UPCR mg/mmol"}
    assert status(**(base | changes)) == expected


def test_substitution_is_explained() -> None:
    verdict = classify(
        entry(
            population="child",
            protein_value=250,
            protein_unit="UPCR mg/mmol",
            albumin_value=None,
        ),
        CRITERIA,
    )
    assert "oedema stands in for it" in verdict.findings[1].explanation


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"protein_value": -1.0}, "Urine protein cannot be negative."),
        ({"protein_value": float("nan")}, "Urine protein must be a number."),
        ({"protein_value": 80.0}, "outside what this exercise accepts (0–50 g/day"),
        (
            {"albumin_value": 2.4},
            "It looks like a value in g/dL: switch the unit to g/dL",
        ),
        ({"albumin_value": 35.0, "albumin_unit": "g/dL"}, "switch the unit to g/L"),
        ({"albumin_value": 0.0}, "Serum albumin must be greater than zero."),
        ({"albumin_value": 900.0}, "outside what this exercise accepts (5–60 g/L)."),
        ({"protein_unit": "furlongs"}, "Unknown urine protein unit 'furlongs'."),
        ({"albumin_unit": "mol"}, "Unknown albumin unit 'mol'."),
        (
            {"protein_unit": "dipstick grade", "dipstick": "5+"},
            "Choose a dipstick grade",
        ),
        ({"oedema": "maybe"}, "Say whether oedema is present"),
    ],
)
def test_bad_entries_get_plain_messages(changes: dict, message: str) -> None:
    assert any(message in p for p in check_entry(entry(**changes)))
    with pytest.raises(EntryError, match=r"\w"):
        classify(entry(**changes), CRITERIA)


def test_good_entry_has_no_problems() -> None:
    assert check_entry(entry()) == []


def _upcr_rule(**changes):
    from dashboard.core.classify import Criterion

    base = {
        "population": "adult",
        "feature": "proteinuria",
        "measure": "upcr",
        "comparator": ">=",
        "threshold": 300.0,
        "unit": "mg/mmol",
        "role": "required",
        "statement": "UPCR of 300 mg/mmol (3,000 mg/g) or more",
        "source": "Test source 2020",
        "source_url": "PMID 12345678",
        "alt_threshold": 3000.0,
        "alt_unit": "mg/g",
    }
    return Criterion(**(base | changes))


def _protein_text(value: float, unit: str, rule) -> tuple[bool | None, str]:
    finding = classify(entry(protein_value=value, protein_unit=unit), [rule]).findings[
        0
    ]
    return finding.met, finding.explanation


def test_source_threshold_in_the_typed_unit_is_applied_as_written() -> None:
    # 2,700 mg/g is below the source's own 3,000 mg/g, though 305 mg/mmol exactly.
    met, text = _protein_text(2700, "UPCR mg/g", _upcr_rule())
    assert met is False
    assert "does not meet the source's threshold in this unit (≥ 3,000 mg/g)" in text
    assert "305 mg/mmol, which meets" in text  # the disagreement is explained
    assert "8.84 mg/g" in text


def test_no_disagreement_note_away_from_the_cut_off() -> None:
    met, text = _protein_text(3500, "UPCR mg/g", _upcr_rule())
    assert met is True
    assert "Converted exactly" not in text


def test_exact_conversion_is_shown_when_the_source_gives_one_unit() -> None:
    rule = _upcr_rule(alt_threshold=None, alt_unit="", statement="UPCR ≥ 300 mg/mmol")
    met, text = _protein_text(2700, "UPCR mg/g", rule)
    assert met is True
    assert text.startswith("2,700 mg/g = 305 mg/mmol (exact conversion, × 0.1131)")
    assert "meets the threshold of ≥ 300 mg/mmol" in text


@pytest.mark.parametrize("value", [1000, 2500, 2652, 2700, 3000, 3100, 9000])
def test_verdict_never_contradicts_the_threshold_it_prints(value: float) -> None:
    """Whatever unit path is taken, the number shown is on the stated side."""
    for rule in (_upcr_rule(), _upcr_rule(alt_threshold=None, alt_unit="")):
        met, text = _protein_text(value, "UPCR mg/g", rule)
        if rule.alt_threshold is not None:
            assert met == (value >= 3000)
        else:
            assert met == (value * CREATININE_MG_PER_MMOL / 1000 >= 300)
        assert ("does not meet" in text.split(";")[0]) == (not met)
