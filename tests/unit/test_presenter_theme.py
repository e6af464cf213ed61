"""Presenter styling makes every figure bolder without touching the original."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.charts import theme


def test_for_presenter_enlarges_text_lines_and_marks() -> None:
    fig = go.Figure(
        go.Scatter(x=[1, 2], y=[3, 4], line={"width": 2}, marker={"size": 10}),
        layout=theme.base_layout(title="t"),
    )
    fig.add_annotation(x=1, y=3, text="note", font={"size": 12})
    bold = theme.for_presenter(fig)
    assert bold.layout.font.size == fig.layout.font.size + 6
    assert bold.data[0].line.width == 3.6
    assert bold.data[0].marker.size == 14
    assert bold.layout.annotations[0].font.size == 17
    assert fig.data[0].line.width == 2  # the original is unchanged
