"""The Efficacy page's model: the filtered view, per-1000 sentences, claims, sources."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.charts import efficacy as charts
from dashboard.charts.chart import Chart
from dashboard.core import datasets, schemas
from dashboard.core.efficacy import ALL, AbsoluteEffect, EvidenceFilter
from dashboard.core.efficacy import filter_evidence as core_filter
from dashboard.core.paths import DATA_DIR
from dashboard.models import efficacy as model
from dashboard.models import efficacy_guidance as guidance
from dashboard.models import efficacy_sources as sources


def _data(name: str) -> pd.DataFrame:
    return datasets.load_dataset(schemas.SCHEMAS[name], DATA_DIR)


EVIDENCE = _data("efficacy_evidence")
CLAIMS = _data("efficacy_claims")
MN = EvidenceFilter(disease="membranous nephropathy")
SOF = "IMN-COCHRANE2021-SOF4-01"  # Cochrane 2021: RR 1.01 (0.89-1.15), 784 per 1000


def _row(row_id: str) -> pd.Series:
    return EVIDENCE[EVIDENCE["id"] == row_id].iloc[0]


# --- the filtered view -------------------------------------------------------------


def test_evidence_view_counts_the_rows_by_evidence_base() -> None:
    view = model.evidence_view(EVIDENCE, MN)
    expected = core_filter(EVIDENCE, MN)
    assert list(view.rows["id"]) == list(expected["id"])
    counts = expected["evidence_base"].value_counts()
    assert view.summary == (
        f"**{len(expected)} rows** match: "
        f"**{counts.get('randomised', 0)}** randomised, "
        f"**{counts.get('mixed or unclear', 0)}** mixed or unclear, "
        f"**{counts.get('non-randomised', 0)}** non-randomised."
    )


def test_evidence_view_builds_both_charts_as_chart_values() -> None:
    view = model.evidence_view(EVIDENCE, MN)
    assert isinstance(view.forest, Chart)
    assert view.forest.title == "Remission: ratios"
    assert list(view.forest.table["Row id"]) == list(view.oriented["id"])
    assert isinstance(view.arms, Chart)
    assert view.arms.title == "Remission in each arm"
    assert view.arms.alt.startswith("Proportions per arm with 95% Wilson intervals.")


def test_summary_of_findings_ratios_come_first_with_their_labels() -> None:
    view = model.evidence_view(EVIDENCE, MN)
    assert set(view.ratios["measure"]) <= {"RR", "OR"}
    assert view.ratios.iloc[0]["id"] == SOF
    sof = view.ratios["per1000_comparator"].notna().tolist()
    assert sof == sorted(sof, reverse=True)
    assert list(view.ratio_labels) == list(view.ratios["id"])
    assert set(view.ratio_rows) == set(view.ratios["id"])
    label = view.ratio_labels[SOF]
    assert label.startswith(f"{_row(SOF)['study']}: total remission, RR 1.01, vs ")
    assert label.endswith("cyclophosphamide, final follow-up (9-60 mo)")


def test_the_data_table_shows_caveats_in_words() -> None:
    view = model.evidence_view(EVIDENCE, MN)
    assert list(view.shown.columns)[:2] == ["id", "disease_group"]
    assert len(view.shown) == len(view.rows)
    chen = view.shown[view.shown["id"] == "IMN-CHEN-01"].iloc[0]
    assert chen["caveats"] == schemas.CAVEATS["counts_derived"]
    assert view.source_labels["IMN-CHEN-01"] == "IMN-CHEN-01: Chen 2010"


def test_a_filter_that_matches_nothing_gives_no_charts() -> None:
    view = model.evidence_view(EVIDENCE, EvidenceFilter(MN.disease, "rituximab"))
    assert view.rows.empty
    assert view.forest is None
    assert view.arms is None
    assert view.ratios.empty
    assert view.turned_note == ""
    assert view.summary.startswith("**0 rows** match")


def test_turned_round_and_unattributed_rows_get_their_notes() -> None:
    relapse = EvidenceFilter(disease=ALL, outcome="relapse")
    note = model.evidence_view(EVIDENCE, relapse).turned_note
    turned, weak = note.split("  \n")
    assert turned.startswith("† Turned round to read tacrolimus-based vs comparator: ")
    assert "**Basu 2018** reported *OR (rituximab vs tacrolimus" in turned
    assert "5.21; shown as 5.21 (odds ratio of the complementary outcome)" in turned
    assert "**Choudhry 2009** reported *RR (CsA vs TAC)* 4.5; shown as 0.222" in turned
    assert weak.startswith("‡ Weaker evidence: the authors of ")
    assert weak.endswith("so the work cannot be checked against its full report.")


def test_the_view_leaves_the_shared_data_unchanged() -> None:
    before = EVIDENCE.copy()
    model.evidence_view(EVIDENCE, EvidenceFilter(disease=ALL, outcome="relapse"))
    pd.testing.assert_frame_equal(EVIDENCE, before)


def test_an_unknown_outcome_family_is_refused() -> None:
    with pytest.raises(ValueError, match="cure"):
        model.evidence_view(EVIDENCE, EvidenceFilter(outcome="cure"))


def test_the_handout_names_the_filter_and_lists_the_ratios() -> None:
    chosen = EvidenceFilter(disease=ALL, designs=("rct", "meta-analysis"))
    oriented = model.evidence_view(EVIDENCE, chosen).oriented
    handout = model.forest_handout(oriented, chosen)
    assert handout.title == "Tacrolimus vs comparators: remission"
    assert handout.view.startswith(
        "Filters: disease all; comparator all; designs rct, meta-analysis; "
        "timepoint all. Ratios read tacrolimus-based vs comparator;"
    )
    assert len(handout.numbers) == min(12, len(oriented))
    first = oriented.iloc[0]
    assert handout.numbers[0][0].startswith(f"{first['study']} (")
    assert handout.figure_png is not None
    assert handout.figure_png.startswith(b"\x89PNG")
    assert len(handout.sources) == len(set(handout.sources))
    assert set(handout.sources) == {
        (str(s), str(u))
        for s, u in zip(oriented["source"], oriented["source_url"], strict=True)
    }


# --- absolute effects ----------------------------------------------------------


def test_row_outcome_names_the_family_or_the_rows_own_harm() -> None:
    assert model.row_outcome(_row(SOF), "remission") == "remission"
    tremor = _row("IMN-MA-DRUGS2017-06")
    assert model.row_outcome(tremor, "adverse events") == "tremor"


@pytest.mark.parametrize(
    ("per1000", "pct", "expected"),
    [
        (784.0, None, 784),  # the source's comparator risk per 1000
        (None, 45.9, 459),  # else ten times its comparator percentage
        (None, None, 200),  # else 200
        (3.0, None, 10),  # kept on the slider
        (None, 99.6, 990),
    ],
)
def test_default_baseline(per1000, pct, expected) -> None:
    row = pd.Series({"per1000_comparator": per1000, "pct_comparator": pct})
    assert model.default_baseline(row) == expected


def test_default_baseline_of_real_rows() -> None:
    assert model.default_baseline(_row(SOF)) == 784
    assert model.default_baseline(_row("SRNS-GULATI2012-01")) == 459


def test_absolute_words_give_the_per_1000_numbers() -> None:
    effect = AbsoluteEffect(784, 791.84, 697.76, 901.6)
    assert model.absolute_words(effect, "remission") == (
        "With tacrolimus-based treatment, **792 per 1000** instead of 784: "
        "**8 more per 1000** (95% range 698 to 902 per 1000 with tacrolimus) "
        "for remission."
    )


def test_absolute_words_without_a_range_and_for_fewer() -> None:
    effect = AbsoluteEffect(500, 111.0, None, None)
    assert model.absolute_words(effect, "relapse") == (
        "With tacrolimus-based treatment, **111 per 1000** instead of 500: "
        "**389 fewer per 1000** for relapse."
    )


def test_absolute_view_of_the_cochrane_row() -> None:
    shown = model.absolute_view(_row(SOF), 784, "remission")
    assert "**792 per 1000** instead of 784: **8 more per 1000**" in shown.words
    assert "(95% range 698 to 902 per 1000 with tacrolimus)" in shown.words
    assert shown.chart.alt == shown.words
    assert shown.chart.title == "Remission per 1000 people"
    assert list(shown.chart.table["Per 1000"]) == [784, 792]
    assert shown.certainty == (
        "Compared with cyclophosphamide, tacrolimus-based treatment probably "
        "results in little or no difference in remission."
    )
    assert shown.caveats == f"**Caveats:** {schemas.CAVEATS['cni_pooled']}."
    assert shown.caption.startswith("Wording follows GRADE: high certainty")
    assert "hazard ratio" not in shown.caption


def test_absolute_view_follows_the_baseline() -> None:
    shown = model.absolute_view(_row(SOF), 500, "remission")
    assert shown.words == (
        "With tacrolimus-based treatment, **505 per 1000** instead of 500: "
        "**5 more per 1000** (95% range 445 to 575 per 1000 with tacrolimus) "
        "for remission."
    )


def test_a_hazard_ratio_is_read_as_a_risk_ratio_and_says_so() -> None:
    shown = model.absolute_view(_row("SRNS-GULATI2012-01"), 459, "remission")
    assert shown.caption.endswith(" A hazard ratio is treated as a risk ratio here.")
    assert "no certainty rating" in shown.certainty


@pytest.mark.parametrize("baseline", [0, 1000, -5])
def test_absolute_view_refuses_a_baseline_that_is_not_a_risk(baseline: int) -> None:
    with pytest.raises(ValueError, match="per 1000"):
        model.absolute_view(_row(SOF), baseline, "remission")


# --- the charts as one value ---------------------------------------------------


def test_arms_chart_needs_rows() -> None:
    with pytest.raises(ValueError, match="needs its data"):
        charts.arms_chart(charts.arm_rows(EVIDENCE).head(0), title="Arms")


def test_absolute_chart_carries_the_given_alt_text() -> None:
    effect = AbsoluteEffect(300, 450, 330, 600)
    chart = charts.absolute_chart(effect, outcome="tremor", alt="Per 1000.")
    assert chart.alt == "Per 1000."
    assert chart.title == "Tremor per 1000 people"
    assert chart.table["95% high"].tolist()[1] == 600


# --- claims, rows in words, the source dialog ----------------------------------


def test_claims_for_a_disease_or_all() -> None:
    everything = sources.claims_for(CLAIMS, ALL)
    assert [c.id for c in everything] == list(CLAIMS["id"])
    mn = sources.claims_for(CLAIMS, "membranous nephropathy")
    assert {c.id for c in mn} == set(
        CLAIMS.loc[CLAIMS["disease_group"] == "membranous nephropathy", "id"]
    )
    first = mn[0]
    assert first.text == (
        "**Superior remission** · *membranous nephropathy*  \n"
        f"{sources.VERDICT_MARKS['partly supported']}: "
        f"{CLAIMS.iloc[0]['summary']}"
    )
    assert first.evidence_ids[0] == "IMN-CHEN-01"
    assert first.rows_label == f"The {len(first.evidence_ids)} rows behind this verdict"
    assert sources.claims_for(CLAIMS, "no such disease") == ()


def test_row_line_gives_figures_caveats_and_source() -> None:
    line = sources.row_line(_row("IMN-CHEN-01"))
    assert line.startswith("- `IMN-CHEN-01` ")
    assert "(6 months): **85 vs 65**, randomised. " in line
    assert "pubmed.ncbi.nlm.nih.gov/20220333" in line
    assert line.endswith(f" ⚠ *{schemas.CAVEATS['counts_derived']}*")
    sof = sources.row_line(_row(SOF))
    assert "; RR 1.01**" in sof


def test_rows_behind_lists_the_named_rows_in_data_order() -> None:
    text = sources.rows_behind(EVIDENCE, (SOF, "IMN-CHEN-01"))
    lines = text.split("\n")
    assert len(lines) == 2
    assert all(line.startswith("- `") for line in lines)


def test_caveat_text_puts_the_attribution_note_first() -> None:
    text = sources.caveat_text(_row(SOF))
    assert text.endswith(schemas.CAVEATS["cni_pooled"])
    assert text != schemas.CAVEATS["cni_pooled"]  # the unattributed note leads
    assert sources.caveats_markdown(_row("SRNS-CHOUDHRY2009-03")) == ""


def test_source_view_of_a_row() -> None:
    shown = sources.source_view(EVIDENCE, "IMN-CHEN-01")
    assert shown.heading.startswith("### ")
    assert "**Source:** [" in shown.facts
    assert "**n:** 73" in shown.facts
    assert "**Comparator:** Cyclophosphamide + prednisone" in shown.facts
    assert shown.quote is not None
    assert "85% versus 65%" in shown.quote
    assert shown.line == sources.row_line(_row("IMN-CHEN-01"))
    assert shown.small_print.endswith(
        "Checked against its source 2026-12-04. Row `IMN-CHEN-01`."
    )
    assert shown.caveats.startswith("**Caveats:** ")


def test_source_view_refuses_an_unknown_row() -> None:
    with pytest.raises(ValueError, match="No evidence row called 'NOPE'"):
        sources.source_view(EVIDENCE, "NOPE")


def test_value_or() -> None:
    assert sources.value_or(None, "none") == "none"
    assert sources.value_or(pd.NA, "none") == "none"
    assert sources.value_or("12 months", "none") == "12 months"


# --- regimens and guidance -----------------------------------------------------


def test_trough_table_lists_the_targets_with_sources() -> None:
    targets = _data("tacrolimus_trough_targets")
    table = guidance.trough_table(targets)
    lines = table.splitlines()
    assert lines[0] == "| Disease | Target (ng/mL) | As given | Kind | Source |"
    assert len(lines) == 2 + targets["trough_low"].notna().sum()
    assert "| 5-10 |" in table


def test_trials_markdown_and_lines() -> None:
    trials = _data("alternative_trials")
    table = guidance.trials_markdown(trials)
    assert "60% vs 20%; risk difference 40 points (95% CI 25 to 55)" in table
    assert table.splitlines()[0].endswith("| Source |")
    line = guidance.trial_line(trials.iloc[0])
    assert line.startswith(f"{trials.iloc[0]['trial']}, ")


def test_guidelines_in_order_and_their_lines() -> None:
    timeline = _data("guidance_timeline")
    ordered = guidance.guidelines_in_order(timeline)
    assert list(ordered["order"]) == sorted(timeline["order"])
    first = ordered.iloc[0]
    assert guidance.guideline_line(first) == (
        f"{first['body']} {first['year']}: {first['headline']}"
    )
