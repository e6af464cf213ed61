"""The class check's results chart: whole-answer axis, marked answer, alt text."""

from __future__ import annotations

from dashboard.charts.chart import Chart
from dashboard.charts.polls import results_chart

OPTIONS = ("FKBP-12", "Cyclophilin", "mTOR")


def test_bars_follow_the_options_and_mark_the_answer_once_revealed() -> None:
    hidden = results_chart(OPTIONS, (3, 1, 0), None).figure
    shown = results_chart(OPTIONS, (3, 1, 0), 0).figure
    assert list(hidden.data[0].x) == [3, 1, 0]
    assert not any("correct" in t for t in hidden.data[0].text)
    assert shown.data[0].text[0] == "3 (75%)  ✓ correct"
    assert len(set(hidden.data[0].marker.color)) == 1
    assert len(set(shown.data[0].marker.color)) == 2
    assert hidden.layout.title.text == "4 answers"


def test_no_answers_yet_draws_an_empty_chart_with_whole_ticks() -> None:
    fig = results_chart(OPTIONS, (0, 0, 0), None).figure
    assert fig.layout.title.text == "0 answers"
    assert fig.layout.xaxis.dtick == 1


def test_alt_text_names_every_option_and_count() -> None:
    text = results_chart(OPTIONS, (3, 1, 0), 0).alt
    assert "FKBP-12: 3; Cyclophilin: 1; mTOR: 0." in text
    assert text.endswith("Correct answer: FKBP-12.")
    assert "Correct" not in results_chart(OPTIONS, (3, 1, 0), None).alt


def test_one_value_holds_the_figure_its_alt_text_and_its_table() -> None:
    chart = results_chart(OPTIONS, (3, 1, 0), 0)
    assert isinstance(chart, Chart)
    assert chart.title == "4 answers"
    assert chart.table_label == "Data behind this chart: 4 answers"
    assert chart.table["Answers"].tolist() == [3, 1, 0]
    assert chart.table["Share (%)"].tolist() == [75.0, 25.0, 0.0]
    assert chart.table["Correct"].tolist() == ["✓", "", ""]
    assert "Correct" not in results_chart(OPTIONS, (3, 1, 0), None).table
    assert results_chart(OPTIONS, (0, 0, 0), None).table["Share (%)"].sum() == 0
