"""The mechanism diagram: boxes, arrows and regions drawn with Plotly shapes.

Takes a :class:`~dashboard.core.mechanism.DiagramState` and returns a
:class:`Chart` (the figure, its alt text and the table of what it shows).
Every state is shown by text and line style as well as colour: new elements
are bold with a thick border, blocked ones are dashed and marked "✕", kept
ones are marked "✓" (a key under the diagram says "✕ blocked by tacrolimus
✓ kept by tacrolimus"), and inhibition is a blunt-ended bar. Marks lead the
label rather than add a third line, so every box holds at most two lines.

The diagram comes in two forms with one alt text and one table: ``wide``
(:data:`WIDE`, the chain left to right, for laptops and projectors) and
``narrow`` (:data:`NARROW`, the chain top to bottom in one column with the
drug beside calcineurin, for phones up to 640 px wide, where the wide form's
boxes and labels run into each other). The page sends both and the browser
shows the one that fits (:mod:`dashboard.ui.responsive`).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.chart import Chart
from dashboard.charts.mechanism_layouts import LAYOUTS, NARROW, WIDE, Layout
from dashboard.core.mechanism import LANE_SPECS, DiagramState

__all__ = ["LAYOUTS", "NARROW", "WIDE", "Layout", "diagram_chart"]


#: The short marks of the narrow form, and the key that explains them.
_MARKS = {"blocked": "✕ ", "protected": "✓ "}
_KEY = "✕ blocked by tacrolimus   ✓ kept by tacrolimus"

_STYLE = {
    # state: (fill, border colour, border width, dash, text colour)
    "normal": ("#FFFFFF", theme.NEUTRAL, 2, "solid", theme.TEXT),
    "highlight": ("#E5F1F8", theme.NORMAL, 4, "solid", theme.TEXT),
    "blocked": ("#F2F2F2", theme.NEUTRAL, 2, "dash", theme.MUTED),
    "protected": ("#E3F4EE", theme.KEPT, 4, "solid", theme.TEXT),
}
_DRUG_STYLE = ("#FBE3D6", theme.ABNORMAL, 4, "solid", theme.TEXT)


Box = tuple[tuple[float, float], tuple[float, float]]  # (centre, half size)


def _edge_point(box: Box, towards: tuple[float, float]) -> tuple[float, float]:
    """Where the line from the box's centre to ``towards`` leaves the box."""
    (cx, cy), (half_w, half_h) = box
    dx, dy = towards[0] - cx, towards[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(
        half_w / abs(dx) if dx else math.inf,
        half_h / abs(dy) if dy else math.inf,
    )
    return cx + dx * scale, cy + dy * scale


def _draw_box(fig: go.Figure, box: Box, label: str, style, mark: str) -> None:
    """Draw a box with its label, ``mark`` ("✕ ", "✓ " or "") leading."""
    fill, border, width, dash, colour = style
    (x, y), (half_w, half_h) = box
    fig.add_shape(
        type="rect",
        x0=x - half_w,
        x1=x + half_w,
        y0=y - half_h,
        y1=y + half_h,
        fillcolor=fill,
        line={"color": border, "width": width, "dash": dash},
    )
    weight = "<b>{}</b>" if width >= 4 else "{}"
    fig.add_annotation(
        x=x,
        y=y,
        text=weight.format(mark + label),
        showarrow=False,
        font={"size": 14, "color": colour},
    )


def _draw_link(
    fig: go.Figure,
    start: Box,
    end: Box,
    *,
    state: str,
    label: str,
    inhibits: bool,
    widths: tuple[float, float],
) -> None:
    tail, head = _edge_point(start, end[0]), _edge_point(end, start[0])
    colour = {
        "highlight": theme.NORMAL,
        "normal": theme.TEXT,
        "blocked": theme.MUTED,
    }.get(state, theme.TEXT)
    width = widths[1] if state == "highlight" else widths[0]
    if inhibits:
        colour = theme.ABNORMAL
        fig.add_shape(
            type="line",
            x0=tail[0],
            y0=tail[1],
            x1=head[0],
            y1=head[1],
            line={"color": colour, "width": 5},
        )
        # The blunt end: a short bar across the line at the head.
        dx, dy = head[0] - tail[0], head[1] - tail[1]
        length = math.hypot(dx, dy) or 1
        nx, ny = -dy / length * 0.3, dx / length * 0.3
        fig.add_shape(
            type="line",
            x0=head[0] - nx,
            y0=head[1] - ny,
            x1=head[0] + nx,
            y1=head[1] + ny,
            line={"color": colour, "width": 6},
        )
    else:
        theme.add_arrow(fig, tail, head, colour=colour, width=width)
    mid_x, mid_y = (tail[0] + head[0]) / 2, (tail[1] + head[1]) / 2
    text = label
    if state == "blocked":
        text = f"✕ {label}" if label else "✕"
    if text:
        vertical = abs(head[0] - tail[0]) < 0.01
        fig.add_annotation(
            x=mid_x + (0.12 if vertical else 0),
            y=mid_y + (0 if vertical else start[1][1] + 0.14),
            text=text,
            showarrow=False,
            xanchor="left" if vertical else "center",
            font={"size": 13, "color": colour},
            bgcolor="rgba(255,255,255,0.85)",
        )


def _title(state: DiagramState, layout: Layout) -> str:
    spec = LANE_SPECS[state.lane]
    drug_word = "with tacrolimus" if state.drug else "without tacrolimus"
    joint = ",<br>" if layout.two_line_title else ", "
    return f"{spec.title}: step {state.step} of {spec.steps}{joint}{drug_word}"


def _diagram_figure(state: DiagramState, layout: Layout = WIDE) -> go.Figure:
    """Draw one lane at one step, with or without the drug, in one layout."""
    lane = state.lane
    spec = LANE_SPECS[lane]
    positions = layout.positions[lane]

    def box(key: str) -> Box:
        return positions[key], layout.half(lane, key)

    fig = go.Figure(
        layout=theme.base_layout(
            title=_title(state, layout), height=layout.height[lane]
        )
    )
    for x0, y0, x1, y1, label in layout.regions[lane]:
        fig.add_shape(
            type="rect",
            x0=x0,
            y0=y0,
            x1=x1,
            y1=y1,
            fillcolor="#F7F9FB" if label != "Nucleus" else "#EEF3F8",
            # The cell and nucleus edges carry meaning (NFAT must cross into
            # the nucleus), so they reach 3:1 like every other mark.
            line={"color": theme.NEUTRAL, "width": 1.5},
            layer="below",
        )
        fig.add_annotation(
            x=x0 + 0.1,
            y=y1 - 0.05,
            text=f"<i>{label}</i>",
            showarrow=False,
            xanchor="left",
            yanchor="top",
            font={"size": 13, "color": theme.MUTED},
        )
    for link in spec.links:
        link_state = state.links[(link.start, link.end)]
        if link_state == "hidden":
            continue
        _draw_link(
            fig,
            box(link.start),
            box(link.end),
            state=link_state,
            label=link.label,
            inhibits=link.inhibits,
            widths=layout.arrow_widths,
        )
    for element in spec.elements:
        element_state = state.elements[element.key]
        if element_state == "hidden":
            continue
        style = _DRUG_STYLE if element.drug else _STYLE[element_state]
        mark = "" if element.drug else _MARKS.get(element_state, "")
        _draw_box(fig, box(element.key), element.label, style, mark)
    if any(state.elements[e.key] in _MARKS for e in spec.elements):
        fig.add_annotation(
            x=0,
            y=0,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="top",
            yshift=-4,
            text=_KEY,
            showarrow=False,
            font={"size": 13, "color": theme.TEXT},
        )
    fig.update_xaxes(visible=False, range=list(layout.x_range[lane]), fixedrange=True)
    fig.update_yaxes(visible=False, range=list(layout.y_range[lane]), fixedrange=True)
    top = 75 if layout.two_line_title else 40
    bottom = 30  # the key to the marks
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": top, "b": bottom}, showlegend=False
    )
    return fig


