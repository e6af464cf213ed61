"""Row charts whose labels sit above each row, so they fit every screen width.

A horizontal bar or dot chart with its category labels on the y-axis gives
the labels whatever width they need and the plot what is left: on a 390 px
phone, nothing. Here each row's label is an annotation drawn *above* its
mark, starting at the plot's left edge (``x=0`` in paper coordinates), so the
plot keeps the chart's full width and a label never runs past the left edge
on a projector.

The y-axis is measured in pixels of the normal-size chart (0 at the top,
increasing downwards), so a label of ``n`` lines gets ``n`` lines of room
whatever the chart's width. Presenter mode scales the figure's height by
about the same factor as its type (:func:`dashboard.charts.theme.for_presenter`),
so the room still fits.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.core.tables import short_citation

#: Height of one line of label text, px (14 px type, Plotly's 1.3 spacing).
LINE_PX = 19
#: Height of the band a row's mark (bar, dot, range) takes, px.
MARK_PX = 26
#: Space between one row's mark and the next row's label, px.
GAP_PX = 8
#: Characters per label line: fits the ~340 px plot of a 390 px phone at 14 px.
LABEL_CHARS = 42
#: Characters per title line: fits a 390 px phone at 18 px.
TITLE_CHARS = 32


def wrap(text: str, width: int = LABEL_CHARS) -> str:
    """``text`` broken into lines of at most ``width`` characters (``<br>``)."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def title(text: str) -> tuple[str, int]:
    """A chart title wrapped to fit a phone, and the top margin it needs (px)."""
    wrapped = wrap(text, TITLE_CHARS)
    return wrapped, 36 + 24 * (wrapped.count("<br>") + 1)


@dataclass(frozen=True)
class Rows:
    """Where each row goes.

    Attributes
    ----------
    labels
        Each row's label, wrapped with ``<br>``.
    tops
        The top of each row's label, px from the top of the plot.
    y
        The centre of each row's mark, px from the top of the plot.
    height
        The plot's height, px.
    """

    labels: tuple[str, ...]
    tops: tuple[float, ...]
    y: tuple[float, ...]
    height: float


def stack(labels: Sequence[str], *, width: int = LABEL_CHARS) -> Rows:
    """Place ``labels`` (plain text or simple HTML) one row under another."""
    wrapped = tuple(wrap(label, width) for label in labels)
    tops, centres, top = [], [], float(GAP_PX)
    for label in wrapped:
        lines = label.count("<br>") + 1
        tops.append(top)
        centres.append(top + lines * LINE_PX + MARK_PX / 2)
        top += lines * LINE_PX + MARK_PX + GAP_PX
    return Rows(wrapped, tuple(tops), tuple(centres), top)


def draw(fig: go.Figure, rows: Rows, *, title_text: str, size: int = 14) -> go.Figure:
    """Add the labels above the rows, wrap the title, and size the figure.

    Call after the margins are final (legend included): the figure's height
    is the plot's height plus the top and bottom margins.
    """
    for label, top in zip(rows.labels, rows.tops, strict=True):
        fig.add_annotation(
            x=0,
            xref="paper",
            xanchor="left",
            y=top,
            yref="y",
            yanchor="top",
            text=label,
            align="left",
            showarrow=False,
            font={"size": size},
            # Gridlines pass behind a label, not through its words.
            bgcolor="rgba(255, 255, 255, 0.85)",
        )
    wrapped, top_margin = title(title_text)
    fig.update_layout(
        title_text=wrapped,
        margin={"l": 12, "r": 16, "t": top_margin},
    )
    fig.update_yaxes(
        range=[rows.height, 0],
        visible=False,
        fixedrange=True,
    )
    fig.update_xaxes(fixedrange=True)
    bottom = fig.layout.margin.b if fig.layout.margin.b is not None else 60
    fig.update_layout(height=round(rows.height + top_margin + bottom))
    return fig


def range_whisker(low: Sequence[float], high: Sequence[float], colour: str) -> dict:
    """A thick bar drawn left from each marker (at ``high``) to ``low``."""
    return {
        "type": "data",
        "symmetric": False,
        "array": [0] * len(high),
        "arrayminus": [h - lo for lo, h in zip(low, high, strict=True)],
        "color": colour,
        "thickness": 4,
        "width": 0,
    }


def percent_text(low: float, high: float) -> str:
    """A reported share: ``"20%"``, ``"up to 50%"`` or ``"80–90%"``."""
    if low == high:
        return f"{low:g}%"
    return f"up to {high:g}%" if low == 0 else f"{low:g}–{high:g}%"


def range_table(rows: pd.DataFrame, first: dict[str, pd.Series]) -> pd.DataFrame:
    """A chart's data table: ``first`` columns, then low, high and source."""
    return pd.DataFrame(
        {
            **first,
            "Low (%)": rows["percent_low"],
            "High (%)": rows["percent_high"],
            "Source": rows["source"].map(short_citation),
        }
    ).reset_index(drop=True)
