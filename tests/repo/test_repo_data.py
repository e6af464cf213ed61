"""Every dataset in content/data passes its schema, is documented and is traceable."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.core import datasets, nephrotic_syndrome, schemas
from dashboard.core.datasets import DataError
from dashboard.core.paths import DATA_DIR
from dashboard.tools.data_docs import schema_markdown

ALL = list(schemas.SCHEMAS.values())
#: Rows whose figure is a paraphrase of the quote; each with the reason.
PARAPHRASED = {
    ("ns_histology_by_age", "kodner-adult-mn"): "quote says 'about one third'",
    ("ns_histology_by_age", "kodner-adult-fsgs"): "quote says 'about one third'",
}
#: Numeric columns whose values must appear in each row's quote.
FIGURE_COLUMNS = {
    "ns_histology_by_age": ("percent_low", "percent_high"),
    "ns_steroid_course": ("percent_low", "percent_high"),
    "ns_complications": ("percent_low", "percent_high"),
    "ns_model_parameters": ("value",),
    "ns_diagnostic_criteria": ("threshold", "alt_threshold"),
}


@pytest.mark.parametrize("schema", ALL, ids=lambda s: s.name)
def test_schema_definition_is_sound(schema: datasets.Schema) -> None:
    assert datasets.validate_schema_definition(schema) == []


@pytest.mark.parametrize("schema", ALL, ids=lambda s: s.name)
def test_file_passes_its_schema(schema: datasets.Schema) -> None:
    frame = datasets.load_dataset(schema, DATA_DIR)
    assert len(frame) > 0
    assert frame["source"].str.len().min() > 5
    assert frame["source_url"].notna().all()


def test_every_csv_has_a_schema() -> None:
    files = {p.stem for p in DATA_DIR.glob("*.csv")}
    assert files == set(schemas.SCHEMAS)


@pytest.mark.parametrize("schema", ALL, ids=lambda s: s.name)
def test_readme_documents_schema(schema: datasets.Schema) -> None:
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert schema_markdown(schema) in readme, (
        f"content/data/README.md is out of date for {schema.filename}: "
        "run `make data-docs` and paste the section"
    )


def _appears(value: float, quote: str, unit: str | None) -> bool:
    candidates = {f"{value:g}", f"{value:,g}"}
    if unit == "g/L":  # the quote may give the same cut-off in g/dL
        candidates.add(f"{value / 10:g}")
    return any(re.search(rf"(?<![\d.]){re.escape(c)}(?!\d)", quote) for c in candidates)


@pytest.mark.parametrize(("name", "columns"), FIGURE_COLUMNS.items())
def test_every_figure_appears_in_its_quote(name: str, columns: tuple[str, ...]) -> None:
    frame = datasets.load_dataset(schemas.SCHEMAS[name], DATA_DIR)
    missing = []
    for row in frame.to_dict("records"):
        if (name, row["id"]) in PARAPHRASED:
            continue
        quote = "" if pd.isna(row["quote"]) else str(row["quote"])
        for column in columns:
            value = row[column]
            if pd.isna(value) or value == 0:
                continue
            if not _appears(float(value), quote, row.get("unit")):
                missing.append(f"{row['id']}: {column}={value:g} not in quote")
    assert missing == []


def test_each_population_has_a_complete_primary_definition() -> None:
    criteria = datasets.load_dataset(schemas.NS_DIAGNOSTIC_CRITERIA, DATA_DIR)
    primary = nephrotic_syndrome.primary_criteria(criteria)
    for population in ("adult", "child"):
        features = {c.feature for c in primary if c.population == population}
        assert {"proteinuria", "albumin", "oedema"} <= features


def test_model_inputs_come_from_sourced_rows() -> None:
    criteria = datasets.load_dataset(schemas.NS_DIAGNOSTIC_CRITERIA, DATA_DIR)
    parameters = datasets.load_dataset(schemas.NS_MODEL_PARAMETERS, DATA_DIR)
    thresholds = nephrotic_syndrome.chain_thresholds(criteria, parameters)
    assert thresholds.proteinuria_nephrotic == 3.5
    assert thresholds.albumin_low == 30
    assert thresholds.albumin_normal_min == 35
    assert thresholds.proteinuria_normal_max == 0.15
    model = nephrotic_syndrome.albumin_model(parameters)
    assert model.normal_albumin == 42.5
    assert model.synthesis == 15


def test_missing_model_parameter_is_a_clear_error() -> None:
    parameters = datasets.load_dataset(schemas.NS_MODEL_PARAMETERS, DATA_DIR)
    broken = parameters[parameters["id"] != "albumin-synthesis"]
    with pytest.raises(DataError, match=r"ns_model_parameters\.csv.*albumin-synthesis"):
        nephrotic_syndrome.albumin_model(broken)


@pytest.mark.parametrize(
    ("value", "quote", "unit", "found"),
    [
        (7.2, "occur in about 7% of patients", None, False),  # caught a real row
        (7.0, "occur in about 7% of patients", None, True),
        (3.5, "proteinuria of ≥3.5 g per day", None, True),
        (3.0, "between 13.0 and 31 g", None, False),
        (30.0, "serum albumin of <3.0 g/dl", "g/L", True),
        (30.0, "serum albumin of <3.0 g/dl", None, False),
    ],
)
def test_quote_matcher(value: float, quote: str, unit: str | None, found: bool) -> None:
    assert _appears(value, quote, unit) is found


# -- The quiz bank (content/data/quiz_questions.csv) --------------------------
#: The right option may be at most this many times the mean distractor length.
ANSWER_LENGTH_RATIO = 1.25
#: It may be strictly the longest option in at most this share of questions
#: (chance with three options), so "pick the longest" is no strategy.
LONGEST_ANSWER_SHARE = 1 / 3


def _bank_lengths() -> list[tuple[str, int, list[int]]]:
    """(id, length of the right option, lengths of the distractors) per question."""
    from dashboard.core import quiz as quiz_bank

    bank = datasets.load_dataset(schemas.QUIZ_QUESTIONS, DATA_DIR)
    return [
        (
            str(row["id"]),
            len(row["answer"]),
            [len(o) for o in quiz_bank.options(row) if o != row["answer"]],
        )
        for _, row in bank.iterrows()
    ]


@pytest.mark.parametrize(
    ("qid", "answer", "distractors"), _bank_lengths(), ids=lambda v: str(v)
)
def test_quiz_answer_is_not_given_away_by_its_length(
    qid: str, answer: int, distractors: list[int]
) -> None:
    """Rule (issue 21, ux review #3): the right option is no longer than 1.25
    times the mean length of its distractors, in characters."""
    mean = sum(distractors) / len(distractors)
    assert answer <= ANSWER_LENGTH_RATIO * mean, (qid, answer, round(mean, 1))


def test_quiz_answer_is_seldom_the_longest_option() -> None:
    longest = [q for q, answer, others in _bank_lengths() if answer > max(others)]
    assert len(longest) <= LONGEST_ANSWER_SHARE * len(_bank_lengths()), longest
