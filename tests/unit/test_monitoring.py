"""Monitoring data and the case logic: every flag follows from its sourced threshold."""

from __future__ import annotations

import pytest

from dashboard.charts import monitoring as charts
from dashboard.core import datasets, monitoring, schemas
from dashboard.core.paths import DATA_DIR

CASE = datasets.load_dataset(schemas.MONITORING_CASE, DATA_DIR)
THRESHOLDS = datasets.load_dataset(schemas.MONITORING_THRESHOLDS, DATA_DIR).set_index(
    "id"
)
PLAN = datasets.load_dataset(schemas.MONITORING_PLAN, DATA_DIR)


@pytest.mark.parametrize(
    ("value", "comparator", "threshold", "expected"),
    [
        (5.5, ">=", 5.5, True),
        (5.4, ">=", 5.5, False),
        (0.74, "<", 0.75, True),
        (0.75, "<", 0.75, False),
        (10.0, ">", 10, False),
        (10.1, ">", 10, True),
    ],
)
def test_is_abnormal_boundaries(value, comparator, threshold, expected) -> None:
    assert monitoring.is_abnormal(value, comparator, threshold) is expected


@pytest.mark.parametrize("row_id", CASE["id"].tolist())
def test_each_case_answer_follows_from_its_threshold(row_id: str) -> None:
    row = CASE.set_index("id").loc[row_id]
    threshold = THRESHOLDS.loc[row["threshold_id"]]
    assert row["unit"] == threshold["unit"]
    assert monitoring.is_abnormal(
        row["value"], threshold["comparator"], threshold["threshold"]
    ) is bool(row["abnormal"])
    assert row["source_url"] == threshold["source_url"]


def test_case_has_both_normal_and_abnormal_results() -> None:
    assert CASE["abnormal"].any()
    assert (~CASE["abnormal"].astype(bool)).any()


def test_judge_and_score() -> None:
    perfect = {
        str(r.id): (bool(r.abnormal), str(r.action))
        for r in CASE.itertuples(index=False)
    }
    feedback = monitoring.judge(CASE, perfect)
    assert monitoring.score(feedback) == (2 * len(CASE), 2 * len(CASE))
    blank = monitoring.judge(CASE, {})
    assert monitoring.score(blank) == (0, 2 * len(CASE))
    wrong = dict(perfect)
    first = CASE.iloc[0]
    wrong[first["id"]] = (not bool(first["abnormal"]), "nonsense")
    feedback = monitoring.judge(CASE, wrong)
    assert monitoring.score(feedback)[0] == 2 * len(CASE) - 2
    assert not feedback[0].flag_right
    assert feedback[0].correct_action == first["action"]


def test_plan_covers_what_the_issue_lists() -> None:
    covered = " ".join(PLAN["parameter"]).lower()
    for item in (
        "trough",
        "creatinine",
        "potassium",
        "glucose",
        "blood pressure",
        "lipid",
        "blood count",
        "infection",
    ):
        assert item in covered, item
    assert PLAN["quote"].notna().all()


def test_plan_figure_shows_every_row_and_phase() -> None:
    fig = charts.plan_figure(PLAN)
    heatmap = fig.data[0]
    assert len(heatmap.y) == len(PLAN)
    assert list(heatmap.x) == list(charts.PHASES.values())
    assert "about twice a week" in " ".join(" ".join(row) for row in heatmap.text)
    assert "Whole-blood trough level" in charts.plan_alt_text(PLAN)
