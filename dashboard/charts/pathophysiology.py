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
#: How abnormal a feature is, in a mark and a word (never by colour alone).
BADGE = {"normal": "✓ normal", "borderline": "~ borderline", "abnormal": "! abnormal"}
#: Which way a feature moved from normal.
ARROW = {"up": "↑", "down": "↓"}
#: The key to the marks, for a caption under the chain.
KEY = (
    "↑ rises · ↓ falls (which way from normal) · ✓ normal · ~ borderline · "
    "! abnormal (the box's colour says the same)"
)

# Node centres in a 0-10.2 × 0-3.6 canvas: (x, y). Four columns, two rows:
# the chain runs along the top; lipids, the salt kept by the kidney and the
# oedema they lead to sit underneath.
_COLUMNS = (1.15, 3.75, 6.4, 9.05)
_TOP, _BOTTOM = 2.55, 0.7
_POSITIONS = {
    "injury": (_COLUMNS[0], _TOP),
    "proteinuria": (_COLUMNS[1], _TOP),
    "albumin": (_COLUMNS[2], _TOP),
    "oncotic": (_COLUMNS[3], _TOP),
    "lipids": (_COLUMNS[1], _BOTTOM),
    "sodium": (_COLUMNS[2], _BOTTOM),
    "oedema": (_COLUMNS[3], _BOTTOM),
}
_W, _H = 1.05, 0.62
#: Arrows: (from, to, label, where the label goes: "above", "left" or "").
_EDGES = (
    ("injury", "proteinuria", "", ""),
    ("proteinuria", "albumin", "loss outpaces the liver", "above"),
    ("albumin", "oncotic", "", ""),
    ("oncotic", "oedema", "fluid moves<br>into tissues", "left"),
    ("albumin", "lipids", "liver makes more<br>lipoproteins", "left"),
    ("sodium", "oedema", "", ""),
)
#: The two boxes that are not features of the chain: title, then what it means.
INJURY = ("Podocyte injury", "filter leaks protein")
SODIUM = ("Kidney keeps salt", "and water (overfill)")


def state_words(feature: Feature) -> str:
    """The feature's state with its direction: "↓ low", "↑ nephrotic range"."""
    arrow = ARROW.get(feature.direction or "")
    return f"{arrow} {feature.state}" if arrow else feature.state


def state_line(feature: Feature, sep: str = "<br>") -> str:
    """Direction and state, then the severity mark ("↓ low<br>! abnormal")."""
    badge = BADGE[feature.severity]
    if feature.state == "normal":
        return badge
    return f"{state_words(feature)}{sep}{badge}"


def value_text(feature: Feature) -> str:
    """The feature's value with its unit, or an empty string if it has none."""
    return f"{feature.value:.1f} {feature.unit}" if feature.value is not None else ""


def sodium_severity(state: ChainState) -> str:
    """The salt box is abnormal when oedema is expected, else neutral."""
    return "abnormal" if state.feature("oedema").severity == "abnormal" else "neutral"


def _node_text(feature: Feature) -> str:
    line = f"<b>{feature.label}</b>"
    if feature.value is not None:
        line += f"<br>{value_text(feature)}"
    return f"{line}<br>{state_line(feature)}"


def box(
    fig: go.Figure,
    corners: tuple[float, float, float, float],
    text: str,
    severity: str,
    *,
    size: int = 15,
) -> None:
    """A box (x0, x1, y0, y1 in data units) filled and edged by ``severity``."""
    x0, x1, y0, y1 = corners
    fig.add_shape(
        type="rect",
        x0=x0,
        x1=x1,
        y0=y0,
        y1=y1,
        fillcolor=_FILL.get(severity, "#F2F2F2"),
        line={"color": _EDGE.get(severity, theme.NEUTRAL), "width": 3},
        layer="below",
    )
    fig.add_annotation(
        x=(x0 + x1) / 2,
        y=(y0 + y1) / 2,
        text=text,
        showarrow=False,
        font={"size": size},
    )


def _box(fig: go.Figure, key: str, text: str, severity: str) -> None:
    x, y = _POSITIONS[key]
    box(fig, (x - _W, x + _W, y - _H, y + _H), text, severity, size=14)


def _arrow(fig: go.Figure, start: str, end: str, label: str, where: str) -> None:
    """An arrow between two boxes: along a row, down a column, or down a diagonal."""
    (x0, y0), (x1, y1) = _POSITIONS[start], _POSITIONS[end]
    if y0 == y1:
        tail, head = (x0 + _W, y0), (x1 - _W, y1)
    elif x0 == x1:
        tail, head = (x0, y0 - _H), (x1, y1 + _H)
    else:  # down and to the left: from the start's bottom to the end's top
        tail, head = (x0 - _W * 0.55, y0 - _H), (x1 + _W * 0.55, y1 + _H)
    theme.add_arrow(fig, tail, head)
    if not label:
        return
    mid_x, mid_y = (tail[0] + head[0]) / 2, (tail[1] + head[1]) / 2
    if where == "above":
        place = {"x": mid_x, "y": y0 + _H + 0.05, "yanchor": "bottom"}
    else:
        # Left of the arrow's head: clear of a diagonal arrow's whole length.
        left = min(tail[0], head[0]) - 0.15
        place = {"x": left, "y": mid_y, "xanchor": "right", "align": "right"}
    fig.add_annotation(
        **place,
        text=label,
        showarrow=False,
        font={"size": 13, "color": theme.MUTED},
    )


def _chain_figure(state: ChainState) -> go.Figure:
    """The causal chain from podocyte injury to the four defining features.

    Drawn left to right, for screens wider than a phone. Each box gives the
    direction (↑/↓) and the state in words, then a severity mark (✓ normal,
    ~ borderline, ! abnormal), so the state does not rely on colour alone.
    """
    fig = go.Figure(layout=theme.base_layout(title="", height=350))
    _box(fig, "injury", "<b>{}</b><br>{}".format(*INJURY), "neutral")
    _box(fig, "sodium", "<b>{}</b><br>{}".format(*SODIUM), sodium_severity(state))
    for feature in state.features:
        _box(fig, feature.key, _node_text(feature), feature.severity)
    for start, end, label, where in _EDGES:
        _arrow(fig, start, end, label, where)
    fig.update_xaxes(visible=False, range=[0, 10.2], fixedrange=True)
    fig.update_yaxes(visible=False, range=[0.0, 3.55], fixedrange=True)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, showlegend=False)
    return fig


def chain_alt_text(state: ChainState) -> str:
    """Text equivalent of the chain (either form) for screen readers."""
    parts = [
        f"{f.label}: {f.value:.1f} {f.unit}, {f.state}"
        if f.value is not None
        else f"{f.label}: {f.state}"
        for f in state.features
    ]
    return "Causal chain of nephrotic syndrome. " + "; ".join(parts) + "."


def chain_table(state: ChainState) -> pd.DataFrame:
    """The data behind :func:`_chain_figure`: one row per feature."""
    return pd.DataFrame(
        {
            "Feature": [f.label for f in state.features],
            "Value": [f.value for f in state.features],
            "Unit": [f.unit for f in state.features],
            "State": [state_words(f) for f in state.features],
            "Severity": [f.severity for f in state.features],
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
        Boxes marked with the direction (↑/↓), the state in words and ✓ normal,
        ~ borderline or ! abnormal (not by colour alone), the alt text, and one
        table row per feature. The same chain drawn top to bottom for phones is
        :func:`dashboard.charts.chain_vertical.vertical_chain_figure`.
    """
    return Chart(_chain_figure(state), chain_alt_text(state), chain_table(state))


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
