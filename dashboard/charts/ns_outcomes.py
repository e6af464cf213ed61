"""Figures for the course on steroids and the complications of nephrotic syndrome.

Each builder takes a validated dataset (see :mod:`dashboard.core.schemas`) and
returns a :class:`Chart`: the figure, its alt text and the data it draws.
Each row's label, with the share it reports, sits above the row
(:mod:`dashboard.charts.labelled_rows`), so the plot keeps the chart's width
on a phone and no label is cut off on a projector. Shares are in %.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import labelled_rows, theme
from dashboard.charts.chart import Chart
from dashboard.charts.labelled_rows import percent_text, range_whisker, wrap

COURSE_TITLE = "Children with idiopathic nephrotic syndrome on steroids"
COMPLICATIONS_TITLE = "How often complications were reported, by study"


def _steroid_course_figure(course: pd.DataFrame) -> go.Figure:
    """Range bars: the share at each step of the steroid course in children."""
    rows = course.sort_values("order")
    labels = [
        f"<b>{percent_text(r.percent_low, r.percent_high)}</b> · {r.step} "
        f"(of {r.of_whom})"
        for r in rows.itertuples()
    ]
    placed = labelled_rows.stack(labels)
    fig = go.Figure(layout=theme.base_layout(title=COURSE_TITLE))
    fig.add_trace(
        go.Bar(
            y=list(placed.y),
            x=rows["percent_high"] - rows["percent_low"],
            base=rows["percent_low"],
            width=labelled_rows.MARK_PX - 4,
            orientation="h",
            marker={"color": theme.NORMAL},
            customdata=rows[["source"]].map(wrap).to_numpy(),
            hovertemplate="%{base:g}–%{x:g} wide<br>%{customdata[0]}<extra></extra>",
        )
    )
    fig.update_xaxes(
        title="Share (%), reported range", range=[0, 100], gridcolor=theme.GRID
    )
    fig.update_layout(showlegend=False, margin={"b": 70})
    return labelled_rows.draw(fig, placed, title_text=COURSE_TITLE)


def _steroid_course_alt_text(course: pd.DataFrame) -> str:
    """Text equivalent of :func:`_steroid_course_figure`."""
    parts = [
        f"{r.step} ({r.of_whom}): "
        + (
            f"{r.percent_low:g}–{r.percent_high:g}%"
            if r.percent_low > 0
            else f"up to {r.percent_high:g}%"
        )
        for r in course.sort_values("order").itertuples()
    ]
    return "Range bars. " + "; ".join(parts) + "."


def _steroid_course_table(course: pd.DataFrame) -> pd.DataFrame:
    """The data behind :func:`_steroid_course_figure`."""
    rows = course.sort_values("order")
    return labelled_rows.range_table(
        rows, {"Step": rows["step"], "Of whom": rows["of_whom"]}
    )


def _complication_label(row: object) -> str:
    qualifier = f"{row.qualifier} " if isinstance(row.qualifier, str) else ""
    share = qualifier + percent_text(row.percent_low, row.percent_high)
    return f"<b>{row.complication.capitalize()}</b> · {row.setting}: {share}"


def _complications_figure(complications: pd.DataFrame) -> go.Figure:
    """Dot plot of reported frequencies, grouped by complication; shape marks age."""
    rows = complications.sort_values(
        ["complication", "population", "percent_high"], ascending=[True, False, False]
    ).copy()
    placed = labelled_rows.stack([_complication_label(r) for r in rows.itertuples()])
    rows["y"] = placed.y
    fig = go.Figure(layout=theme.base_layout(title=COMPLICATIONS_TITLE))
    for population, colour, symbol in (
        ("child", theme.NORMAL, "circle"),
        ("adult", theme.ABNORMAL, "square"),
    ):
        part = rows[rows["population"] == population]
        fig.add_trace(
            go.Scatter(
                x=part["percent_high"],
                y=part["y"],
                mode="markers",
                name="children" if population == "child" else "adults",
                marker={"size": 13, "color": colour, "symbol": symbol},
                error_x=range_whisker(
                    part["percent_low"], part["percent_high"], colour
                ),
                customdata=part[["measure", "source", "qualifier"]]
                .fillna("")
                .to_numpy(),
                hovertemplate=(
                    "%{customdata[2]} %{x:g}%: %{customdata[0]}<br>%{customdata[1]}"
                    "<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(title="Patients affected (%)", range=[0, 60], gridcolor=theme.GRID)
    fig.update_layout(theme.legend_below(1))
    return labelled_rows.draw(fig, placed, title_text=COMPLICATIONS_TITLE)


def _complications_alt_text(complications: pd.DataFrame) -> str:
    """Text equivalent of :func:`_complications_figure`."""
    parts = []
    for r in complications.fillna({"qualifier": ""}).itertuples():
        value = f"{r.percent_low:g}"
        if r.percent_low != r.percent_high:
            value += f"–{r.percent_high:g}"
        parts.append(f"{r.complication}, {r.setting}: {r.qualifier} {value}%")
    return (
        "Dot plot of complication frequencies. "
        + "; ".join(p.replace(":  ", ": ") for p in parts)
        + "."
    )


def _complications_table(complications: pd.DataFrame) -> pd.DataFrame:
    """The data behind :func:`_complications_figure`."""
    rows = complications.sort_values(["complication", "population"])
    return labelled_rows.range_table(
        rows,
        {
            "Complication": rows["complication"],
            "Population": rows["population"],
            "Setting": rows["setting"],
            "Measure": rows["measure"],
            "Qualifier": rows["qualifier"].fillna(""),
        },
    )


def steroid_course_chart(course: pd.DataFrame) -> Chart:
    """Range bars: the share at each step of the steroid course in children.

    Parameters
    ----------
    course
        The validated ``ns_steroid_course`` rows (reported ranges in %).

    Returns
    -------
    Chart
        One bar per step, in the dataset's ``order``, its range written above it.
    """
    return Chart(
        _steroid_course_figure(course),
        _steroid_course_alt_text(course),
        _steroid_course_table(course),
    )


def complications_chart(complications: pd.DataFrame) -> Chart:
    """Dot plot of reported frequencies, grouped by complication; shape marks age.

    Parameters
    ----------
    complications
        The validated ``ns_complications`` rows (patients affected, %).

    Returns
    -------
    Chart
        Children as circles, adults as squares, one mark per study row, each
        labelled above with its setting and share.
    """
    return Chart(
        _complications_figure(complications),
        _complications_alt_text(complications),
        _complications_table(complications),
    )
