"""The pooling sandbox's link and state changes, on the real evidence file."""

from __future__ import annotations

import pytest

from dashboard.core import datasets, schemas
from dashboard.core.paths import DATA_DIR
from dashboard.models import efficacy_pooling_link as link
from dashboard.models import efficacy_pooling_rows as rows

EVIDENCE = datasets.load_dataset(schemas.SCHEMAS["efficacy_evidence"], DATA_DIR)
CHEN = "IMN-CHEN-01"
SCIELO_1M, SCIELO_3M = "IMN-RETRO-SCIELO-01", "IMN-RETRO-SCIELO-02"
COHORTS = (SCIELO_3M, "IMN-RETRO-RENFAIL2019-01", "IMN-3REG-01")


def _observational() -> rows.PoolSelection:
    return rows.default_selection(EVIDENCE, observational=True)


def test_the_default_pool_has_an_empty_link_and_opens_from_one() -> None:
    default = rows.default_selection(EVIDENCE)
    assert link.link_values(EVIDENCE, default) == {}
    assert link.from_link(EVIDENCE, None, None, None) == (default, ())


def test_a_pool_survives_its_own_link() -> None:
    selection = rows.toggle(EVIDENCE, _observational(), CHEN)
    values = link.link_values(EVIDENCE, selection)
    assert values[link.OBSERVATIONAL] == "true"
    assert CHEN in values[link.OUT].split(",")
    reopened, notices = link.from_link(
        EVIDENCE,
        values.get(link.IN),
        values.get(link.OUT),
        values.get(link.OBSERVATIONAL),
    )
    assert notices == ()
    assert reopened == selection


def test_an_empty_pool_is_named_by_its_left_out_rows() -> None:
    empty = rows.toggle(EVIDENCE, rows.default_selection(EVIDENCE), CHEN)
    values = link.link_values(EVIDENCE, empty)
    assert link.IN not in values
    assert values[link.OUT] == CHEN
    reopened, _ = link.from_link(EVIDENCE, None, values[link.OUT], None)
    assert reopened.pooled == ()
    assert reopened.left_out == (CHEN,)


@pytest.mark.parametrize(
    ("pooled", "named"),
    [
        ("<img src=x>", "`<img src=x>`"),
        ("[a](http://x.test)", "`[a](http://x.test)`"),
        ("NOPE-1", "Unknown rows NOPE-1"),
        (",".join(f"A-{i}" for i in range(link.MAX_IDS + 3)), "3 more ids"),
    ],
)
def test_a_bad_link_opens_the_default_pool_and_names_the_value_safely(
    pooled, named
) -> None:
    selection, notices = link.from_link(EVIDENCE, pooled, None, None)
    assert selection == rows.default_selection(EVIDENCE)
    assert len(notices) == 1
    assert named in notices[0]
    assert "default pool opened" in notices[0]


def test_a_strange_observational_value_is_named_and_ignored() -> None:
    selection, notices = link.from_link(EVIDENCE, CHEN, None, "maybe")
    assert selection.pooled == (CHEN,)
    assert not selection.observational
    assert "`maybe`" in notices[0]


def test_a_click_toggles_and_a_click_elsewhere_changes_nothing() -> None:
    selection = _observational()
    out = link.after_click(EVIDENCE, selection, CHEN)
    assert CHEN in out.left_out
    assert link.after_click(EVIDENCE, out, CHEN) == selection
    assert link.after_click(EVIDENCE, selection, None) is None
    assert link.after_click(EVIDENCE, selection, "IMN-STARMEN-01") is None


def test_clicked_row_reads_the_first_point_with_a_row_id() -> None:
    event = {"selection": {"points": [{"x": 1.0}, {"customdata": [CHEN, "x"]}]}}
    assert link.clicked_row(event) == CHEN
    assert link.clicked_row({"selection": {"points": []}}) is None
    assert link.clicked_row(None) is None


def test_bringing_back_the_other_row_of_a_study_swaps_them() -> None:
    selection = _observational()
    assert SCIELO_3M in selection.pooled
    assert SCIELO_1M in selection.left_out
    swapped = link.after_click(EVIDENCE, selection, SCIELO_1M)
    assert SCIELO_1M in swapped.pooled
    assert SCIELO_3M in swapped.left_out


def test_the_observational_switch_and_rcts_only() -> None:
    randomised = rows.default_selection(EVIDENCE)
    on = link.with_observational(EVIDENCE, randomised, True)
    assert set(on.pooled) == {CHEN, *COHORTS}
    only = link.randomised_only(EVIDENCE, on)
    assert only.pooled == (CHEN,)
    assert set(COHORTS) <= set(only.left_out)
    off = link.with_observational(EVIDENCE, on, False)
    assert off == randomised


def test_groups_have_stable_names_and_labels_that_count_their_rows() -> None:
    groups = rows.poolable_groups(EVIDENCE)
    names = [link.group_id(g) for g in groups]
    assert len(set(names)) == len(names)
    default = rows.default_selection(EVIDENCE).group
    assert link.group_of(groups, link.group_id(default)) == default
    assert link.group_label(default).endswith("(1 RCT, 4 observational)")
    assert link.group_of(groups, "nothing") is None
    assert link.current(EVIDENCE, groups, "nothing", False, ()) == (
        rows.default_selection(EVIDENCE)
    )
