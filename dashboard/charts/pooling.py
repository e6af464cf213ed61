"""The pooling sandbox's forest plot: studies, the pooled diamond, the prediction bar.

Laid out as :mod:`dashboard.charts.efficacy_forest` is: each row's label
(study, time point, row id, then its ratio and weight) is an annotation at the
left edge *above* its point, so the plot area keeps the chart's whole width on
a 390 px phone and nothing is cut off on a projector. Heights are counted in
pixels: the y axis runs in px from the plot's top.

* A pooled study: a filled mark (square for a randomised trial, circle for an
  observational study), its area growing with its weight in the pool.
* A study left out: an open grey mark, its label in grey and "left out".
  Clicking a point leaves the study out or brings it back (the section reads
  the row id, first in ``customdata``).
* A row that cannot give the chosen measure: no mark, its label says why.
* The pooled result: a diamond from the lower to the upper 95 % limit; below
  it, when there are 3 or more studies, the 95 % prediction interval as a
  dashed bar.

Pure: no Streamlit.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.chart import Chart
from dashboard.charts.efficacy_forest import favours_labels
from dashboard.charts.efficacy_labels import (
    LABEL_PX,
    LINE_PX,
    MEASURE_NAMES,
    TITLE_CHARS,
    line_count,
    log_range,
    log_ticks,
    tick_text,
    title_layout,
    title_margin,
)
from dashboard.charts.pooling_text import (
    Pooled,
    alt_text,
    data_table,
    pooled_text,
    prediction_text,
    ratio_text,
    study_text,
    wrap,
)

#: Room for a row's mark under its label, and the gap under each row, px.
MARK_PX, ROW_GAP_PX = 30, 8
#: Half the height of the pooled diamond, px.
DIAMOND_PX = 9
#: Side margins, px: the labels sit inside the plot.
SIDE_PX = 8
RANDOMISED_COLOUR = theme.NORMAL
OBSERVATIONAL_COLOUR = theme.ABNORMAL
LEFT_OUT_COLOUR = theme.MUTED
POOLED_COLOUR = theme.TEXT
MARK_KEY = (
    "■ trial · ● observational (size: weight)<br>"
    "□ ○ left out · ◆ pooled result<br>╌ prediction interval"
)


def _marker_size(weight: float) -> float:
    """Marker diameter, px: grows with √weight (area ∝ weight), 10 to 26."""
    if weight is None or not math.isfinite(weight):
        return 12.0
    return float(min(26.0, max(10.0, 3.2 * math.sqrt(weight))))


def _layout(texts: list[str], top: float = 0.0) -> tuple[list[float], float]:
    """Each row's top and the bottom of the last row, px from the plot's top."""
    tops = []
    for text in texts:
        tops.append(top)
        top += line_count(text) * LINE_PX + MARK_PX + ROW_GAP_PX
    return tops, top


def _mark_y(top: float, text: str) -> float:
    return top + line_count(text) * LINE_PX + MARK_PX / 2


def _study_trace(
    rows: pd.DataFrame, marks: list[float], measure: str, *, pooled: bool
) -> go.Scatter:
    """The pooled (filled) or left-out (open, grey) studies: one trace each."""
    observational = rows["design"] == "observational"
    if pooled:
        symbols = ["circle" if o else "square" for o in observational]
        colours = [
            OBSERVATIONAL_COLOUR if o else RANDOMISED_COLOUR for o in observational
        ]
        sizes = [_marker_size(w) for w in rows["weight"]]
    else:
        symbols = ["circle-open" if o else "square-open" for o in observational]
        colours = [LEFT_OUT_COLOUR] * len(rows)
        sizes = [12.0] * len(rows)
    action = "leave it out" if pooled else "bring it back"
    return go.Scatter(
        x=rows["ratio"],
        y=marks,
        mode="markers",
        name="studies in the pool" if pooled else "studies left out",
        showlegend=False,
        marker={
            "symbol": symbols,
            "size": sizes,
            "color": colours,
            "line": {
                "color": LEFT_OUT_COLOUR if not pooled else theme.TEXT,
                "width": 2 if not pooled else 1,
            },
        },
        error_x={
            "type": "data",
            "symmetric": False,
            "array": (rows["high"] - rows["ratio"]).tolist(),
            "arrayminus": (rows["ratio"] - rows["low"]).tolist(),
            "color": theme.TEXT if pooled else LEFT_OUT_COLOUR,
            "thickness": 2,
            "width": 5,
        },
        customdata=[
            [
                r["id"],
                r["label"],
                f"{r['weight']:.0f}%" if pd.notna(r["weight"]) else "–",
            ]
            for _, r in rows.iterrows()
        ],
        hovertemplate=(
            f"%{{customdata[1]}}<br>{measure} %{{x:.2f}}<br>weight %{{customdata[2]}}"
            f"<br><i>%{{customdata[0]}}: click to {action}</i><extra></extra>"
        ),
    )


def _diamond(pooled: Pooled, y: float, measure: str) -> go.Scatter:
    return go.Scatter(
        x=[pooled.low, pooled.ratio, pooled.high, pooled.ratio, pooled.low],
        y=[y, y - DIAMOND_PX, y, y + DIAMOND_PX, y],
        mode="lines",
        fill="toself",
        fillcolor=POOLED_COLOUR,
        line={"color": POOLED_COLOUR, "width": 1},
        name="pooled result",
        showlegend=False,
        hoverinfo="text",
        hovertext="Pooled "
        + ratio_text(measure, pooled.ratio, pooled.low, pooled.high),
    )


def _prediction_bar(prediction: tuple[float, float], y: float) -> go.Scatter:
    return go.Scatter(
        x=list(prediction),
        y=[y, y],
        mode="lines+markers",
        line={"color": POOLED_COLOUR, "width": 3, "dash": "dash"},
        marker={"symbol": "line-ns-open", "size": 14, "color": POOLED_COLOUR},
        name="prediction interval",
        showlegend=False,
        hoverinfo="text",
        hovertext=f"95% prediction interval {prediction[0]:.2f} to {prediction[1]:.2f}",
    )


def _figure(
    studies: pd.DataFrame,
    pooled: Pooled | None,
    *,
    measure: str,
    higher_is_better: bool,
    title: str,
) -> go.Figure:
    texts = [study_text(r, measure) for _, r in studies.iterrows()]
    k = int(studies["pooled"].sum())
    extra = []
    if pooled is not None:
        extra.append(pooled_text(pooled, measure, k))
        if pooled.prediction is not None:
            extra.append(prediction_text(pooled.prediction))
    tops, bottom = _layout([*texts, *extra], top=6.0)
    title_text = wrap(title, TITLE_CHARS)
    left, right = favours_labels(higher_is_better)
    axis_title = "<br>".join(
        (
            f"{MEASURE_NAMES[measure].capitalize()} ({measure}), log scale",
            f"{left} · {right}",
            MARK_KEY,
        )
    )
    top_px = title_margin(title_text)
    bottom_px = 40 + 20 * line_count(axis_title)
    values = [*studies["low"].dropna(), *studies["high"].dropna()]
    values += [*studies["ratio"].dropna()]
    if pooled is not None:
        values += [pooled.low, pooled.high, *(pooled.prediction or ())]
    low, high = log_range(values)
    ticks = log_ticks(low, high)
    colours = [theme.TEXT if p else theme.MUTED for p in studies["pooled"]]
    notes = [_label(t, top, c) for t, top, c in zip(texts, tops, colours, strict=False)]
    marks = [_mark_y(t, x) for t, x in zip(tops, texts, strict=False)]
    studies = studies.assign(_mark=marks)
    traces = []
    for pooled_rows in (True, False):
        part = studies[(studies["pooled"] == pooled_rows) & studies["ratio"].notna()]
        if not part.empty:
            traces.append(
                _study_trace(part, part["_mark"].tolist(), measure, pooled=pooled_rows)
            )
    if pooled is not None:
        top = tops[len(texts)]
        notes.append(_label(extra[0], top, theme.TEXT))
        traces.append(_diamond(pooled, _mark_y(top, extra[0]), measure))
        if pooled.prediction is not None:
            top = tops[len(texts) + 1]
            notes.append(_label(extra[1], top, theme.TEXT))
            traces.append(_prediction_bar(pooled.prediction, _mark_y(top, extra[1])))
    # One layout update with every label and the line at 1: Plotly validates
    # each add_annotation call on its own, which cost most of the build.
    fig = go.Figure(
        data=traces,
        layout=theme.base_layout(title="", height=round(top_px + bottom + bottom_px)),
    )
    fig.update_layout(
        title=title_layout(title_text),
        margin={"l": SIDE_PX, "r": SIDE_PX, "t": top_px, "b": bottom_px},
        showlegend=False,
        annotations=notes,
        shapes=[
            {
                "type": "line",
                "xref": "x",
                "yref": "y",
                "x0": 1,
                "x1": 1,
                "y0": 0,
                "y1": bottom,
                "line": {"color": theme.TEXT, "width": 1.5, "dash": "dot"},
                "layer": "below",
            }
        ],
        xaxis={
            "type": "log",
            "range": [math.log10(low), math.log10(high)],
            "tickvals": ticks,
            "ticktext": [tick_text(t) for t in ticks],
            "gridcolor": theme.GRID,
            "title": {"text": axis_title},
            "linecolor": theme.TEXT,
            "zeroline": False,
            "fixedrange": True,
        },
        yaxis={"range": [bottom, 0], "visible": False, "fixedrange": True},
    )
    return fig


def _label(text: str, top: float, colour: str) -> dict:
    """A row's label: at the left edge, its top at ``top`` px."""
    return {
        "x": 0,
        "xref": "paper",
        "xanchor": "left",
        "y": top,
        "yref": "y",
        "yanchor": "top",
        "text": text,
        "showarrow": False,
        "align": "left",
        "bgcolor": theme.BACKGROUND,
        "font": {"size": LABEL_PX, "color": colour},
    }