_STATE_WORDS = {
    "normal": "shown",
    "highlight": "new at this step",
    "blocked": "blocked by tacrolimus",
    "protected": "kept by tacrolimus",
}


def _diagram_table(state: DiagramState) -> pd.DataFrame:
    """The data behind :func:`_diagram_figure`: each box shown and its state."""
    spec = LANE_SPECS[state.lane]
    shown = [e for e in spec.elements if state.elements[e.key] != "hidden"]
    return pd.DataFrame(
        {
            "Element": [e.label.replace("<br>", " ") for e in shown],
            "At this step": [
                "the drug" if e.drug else _STATE_WORDS[state.elements[e.key]]
                for e in shown
            ],
        }
    )


def _diagram_alt_text(state: DiagramState) -> str:
    """Text equivalent of :func:`_diagram_figure`."""
    spec = LANE_SPECS[state.lane]
    words = _STATE_WORDS
    parts = [
        f"{e.label.replace('<br>', ' ')}: {words[state.elements[e.key]]}"
        for e in spec.elements
        if state.elements[e.key] != "hidden"
    ]
    drug = "with tacrolimus" if state.drug else "without tacrolimus"
    return (
        f"Diagram, {spec.title.lower()}, step {state.step} of {spec.steps}, {drug}. "
        + "; ".join(parts)
        + "."
    )


def diagram_chart(state: DiagramState, form: str = "wide") -> Chart:
    """Draw one lane at one step, with or without the drug.

    Parameters
    ----------
    state
        Which boxes and links show, and how, at this lane, step and drug.
    form
        ``"wide"`` (left to right, for laptops and projectors) or
        ``"narrow"`` (top to bottom, for phones); both have the same alt text
        and table.

    Returns
    -------
    Chart
        The diagram (states shown by text and line style as well as colour),
        its alt text, and one table row per box shown.
    """
    return Chart(
        _diagram_figure(state, LAYOUTS[form]),
        _diagram_alt_text(state),
        _diagram_table(state),
    )
