"""Measured-levels figures: the fitted course, and clearance, against the population.

Takes arrays from :mod:`dashboard.models.monitoring_tdm_fit`. The population
band is grey with dotted edges, the fitted patient's blue with solid edges,
so the two differ by more than colour; measured levels are orange diamonds
(hollow when the fit does not use them yet).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.chart import Chart

GREY = "#595959"


def _ribbon(
    fig: go.Figure,
    days: np.ndarray,
    band: np.ndarray,
    *,
    name: str,
    colour: str,
    fill: str,
    dash: str,
) -> None:
    edge = {"width": 1.2, "color": colour, "dash": dash}
    fig.add_trace(
        go.Scatter(
            x=days,
            y=band[2],
            mode="lines",
            line=edge,
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=days,
            y=band[0],
            mode="lines",
            line=edge,
            fill="tonexty",
            fillcolor=fill,
            name=f"{name}: 90 % band",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=days,
            y=band[1],
            mode="lines+markers",
            line={"width": 2.5, "color": colour, "dash": dash},
            marker={"size": 5, "color": colour},
            name=f"{name}: median",
            hovertemplate="%{y:.1f} ng/mL<extra>" + name + "</extra>",
        )
    )


def course_chart(
    times_h: np.ndarray,
    population: np.ndarray,
    individual: np.ndarray | None,
    *,
    levels: list[tuple[float, float]],
    used: int,
    band: tuple[float, float],
    alt: str,
) -> Chart:
    """Population against fitted patient over days, with the measured levels.

    ``population`` and ``individual`` hold the 5th, 50th and 95th percentiles
    (ng/mL) of the trough at ``times_h`` (hours, the dose times); ``levels``
    are (hours, ng/mL), of which the first ``used`` are in the fit; ``band``
    is the target trough band.
    """
    days = times_h / 24
    fig = go.Figure(
        layout=theme.base_layout(
            title="Troughs: the population and this patient",
            height=460,
        )
    )
    fig.add_hrect(
        y0=band[0],
        y1=band[1],
        fillcolor=theme.PALETTE[2],
        opacity=0.15,
        line={"color": theme.PALETTE[2], "width": 1.5, "dash": "dot"},
    )
    _ribbon(
        fig,
        days,
        population,
        name="population",
        colour=GREY,
        fill="rgba(89,89,89,0.12)",
        dash="dot",
    )
    if individual is not None:
        _ribbon(
            fig,
            days,
            individual,
            name="this patient",
            colour=theme.NORMAL,
            fill="rgba(0,114,178,0.25)",
            dash="solid",
        )
    for group, chosen, symbol in (
        ("used", slice(0, used), "diamond"),
        ("not used yet", slice(used, None), "diamond-open"),
    ):
        points = levels[chosen]
        if not points:
            continue
        fig.add_trace(
            go.Scatter(
                x=[t / 24 for t, _ in points],
                y=[c for _, c in points],
                mode="markers",
                name=f"measured level ({group})",
                marker={
                    "symbol": symbol,
                    "size": 13,
                    "color": theme.ABNORMAL,
                    "line": {"width": 2, "color": theme.ABNORMAL},
                },
                hovertemplate="day %{x:.1f}: %{y:.1f} ng/mL<extra>level</extra>",
            )
        )
    shown = population if individual is None else individual
    top = max(
        float(np.max(population[2])),
        float(np.max(shown[2])),
        band[1],
        max((c for _, c in levels), default=0.0),
    )
    fig.update_xaxes(
        title={"text": "Days since the first dose", "standoff": 14},
        range=[0, float(days[-1])],
        dtick=1 if days[-1] <= 8 else 2,
        automargin=True,
        gridcolor=theme.GRID,
    )
    fig.update_yaxes(
        title="Whole-blood tacrolimus (ng/mL)",
        range=[0, top * 1.08],
        gridcolor=theme.GRID,
    )
    fig.update_layout(theme.legend_below(3), hovermode="closest")
    table = _course_table(times_h, population, individual)
    return Chart(fig, alt, table)


def _course_table(
    times_h: np.ndarray, population: np.ndarray, individual: np.ndarray | None
) -> pd.DataFrame:
    """At each trough: the bands' percentiles (ng/mL)."""
    keep = np.arange(times_h.size)
    columns = {
        "Day": np.round(times_h[keep] / 24, 2),
        "Population 5th": np.round(population[0][keep], 2),
        "Population median": np.round(population[1][keep], 2),
        "Population 95th": np.round(population[2][keep], 2),
    }
    if individual is not None:
        columns["Patient 5th"] = np.round(individual[0][keep], 2)
        columns["Patient median"] = np.round(individual[1][keep], 2)
        columns["Patient 95th"] = np.round(individual[2][keep], 2)
    return pd.DataFrame(columns)


