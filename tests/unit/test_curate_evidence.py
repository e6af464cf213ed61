"""The curation script speaks the schema's vocabularies, never a copy of them."""

from __future__ import annotations

import pytest

from dashboard.core import schemas
from dashboard.tools import curate_evidence as curate

#: Each name the script uses, the schema vocabulary it comes from, and its value
#: (the script unpacks the tuples by position: a reordered tuple must fail here).
NAMED = {
    "MN": (schemas.DISEASE_GROUPS, "membranous nephropathy"),
    "MCD": (schemas.DISEASE_GROUPS, "minimal change disease"),
    "SRNS": (schemas.DISEASE_GROUPS, "steroid-resistant NS"),
    "SDNS": (schemas.DISEASE_GROUPS, "steroid-dependent or frequently relapsing NS"),
    "LN": (schemas.DISEASE_GROUPS, "lupus nephritis"),
    "OTHER": (schemas.DISEASE_GROUPS, "other nephrotic syndrome"),
    "CYC": (schemas.COMPARATORS, "cyclophosphamide"),
    "CSA": (schemas.COMPARATORS, "cyclosporine"),
    "STER": (schemas.COMPARATORS, "steroids alone"),
    "RTX": (schemas.COMPARATORS, "rituximab"),
    "MMF": (schemas.COMPARATORS, "mycophenolate"),
    "NONE_IS": (schemas.COMPARATORS, "no immunosuppression"),
    "TAC_CS": (schemas.COMPARATORS, "tacrolimus + steroid"),
    "OTHER_REG": (schemas.COMPARATORS, "other regimen"),
    "SINGLE": (schemas.COMPARATORS, "none (single arm)"),
    "R": (schemas.EVIDENCE_BASES, "randomised"),
    "NR": (schemas.EVIDENCE_BASES, "non-randomised"),
    "MIX": (schemas.EVIDENCE_BASES, "mixed or unclear"),
    "RCT": (schemas.DESIGN_CLASSES, "rct"),
    "META": (schemas.DESIGN_CLASSES, "meta-analysis"),
    "OBS": (schemas.DESIGN_CLASSES, "observational"),
    "REMISSION": (schemas.OUTCOME_GROUPS, "remission"),
    "COMPLETE": (schemas.OUTCOME_GROUPS, "complete remission"),
    "RELAPSE": (schemas.OUTCOME_GROUPS, "relapse"),
    "ADVERSE": (schemas.OUTCOME_GROUPS, "adverse events"),
    "KIDNEY": (schemas.OUTCOME_GROUPS, "kidney outcomes"),
    "OTHER_OUTCOME": (schemas.OUTCOME_GROUPS, "other"),
    "SHORT": (schemas.TIMEPOINT_GROUPS, "up to 6 months"),
    "LONG": (schemas.TIMEPOINT_GROUPS, "12 months or more"),
    "FINAL": (schemas.TIMEPOINT_GROUPS, "final follow-up"),
    "NOT_STATED": (schemas.TIMEPOINT_GROUPS, "not stated"),
    "RR": (schemas.MEASURES, "RR"),
    "OR": (schemas.MEASURES, "OR"),
    "HR": (schemas.MEASURES, "HR"),
    "RD": (schemas.MEASURES, "RD"),
    "NNT": (schemas.MEASURES, "NNT"),
    "DIFFERENCE": (schemas.MEASURES, "difference"),
    "P_VALUE": (schemas.MEASURES, "p-value"),
    "AS_REPORTED": (schemas.DIRECTIONS, "as reported"),
    "TURNED": (schemas.DIRECTIONS, "inverted"),
    "PROTOCOL": (schemas.TROUGH_KINDS, "trial protocol"),
    "OBSERVATIONAL_STUDY": (schemas.TROUGH_KINDS, "observational study"),
    "REVIEW_TABLE": (schemas.TROUGH_KINDS, "review table"),
    "GUIDELINE": (schemas.TROUGH_KINDS, "guideline"),
}


@pytest.mark.parametrize("name", NAMED)
def test_each_name_is_the_schema_s_own_value(name: str) -> None:
    vocabulary, value = NAMED[name]
    used = getattr(curate, name)
    assert used == value
    assert any(used is entry for entry in vocabulary), "a copy, not the schema's"


def test_every_vocabulary_is_named_in_full() -> None:
    for vocabulary in {id(v): v for v, _ in NAMED.values()}.values():
        assert {value for v, value in NAMED.values() if v is vocabulary} == set(
            vocabulary
        )


def test_the_schema_checks_its_columns_against_the_same_vocabularies() -> None:
    allowed = {c.name: c.allowed for c in schemas.EFFICACY_EVIDENCE.columns}
    assert allowed["disease_group"] is schemas.DISEASE_GROUPS
    assert allowed["comparator_class"] is schemas.COMPARATORS
    assert allowed["design_class"] is schemas.DESIGN_CLASSES
    assert allowed["evidence_base"] is schemas.EVIDENCE_BASES
    assert allowed["outcome_group"] is schemas.OUTCOME_GROUPS
    assert allowed["timepoint_group"] is schemas.TIMEPOINT_GROUPS
    assert allowed["measure"] is schemas.MEASURES
    assert allowed["direction"] is schemas.DIRECTIONS
    assert allowed["certainty"] is schemas.CERTAINTIES
    kinds = {c.name: c.allowed for c in schemas.TROUGH_TARGETS.columns}["kind"]
    assert kinds is schemas.TROUGH_KINDS


def test_every_study_annotation_is_in_the_vocabularies() -> None:
    codes = {"counts_derived", *curate.ROW_CAVEATS.values()}
    for group, comparator, design, base, caveats in curate.STUDIES.values():
        assert group in schemas.DISEASE_GROUPS
        assert comparator in schemas.COMPARATORS
        assert design in schemas.DESIGN_CLASSES
        assert base in schemas.EVIDENCE_BASES
        codes.update(c for c in caveats.split(";") if c)
    assert codes <= set(schemas.CAVEATS)
    for outcome, _ in curate.OUTCOME_OVERRIDES.values():
        assert outcome in schemas.OUTCOME_GROUPS
    assert set(curate.TIMEPOINT_OVERRIDES.values()) <= set(schemas.TIMEPOINT_GROUPS)


@pytest.mark.parametrize(
    ("population", "level"),
    [
        ("... GRADE very low certainty", "very low"),
        ("... GRADE low", "low"),
        ("... GRADE moderate", "moderate"),
        ("... GRADE high", "high"),
        ("no grade given", ""),
    ],
)
def test_certainty_is_read_with_the_schema_s_levels(
    population: str, level: str
) -> None:
    assert curate._certainty(population) == level
