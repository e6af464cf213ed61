"""Summary-of-findings tables built from the real evidence file."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.core import datasets, efficacy, schemas
from dashboard.core.paths import DATA_DIR
from dashboard.models import efficacy_sof as sof
from dashboard.models import efficacy_sof_display as display

EVIDENCE = datasets.load_dataset(schemas.SCHEMAS["efficacy_evidence"], DATA_DIR)
ROWS = EVIDENCE.set_index("id", drop=False)
TABLES = {t.id: t for t in sof.sof_tables(EVIDENCE)}
MN = "membranous-nephropathy-vs-cyclophosphamide"


def _line(table: str, row_id: str) -> sof.SofLine:
    return next(line for line in TABLES[table].lines if line.row_id == row_id)


def test_the_supported_comparisons_each_get_a_table() -> None:
    assert set(TABLES) == {
        MN,
        "steroid-resistant-ns-vs-cyclophosphamide",
        "lupus-nephritis-vs-cyclophosphamide",
        "steroid-dependent-or-frequently-relapsing-ns-vs-rituximab",
        "minimal-change-disease-vs-steroids-alone",
        "other-nephrotic-syndrome-vs-steroids-alone",
    }
    comparators = {t.comparator for t in TABLES.values()}
    assert comparators == set(sof.COMPARATORS)


def test_every_line_rests_on_randomised_rows_with_a_source() -> None:
    for table in TABLES.values():
        assert table.lines
        for line in table.lines:
            for row_id in line.ids:
                row = ROWS.loc[row_id]
                assert row["evidence_base"] == "randomised", row_id
                assert row["disease_group"] == table.disease
                assert row["comparator_class"] == table.comparator
                assert pd.notna(row["source"])
                assert pd.notna(row["quote"])


def test_a_cochrane_line_keeps_its_grade_rating_and_published_ratio() -> None:
    line = _line(MN, "IMN-COCHRANE2021-SOF4-01")
    row = ROWS.loc["IMN-COCHRANE2021-SOF4-01"]
    assert line.certainty == row["certainty"] == "moderate"
    assert line.certainty_words.startswith(sof.SYMBOLS["moderate"])
    assert line.relative == "RR 1.01 (0.89 to 1.15)"
    assert line.evidence == "529 participants, 10 studies"  # from its population
    assert "probably results in little or no difference" in line.statement
    # Other rows on the same outcome and window are named, not dropped.
    assert set(line.also) == {"IMN-STARMEN-01", "IMN-MA-LIN2019-04"}


def test_two_sourced_baselines_give_the_lowest_and_the_highest() -> None:
    line = _line(MN, "IMN-COCHRANE2021-SOF4-01")
    assert line.lower.baseline.row_id == "IMN-COCHRANE2021-SOF4-01"
    assert line.lower.baseline.per_1000 == ROWS.loc[line.row_id, "per1000_comparator"]
    starmen = ROWS.loc["IMN-STARMEN-01"]
    assert line.higher.baseline.row_id == "IMN-STARMEN-01"
    assert line.higher.baseline.per_1000 == pytest.approx(
        1000 * starmen["events_comparator"] / starmen["total_comparator"]
    )
    expected = efficacy.absolute_effect(
        line.higher.baseline.per_1000, line.ratio, line.low, line.high, "RR"
    )
    assert line.higher.effect == expected
    assert f"**{expected.tacrolimus_per_1000:.0f}** per 1000" in line.higher.cell


def test_one_sourced_baseline_is_shown_alone_and_none_is_invented() -> None:
    line = _line(MN, "IMN-COCHRANE2021-SOF4-03")  # relapse: only its own risk
    assert line.lower is not None
    assert line.higher is None
    assert "none is invented" in line.baseline_note
    assert "only one sourced risk" in display.markdown_table(TABLES[MN])
    bare = _line(MN, "IMN-MA-LIN2019-01")  # an OR with no comparator risk anywhere
    assert bare.lower is None
    assert bare.higher is None
    assert "no per-1000" in bare.baseline_note


def test_a_single_trial_line_computes_its_risk_ratio_from_the_counts() -> None:
    table = "steroid-dependent-or-frequently-relapsing-ns-vs-rituximab"
    line = _line(table, "SDNS-BASU-01")  # 38/60 vs 54/60 relapse-free
    assert line.relative.startswith("RR 0.70 (")
    assert line.relative.endswith(sof.COMPUTED)
    assert line.evidence == "1 trial, 120 analysed"
    assert line.certainty is None
    assert line.certainty_words == "not rated by the source"
    assert "the source gives no certainty rating" in line.statement
    assert line.lower.baseline.per_1000 == pytest.approx(900.0)


def test_rows_left_out_of_a_table_say_why() -> None:
    reasons = dict(TABLES[MN].excluded)
    assert reasons["IMN-RETRO-SCIELO-02"].startswith("non-randomised evidence")
    assert reasons["IMN-MA-DRUGS2017-01"].startswith("mixed or unclear evidence")
    assert reasons["IMN-COCHRANE2021-SOF4-08"].startswith("a ratio without both")
    lupus = dict(TABLES["lupus-nephritis-vs-cyclophosphamide"].excluded)
    assert lupus["LN-MULTITARGET-01"] == "reported as RD, not a risk or odds ratio"


def test_caveats_of_the_rows_are_carried_as_notes() -> None:
    notes = " ".join(TABLES[MN].notes)
    assert "pools tacrolimus with cyclosporine" in notes
    assert "IMN-STARMEN-01" in notes
    assert "sequential" in notes


def test_the_markdown_table_has_one_line_per_outcome_and_no_stray_pipes() -> None:
    for table in TABLES.values():
        text = display.markdown_table(table)
        lines = text.splitlines()
        assert len(lines) == 2 + len(table.lines)
        assert {line.count("|") for line in lines} == {8}
        assert display.statements(table).count("\n") == len(table.lines) - 1
        for line in table.lines:
            assert line.row_id in display.card(line)


@pytest.mark.parametrize("which", ["lower", "higher"])
def test_the_icon_array_counts_100_people_at_the_chosen_baseline(which) -> None:
    line = _line(MN, "IMN-COCHRANE2021-SOF4-01")
    view = display.icon_view(line, "cyclophosphamide", which)
    at = line.lower if which == "lower" else line.higher
    without = round(at.baseline.per_1000 / 10)
    with_tac = round(at.effect.tacrolimus_per_1000 / 10)
    assert view.chart.table["With the outcome (of 100)"].tolist() == [without, with_tac]
    assert at.baseline.row_id in view.words
    assert view.chart.alt == view.words
    assert "Certainty: moderate" in view.words


def test_an_icon_array_needs_a_sourced_baseline() -> None:
    assert display.icon_view(_line(MN, "IMN-MA-LIN2019-01"), "cyclophosphamide") is None
    one = _line(MN, "IMN-COCHRANE2021-SOF4-03")
    assert display.icon_view(one, "cyclophosphamide", "higher").words == (
        display.icon_view(one, "cyclophosphamide", "lower").words
    )
