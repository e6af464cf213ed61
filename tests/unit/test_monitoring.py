"""Monitoring data and the case logic: every flag follows from its sourced threshold."""

from __future__ import annotations

import pytest

from dashboard.charts import monitoring as charts
from dashboard.core import datasets, monitoring, schemas
from dashboard.core.datasets import DataError
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


KEY = monitoring.answer_key(CASE, THRESHOLDS.reset_index())
#: The case as its author wrote it: which results are abnormal. The file does
#: not store the flag (the threshold decides it); this pins the key, so a
#: changed threshold or value that flips an answer fails here.
AUTHORED_ABNORMAL = {
    "w2-trough": False,
    "w2-creatinine": False,
    "w4-trough": True,
    "w4-creatinine": True,
    "w4-potassium": True,
    "w6-glucose": True,
    "w6-sbp": True,
    "w8-magnesium": False,
    "w8-wbc": False,
}


@pytest.mark.parametrize("row_id", CASE["id"].tolist())
def test_each_case_answer_follows_from_its_threshold(row_id: str) -> None:
    row = KEY.set_index("id").loc[row_id]
    threshold = THRESHOLDS.loc[row["threshold_id"]]
    assert row["unit"] == threshold["unit"]
    assert monitoring.is_abnormal(
        row["value"], threshold["comparator"], threshold["threshold"]
    ) is bool(row["abnormal"])
    assert bool(row["abnormal"]) is AUTHORED_ABNORMAL[row_id]
    assert row["source_url"] == threshold["source_url"]


def test_the_case_file_does_not_store_the_flag() -> None:
    assert "abnormal" not in CASE.columns
    assert set(KEY["id"]) == set(AUTHORED_ABNORMAL)


def test_answer_key_is_sorted_by_week() -> None:
    assert KEY["week"].is_monotonic_increasing
    assert KEY["abnormal"].dtype == bool


def test_answer_key_refuses_an_unknown_threshold() -> None:
    broken = CASE.copy()
    broken.loc[0, "threshold_id"] = "no-such-threshold"
    with pytest.raises(DataError, match=r"monitoring_case\.csv.*no-such-threshold"):
        monitoring.answer_key(broken, THRESHOLDS.reset_index())


def test_answer_key_refuses_a_threshold_in_another_unit() -> None:
    broken = CASE.copy()
    broken.loc[broken["id"] == "w4-potassium", "unit"] = "mEq/L"
    with pytest.raises(DataError, match=r"w4-potassium: unit mEq/L differs"):
        monitoring.answer_key(broken, THRESHOLDS.reset_index())


def test_case_has_both_normal_and_abnormal_results() -> None:
    assert KEY["abnormal"].any()
    assert (~KEY["abnormal"]).any()


def test_judge_and_score() -> None:
    perfect = {
        str(r.id): (bool(r.abnormal), str(r.action))
        for r in KEY.itertuples(index=False)
    }
    feedback = monitoring.judge(KEY, perfect)
    assert monitoring.score(feedback) == (2 * len(KEY), 2 * len(KEY))
    blank = monitoring.judge(KEY, {})
    assert monitoring.score(blank) == (0, 2 * len(KEY))
    wrong = dict(perfect)
    first = KEY.iloc[0]
    wrong[first["id"]] = (not bool(first["abnormal"]), "nonsense")
    feedback = monitoring.judge(KEY, wrong)
    assert monitoring.score(feedback)[0] == 2 * len(KEY) - 2
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


def test_plan_chart_shows_every_row_and_phase() -> None:
    chart = charts.plan_chart(PLAN)
    heatmap = chart.figure.data[0]
    # y holds the rows' edges: each row as tall as its longest text.
    assert len(heatmap.y) == len(PLAN) + 1
    assert list(heatmap.y) == sorted(heatmap.y)
    assert len(heatmap.text) == len(PLAN)
    assert list(heatmap.x) == list(charts.PHASES.values())
    assert len(chart.figure.layout.yaxis.ticktext) == len(PLAN)
    assert "about twice a week" in " ".join(" ".join(row) for row in heatmap.text)
    assert "Whole-blood trough level" in chart.alt
    assert len(chart.table) == len(PLAN)


def test_plan_grid_rows_fit_their_text_and_empty_cells_say_not_listed() -> None:
    chart = charts.plan_chart(PLAN)
    heatmap = chart.figure.data[0]
    edges = list(heatmap.y)
    for i, row in enumerate(heatmap.text):
        lines = max(cell.count("<br>") + 1 for cell in row)
        label = chart.figure.layout.yaxis.ticktext[i].count("<br>") + 1
        assert edges[i + 1] - edges[i] >= max(lines, label), i
    flat = [cell for row in heatmap.text for cell in row]
    assert "" not in flat
    assert f"<i>{charts.NOT_LISTED}</i>" in flat
    assert charts.NOT_LISTED in chart.alt
    assert (chart.table == "").sum().sum() == 0


def test_plan_grid_labels_scale_in_presenter_mode() -> None:
    from dashboard.charts import theme

    fig = charts.plan_chart(PLAN).figure
    # Row labels and cells take the figure's font (no fixed tick size), so the
    # presenter copy's larger font reaches them: at least 20 px projected.
    assert fig.layout.yaxis.tickfont.size is None
    bold = theme.for_presenter(fig)
    assert bold.layout.font.size >= 20
    # Cell text has a set size (unset, Plotly shrinks it to fit each cell),
    # which the presenter copy enlarges too.
    assert fig.data[0].textfont.size >= 14
    assert bold.data[0].textfont.size >= 20
    assert fig.layout.yaxis.automargin
    assert fig.layout.xaxis.automargin
