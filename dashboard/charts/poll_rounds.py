"""A two-round poll's answers side by side (class answers, not patient data).

Peer instruction asks each question twice: alone, then after discussing with
a neighbour. This chart puts both rounds of every option together: a label
*above* each pair of bars (the option, ✓ for the right one, and both rounds'
counts in words), then a hatched bar for round 1 and a solid one for round 2.
Labels sit above the bars at the chart's left edge (paper coordinates), not
in a margin, so the bars keep the chart's width on a 390 px phone and no
label is cut at 1920 px. The y axis is measured in CSS px of the plot area,
so the labels and bars are placed exactly.
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.chart import Chart

ROUND_NAMES = ("Round 1 (alone)", "Round 2 (after discussion)")
#: Characters per label line: about 330 px of 14 px type on a phone.
WRAP_CHARS = 38
LINE_PX = 19
BAR_PX = 16
BAR_GAP_PX = 3
GROUP_GAP_PX = 16
TOP_PX = 64
BOTTOM_PX = 118


def _share(count: int, total: int) -> str:
    return f"{count} ({100 * count / total:.0f}%)" if total else "0"


def rounds_chart(
    options: tuple[str, ...],
    first: tuple[int, ...],
    second: tuple[int, ...],
    correct: int | None,
) -> Chart:
    """Both rounds' counts per option, the correct option marked once revealed.

    Parameters
    ----------
    options
        The options as the students saw them (plain text; no HTML).
    first, second
        Answers per option in round 1 and in round 2 (one per browser).
    correct
        The correct option's index once revealed, else ``None``.
    """
    if not len(options) == len(first) == len(second):
        raise ValueError("one count per option and round is needed")
    return Chart(
        _figure(options, first, second, correct),
        _alt(options, first, second, correct),
        _table(options, first, second, correct),
    )


def _label(option: str, i: int, first, second, correct: int | None) -> list[str]:
    mark = "✓ " if i == correct else ""
    counts = (
        f"round 1: {_share(first[i], sum(first))}; "
        f"round 2: {_share(second[i], sum(second))}"
    )
    lines = textwrap.wrap(f"{mark}{option}", WRAP_CHARS) or [""]
    lines += textwrap.wrap(counts, WRAP_CHARS)
    return lines


def _figure(options, first, second, correct) -> go.Figure:
    y = 0.0
    tops, centres1, centres2, labels = [], [], [], []
    for i, option in enumerate(options):
        lines = _label(option, i, first, second, correct)
        labels.append(lines)
        tops.append(y)
        y += len(lines) * LINE_PX + 4
        centres1.append(y + BAR_PX / 2)
        y += BAR_PX + BAR_GAP_PX
        centres2.append(y + BAR_PX / 2)
        y += BAR_PX + GROUP_GAP_PX
    plot_px = y
    fig = go.Figure(
        layout=theme.base_layout(
            title=f"{sum(first)} answers, then {sum(second)}",
            height=round(TOP_PX + plot_px + BOTTOM_PX),
        )
    )
    fig.update_layout(theme.legend_below(), bargap=0)
    fig.update_layout(margin={"l": 12, "r": 24, "t": TOP_PX, "b": BOTTOM_PX})
    colours = [
        theme.NORMAL if correct is None or i == correct else theme.NEUTRAL
        for i in range(len(options))
    ]
    for name, counts, centres, pattern in (
        (ROUND_NAMES[0], first, centres1, "/"),
        (ROUND_NAMES[1], second, centres2, ""),
    ):
        fig.add_trace(
            go.Bar(
                name=name,
                x=list(counts),
                y=centres,
                width=BAR_PX,
                orientation="h",
                marker={
                    "color": colours,
                    "pattern": {"shape": pattern, "fgcolor": "#FFFFFF", "size": 6},
                    "line": {"color": theme.TEXT, "width": 1},
                },
                customdata=list(options),
                hovertemplate=f"{name}<br>%{{customdata}}: %{{x}}<extra></extra>",
            )
        )
    for lines, top in zip(labels, tops, strict=True):
        fig.add_annotation(
            x=0,
            xref="paper",
            xanchor="left",
            y=top,
            yref="y",
            yanchor="top",
            text="<br>".join(lines),
            showarrow=False,
            align="left",
            font={"size": 14, "color": theme.TEXT},
        )
    top_count = max(1, *first, *second)
    fig.update_yaxes(range=[plot_px, 0], visible=False, fixedrange=True)
    fig.update_xaxes(
        title_text="Answers",
        range=[0, top_count * 1.05],
        dtick=max(1, math.ceil(top_count / 5)),
        gridcolor=theme.GRID,
        fixedrange=True,
    )
    return fig


def _alt(options, first, second, correct) -> str:
    parts = [
        f"{o}: {a} then {b}" for o, a, b in zip(options, first, second, strict=True)
    ]
    text = (
        f"Bar chart of a two-round class poll, {sum(first)} answers in round 1 "
        f"and {sum(second)} in round 2. " + "; ".join(parts) + "."
    )
    if correct is not None:
        text += f" Correct answer: {options[correct]}."
    return text


def _table(options, first, second, correct) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "Answer": list(options),
            "Round 1": list(first),
            "Round 2": list(second),
        }
    )
    if correct is not None:
        table["Correct"] = ["✓" if i == correct else "" for i in range(len(options))]
    return table
