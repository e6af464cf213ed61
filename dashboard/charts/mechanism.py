"""The mechanism diagram: boxes, arrows and regions drawn with Plotly shapes.

Takes a :class:`~dashboard.core.mechanism.DiagramState` and returns a
:class:`Chart` (the figure, its alt text and the table of what it shows).
Every state is shown by text and line style as well as colour: new elements
are bold with a thick border, blocked ones are dashed and marked "✕ blocked",
protected ones are marked "✓ kept", and inhibition is a blunt-ended bar.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.chart import Chart
from dashboard.core.mechanism import LANE_SPECS, DiagramState, Lane

_W, _H = 0.98, 0.52  # box half-width and half-height, canvas units

#: Box centres per lane on a 12 × 6.8 canvas.
POSITIONS: dict[Lane, dict[str, tuple[float, float]]] = {
    "tcell": {
        "tcr": (1.2, 4.6),
        "calcium": (3.4, 4.6),
        "calmodulin": (5.6, 4.6),
        "calcineurin": (7.8, 4.6),
        "fkbp12": (10.6, 4.6),
        "tacrolimus": (10.6, 6.1),
        "nfat_p": (7.8, 3.05),
        "nfat": (7.8, 1.2),
        "il2": (5.2, 1.2),
        "effects": (1.6, 1.2),
        "outcome": (10.6, 1.9),
    },
    "podocyte": {
        "tacrolimus": (1.3, 6.1),
        "fkbp12": (1.3, 4.6),
        "calcineurin": (4.0, 4.6),
        "synpo_p": (6.9, 4.6),
        "synpo": (9.9, 4.6),
        "cathepsin": (9.9, 2.4),
        "actin": (6.9, 2.4),
        "leak": (4.0, 2.4),
        "outcome": (1.3, 1.0),
    },
}

#: Shaded regions per lane: (x0, y0, x1, y1, label).
REGIONS: dict[Lane, tuple[tuple[float, float, float, float, str], ...]] = {
    "tcell": (
        (0.05, 0.2, 12.0, 5.45, "T cell"),
        (3.9, 0.35, 9.05, 2.05, "Nucleus"),
    ),
    "podocyte": ((0.05, 0.2, 12.0, 5.45, "Podocyte"),),
}

_STYLE = {
    # state: (fill, border colour, border width, dash, text colour, suffix)
    "normal": ("#FFFFFF", theme.NEUTRAL, 2, "solid", theme.TEXT, ""),
    "highlight": ("#E5F1F8", theme.NORMAL, 4, "solid", theme.TEXT, ""),
    "blocked": ("#F2F2F2", theme.NEUTRAL, 2, "dash", theme.MUTED, "<br>✕ blocked"),
    "protected": ("#E3F4EE", theme.KEPT, 4, "solid", theme.TEXT, "<br>✓ kept"),
}
_DRUG_STYLE = ("#FBE3D6", theme.ABNORMAL, 4, "solid", theme.TEXT, "")


def _edge_point(
    centre: tuple[float, float], towards: tuple[float, float]
) -> tuple[float, float]:
    """Where the line from ``centre`` to ``towards`` leaves the box at ``centre``."""
    dx, dy = towards[0] - centre[0], towards[1] - centre[1]
    if dx == 0 and dy == 0:
        return centre
    scale = min(
        _W / abs(dx) if dx else math.inf,
        _H / abs(dy) if dy else math.inf,
    )
    return centre[0] + dx * scale, centre[1] + dy * scale


def _draw_box(fig: go.Figure, centre: tuple[float, float], label: str, style) -> None:
    fill, border, width, dash, colour, suffix = style
    x, y = centre
    fig.add_shape(
        type="rect",
        x0=x - _W,
        x1=x + _W,
        y0=y - _H,
        y1=y + _H,
        fillcolor=fill,
        line={"color": border, "width": width, "dash": dash},
    )
    weight = "<b>{}</b>" if width >= 4 else "{}"
    fig.add_annotation(
        x=x,
        y=y,
        text=weight.format(label) + suffix,
        showarrow=False,
        font={"size": 14, "color": colour},
    )


def _draw_link(
    fig: go.Figure,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    state: str,
    label: str,
    inhibits: bool,
) -> None:
    tail, head = _edge_point(start, end), _edge_point(end, start)
    colour = {
        "highlight": theme.NORMAL,
        "normal": theme.TEXT,
        "blocked": theme.MUTED,
    }.get(state, theme.TEXT)
    width = 4 if state == "highlight" else 2.5
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
            y=mid_y + (0 if vertical else _H + 0.14),
            text=text,
            showarrow=False,
            xanchor="left" if vertical else "center",
            font={"size": 13, "color": colour},
            bgcolor="rgba(255,255,255,0.85)",
        )


def _diagram_figure(state: DiagramState) -> go.Figure:
    """Draw one lane at one step, with or without the drug."""
    spec = LANE_SPECS[state.lane]
    positions = POSITIONS[state.lane]
    drug_word = "with tacrolimus" if state.drug else "without tacrolimus"
    fig = go.Figure(
        layout=theme.base_layout(
            title=f"{spec.title}: step {state.step} of {spec.steps}, {drug_word}",
            height=480,
        )
    )
    for x0, y0, x1, y1, label in REGIONS[state.lane]:
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
            positions[link.start],
            positions[link.end],
            state=link_state,
            label=link.label,
            inhibits=link.inhibits,
        )
    for element in spec.elements:
        element_state = state.elements[element.key]
        if element_state == "hidden":
            continue
        style = _DRUG_STYLE if element.drug else _STYLE[element_state]
        _draw_box(fig, positions[element.key], element.label, style)
    fig.update_xaxes(visible=False, range=[-0.1, 12.1], fixedrange=True)
    fig.update_yaxes(visible=False, range=[0, 6.8], fixedrange=True)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 50, "b": 10}, showlegend=False)
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


def diagram_chart(state: DiagramState) -> Chart:
    """Draw one lane at one step, with or without the drug.

    Parameters
    ----------
    state
        Which boxes and links show, and how, at this lane, step and drug.

    Returns
    -------
    Chart
        The diagram (states shown by text and line style as well as colour),
        its alt text, and one table row per box shown.
    """
    return Chart(
        _diagram_figure(state), _diagram_alt_text(state), _diagram_table(state)
    )
