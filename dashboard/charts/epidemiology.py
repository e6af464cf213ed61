"""Figures for causes by age: lesions on biopsy, and how common minimal change is.

Each builder takes a validated dataset (see :mod:`dashboard.core.schemas`) and
returns a :class:`Chart`: the figure, its alt text for screen readers and the
data it draws. Hover text names the source of every mark. Row labels sit above
their rows (:mod:`dashboard.charts.labelled_rows`), so the plot keeps the
chart's width on a phone and no label is cut off on a projector.

The steroid-course and complications charts live in
:mod:`dashboard.charts.ns_outcomes` and are re-exported here.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import labelled_rows, theme
from dashboard.charts.chart import Chart
from dashboard.charts.labelled_rows import percent_text, range_whisker, wrap
from dashboard.charts.ns_outcomes import complications_chart, steroid_course_chart
from dashboard.core.tables import short_citation

__all__ = [
    "LESION_ORDER",
    "REMAINDER",
    "complications_chart",
    "histology_chart",
    "mcd_share_chart",
    "steroid_course_chart",
]

LESION_ORDER = (
    "minimal change disease",
    "FSGS",
    "membranous nephropathy",
    "MPGN",
    "other",
)
REMAINDER = "not listed / other"
_LESIONS = (*LESION_ORDER[:4], REMAINDER)
_LESION_COLOURS = dict(zip(_LESIONS, theme.PALETTE, strict=True))
_AGE_RANK = {"children": 0, "adolescents": 1, "adults": 2, "adults over 40": 3}
HISTOLOGY_TITLE = "Lesions found on biopsy, by cohort"
MCD_TITLE = "Minimal change disease: share of nephrotic syndrome by age"


def _cohort_rows(histology: pd.DataFrame) -> pd.DataFrame:
    """Biopsy-cohort rows with a remainder row per cohort so each adds to 100 %.

    The remainder is arithmetic (100 − listed shares), labelled as such.
    """
    cohorts = histology[histology["kind"] == "cohort"].copy()
    rows = []
    for (group, cohort), part in cohorts.groupby(["age_group", "cohort"], sort=False):
        listed = float(part["percent_low"].sum())
        rows.append(part)
        if listed < 99.95:
            rows.append(
                pd.DataFrame(
                    {
                        "age_group": [group],
                        "cohort": [cohort],
                        "lesion": [REMAINDER],
                        "percent_low": [round(100 - listed, 1)],
                        "source": [part["source"].iloc[0]],
                        "source_url": [part["source_url"].iloc[0]],
                    }
                )
            )
    return pd.concat(rows, ignore_index=True) if rows else cohorts


def _histology_figure(histology: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: lesion shares in each biopsy cohort, children first.

    Each cohort's name is written above its bar; each segment wide enough
    holds its share, and the legend (one entry a line, patterned as well as
    coloured) names the lesions.
    """
    table = _cohort_rows(histology)
    table["label"] = (
        "<b>" + table["age_group"].str.capitalize() + "</b>: " + table["cohort"]
    )
    order = (
        table.assign(rank=table["age_group"].map(_AGE_RANK))
        .sort_values(["rank", "cohort"])["label"]
        .drop_duplicates()
        .tolist()
    )
    rows = labelled_rows.stack(order)
    centre = dict(zip(order, rows.y, strict=True))
    fig = go.Figure(layout=theme.base_layout(title=HISTOLOGY_TITLE))
    for index, lesion in enumerate(_LESIONS):
        part = table[table["lesion"] == lesion]
        if part.empty:
            continue
        fig.add_trace(
            go.Bar(
                y=[centre[label] for label in part["label"]],
                x=part["percent_low"],
                width=labelled_rows.MARK_PX - 2,
                name=lesion,
                orientation="h",
                marker={
                    "color": _LESION_COLOURS[lesion],
                    "pattern": {
                        "shape": theme.PATTERNS[index],
                        "fillmode": "overlay",
                        "fgcolor": "white",
                        "fgopacity": 0.3,
                    },
                    "line": {"color": "white", "width": 1},
                },
                # Label only segments wide enough to hold the text upright.
                text=[f"{v:g}%" if v >= 10 else "" for v in part["percent_low"]],
                textposition="inside",
                textangle=0,
                insidetextanchor="middle",
                insidetextfont={
                    "color": theme.text_on(_LESION_COLOURS[lesion]),
                    "size": 13,
                },
                customdata=part[["cohort", "source"]].map(wrap).to_numpy(),
                hovertemplate=(
                    f"{lesion}: %{{x:.1f}}%<br>%{{customdata[0]}}<br>"
                    "%{customdata[1]}<extra></extra>"
                ),
            )
        )
    fig.update_layout(
        barmode="stack",
        # A share too narrow for its text at this width hides it (the table
        # and the hover still give it) rather than shrinking it unreadably.
        uniformtext={"minsize": 11, "mode": "hide"},
    )
    # One lesion a line: five lines at every width, so the legend's room is known.
    fig.update_layout(
        theme.legend_below(len(_LESIONS), orientation="v", traceorder="normal")
    )
    fig.update_xaxes(
        title="Share of biopsied patients (%)", range=[0, 100], gridcolor=theme.GRID
    )
    return labelled_rows.draw(fig, rows, title_text=HISTOLOGY_TITLE)