def pool_forest_chart(
    studies: pd.DataFrame,
    pooled: Pooled | None,
    *,
    measure: str,
    higher_is_better: bool,
    title: str,
) -> Chart:
    """The sandbox's forest plot with its alt text and data table (one value).

    Parameters
    ----------
    studies
        :attr:`dashboard.models.efficacy_pooling.PoolView.studies`: one row
        per shown study (``id``, ``label``, ``design``, counts, ``ratio``,
        ``low``, ``high``, ``weight``, ``pooled``, ``note``); at least one.
    pooled
        The pooled result, or ``None`` for an empty pool.
    measure
        "RR" or "OR", tacrolimus-based vs comparator.
    higher_is_better
        Whether a ratio above 1 favours tacrolimus (sets the captions).
    title
        The figure's title (wrapped to fit a phone).

    Raises
    ------
    ValueError
        If ``studies`` is empty or ``measure`` is not RR or OR.
    """
    if studies.empty:
        raise ValueError("a forest plot needs at least one study")
    if measure not in ("RR", "OR"):
        raise ValueError(f"cannot draw measure {measure!r}")
    return Chart(
        _figure(
            studies,
            pooled,
            measure=measure,
            higher_is_better=higher_is_better,
            title=title,
        ),
        alt_text(studies, pooled, measure),
        data_table(studies, pooled, measure),
    )
