"""Charts for the pathophysiology chain: the linked features and the albumin curve.

Both are drawn from :mod:`dashboard.core.pathophysiology` results; nothing is
computed here beyond layout. Each builder returns a :class:`Chart` (figure,
alt text and the data it draws).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.chart import Chart
from dashboard.core.pathophysiology import (
    AlbuminModel,
    ChainState,
    ChainThresholds,
    Feature,
)

_FILL = {"normal": "#E5F1F8", "borderline": "#FFF4D6", "abnormal": "#FBE3D6"}
_EDGE = {
    "normal": theme.NORMAL,
    "borderline": theme.BORDERLINE,
    "abnormal": theme.ABNORMAL,
}
_MARK = {"normal": "✓", "borderline": "!", "abnormal": "▲"}

# Node centres in a 0-10 × 0-4 canvas: (x, y).
_POSITIONS = {
    "injury": (0.95, 3.0),
    "proteinuria": (3.0, 3.0),
    "albumin": (5.1, 3.0),
    "oncotic": (7.2, 3.0),
    "oedema": (9.35, 3.0),
    "lipids": (5.1, 0.8),
    "sodium": (9.35, 0.8),
}
_W, _H = 0.9, 0.55
_EDGES = (
    ("injury", "proteinuria", ""),
    ("proteinuria", "albumin", "loss outpaces the liver"),
    ("albumin", "oncotic", ""),
    ("oncotic", "oedema", "fluid moves into tissues"),
    ("albumin", "lipids", "liver makes more\nlipoproteins"),
    ("sodium", "oedema", "salt and water\nretained"),
)


def _node_text(feature: Feature) -> str:
    line = f"<b>{feature.label}</b>"
    if feature.value is not None:
        line += f"<br>{feature.value:.1f} {feature.unit}"
    return f"{line}<br>{_MARK[feature.severity]} {feature.state}"


def _box(fig: go.Figure, key: str, text: str, severity: str) -> None:
    x, y = _POSITIONS[key]
    fig.add_shape(
        type="rect",
        x0=x - _W,
        x1=x + _W,
        y0=y - _H,
        y1=y + _H,
        fillcolor=_FILL.get(severity, "#F2F2F2"),
        line={"color": _EDGE.get(severity, theme.NEUTRAL), "width": 3},
        layer="below",
    )
    fig.add_annotation(x=x, y=y, text=text, showarrow=False, font={"size": 15})


def _arrow(fig: go.Figure, start: str, end: str, label: str) -> None:
    (x0, y0), (x1, y1) = _POSITIONS[start], _POSITIONS[end]
    if y0 == y1:
        tail, head = (x0 + _W, y0), (x1 - _W, y1)
    else:
        tail = (x0, y0 - _H) if y0 > y1 else (x0, y0 + _H)
        head = (x1, y1 + _H) if y0 > y1 else (x1, y1 - _H)
    theme.add_arrow(fig, tail, head)
    if label:
        mid_x, mid_y = (tail[0] + head[0]) / 2, (tail[1] + head[1]) / 2
        # Horizontal links are labelled above the boxes, vertical ones beside.
        side = -0.85 if x0 > 8 else 0.85
        offset = (0, _H + 0.3) if y0 == y1 else (side, 0)
        fig.add_annotation(
            x=mid_x + offset[0],
            y=mid_y + offset[1],
            text=label.replace("\n", "<br>"),
            showarrow=False,
            font={"size": 14, "color": theme.MUTED},
        )


def _chain_figure(state: ChainState) -> go.Figure:
    """The causal chain from podocyte injury to the four defining features.

    Each box is coloured *and* marked (✓ normal, ! borderline, ▲ abnormal) so
    the state does not rely on colour alone.
    """
    fig = go.Figure(layout=theme.base_layout(title="", height=420))
    severity = {f.key: f.severity for f in state.features}
    _box(fig, "injury", "<b>Podocyte injury</b><br>filter leaks protein", "neutral")
    _box(
        fig,
        "sodium",
        "<b>Kidney keeps salt</b><br>(overfill)",
        "abnormal" if severity["oedema"] == "abnormal" else "neutral",
    )
    for feature in state.features:
        _box(fig, feature.key, _node_text(feature), feature.severity)
    for start, end, label in _EDGES:
        _arrow(fig, start, end, label)
    fig.update_xaxes(visible=False, range=[0, 10.3], fixedrange=True)
    fig.update_yaxes(visible=False, range=[0.1, 4.1], fixedrange=True)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, showlegend=False)
    return fig


def _chain_alt_text(state: ChainState) -> str:
    """Text equivalent of :func:`_chain_figure` for screen readers."""
    parts = [
        f"{f.label}: {f.value:.1f} {f.unit}, {f.state}"
        if f.value is not None
        else f"{f.label}: {f.state}"
        for f in state.features
    ]
    return "Causal chain of nephrotic syndrome. " + "; ".join(parts) + "."


def _chain_table(state: ChainState) -> pd.DataFrame:
    """The data behind :func:`_chain_figure`: one row per feature."""
    return pd.DataFrame(
        {
            "Feature": [f.label for f in state.features],
            "Value": [f.value for f in state.features],
            "Unit": [f.unit for f in state.features],
            "State": [f.state for f in state.features],
        }
    )


def chain_chart(state: ChainState) -> Chart:
    """The causal chain from podocyte injury to the four defining features.

    Parameters
    ----------
    state
        The chain evaluated at one urine protein (g/day) and serum albumin (g/L).

    Returns
    -------
    Chart
        Boxes marked ✓ normal, ! borderline or ▲ abnormal (not by colour
        alone), the alt text, and one table row per feature.
    """
    return Chart(_chain_figure(state), _chain_alt_text(state), _chain_table(state))


def _albumin_curve_figure(
    model: AlbuminModel,
    thresholds: ChainThresholds,
    *,
    proteinuria: float,
) -> go.Figure:
    """Steady-state serum albumin against urine protein, with the current point.

    Shaded bands mark the nephrotic-range proteinuria and the low albumin
    region from the sourced thresholds.
    """
    max_proteinuria = model.max_proteinuria
    x = np.linspace(0, max_proteinuria, 151)
    y = [model.albumin_for(v) for v in x]
    current = model.albumin_for(proteinuria)
    fig = go.Figure(
        layout=theme.base_layout(
            title="Teaching model: albumin at steady state", height=380
        )
    )
    fig.add_vrect(
        x0=thresholds.proteinuria_nephrotic,
        x1=max_proteinuria,
        fillcolor=theme.ABNORMAL,
        opacity=0.08,
        line_width=0,
        annotation_text="nephrotic range",
        annotation_position="top right",
    )
    fig.add_hrect(
        y0=0,
        y1=thresholds.albumin_low,
        fillcolor=theme.ABNORMAL,
        opacity=0.08,
        line_width=0,
        annotation_text="low albumin",
        annotation_position="bottom left",
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines",
            name="model",
            line={"color": theme.NORMAL, "width": 3},
            hovertemplate="%{x:.1f} g/day → %{y:.1f} g/L<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[proteinuria],
            y=[current],
            mode="markers",
            name="this patient",
            marker={
                "size": 16,
                "color": theme.ABNORMAL,
                "symbol": "diamond",
                "line": {"width": 2, "color": theme.TEXT},
            },
            hovertemplate="%{x:.1f} g/day, %{y:.1f} g/L<extra>this patient</extra>",
        )
    )
    fig.update_xaxes(
        title="Urine protein (g/day)", range=[0, max_proteinuria], gridcolor=theme.GRID
    )
    fig.update_yaxes(
        title="Serum albumin (g/L)",
        range=[0, model.normal_albumin + 5],
        gridcolor=theme.GRID,
    )
    fig.update_layout(showlegend=False)
    return fig


def _albumin_curve_alt_text(
    model: AlbuminModel, thresholds: ChainThresholds, *, proteinuria: float
) -> str:
    """Text equivalent of :func:`_albumin_curve_figure`."""
    cross = model.proteinuria_for(thresholds.albumin_low)
    return (
        "Line chart: in the teaching model serum albumin falls in a straight line "
        f"from {model.normal_albumin:.1f} g/L as urine protein rises, crossing the "
        f"low-albumin threshold of {thresholds.albumin_low:g} g/L at about "
        f"{cross:.1f} g/day. The marked patient loses {proteinuria:.1f} g/day and "
        f"sits at {model.albumin_for(proteinuria):.1f} g/L."
    )


def _albumin_curve_table(model: AlbuminModel, *, proteinuria: float) -> pd.DataFrame:
    """The data behind :func:`_albumin_curve_figure`: every 0.5 g/day, the patient."""
    x = [*np.arange(0, model.max_proteinuria + 1e-9, 0.5), proteinuria]
    return pd.DataFrame(
        {
            "Point": ["model"] * (len(x) - 1) + ["this patient"],
            "Urine protein (g/day)": [round(float(v), 2) for v in x],
            "Serum albumin (g/L)": [round(model.albumin_for(v), 1) for v in x],
        }
    )


def albumin_curve_chart(
    model: AlbuminModel, thresholds: ChainThresholds, *, proteinuria: float
) -> Chart:
    """Steady-state serum albumin against urine protein, with the current point.

    Parameters
    ----------
    model
        The albumin balance teaching model.
    thresholds
        The sourced cut-offs; the nephrotic range and low albumin are shaded.
    proteinuria
        The patient's urine protein (g/day), marked on the line.

    Returns
    -------
    Chart
        The line chart, its alt text, and the line every 0.5 g/day plus the
        patient's point as a table.
    """
    return Chart(
        _albumin_curve_figure(model, thresholds, proteinuria=proteinuria),
        _albumin_curve_alt_text(model, thresholds, proteinuria=proteinuria),
        _albumin_curve_table(model, proteinuria=proteinuria),
    )
