"""A chart is one value: no figure without alt text and its data as a table."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts.chart import Chart


def _figure(title: str = "") -> go.Figure:
    return go.Figure(go.Bar(x=["a"], y=[1]), layout={"title": {"text": title}})


@pytest.mark.parametrize("alt", ["", "   ", None])
def test_a_chart_without_alt_text_cannot_be_made(alt) -> None:
    with pytest.raises(ValueError, match="needs alt text"):
        Chart(_figure("Doses"), alt, pd.DataFrame({"x": [1]}))


@pytest.mark.parametrize("table", [pd.DataFrame(), None, [1, 2]])
def test_a_chart_without_its_data_cannot_be_made(table) -> None:
    with pytest.raises(ValueError, match="'Doses' needs its data as a table"):
        Chart(_figure("Doses"), "Bars of doses.", table)


def test_the_table_label_names_the_chart_by_its_plain_title() -> None:
    chart = Chart(
        _figure("Trough <b>levels</b><br>by day"), "A line.", pd.DataFrame({"x": [1]})
    )
    assert chart.title == "Trough levels by day"
    assert chart.table_label == "Data behind this chart: Trough levels by day"


def test_an_untitled_chart_still_labels_its_table() -> None:
    chart = Chart(_figure(), "A bar.", pd.DataFrame({"x": [1]}))
    assert chart.table_label == "Data behind this chart"


def test_a_chart_is_immutable() -> None:
    chart = Chart(_figure(), "A bar.", pd.DataFrame({"x": [1]}))
    with pytest.raises(AttributeError):
        chart.alt = "changed"  # type: ignore[misc]
