"""Trough-simulator figures: concentration over days, with the target band.

Takes :mod:`dashboard.core.pk` results; draws the baseline curve, an optional
changed scenario (dashed, a different colour *and* line style), the chosen
trough band, and for the population view the 5-95 % (dotted edges) and 25-75 %
(dashed edges) ribbons around a solid median.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.chart import Chart

Band = tuple[float, float, str]


def _band(fig: go.Figure, band: Band | None) -> None:
    if band is None:
        return
    low, high, _label = band
    fig.add_hrect(
        y0=low,
        y1=high,
        fillcolor=theme.PALETTE[2],
        opacity=0.15,
        line={"color": theme.PALETTE[2], "width": 1.5, "dash": "dot"},
        annotation_text=f"target {low:g}-{high:g} ng/mL",
        annotation_position="top right",
        annotation_font={"size": 13, "color": "#00614A"},
        annotation_bgcolor="rgba(255,255,255,0.9)",
    )


def _axes(fig: go.Figure, days: float, top: float) -> None:
    fig.update_xaxes(
        title="Day",
        range=[0, days],
        dtick=1 if days <= 21 else 7,
        gridcolor=theme.GRID,
    )
    fig.update_yaxes(
        title="Whole-blood tacrolimus (ng/mL)", range=[0, top], gridcolor=theme.GRID
    )
    fig.update_layout(theme.legend_below(1), hovermode="x unified")


def curve_chart(
    times_h: np.ndarray,
    baseline: np.ndarray,
    *,
    band: Band | None,
    alt: str,
    changed: np.ndarray | None = None,
    changed_label: str = "",
    change_day: float | None = None,
) -> Chart:
    """The typical patient's concentration over days, with its alt text and table.

    Parameters
    ----------
    times_h
        Time points, hours from the first dose.
    baseline
        Whole-blood concentration at each time point without the other drug, ng/mL.
    band
        The target trough band (low, high in ng/mL, label), shaded; or ``None``.
    alt
        The alt text (the caller knows the trough and peak it should name).
    changed, changed_label, change_day
        Optionally the changed scenario (ng/mL, drawn dashed on top), its legend
        name and the day it starts (a dotted line).
    """
    figure = _curve_figure(
        times_h,
        baseline,
        band=band,
        changed=changed,
        changed_label=changed_label,
        change_day=change_day,
    )
    table = _curve_table(
        times_h, baseline, changed=changed, changed_label=changed_label
    )
    return Chart(figure, alt, table)


def population_chart(
    times_h: np.ndarray,
    bands: np.ndarray,
    *,
    band: Band | None,
    n: int,
    interval_h: float | None = None,
    in_band_percent: int | None = None,
) -> Chart:
    """Percentile ribbons of ``n`` simulated patients, with alt text and table.

    ``bands`` holds the 5th, 25th, 50th, 75th and 95th percentiles (ng/mL) at
    each of ``times_h`` (hours); the alt text names their values at the end.
    With ``interval_h`` (hours between doses) only the troughs are drawn, the
    level just before each dose: smooth ribbons to set against the target
    band, instead of one saw-tooth per dose. ``in_band_percent``, if given, is
    the % of patients whose last trough is inside ``band`` (said in the alt
    text).
    """
    if interval_h is not None:
        keep = _trough_points(times_h, interval_h)
        times_h, bands = times_h[keep], bands[:, keep]
    alt = (
        f"Percentile ribbons of {n} simulated patients"
        f"{', troughs before each dose' if interval_h else ''}; median final trough "
        f"{bands[2][-1]:.1f} ng/mL, middle half between {bands[1][-1]:.1f} and "
        f"{bands[3][-1]:.1f} ng/mL."
    )
    if in_band_percent is not None and band is not None:
        alt += (
            f" {in_band_percent}% of patients end inside the {band[0]:g}-{band[1]:g} "
            "ng/mL band."
        )
    figure = _population_figure(
        times_h, bands, band=band, n=n, troughs_only=interval_h is not None
    )
    return Chart(
        figure, alt, _population_table(times_h, bands, hourly=interval_h is None)
    )


def _trough_points(times_h: np.ndarray, interval_h: float) -> np.ndarray:
    """Indices of the pre-dose times: every ``interval_h`` after the first dose.

    The last time point has no dose after it, so it is left out: the last
    trough is the one before the last dose, as the simulator's summary says.
    """
    ratio = times_h / interval_h
    on_dose = np.isclose(ratio, np.round(ratio)) & (times_h > 0)
    return np.flatnonzero(on_dose & (times_h < times_h[-1] - 1e-9))


def _curve_figure(
    times_h: np.ndarray,
    baseline: np.ndarray,
    *,
    band: Band | None,
    changed: np.ndarray | None = None,
    changed_label: str = "",
    change_day: float | None = None,
) -> go.Figure:
    """The typical patient's concentration; optionally a changed scenario on top."""
    days = times_h / 24
    fig = go.Figure(
        layout=theme.base_layout(
            title="Teaching model: the typical patient", height=440
        )
    )
    _band(fig, band)
    fig.add_trace(
        go.Scatter(
            x=days,
            y=baseline,
            mode="lines",
            name="baseline",
            line={"color": theme.NORMAL, "width": 2.5},
            hovertemplate="%{y:.1f} ng/mL<extra>baseline</extra>",
        )
    )
    top = float(np.max(baseline))
    if changed is not None:
        fig.add_trace(
            go.Scatter(
                x=days,
                y=changed,
                mode="lines",
                name=changed_label,
                line={"color": theme.ABNORMAL, "width": 2.5, "dash": "dash"},
                hovertemplate="%{y:.1f} ng/mL<extra>" + changed_label + "</extra>",
            )
        )
        top = max(top, float(np.max(changed)))
        if change_day is not None and change_day > 0:
            fig.add_vline(
                x=change_day,
                line={"color": theme.MUTED, "dash": "dot"},
                annotation_text="change",
                annotation_position="top",
            )
    if band is not None:
        top = max(top, band[1])
    _axes(fig, float(days[-1]), top * 1.12)
    return fig


