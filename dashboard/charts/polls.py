"""The live class check's answer distribution (counts are class answers, not data)."""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.chart import Chart


def results_chart(
    options: tuple[str, ...], counts: tuple[int, ...], correct: int | None
) -> Chart:
    """The class's answers: one bar per option, in order, with alt text and table.

    Parameters
    ----------
    options
        The poll's answer options, in the order the students saw them.
    counts
        How many answered each option (whole answers, one per browser).
    correct
        Index of the correct option once the teacher has revealed it, else
        ``None``: the answer is never marked before the reveal.

    Returns
    -------
    Chart
        Horizontal bars titled "N answers", the correct one marked once shown.
    """
    return Chart(
        _figure(options, counts, correct),
        _alt_text(options, counts, correct),
        _table(options, counts, correct),
    )


def _figure(
    options: tuple[str, ...], counts: tuple[int, ...], correct: int | None
) -> go.Figure:
    """Horizontal bars, one per option in order; the correct one marked once shown."""
    labels = ["<br>".join(textwrap.wrap(o, 40)) for o in options]
    colours = [
        theme.NORMAL if correct is None or i == correct else theme.NEUTRAL
        for i in range(len(options))
    ]
    total = sum(counts)
    text = [f"{c} ({100 * c / total:.0f}%)" if total else "0" for c in counts]
    if correct is not None:
        text[correct] += "  ✓ correct"
    fig = go.Figure(
        go.Bar(
            x=list(counts),
            y=labels,
            orientation="h",
            marker_color=colours,
            text=text,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x} answers<extra></extra>",
        ),
        layout=theme.base_layout(
            title=f"{total} answer{'s' if total != 1 else ''}",
            height=120 + 70 * len(options),
        ),
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    top = max(1, *counts)
    fig.update_xaxes(
        title_text="Answers",
        range=[0, top * 1.35],
        dtick=max(1, math.ceil(top / 5)),  # whole answers only
    )
    return fig


def _alt_text(
    options: tuple[str, ...], counts: tuple[int, ...], correct: int | None
) -> str:
    """Every option with its count, and which is correct once revealed."""
    parts = [f"{o}: {c}" for o, c in zip(options, counts, strict=True)]
    text = f"Bar chart of {sum(counts)} class answers. " + "; ".join(parts) + "."
    if correct is not None:
        text += f" Correct answer: {options[correct]}."
    return text


def _table(
    options: tuple[str, ...], counts: tuple[int, ...], correct: int | None
) -> pd.DataFrame:
    """The data behind :func:`_figure`; "Correct" only once revealed."""
    total = sum(counts)
    table = pd.DataFrame(
        {
            "Answer": list(options),
            "Answers": list(counts),
            "Share (%)": [round(100 * c / total, 1) if total else 0.0 for c in counts],
        }
    )
    if correct is not None:
        table["Correct"] = ["✓" if i == correct else "" for i in range(len(options))]
    return table
