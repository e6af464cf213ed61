"""The class check's results chart: whole-answer axis, marked answer, alt text."""

from __future__ import annotations

from dashboard.charts.polls import results_alt_text, results_figure

OPTIONS = ("FKBP-12", "Cyclophilin", "mTOR")


def test_bars_follow_the_options_and_mark_the_answer_once_revealed() -> None:
    hidden = results_figure(OPTIONS, (3, 1, 0), None)
    shown = results_figure(OPTIONS, (3, 1, 0), 0)
    assert list(hidden.data[0].x) == [3, 1, 0]
    assert not any("correct" in t for t in hidden.data[0].text)
    assert shown.data[0].text[0] == "3 (75%)  ✓ correct"
    assert len(set(hidden.data[0].marker.color)) == 1
    assert len(set(shown.data[0].marker.color)) == 2
    assert hidden.layout.title.text == "4 answers"


def test_no_answers_yet_draws_an_empty_chart_with_whole_ticks() -> None:
    fig = results_figure(OPTIONS, (0, 0, 0), None)
    assert fig.layout.title.text == "0 answers"
    assert fig.layout.xaxis.dtick == 1


def test_alt_text_names_every_option_and_count() -> None:
    text = results_alt_text(OPTIONS, (3, 1, 0), 0)
    assert "FKBP-12: 3; Cyclophilin: 1; mTOR: 0." in text
    assert text.endswith("Correct answer: FKBP-12.")
    assert "Correct" not in results_alt_text(OPTIONS, (3, 1, 0), None)