def _histology_table(histology: pd.DataFrame) -> pd.DataFrame:
    """The data behind :func:`_histology_figure` (remainders included)."""
    table = _cohort_rows(histology)
    return pd.DataFrame(
        {
            "Age group": table["age_group"],
            "Cohort": table["cohort"],
            "Lesion": table["lesion"],
            "Share (%)": table["percent_low"],
            "Source": table["source"].map(short_citation),
        }
    ).reset_index(drop=True)


def _histology_alt_text(histology: pd.DataFrame) -> str:
    """Text equivalent of :func:`_histology_figure`."""
    table = _cohort_rows(histology)
    parts = []
    for (group, cohort), part in table.groupby(["age_group", "cohort"], sort=False):
        shares = ", ".join(
            f"{r.lesion} {r.percent_low:g}%" for r in part.itertuples(index=False)
        )
        parts.append(f"{group} ({cohort}): {shares}")
    return "Stacked bars of biopsy findings. " + "; ".join(parts) + "."


def _short_source(source: str) -> str:
    return short_citation(source, limit=30)


def _mcd_rows(histology: pd.DataFrame) -> pd.DataFrame:
    rows = histology[histology["lesion"] == "minimal change disease"].copy()
    rows["rank"] = rows["age_group"].map(_AGE_RANK)
    return rows.sort_values(["rank", "percent_high"], ascending=[True, False])


def _mcd_share_figure(histology: pd.DataFrame) -> go.Figure:
    """Ranges for the share of minimal change disease by age group, one per source.

    Each row is labelled above its range with the age group, the source and
    the share it reports.
    """
    rows = _mcd_rows(histology)
    labels = [
        f"<b>{r.age_group.capitalize()}</b>: {_short_source(r.source)} · "
        + percent_text(r.percent_low, r.percent_high)
        for r in rows.itertuples(index=False)
    ]
    placed = labelled_rows.stack(labels)
    rows["y"] = placed.y
    fig = go.Figure(layout=theme.base_layout(title=MCD_TITLE))
    for kind, symbol, colour in (
        ("estimate", "diamond", theme.NORMAL),
        ("cohort", "circle", theme.ABNORMAL),
    ):
        part = rows[rows["kind"] == kind]
        fig.add_trace(
            go.Scatter(
                x=part["percent_high"],
                y=part["y"],
                mode="markers",
                name="review estimate (range)"
                if kind == "estimate"
                else "biopsy cohort",
                marker={"size": 12, "color": colour, "symbol": symbol},
                error_x=range_whisker(
                    part["percent_low"], part["percent_high"], colour
                ),
                customdata=part[["percent_low", "cohort", "source"]].to_numpy(),
                hovertemplate=(
                    "%{customdata[0]:g}–%{x:g}%<br>%{customdata[1]}<br>"
                    "%{customdata[2]}<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(
        title="Share with minimal change disease (%)",
        range=[0, 100],
        gridcolor=theme.GRID,
    )
    fig.update_layout(theme.legend_below(2, orientation="v"))
    return labelled_rows.draw(fig, placed, title_text=MCD_TITLE)


def _mcd_share_alt_text(histology: pd.DataFrame) -> str:
    """Text equivalent of :func:`_mcd_share_figure`."""
    rows = histology[histology["lesion"] == "minimal change disease"]
    parts = [
        f"{r.age_group}, {_short_source(r.source)}: "
        + (
            f"{r.percent_low:g}–{r.percent_high:g}%"
            if r.percent_low != r.percent_high
            else f"{r.percent_low:g}%"
        )
        for r in rows.itertuples(index=False)
    ]
    return (
        "Share of minimal change disease by age group and source. "
        + "; ".join(parts)
        + "."
    )


def _mcd_share_table(histology: pd.DataFrame) -> pd.DataFrame:
    """The data behind :func:`_mcd_share_figure`."""
    rows = histology[histology["lesion"] == "minimal change disease"]
    rows = rows.assign(rank=rows["age_group"].map(_AGE_RANK)).sort_values("rank")
    kind = rows["kind"].map({"estimate": "review estimate", "cohort": "biopsy cohort"})
    return labelled_rows.range_table(
        rows, {"Age group": rows["age_group"], "Kind": kind, "Cohort": rows["cohort"]}
    )


def histology_chart(histology: pd.DataFrame) -> Chart:
    """Stacked bars: lesion shares in each biopsy cohort, children first.

    Parameters
    ----------
    histology
        The validated ``ns_histology_by_age`` rows (shares in %).

    Returns
    -------
    Chart
        Each cohort adds up to 100 %: the share its rows do not list is shown
        as "not listed / other" (arithmetic, 100 − the listed shares).
    """
    return Chart(
        _histology_figure(histology),
        _histology_alt_text(histology),
        _histology_table(histology),
    )


def mcd_share_chart(histology: pd.DataFrame) -> Chart:
    """Ranges for the share of minimal change disease by age group, one per source.

    Parameters
    ----------
    histology
        The validated ``ns_histology_by_age`` rows (shares in %).

    Returns
    -------
    Chart
        One range (low to high %) per review estimate or biopsy cohort.
    """
    return Chart(
        _mcd_share_figure(histology),
        _mcd_share_alt_text(histology),
        _mcd_share_table(histology),
    )