def _population_figure(
    times_h: np.ndarray,
    bands: np.ndarray,
    *,
    band: Band | None,
    n: int,
    troughs_only: bool = False,
) -> go.Figure:
    """Median and 25-75 / 5-95 percentile ribbons of ``n`` simulated patients.

    With ``troughs_only`` the points are pre-dose troughs: the median gets a
    marker at each one, and the axis says so.
    """
    days = times_h / 24
    p5, p25, p50, p75, p95 = bands
    what = "troughs of " if troughs_only else ""
    fig = go.Figure(
        layout=theme.base_layout(
            title=f"Teaching model: {what}{n} simulated patients", height=440
        )
    )
    _band(fig, band)
    # Each ribbon's edges have their own dash, so the bands differ by more
    # than the depth of their shading.
    for low, high, name, opacity, dash in (
        (p5, p95, "5th-95th percentile", 0.18, "dot"),
        (p25, p75, "25th-75th percentile", 0.35, "dash"),
    ):
        edge = {"width": 1.5, "color": theme.NORMAL, "dash": dash}
        fig.add_trace(
            go.Scatter(
                x=days,
                y=high,
                mode="lines",
                line=edge,
                showlegend=False,
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=days,
                y=low,
                mode="lines",
                line=edge,
                fill="tonexty",
                fillcolor=f"rgba(0,114,178,{opacity})",
                name=name,
                hovertemplate="%{y:.1f} ng/mL<extra>" + name + "</extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=days,
            y=p50,
            mode="lines+markers" if troughs_only else "lines",
            name="median",
            line={"color": theme.NORMAL, "width": 2.5},
            marker={"size": 6, "color": theme.NORMAL},
            hovertemplate="%{y:.1f} ng/mL<extra>median</extra>",
        )
    )
    top = float(np.max(p95))
    if band is not None:
        top = max(top, band[1])
    _axes(fig, float(np.ceil(days[-1])), top * 1.1)
    if troughs_only:
        fig.update_yaxes(title="Trough before each dose (ng/mL)")
    return fig


def _hourly(times_h: np.ndarray) -> np.ndarray:
    """Indices of the whole-hour time points (the model steps are finer)."""
    return np.flatnonzero(np.isclose(times_h, np.round(times_h)))


def _curve_table(
    times_h: np.ndarray,
    baseline: np.ndarray,
    *,
    changed: np.ndarray | None = None,
    changed_label: str = "",
) -> pd.DataFrame:
    """The data behind :func:`_curve_figure`, hour by hour (ng/mL)."""
    keep = _hourly(times_h)
    table = pd.DataFrame(
        {
            "Hour": np.round(times_h[keep]).astype(int),
            "Day": np.round(times_h[keep] / 24, 2),
            "baseline (ng/mL)": np.round(baseline[keep], 2),
        }
    )
    if changed is not None:
        table[f"{changed_label or 'changed'} (ng/mL)"] = np.round(changed[keep], 2)
    return table


def _population_table(
    times_h: np.ndarray, bands: np.ndarray, *, hourly: bool = True
) -> pd.DataFrame:
    """The data behind :func:`_population_figure` (ng/mL): hour by hour, or as drawn."""
    keep = _hourly(times_h) if hourly else np.arange(times_h.size)
    table = pd.DataFrame(
        {
            "Hour": np.round(times_h[keep]).astype(int),
            "Day": np.round(times_h[keep] / 24, 2),
        }
    )
    for name, values in zip(
        ("5th", "25th", "median", "75th", "95th"), bands, strict=True
    ):
        label = name if name == "median" else f"{name} percentile"
        table[f"{label} (ng/mL)"] = np.round(values[keep], 2)
    return table
