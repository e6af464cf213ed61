"""The monitoring plan as a grid a lecture hall can read: parameters × phases.

Drawn for laptops and projectors (the page shows phones one card per check
instead, :func:`dashboard.models.monitoring.plan_cards`). Each row is as tall
as its longest cell, so no text runs into the next row; row labels and cell
text take the figure's font, so presenter mode scales both. A phase the
sources give no check for reads :data:`NOT_LISTED`, never a blank cell that
could mean "not needed" or "no data".
"""

from __future__ import annotations

import itertools
import textwrap

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.chart import Chart

PHASES = {
    "when_starting": "When starting",
    "after_a_change": "After a change",
    "maintenance": "Once stable",
}
#: What an empty cell says: the sources name no check for that phase.
NOT_LISTED = "not listed"
#: What :data:`NOT_LISTED` means, for a caption under the grid.
NOT_LISTED_MEANING = (
    f'"{NOT_LISTED.capitalize()}": the sources give no check for that phase '
    '(which is not the same as "not needed").'
)
#: Characters per line in a cell and in a row label (wrapped at spaces).
CELL_CHARS = 22
LABEL_CHARS = 24
#: Figure font (px); presenter mode adds 6 (``theme.for_presenter``).
FONT_PX = 16
#: Height of one text line and a row's padding, px at :data:`FONT_PX`.
LINE_PX = 21
ROW_PAD_PX = 14
FILLED = "#E5F1F8"


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def _hover_lines(value: object) -> str:
    return "<br>".join(_lines(str(value), 50))


def cell_text(value: object) -> str:
    """The text of one cell, or :data:`NOT_LISTED` for an empty one."""
    return NOT_LISTED if pd.isna(value) or not str(value).strip() else str(value)


def plan_chart(plan: pd.DataFrame) -> Chart:
    """The monitoring plan as a grid of parameters × phases, with alt text and table.

    ``plan`` is the validated ``monitoring_plan`` table; rows are drawn in
    their ``order``.
    """
    return Chart(_plan_figure(plan), _plan_alt_text(plan), _plan_table(plan))


def _plan_figure(plan: pd.DataFrame) -> go.Figure:
    """Cells say how often; "not listed" cells are white with grey italics.

    The y axis runs in text lines: each row spans as many lines as its
    longest cell or label, and the heatmap's y values are the rows' edges.
    Hover repeats the finding and the response, which the page also shows
    without hover (the checklist under the grid, the cards on phones).
    """
    rows = plan.sort_values("order")
    columns = list(PHASES)
    cells = [[cell_text(r[c]) for c in columns] for _, r in rows.iterrows()]
    labels = [_lines(str(p), LABEL_CHARS) for p in rows["parameter"]]
    spans = [
        max(len(label), *(len(_lines(c, CELL_CHARS)) for c in line)) + 0.8
        for label, line in zip(labels, cells, strict=True)
    ]
    edges = [0.0]
    for span in spans:
        edges.append(edges[-1] + span)
    text = [
        [
            f"<i>{c}</i>" if c == NOT_LISTED else "<br>".join(_lines(c, CELL_CHARS))
            for c in line
        ]
        for line in cells
    ]
    hover = [
        [
            f"<b>{r['parameter']}</b><br>If: {_hover_lines(r['finding'])}"
            f"<br>Then: {_hover_lines(r['action'])}"
            for _ in columns
        ]
        for _, r in rows.iterrows()
    ]
    height = 150 + sum(round(s * LINE_PX) + ROW_PAD_PX for s in spans)
    layout = theme.base_layout(title="What to check, and when", height=height)
    fig = go.Figure(
        go.Heatmap(
            z=[[0 if c == NOT_LISTED else 1 for c in line] for line in cells],
            x=[PHASES[c] for c in columns],
            y=edges,
            text=text,
            texttemplate="%{text}",
            # A set size: unset, Plotly shrinks heatmap text to fit each cell.
            textfont={"size": FONT_PX - 1, "color": theme.TEXT},
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=[[0, "#FFFFFF"], [1, FILLED]],
            zmin=0,
            zmax=1,
            showscale=False,
            xgap=3,
            ygap=3,
        ),
        layout=layout,
    )
    fig.update_layout(
        font={"size": FONT_PX},
        title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
        margin={"l": 20, "r": 10, "t": 100, "b": 20},
    )
    fig.update_xaxes(side="top", showgrid=False, automargin=True, fixedrange=True)
    fig.update_yaxes(
        range=[edges[-1], 0],
        tickmode="array",
        tickvals=[(a + b) / 2 for a, b in itertools.pairwise(edges)],
        ticktext=["<br>".join(label) for label in labels],
        showgrid=False,
        automargin=True,
        fixedrange=True,
        ticks="",
    )
    return fig


def _plan_alt_text(plan: pd.DataFrame) -> str:
    """Text equivalent of :func:`_plan_figure`."""
    parts = []
    for _, r in plan.sort_values("order").iterrows():
        when = "; ".join(
            f"{label.lower()}: {cell_text(r[c])}" for c, label in PHASES.items()
        )
        parts.append(f"{r['parameter']} ({when})")
    return "Monitoring grid. " + ". ".join(parts) + "."


def _plan_table(plan: pd.DataFrame) -> pd.DataFrame:
    """The data behind :func:`_plan_figure`: what to check, when, and what to do."""
    rows = plan.sort_values("order")
    table = rows[["parameter", *PHASES, "finding", "action"]].copy()
    for column in PHASES:
        table[column] = table[column].map(cell_text)
    table = table.rename(
        columns={"parameter": "Check", **PHASES, "finding": "If", "action": "Then"}
    )
    return table.fillna("").reset_index(drop=True)