def _lognormal(x: np.ndarray, median: float, sd_log: float) -> np.ndarray:
    return np.exp(-((np.log(x / median)) ** 2) / (2 * sd_log**2)) / (
        x * sd_log * math.sqrt(2 * math.pi)
    )


def _nice_ticks(low: float, high: float) -> list[float]:
    """1-2-5 values between ``low`` and ``high``: few enough for a phone."""
    ticks = []
    for power in range(
        math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1
    ):
        for step in (1, 2, 5):
            value = step * 10.0**power
            if low <= value <= high:
                ticks.append(value)
    return ticks


def clearance_chart(
    *,
    typical_cl: float,
    omega_cl: float,
    cl: float,
    sd_log: float,
    true_cl: float | None = None,
) -> Chart:
    """The population's distribution of clearance, and this patient's estimate.

    Both are log-normal: the population's around ``typical_cl`` with SD
    ``omega_cl`` on the log scale (the model's 43.8 % CV), the patient's around
    the fitted ``cl`` with the posterior SD ``sd_log``. ``true_cl`` (a virtual
    patient's hidden value, once revealed) is a dotted line. L/h throughout.
    """
    low = typical_cl * math.exp(-3 * omega_cl)
    high = typical_cl * math.exp(3 * omega_cl)
    low, high = (
        min(low, cl * math.exp(-3 * sd_log)),
        max(high, cl * math.exp(3 * sd_log)),
    )
    x = np.geomspace(low, high, 200)
    population = _lognormal(x, typical_cl, omega_cl)
    patient = _lognormal(x, cl, sd_log)
    # Each curve scaled to its own peak: the shapes compare, not the heights.
    population, patient = population / population.max(), patient / patient.max()
    fig = go.Figure(
        layout=theme.base_layout(
            title="Clearance: the population and this patient", height=340
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=population,
            mode="lines",
            name="population",
            line={"color": GREY, "width": 2, "dash": "dot"},
            fill="tozeroy",
            fillcolor="rgba(89,89,89,0.12)",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=patient,
            mode="lines",
            name="this patient (fit)",
            line={"color": theme.NORMAL, "width": 2.5},
            fill="tozeroy",
            fillcolor="rgba(0,114,178,0.25)",
            hoverinfo="skip",
        )
    )
    if true_cl is not None:  # a trace, not a shape: shapes on a log axis take log10
        fig.add_trace(
            go.Scatter(
                x=[true_cl, true_cl],
                y=[0, 1.1],
                mode="lines",
                name="true value (virtual patient)",
                line={"color": theme.ABNORMAL, "width": 2.5, "dash": "dash"},
                hovertemplate="true: %{x:.1f} L/h<extra></extra>",
            )
        )
    ticks = _nice_ticks(low, high)
    fig.update_xaxes(
        title={"text": "Apparent clearance CL/F (L/h)", "standoff": 14},
        type="log",
        tickvals=ticks,
        ticktext=[f"{t:g}" for t in ticks],
        automargin=True,
        gridcolor=theme.GRID,
    )
    fig.update_yaxes(
        title="Relative likelihood",
        showticklabels=False,
        range=[0, 1.15],
        gridcolor=theme.GRID,
    )
    fig.update_layout(theme.legend_below(1))
    half = 1.96 * sd_log
    alt = (
        f"Log-normal curves of apparent clearance. The population's is centred on "
        f"{typical_cl:.1f} L/h and spans {typical_cl * math.exp(-1.96 * omega_cl):.1f}-"
        f"{typical_cl * math.exp(1.96 * omega_cl):.1f} L/h (95 %); this patient's fit "
        f"is centred on {cl:.1f} L/h and spans {cl * math.exp(-half):.1f}-"
        f"{cl * math.exp(half):.1f} L/h."
        + (f" The true value is {true_cl:.1f} L/h." if true_cl is not None else "")
    )
    keep = slice(None, None, 20)
    table = pd.DataFrame(
        {
            "Clearance (L/h)": np.round(x[keep], 2),
            "Population (relative)": np.round(population[keep], 3),
            "This patient (relative)": np.round(patient[keep], 3),
        }
    )
    return Chart(fig, alt, table)
