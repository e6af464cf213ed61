"""Efficacy arithmetic against worked examples; the curated data against its quotes."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.charts import efficacy as charts
from dashboard.core import datasets, schemas
from dashboard.core.efficacy import (
    ALL,
    EvidenceFilter,
    absolute_effect,
    caveat_words,
    certainty_statement,
    filter_evidence,
    forest_rows,
    risk_with_ratio,
    wilson_interval,
)
from dashboard.core.paths import DATA_DIR
from dashboard.tools import curate_evidence as curate

EVIDENCE = datasets.load_dataset(schemas.EFFICACY_EVIDENCE, DATA_DIR)


def row(row_id: str) -> pd.Series:
    return EVIDENCE[EVIDENCE["id"] == row_id].iloc[0]


# Newcombe RG. Two-sided confidence intervals for the single proportion: comparison
# of seven methods. Stat Med 1998;17:857-872, Table I, method 3 (Wilson score).
@pytest.mark.parametrize(
    ("events", "total", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe(
    events: int, total: int, low: float, high: float
) -> None:
    p, lo, hi = wilson_interval(events, total)
    assert p == pytest.approx(events / total)
    assert lo == pytest.approx(low, abs=5e-5)
    assert hi == pytest.approx(high, abs=5e-5)


@pytest.mark.parametrize(("events", "total"), [(5, 0), (-1, 10), (11, 10)])
def test_wilson_rejects_impossible_counts(events: int, total: int) -> None:
    with pytest.raises(ValueError, match="events"):
        wilson_interval(events, total)


def test_risk_with_ratio_rr_and_or() -> None:
    assert risk_with_ratio(0.2, 1.5, "RR") == pytest.approx(0.3)
    assert risk_with_ratio(0.8, 2.0, "RR") == 1.0  # capped
    # odds 0.25 × 2 = 0.5 → risk 1/3
    assert risk_with_ratio(0.2, 2.0, "OR") == pytest.approx(1 / 3)
    assert risk_with_ratio(0.3, 1.0, "OR") == pytest.approx(0.3)
    with pytest.raises(ValueError, match="positive"):
        risk_with_ratio(0.2, 0, "RR")
    with pytest.raises(ValueError, match="measure"):
        risk_with_ratio(0.2, 2, "RD")


SOF_ROWS = EVIDENCE[
    EVIDENCE["per1000_tac"].notna() & EVIDENCE["per1000_comparator"].notna()
]


@pytest.mark.parametrize("row_id", SOF_ROWS["id"].tolist())
def test_per_1000_reproduces_cochrane_summary_of_findings(row_id: str) -> None:
    r = row(row_id)
    result = absolute_effect(
        r["per1000_comparator"], r["effect_tac"], None, None, r["measure"]
    )
    # Cochrane computes from unrounded ratios: allow one per 1000 of rounding.
    assert result.tacrolimus_per_1000 == pytest.approx(r["per1000_tac"], abs=1.5)


def test_there_are_summary_of_findings_rows_to_check() -> None:
    assert len(SOF_ROWS) >= 15


def test_absolute_effect_range_and_difference() -> None:
    result = absolute_effect(397, 1.98, 1.25, 3.13, "RR")
    assert result.tacrolimus_per_1000 == pytest.approx(786.06)
    assert result.low_per_1000 == pytest.approx(496.25)
    assert result.high_per_1000 == pytest.approx(1000.0)  # capped at everyone
    assert result.difference == pytest.approx(389.06)


@pytest.mark.parametrize(
    ("certainty", "low", "high", "expected"),
    [
        ("high", 1.2, 1.8, "tacrolimus-based treatment results in more remission"),
        ("moderate", 0.89, 1.15, "probably results in little or no difference in"),
        ("low", 1.25, 3.13, "may result in more remission"),
        ("low", 0.18, 0.58, "may result in less remission"),
        ("very low", 0.64, 9.01, "We are very uncertain whether"),
        (None, 1.1, 1.5, "the source gives no certainty rating"),
    ],
)
def test_certainty_wording(certainty, low, high, expected) -> None:
    effect = (low + high) / 2
    text = certainty_statement(
        certainty=certainty,
        low=low,
        high=high,
        effect=effect,
        outcome="remission",
        comparator="cyclophosphamide",
    )
    assert expected in text


def test_as_reported_ratios_are_untouched() -> None:
    kept = EVIDENCE[
        (EVIDENCE["direction"] == "as reported") & EVIDENCE["effect"].notna()
    ]
    assert (kept["effect_tac"] == kept["effect"]).all()


@pytest.mark.parametrize(
    ("row_id", "effect", "low", "high"),
    [
        ("SRNS-CHOUDHRY2009-03", 1 / 4.5, 1 / 18.2, 1 / 1.1),
        ("SDNS-BASU-01", 1 / 5.21, None, None),
    ],
)
def test_inverted_ratios_are_reciprocals(row_id, effect, low, high) -> None:
    r = row(row_id)
    assert r["direction"] == "inverted"
    assert r["effect_tac"] == pytest.approx(effect, rel=2e-3)
    if low is not None:
        assert r["ci_low_tac"] == pytest.approx(low, rel=2e-3)
        assert r["ci_high_tac"] == pytest.approx(high, rel=2e-3)


def test_inverted_risk_difference_flips_sign() -> None:
    r = row("SSNS-MMF-MA-2021-01")
    assert (r["effect"], r["effect_tac"]) == (-0.27, 0.27)
    assert (r["ci_low_tac"], r["ci_high_tac"]) == (0.14, 0.4)


def test_forest_rows_turn_relapse_free_odds_ratio_into_relapse() -> None:
    rows = forest_rows(EVIDENCE, "relapse")
    basu = rows[rows["id"] == "SDNS-BASU-01"].iloc[0]
    assert basu["converted"]
    assert basu["effect_tac"] == pytest.approx(5.21, rel=2e-3)  # more relapse on TAC
    choudhry = rows[rows["id"] == "SRNS-CHOUDHRY2009-03"].iloc[0]
    assert not choudhry["converted"]
    assert set(rows["measure"]) <= {"RR", "OR", "HR"}


def test_filters_combine() -> None:
    chosen = EvidenceFilter(
        disease="steroid-resistant NS", comparator="cyclosporine", outcome="remission"
    )
    ids = set(filter_evidence(EVIDENCE, chosen)["id"])
    assert {"SRNS-CHOUDHRY2009-01", "SRNS-IJN2018-01"} <= ids
    assert all(i.startswith("SRNS") for i in ids)
    only_rct = filter_evidence(EVIDENCE, EvidenceFilter(designs=("rct",)))
    assert set(only_rct["design_class"]) == {"rct"}
    everything = filter_evidence(EVIDENCE, EvidenceFilter(disease=ALL))
    assert len(everything) == (EVIDENCE["outcome_group"] == "remission").sum()


def test_caveat_words() -> None:
    assert caveat_words("cni_pooled;ci_truncated", schemas.CAVEATS) == [
        schemas.CAVEATS["cni_pooled"],
        schemas.CAVEATS["ci_truncated"],
    ]
    assert caveat_words(pd.NA, schemas.CAVEATS) == []


def test_randomised_and_non_randomised_are_separate_panels() -> None:
    rows = forest_rows(
        EVIDENCE[EVIDENCE["disease_group"] == "membranous nephropathy"], "remission"
    )
    fig = charts.forest_chart(rows, higher_is_better=True, title="t").figure
    names = [t.name for t in fig.data]
    assert names == [
        charts.BASE_TITLES[b]
        for b in charts.BASE_ORDER
        if (rows["evidence_base"] == b).any()
    ]
    assert sum(len(t.x) for t in fig.data) == len(rows)
    pooled = next(t for t in fig.data if "Randomised" in t.name)
    assert "diamond" in pooled.marker.symbol
    titles = [
        fig.layout[k].title.text or "" for k in fig.layout if k.startswith("xaxis")
    ]
    assert any("favours tacrolimus →" in t for t in titles)


def test_favours_labels_follow_the_outcome() -> None:
    assert charts.favours_labels(True) == (
        "← favours comparator",
        "favours tacrolimus →",
    )
    assert charts.favours_labels(False) == (
        "← favours tacrolimus",
        "favours comparator →",
    )


@pytest.mark.parametrize(
    ("outcome", "name"),
    [
        ("leukopenia", "leukopenia"),
        # a note in brackets that holds a semicolon of its own
        ("tremor (decimal points stripped; read as 8.939 by analogy)", "tremor"),
        ("complete remission (induction); 95% CI truncated", "complete remission"),
        (
            "100% increase in creatinine (proxy) (absolute risk per 1000)",
            "100% increase in creatinine",
        ),
        ("a (b (c)) d", "a d"),
        ("complete or partial remission, %", "complete or partial remission"),
        ("any adverse event, n/N (%)", "any adverse event"),
        ("(only a note)", "(only a note)"),
    ],
)
def test_short_outcome_drops_the_curators_notes(outcome: str, name: str) -> None:
    assert charts.short_outcome(outcome) == name


@pytest.mark.parametrize("group", sorted(EVIDENCE["outcome_group"].unique()))
def test_no_two_rows_of_a_forest_panel_share_a_line(group: str) -> None:
    # A panel's y axis is categorical: rows with one label would be drawn on one
    # line, their points told apart by nothing.
    rows = forest_rows(EVIDENCE, group)
    for disease in [ALL, *rows["disease_group"].unique()]:
        chosen = rows if disease == ALL else rows[rows["disease_group"] == disease]
        for _, panel in chosen.groupby("evidence_base"):
            labels = charts.row_labels(panel)
            assert len(set(labels)) == len(labels), labels


def test_rows_that_share_a_study_are_told_apart_by_outcome_then_arm() -> None:
    harms = forest_rows(EVIDENCE, "adverse events")
    zhu = charts.row_labels(harms[harms["study"] == "Zhu 2017"])
    assert [label.rsplit("<br>", 1)[1] for label in zhu] == [
        "<i>drop-outs due to adverse effects</i>",
        "<i>leukopenia</i>",
        "<i>tremor</i>",
    ]
    palmer = EVIDENCE[EVIDENCE["id"].isin(["LN-NMA-PALMER-01", "LN-NMA-PALMER-02"])]
    labels = charts.row_labels(palmer)
    assert labels[0].endswith("<i>MMF + calcineurin inhibitor</i>")
    assert labels[1].endswith("<i>Calcineurin inhibitor</i>")
    # a row alone keeps the short label
    single = charts.row_labels(EVIDENCE[EVIDENCE["id"] == "IMN-CHEN-01"])
    assert "<i>" not in single[0]


def test_the_harms_table_and_alt_text_name_each_outcome() -> None:
    harms = forest_rows(EVIDENCE, "adverse events")
    chart = charts.forest_chart(harms, higher_is_better=False, title="Harms")
    table = chart.table
    assert "tremor" in set(table["Outcome"])
    assert "leukopenia" in set(table["Outcome"])
    alt = chart.alt
    assert "vs cyclophosphamide, tremor: RR 8.94" in alt


def test_arm_rows_have_wilson_intervals() -> None:
    arms = charts.arm_rows(EVIDENCE)
    chen = arms[arms["id"] == "IMN-CHEN-01"].iloc[0]
    p, low, high = wilson_interval(33, 39)
    assert (chen["p_tac"], chen["low_tac"], chen["high_tac"]) == (p, low, high)
    assert (arms["low_tac"] <= arms["p_tac"]).all()
    assert (arms["p_comparator"] <= arms["high_comparator"]).all()


# --- the curation: parsing and the data against its quotes -------------------------


@pytest.mark.parametrize(
    ("text", "n", "percent", "expected"),
    [
        ("18 (64.3%)", "28", True, {"events": "18", "total": "28", "pct": "64.3"}),
        ("10/11 (90.9%)", "", True, {"events": "10", "total": "11", "pct": "90.9"}),
        ("85", "39", True, {"events": "33", "total": "39", "derived": "events"}),
        ("16.3", "60", True, {"events": "", "total": ""}),  # no whole number fits
        ("29 (96.66%)", "", True, {"total": "30", "derived": "total"}),
        ("43 (10.5%)", "", True, {"total": ""}),  # 409.5: not a whole number
        ("791 per 1000", "", False, {"per1000": "791"}),
        ("not observed", "", True, {"events": "", "pct": ""}),
    ],
)
def test_parse_value(text, n, percent, expected) -> None:
    parsed = curate.parse_value(text, n, percent=percent)
    assert {k: parsed[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("outcome", "group"),
    [
        ("complete remission, n (%)", ("complete remission", True)),
        ("remission (complete or partial), %", ("remission", True)),
        ("cumulative partial or complete remission, %", ("remission", True)),
        ("12-month relapse-free survival, n (%)", ("relapse", True)),
        ("recurrence of disease (relapse)", ("relapse", False)),
        (
            "adverse events: leucopenia lower, creatinine trend higher",
            ("adverse events", False),
        ),
        (
            "end-stage kidney disease (absolute risk per 1000)",
            ("kidney outcomes", False),
        ),
    ],
)
def test_outcome_groups(outcome, group) -> None:
    assert curate.outcome_group(outcome) == group


@pytest.mark.parametrize(
    ("timepoint", "band"),
    [
        ("6 months", "up to 6 months"),
        ("24 weeks", "up to 6 months"),
        ("48 weeks", "12 months or more"),
        ("median 5.4 y follow-up", "12 months or more"),
        ("longest follow-up", "final follow-up"),
        ("", "not stated"),
    ],
)
def test_timepoint_bands(timepoint, band) -> None:
    assert curate.timepoint_group(timepoint) == band


NUMBER_WORDS = dict(
    enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
)


def _in_quote(value: float, quote: str) -> bool:
    text = quote.replace("−", "-").replace("‐", "-")
    text = text + " " + re.sub(r"(\d),(\d)", r"\1.\2", text)  # decimal commas
    forms = {f"{value:g}", f"{value:.1f}", f"{value:.2f}", f"{value:.3f}"}
    if float(value).is_integer() and int(value) in NUMBER_WORDS:
        forms.add(NUMBER_WORDS[int(value)])
    return any(
        re.search(rf"(?<![\d.]){re.escape(f)}(?!\d)", text, re.IGNORECASE)
        for f in forms
    )


def test_every_figure_appears_in_its_quote() -> None:
    missing = []
    for r in EVIDENCE.to_dict("records"):
        quote = "" if pd.isna(r["quote"]) else str(r["quote"])
        caveats = "" if pd.isna(r["caveats"]) else str(r["caveats"])
        for column in (
            "effect",
            "ci_low",
            "ci_high",
            "pct_tac",
            "pct_comparator",
            "per1000_tac",
            "per1000_comparator",
            "events_tac",
            "events_comparator",
        ):
            value = r[column]
            if pd.isna(value) or _in_quote(float(value), quote):
                continue
            if "decimals_inferred" in caveats:  # the copy had decimals stripped
                continue
            if column.startswith("ci") and "ci_truncated" in caveats:
                continue
            if column.startswith("events") and "counts_derived" in caveats:
                continue
            arm = column.rsplit("_", 1)[-1]
            if column.startswith("pct") and pd.notna(r.get(f"events_{arm}")):
                continue  # a percentage computed from counts shown in the quote
            missing.append(f"{r['id']}: {column}={value:g}")
    assert missing == []


def test_claims_cite_existing_rows_and_only_their_numbers() -> None:
    claims = datasets.load_dataset(schemas.EFFICACY_CLAIMS, DATA_DIR)
    by_id = EVIDENCE.set_index("id")
    for claim in claims.itertuples(index=False):
        ids = str(claim.evidence_ids).split(";")
        assert set(ids) <= set(by_id.index), claim.id
        behind = " ".join(
            " ".join(str(v) for v in by_id.loc[i].tolist() if pd.notna(v)) for i in ids
        )
        for number in re.findall(r"\d+(?:\.\d+)?", str(claim.summary)):
            assert _in_quote(float(number), behind), (claim.id, number)


@pytest.mark.parametrize("group", schemas.DISEASE_GROUPS)
def test_every_disease_group_has_evidence_and_a_claim(group: str) -> None:
    claims = datasets.load_dataset(schemas.EFFICACY_CLAIMS, DATA_DIR)
    assert (EVIDENCE["disease_group"] == group).any()
    assert (claims["disease_group"] == group).any()
