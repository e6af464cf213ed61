"""The pooling sandbox and the summary-of-findings tables on the Efficacy page.

The sandbox is one fragment: after a control moves, AppTest holds only that
fragment's elements, so tests read the page after a full ``at.run()``.
"""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core import datasets, schemas
from dashboard.core.paths import APP_PATH, DATA_DIR
from dashboard.models.efficacy_sof import sof_tables
from dashboard.ui import keys
from tests.app.conftest import all_text

VIEW = "views/efficacy.py"
SOF_TABLES = sof_tables(datasets.load_dataset(schemas.EFFICACY_EVIDENCE, DATA_DIR))
CHEN = "IMN-CHEN-01"
COHORTS = ("IMN-RETRO-SCIELO-02", "IMN-RETRO-RENFAIL2019-01", "IMN-3REG-01")
STARMEN_GROUP = "IMN-STARMEN-01"  # remission vs cyclophosphamide, 12 months or more


def _open(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(VIEW).run()
    return at


def _headline(at: AppTest) -> str:
    found = [m.value for m in at.markdown if "**Pooled " in m.value]
    assert found, "no pooled headline"
    return found[0]


def _forest(at: AppTest) -> dict:
    for chart in at.get("plotly_chart"):
        if keys.POOL_FOREST in chart.proto.id:
            return json.loads(chart.proto.spec)
    raise AssertionError("no pooling forest plot")


def _pooled(at: AppTest) -> list[str]:
    """The studies whose checkbox is ticked, in the order shown."""
    prefix = keys.POOL_STUDY_PREFIX
    return [
        box.key.removeprefix(prefix)
        for box in at.checkbox
        if box.key and box.key.startswith(prefix) and box.value
    ]


def _shown(at: AppTest) -> list[str]:
    prefix = keys.POOL_STUDY_PREFIX
    return [
        b.key.removeprefix(prefix)
        for b in at.checkbox
        if b.key and b.key.startswith(prefix)
    ]


def _param(at: AppTest, name: str) -> str | None:
    values = at.query_params.get(name)
    if not values:
        return None
    return values[-1] if isinstance(values, list) else values


def test_the_sandbox_opens_on_the_one_trial_it_can_pool() -> None:
    at = _open()
    assert not at.exception
    assert not at.error
    text = all_text(at)
    assert "Pool the trials yourself" in text
    assert _pooled(at) == [CHEN]
    assert _shown(at) == [CHEN]
    assert "from 1 study" in _headline(at)
    assert f"rows {CHEN}" in _headline(at)
    assert "One study only" in text
    assert _param(at, keys.POOL_IN) is None  # the default pool has a plain link
    names = [trace.get("name") for trace in _forest(at)["data"]]
    assert "pooled result" in names


def test_including_observational_rows_pools_them_with_the_warning() -> None:
    at = _open()
    at.toggle(key=keys.POOL_OBSERVATIONAL).set_value(True).run()
    at.run()
    headline = _headline(at)
    assert "from 4 studies" in headline
    for row_id in (CHEN, *COHORTS):
        assert row_id in headline
    assert any("Observational rows are in this pool" in w.value for w in at.warning)
    assert _param(at, keys.POOL_OBS) == "true"
    assert set(_param(at, keys.POOL_IN).split(",")) == {CHEN, *COHORTS}
    leave_one_out = [df.value for df in at.dataframe if "Left out" in df.value]
    assert leave_one_out
    assert len(leave_one_out[0]) == 5


def test_switching_the_method_changes_the_headline() -> None:
    at = _open({keys.POOL_OBS: "true", keys.POOL_IN: ",".join((CHEN, *COHORTS))})
    assert "random effects (DerSimonian-Laird)" in _headline(at)
    at.selectbox(key=keys.POOL_METHOD).set_value("fixed").run()
    at.run()
    assert "fixed effect, Mantel-Haenszel" in _headline(at)
    at.selectbox(key=keys.POOL_METHOD).set_value("pm").run()
    at.toggle(key=keys.POOL_HKSJ).set_value(True).run()
    at.run()
    assert "Paule-Mandel), Hartung-Knapp" in _headline(at)


def test_leaving_a_study_out_and_bringing_it_back() -> None:
    at = _open({keys.POOL_OBS: "true", keys.POOL_IN: ",".join((CHEN, *COHORTS))})
    at.checkbox(key=keys.POOL_STUDY_PREFIX + CHEN).uncheck().run()
    at.run()
    headline = _headline(at)
    assert "from 3 studies" in headline
    assert CHEN not in headline
    assert CHEN in _param(at, keys.POOL_OUT).split(",")
    left_out = [t for t in _forest(at)["data"] if t.get("name") == "studies left out"]
    assert {c[0] for c in left_out[0]["customdata"]} == {"IMN-RETRO-SCIELO-01", CHEN}
    at.checkbox(key=keys.POOL_STUDY_PREFIX + CHEN).check().run()
    at.run()
    assert "from 4 studies" in _headline(at)


def test_a_study_left_out_through_the_session_is_drawn_grey() -> None:
    at = _open({keys.POOL_OBS: "true"})
    at.session_state[keys.POOL_POOLED] = tuple(COHORTS)
    at.run()
    assert "from 3 studies" in _headline(at)
    left_out = [t for t in _forest(at)["data"] if t.get("name") == "studies left out"]
    assert CHEN in [c[0] for c in left_out[0]["customdata"]]


def test_rcts_only_leaves_the_cohorts_out_but_shows_them() -> None:
    at = _open({keys.POOL_OBS: "true"})
    at.button(key=keys.POOL_RCTS_ONLY).click().run()
    at.run()
    assert "from 1 study" in _headline(at)
    assert _pooled(at) == [CHEN]
    assert set(_shown(at)) >= set(COHORTS)


def test_a_link_reopens_exactly_the_pool() -> None:
    pooled = ",".join((CHEN, "IMN-RETRO-SCIELO-02"))
    at = _open(
        {
            keys.POOL_OBS: "true",
            keys.POOL_IN: pooled,
            keys.POOL_METHOD: "Fixed effect",
            keys.POOL_MEASURE: "Odds ratio",
        }
    )
    assert not at.exception
    headline = _headline(at)
    assert headline.startswith("**Pooled odds ratio")
    assert "fixed effect" in headline
    assert f"rows {CHEN}, IMN-RETRO-SCIELO-02" in headline
    assert _pooled(at) == [CHEN, "IMN-RETRO-SCIELO-02"]
    assert not at.warning or all("link" not in w.value for w in at.warning)


def test_a_link_can_name_an_empty_pool() -> None:
    at = _open({keys.POOL_OUT: CHEN})
    assert not at.exception
    assert "The pool is empty" in all_text(at)
    assert _pooled(at) == []
    assert _shown(at) == [CHEN]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({keys.POOL_IN: "NOT-A-ROW"}, "NOT-A-ROW"),
        ({keys.POOL_IN: f"{CHEN},{STARMEN_GROUP}"}, "cannot be pooled together"),
        ({keys.POOL_IN: "IMN-COCHRANE2021-SOF4-01"}, "published pooled estimate"),
        ({keys.POOL_IN: "[x](javascript:alert(1))"}, "not row ids"),
    ],
)
def test_a_bad_link_opens_the_default_pool_with_a_notice(params, named) -> None:
    at = _open(params)
    assert not at.exception
    notices = [w.value for w in at.warning if "default pool" in w.value]
    assert notices, [w.value for w in at.warning]
    assert named in notices[0]
    assert _pooled(at) == [CHEN]
    # A value from the link appears only as inline code, never as a link.
    assert "](" not in re.sub(r"`[^`]*`", "", notices[0])
    assert _param(at, keys.POOL_IN) is None


def test_a_bad_method_in_the_link_is_named_and_the_default_used() -> None:
    at = _open({keys.POOL_METHOD: "Magic"})
    assert not at.exception
    assert any("pool_method=Magic" in t.value for t in at.toast)
    assert "random effects" in _headline(at) or "one study" in _headline(at)


def test_another_question_opens_with_every_study_pooled() -> None:
    at = _open()
    at.selectbox(key=keys.POOL_GROUP).set_value(STARMEN_GROUP).run()
    at.run()
    assert "IMN-STARMEN-01" in _headline(at)
    assert _param(at, keys.POOL_IN) == "IMN-STARMEN-01"


def test_summary_of_findings_tables_show_each_supported_comparison() -> None:
    at = _open()
    box = at.selectbox(key=keys.SOF_COMPARISON)
    assert len(box.options) == len(SOF_TABLES) >= 5
    text = all_text(at)
    assert "Relative effect (95% CI)" in text
    assert "⊕⊕⊕◯ moderate" in text
    for table in SOF_TABLES:
        at.selectbox(key=keys.SOF_COMPARISON).set_value(table.id).run()
        at.run()
        assert table.title in all_text(at)
        assert not at.exception
        assert "Studies (participants)" in all_text(at)
