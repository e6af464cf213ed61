"""The pathophysiology chain drawn top to bottom, for phones held upright.

The left-to-right chain (:func:`dashboard.charts.pathophysiology.chain_chart`)
puts seven boxes side by side; on a 390 px phone each box gets ~60 px and the
titles run into each other. Here the main chain (podocyte injury → proteinuria
→ serum albumin → oncotic pressure → oedema) runs down the page in full-width
boxes. The two side branches (raised lipids from the low albumin; salt kept by
the kidney, feeding oedema) are indented boxes between the main ones, and the
main chain's arrows pass them on the left.

Coordinates: x runs 0-10 across the chart's width, y is in px of the drawn
chart from the top (the axis is reversed), so a box's height holds its lines
of text whatever the phone's width. The figure carries the same states, marks
and words as the wide one; its alt text and data table are the wide chart's
(the page shows one table for both forms).
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.pathophysiology import (
    INJURY,
    SODIUM,
    box,
    sodium_severity,
    state_line,
    value_text,
)
from dashboard.core.pathophysiology import ChainState

#: Horizontal extents (x0, x1) of a main box and an indented side box.
MAIN_X = (0.15, 9.85)
SIDE_X = (2.3, 9.85)
#: Where the main chain's arrows run (left of the side boxes), and the side ones.
MAIN_ARROW_X = 1.2
SIDE_ARROW_X = 6.0
#: Heights, px: one line of 14 px text, a box's padding, the gap between boxes.
LINE_PX = 19
PAD_PX = 14
GAP_PX = 46


@dataclass(frozen=True)
class Node:
    """One box of the vertical chain."""

    key: str
    text: str
    severity: str
    side: bool

    @property
    def height(self) -> int:
        """The box's height, px: its lines of text plus padding."""
        return LINE_PX * (self.text.count("<br>") + 1) + PAD_PX


def _feature_node(state: ChainState, key: str, *, side: bool = False) -> Node:
    feature = state.feature(key)
    head = f"<b>{feature.label}</b>"
    value = value_text(feature)
    if value:
        head += f"  {value}"
    return Node(
        key, f"{head}<br>{state_line(feature, sep=' · ')}", feature.severity, side
    )


def nodes(state: ChainState) -> tuple[Node, ...]:
    """The boxes from top to bottom: the main chain with its two side boxes."""
    return (
        Node("injury", "<b>{}</b><br>{}".format(*INJURY), "neutral", False),
        _feature_node(state, "proteinuria"),
        _feature_node(state, "albumin"),
        _feature_node(state, "lipids", side=True),
        _feature_node(state, "oncotic"),
        Node("sodium", "<b>{}</b> {}".format(*SODIUM), sodium_severity(state), True),
        _feature_node(state, "oedema"),
    )


#: Arrows: (from, to, label). A side box's arrow runs at SIDE_ARROW_X.
_LINKS = (
    ("injury", "proteinuria", ""),
    ("proteinuria", "albumin", "loss outpaces the liver"),
    ("albumin", "lipids", "liver makes more<br>lipoproteins"),
    ("albumin", "oncotic", ""),
    ("oncotic", "oedema", "fluid moves into tissues"),
    ("sodium", "oedema", "salt and water<br>retained"),
)


@dataclass(frozen=True)
class Placed:
    """A node with its box corners (x0, x1, top, bottom); y in px from the top."""

    node: Node
    x0: float
    x1: float
    top: float
    bottom: float


def place(state: ChainState) -> dict[str, Placed]:
    """Each box's corners, from the top down, with a gap for arrows between."""
    placed, top = {}, 4.0
    for node in nodes(state):
        x0, x1 = SIDE_X if node.side else MAIN_X
        placed[node.key] = Placed(node, x0, x1, top, top + node.height)
        top += node.height + GAP_PX
    return placed


def _link(fig: go.Figure, start: Placed, end: Placed, label: str) -> None:
    side = start.node.side or end.node.side
    x = SIDE_ARROW_X if side else MAIN_ARROW_X
    theme.add_arrow(fig, (x, start.bottom), (x, end.top))
    if not label:
        return
    # A main arrow's label sits right of it in the gap below its start; a side
    # arrow's, left of it (the main arrow runs further left, past the box).
    gap_middle = start.bottom + GAP_PX / 2
    fig.add_annotation(
        x=x - 0.25 if side else x + 0.3,
        y=gap_middle,
        xanchor="right" if side else "left",
        text=label,
        align="right" if side else "left",
        showarrow=False,
        font={"size": 13, "color": theme.MUTED},
    )


def vertical_chain_figure(state: ChainState) -> go.Figure:
    """The causal chain from podocyte injury to oedema, drawn top to bottom.

    Parameters
    ----------
    state
        The chain evaluated at one urine protein (g/day) and serum albumin (g/L).

    Returns
    -------
    go.Figure
        Full-width boxes with each feature's value, its direction (↑/↓) and
        state in words, and its severity mark (✓ normal, ~ borderline,
        ! abnormal), coloured the same way; height in px from the boxes.
    """
    placed = place(state)
    height = max(p.bottom for p in placed.values()) + 4.0
    margin = 6
    fig = go.Figure(
        layout=theme.base_layout(title="", height=round(height) + 2 * margin)
    )
    for p in placed.values():
        box(fig, (p.x0, p.x1, p.top, p.bottom), p.node.text, p.node.severity, size=14)
    for start, end, label in _LINKS:
        _link(fig, placed[start], placed[end], label)
    fig.update_xaxes(visible=False, range=[0, 10], fixedrange=True)
    fig.update_yaxes(visible=False, range=[height, 0], fixedrange=True)
    fig.update_layout(
        margin={"l": margin, "r": margin, "t": margin, "b": margin},
        showlegend=False,
    )
    return fig
