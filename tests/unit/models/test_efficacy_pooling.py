"""The pooling sandbox's rows and model on the real evidence file."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.core import datasets, pooling, schemas
from dashboard.core.paths import DATA_DIR
from dashboard.models import efficacy_pooling as model
from dashboard.models import efficacy_pooling_rows as rows
from dashboard.models.efficacy_pooling import PoolOptions

EVIDENCE = datasets.load_dataset(schemas.SCHEMAS["efficacy_evidence"], DATA_DIR)
CHEN = "IMN-CHEN-01"  # RCT, 33/39 vs 22/34 remission at 6 months
COHORTS = ("IMN-RETRO-SCIELO-02", "IMN-RETRO-RENFAIL2019-01", "IMN-3REG-01")
SCIELO_1M = "IMN-RETRO-SCIELO-01"  # same study as SCIELO-02, 1 month vs 3 months
STARMEN = "IMN-STARMEN-01"  # RCT, remission at 24 months
COCHRANE = "IMN-COCHRANE2021-SOF4-01"  # published, pools CNIs, 784 per 1000


def _row(row_id: str) -> pd.Series:
    return EVIDENCE[EVIDENCE["id"] == row_id].iloc[0]


def _counts(row_id: str) -> pooling.Counts:
    row = _row(row_id)
    return pooling.Counts(*(int(row[c]) for c in rows.COUNT_COLUMNS))


def _observational() -> rows.PoolSelection:
    return rows.default_selection(EVIDENCE, observational=True)


# --- which rows pool together --------------------------------------------------------


def test_groups_share_their_key_and_never_hold_published_pools() -> None:
    groups = rows.poolable_groups(EVIDENCE)
    assert groups
    for group in groups:
        keys = {rows.pool_key(_row(i)) for i in group.ids}
        assert keys == {group.key}
        designs = {_row(i)["design_class"] for i in group.ids}
        assert designs <= {"rct", "observational"}
        assert all(rows.why_not_poolable(_row(i)) is None for i in group.ids)


@pytest.mark.parametrize(
    ("row_id", "reason"),
    [
        (COCHRANE, "a published pooled estimate"),
        ("IMN-COHORT-JINLING-01", "a single-arm study"),
        ("SRNS-GULATI2012-01", "a hazard ratio"),
        ("IMN-CHEN-02", "no counts per arm"),
        ("SRNS-GULATI2012-04", "no time point"),
    ],
)
def test_rows_that_cannot_be_pooled_say_why(row_id, reason) -> None:
    assert rows.why_not_poolable(_row(row_id)).startswith(reason)


def test_a_row_with_counts_pools_even_without_an_interval() -> None:
    basu = _row("SDNS-BASU-01")  # OR without CI, but counts 38/60 vs 54/60
    assert rows.why_not_poolable(basu) is None
    assert rows.measures_of(basu) == ("RR", "OR")
    assert rows.measures_of(_row("SRNS-CHOUDHRY2009-02")) == ("RR",)


def test_the_default_pool_is_randomised_and_one_row_per_study() -> None:
    selection = rows.default_selection(EVIDENCE)
    assert selection.group.key == rows.PoolKey(
        "membranous nephropathy",
        "cyclophosphamide",
        "remission",
        "up to 6 months",
        True,
    )
    assert selection.pooled == (CHEN,)
    assert selection.left_out == ()
    wide = _observational()
    assert wide.pooled == (CHEN, *COHORTS)
    assert wide.left_out == (SCIELO_1M,)


def test_a_click_leaves_a_study_out_and_brings_it_back() -> None:
    wide = _observational()
    out = rows.toggle(EVIDENCE, wide, CHEN)
    assert CHEN in out.left_out
    assert CHEN not in out.pooled
    assert rows.toggle(EVIDENCE, out, CHEN) == wide
    swapped = rows.toggle(EVIDENCE, wide, SCIELO_1M)
    assert SCIELO_1M in swapped.pooled
    assert "IMN-RETRO-SCIELO-02" in swapped.left_out
    with pytest.raises(ValueError, match="not shown"):
        rows.toggle(EVIDENCE, wide, STARMEN)


def test_excluded_rows_explain_the_same_question_at_other_windows() -> None:
    key = rows.default_selection(EVIDENCE).group.key
    excluded = rows.excluded_rows(EVIDENCE, key).set_index("id")["reason"]
    assert excluded[STARMEN] == "a different time window (12 months or more)"
    assert excluded[COCHRANE].startswith("a published pooled estimate")
    assert CHEN not in excluded.index


# --- links ----------------------------------------------------------------------------


def test_a_link_without_rows_opens_the_default_silently() -> None:
    assert rows.resolve_pool(EVIDENCE, []) == (rows.default_selection(EVIDENCE), ())


def test_a_link_reopens_the_pool_it_names() -> None:
    wide = rows.toggle(EVIDENCE, _observational(), "IMN-3REG-01")
    selection, notices = rows.resolve_pool(
        EVIDENCE, wide.pooled, wide.left_out, observational=True
    )
    assert selection == wide
    assert notices == ()


@pytest.mark.parametrize(
    ("ids", "named"),
    [
        ([CHEN, "NOT-A-ROW"], "Unknown rows NOT-A-ROW"),
        ([CHEN, COCHRANE], f"{COCHRANE}: a published pooled estimate"),
        ([CHEN, STARMEN], f"Rows {CHEN}, {STARMEN} cannot be pooled together"),
    ],
)
def test_a_bad_link_opens_the_default_pool_with_a_notice(ids, named) -> None:
    selection, notices = rows.resolve_pool(EVIDENCE, ids)
    assert selection == rows.default_selection(EVIDENCE)
    assert len(notices) == 1
    assert named in notices[0]
    assert notices[0].endswith("the default pool opened.")


def test_observational_rows_in_a_randomised_only_link_leave_the_pool_empty() -> None:
    selection, notices = rows.resolve_pool(EVIDENCE, list(COHORTS))
    assert selection.pooled == ()
    assert selection.left_out == (CHEN,)
    assert "left out while the pool is limited to randomised trials" in notices[0]
    view = model.pool_view(EVIDENCE, selection, PoolOptions())
    assert view.result is None
    assert view.ids == ()
    assert view.headline.startswith("**The pool is empty:**")


def test_two_rows_of_one_study_enter_a_linked_pool_once() -> None:
    selection, notices = rows.resolve_pool(
        EVIDENCE, [SCIELO_1M, "IMN-RETRO-SCIELO-02"], observational=True
    )
    assert selection.pooled == ("IMN-RETRO-SCIELO-02",)
    assert notices == (
        f"Rows {SCIELO_1M} come from a study already in the pool, which enters a "
        "pool once; they are left out.",
    )


# --- the view -------------------------------------------------------------------------


def test_one_trial_is_shown_as_itself_with_its_ids() -> None:
    view = model.pool_view(EVIDENCE, rows.default_selection(EVIDENCE), PoolOptions())
    rr = (33 / 39) / (22 / 34)
    assert view.ids == (CHEN,)
    assert view.result.shown.ratio == pytest.approx(rr)
    assert view.headline.startswith(f"**Pooled risk ratio {rr:.2f}** (95% CI ")
    assert f"from 1 study (73 patients; rows {CHEN})" in view.headline
    assert view.heterogeneity == "One study: no heterogeneity to measure."
    assert "it needs 3" in view.prediction
    assert any(n.startswith("**One study only:**") for n in view.notices)
    assert any("4 observational row(s)" in n for n in view.notices)
    assert view.leave_one_out.empty


def test_including_cohorts_warns_and_pools_them_traceably() -> None:
    selection = _observational()
    view = model.pool_view(EVIDENCE, selection, PoolOptions(method="pm", hksj=True))
    assert view.notices[0] == model.OBSERVATIONAL_WARNING
    assert view.ids == selection.pooled
    studies = [pooling.study_from_counts(i, _counts(i), "RR") for i in selection.pooled]
    direct = pooling.pool(studies, measure="RR", method="pm", hksj=True)
    assert view.result.shown.ratio == pytest.approx(direct.shown.ratio)
    table = view.studies.set_index("id")
    assert table.loc[list(selection.pooled), "weight"].sum() == pytest.approx(100)
    assert pd.isna(table.loc[SCIELO_1M, "weight"])
    assert not table.loc[SCIELO_1M, "pooled"]
    assert "random effects (Paule-Mandel), Hartung-Knapp" in view.headline
    assert view.heterogeneity.startswith("Heterogeneity: τ² = ")
    assert view.prediction.startswith("95% prediction interval ")


def test_leave_one_out_names_the_rows_behind_each_line() -> None:
    view = model.pool_view(EVIDENCE, _observational(), PoolOptions())
    table = view.leave_one_out.set_index("Left out")
    assert list(table.index) == ["none", *view.ids]
    assert table.loc["none", "Ratio"] == pytest.approx(view.result.shown.ratio)
    for left in view.ids:
        assert left not in table.loc[left, "Row ids"].split(", ")
        assert table.loc[left, "Studies"] == len(view.ids) - 1


def test_per_1000_uses_the_pooled_trials_comparator_risk() -> None:
    view = model.pool_view(EVIDENCE, _observational(), PoolOptions())
    events = sum(_counts(i).events_comparator for i in view.ids)
    total = sum(_counts(i).total_comparator for i in view.ids)
    (first,) = view.absolute  # the published 784/1000 is for another window
    assert first.label.startswith(f"Comparator risk of the pooled trials ({events}/")
    assert first.effect.comparator_per_1000 == pytest.approx(1000 * events / total)
    ratio = view.result.shown.ratio
    assert first.effect.tacrolimus_per_1000 == pytest.approx(
        1000 * events / total * ratio
    )
    assert first.ids == view.ids
    assert first.words.startswith("With tacrolimus-based treatment, **")


def test_a_sourced_comparator_risk_of_the_same_window_is_offered() -> None:
    group = next(
        g for g in rows.poolable_groups(EVIDENCE) if g.ids == (STARMEN, "IMN-3REG-02")
    )
    selection = rows.selection_for(EVIDENCE, group)
    view = model.pool_view(EVIDENCE, selection, PoolOptions())
    sourced = view.absolute[1]
    assert sourced.ids == (STARMEN, COCHRANE)
    assert sourced.effect.comparator_per_1000 == 784
    assert COCHRANE in sourced.label


def test_published_pools_sit_beside_the_pool_with_their_cni_caveat() -> None:
    view = model.pool_view(EVIDENCE, rows.default_selection(EVIDENCE), PoolOptions())
    comparisons = view.comparisons.set_index("id")
    assert comparisons.loc["IMN-MA-LIN2019-03", "same_window"]
    assert comparisons.index[0] == "IMN-MA-LIN2019-03"  # same window first
    assert comparisons.loc[COCHRANE, "cni_pooled"]
    assert not set(comparisons.index) & set(view.ids)
    assert any(
        n.startswith(f"Published estimates {COCHRANE} pools") for n in view.notices
    )


def test_a_pool_of_two_says_tau2_is_fragile() -> None:
    group = next(
        g for g in rows.poolable_groups(EVIDENCE) if "SRNS-IJN2018-01" in g.ids
    )
    selection = rows.selection_for(EVIDENCE, group, observational=True)
    view = model.pool_view(EVIDENCE, selection, PoolOptions())
    assert view.result.k == 2
    assert any(n.startswith("**Two studies only:**") for n in view.notices)
    assert "with 2 studies" in view.prediction


def test_a_ratio_row_pools_only_on_its_own_measure() -> None:
    group = next(
        g for g in rows.poolable_groups(EVIDENCE) if g.ids == ("SRNS-CHOUDHRY2009-02",)
    )
    selection = rows.selection_for(EVIDENCE, group)
    as_rr = model.pool_view(EVIDENCE, selection, PoolOptions(measure="RR"))
    assert as_rr.result.shown.ratio == pytest.approx(1.14)
    assert as_rr.studies.iloc[0]["note"] == "ratio and interval as reported (no counts)"
    as_or = model.pool_view(EVIDENCE, selection, PoolOptions(measure="OR"))
    assert as_or.result is None
    assert "SRNS-CHOUDHRY2009-02 is not pooled: reported only as RR, not OR." in (
        as_or.notices
    )


def test_fixed_effect_names_mantel_haenszel() -> None:
    view = model.pool_view(EVIDENCE, _observational(), PoolOptions(method="fixed"))
    assert "fixed effect, Mantel-Haenszel" in view.headline
    assert view.result.fixed_kind == "Mantel-Haenszel"


def test_unknown_options_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown options"):
        PoolOptions(measure="HR")
    with pytest.raises(ValueError, match="unknown options"):
        PoolOptions(method="reml")


def test_a_fixed_effect_pool_says_its_prediction_interval_is_not_its_own() -> None:
    fixed = model.pool_view(EVIDENCE, _observational(), PoolOptions(method="fixed"))
    assert "shown for comparison" in fixed.prediction
    random = model.pool_view(EVIDENCE, _observational(), PoolOptions(method="dl"))
    assert "shown for comparison" not in random.prediction
