"""An icon array: 100 people without and 100 with tacrolimus, side by side.

Each group is a 10 × 10 grid of marks, filled from the bottom row up, left to
right. People with the outcome are filled circles; people without it are open
grey circles. In the tacrolimus group the difference from the comparator is
drawn in a third way: extra people with the outcome as filled diamonds in
vermillion, people spared it (fewer than the comparator) as open diamonds, so
the change is seen by shape as well as by colour (Okabe-Ito hues, 3:1 on
white). The axes are hidden; the two groups' names and counts are above them.

Marks are sized in pixels (presenter mode makes them larger,
:func:`dashboard.charts.theme.for_presenter`), and the grid keeps its shape at
every width because it is drawn on a fixed 22 × 11 unit plane. Pure: no
Streamlit.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.chart import Chart
from dashboard.charts.efficacy_labels import (
    TITLE_CHARS,
    title_layout,
    title_margin,
    wrap,
)

#: Grid size and the gap between the two grids, in grid units.
SIDE, GAP = 10, 2
EVENT_COLOUR = theme.NORMAL
CHANGE_COLOUR = theme.ABNORMAL
NONE_COLOUR = theme.MUTED
MARK_PX = 11
#: Room above the grids for the groups' headings, and for the grids, px.
HEADING_PX, PLOT_PX = 70, 220
#: Characters per line of a group's heading (fits half a phone's chart).
HEADING_CHARS = 18


def _cells(offset: float) -> list[tuple[float, float]]:
    """The 100 positions of one grid, in filling order (bottom row first)."""
    return [(offset + i % SIDE, i // SIDE) for i in range(SIDE * SIDE)]


def _trace(
    cells: list[tuple[float, float]], name: str, symbol: str, colour: str
) -> go.Scatter:
    return go.Scatter(
        x=[c[0] for c in cells],
        y=[c[1] for c in cells],
        mode="markers",
        name=name,
        marker={
            "symbol": symbol,
            "size": MARK_PX,
            "color": colour,
            "line": {"color": colour, "width": 1.5},
        },
        hoverinfo="name",
    )


def _groups(without: int, with_tac: int) -> dict[str, list[tuple[float, float]]]:
    """Which cell of which grid shows what."""
    left, right = _cells(0), _cells(SIDE + GAP)
    common = min(without, with_tac)
    return {
        "with the outcome": left[:without] + right[:common],
        "without the outcome": left[without:] + right[max(without, with_tac) :],
        "extra with tacrolimus": right[without:with_tac],
        "spared with tacrolimus": right[with_tac:without],
    }


_STYLE = {
    "with the outcome": ("circle", EVENT_COLOUR),
    "without the outcome": ("circle-open", NONE_COLOUR),
    "extra with tacrolimus": ("diamond", CHANGE_COLOUR),
    "spared with tacrolimus": ("diamond-open", CHANGE_COLOUR),
}


def _heading(name: str, count: int) -> str:
    return (
        "<br>".join(textwrap.wrap(name, HEADING_CHARS)) + f"<br><b>{count} in 100</b>"
    )


def icon_array_chart(
    without: int, with_tac: int, *, comparator: str, outcome: str, alt: str
) -> Chart:
    """Two grids of 100 people: ``without`` and ``with_tac`` have the outcome.

    Parameters
    ----------
    without, with_tac
        People in 100 with ``outcome`` on the comparator and on
        tacrolimus-based treatment (0 to 100).
    comparator
        The comparator's name, for the left grid's heading.
    outcome
        What is counted, for the title.
    alt
        The sentence the page shows with the chart (its alt text).

    Raises
    ------
    ValueError
        If a count is outside 0-100.
    """
    if not (0 <= without <= 100 and 0 <= with_tac <= 100):
        raise ValueError(f"counts must be 0-100, got {without} and {with_tac}")
    groups = _groups(without, with_tac)
    title = wrap(f"{outcome[:1].upper()}{outcome[1:]}: 100 people", TITLE_CHARS)
    below = theme.legend_below(2)
    top = title_margin(title) + HEADING_PX
    fig = go.Figure(layout=theme.base_layout(title="", height=top + PLOT_PX + 122))
    fig.update_layout(
        title=title_layout(title),
        legend=below["legend"],
        margin={"l": 8, "r": 8, "t": top, "b": below["margin"]["b"]},
        xaxis={
            "visible": False,
            "range": [-0.8, 2 * SIDE + GAP - 0.2],
            "fixedrange": True,
        },
        yaxis={
            "visible": False,
            "range": [-0.8, SIDE - 0.2],
            "fixedrange": True,
            "scaleanchor": "x",
            "scaleratio": 1,
        },
    )
    for name, cells in groups.items():
        if cells:
            symbol, colour = _STYLE[name]
            fig.add_trace(_trace(cells, name, symbol, colour))
    for centre, text in (
        ((SIDE - 1) / 2, _heading(comparator[:1].upper() + comparator[1:], without)),
        (SIDE + GAP + (SIDE - 1) / 2, _heading("Tacrolimus-based", with_tac)),
    ):
        fig.add_annotation(
            x=centre,
            xref="x",
            xanchor="center",
            y=SIDE - 0.3,
            yref="y",
            yanchor="bottom",
            text=text,
            showarrow=False,
            font={"size": 15, "color": theme.TEXT},
        )
    table = pd.DataFrame(
        {
            "Group": [comparator, "tacrolimus-based"],
            "With the outcome (of 100)": [without, with_tac],
            "Without it (of 100)": [100 - without, 100 - with_tac],
            "Difference from the comparator": [0, with_tac - without],
        }
    )
    return Chart(fig, alt, table)
