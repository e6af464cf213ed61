"""Figures for causes by age, steroid response and complications.

Each builder takes a validated dataset (see :mod:`dashboard.core.schemas`) and
returns a :class:`Chart`: the figure, its alt text for screen readers and the
data it draws. Hover text names the source of every mark.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.chart import Chart
from dashboard.core.tables import short_citation

LESION_ORDER = (
    "minimal change disease",
    "FSGS",
    "membranous nephropathy",
    "MPGN",
    "other",
)
REMAINDER = "not listed / other"
_LESION_COLOURS = dict(zip((*LESION_ORDER[:4], REMAINDER), theme.PALETTE, strict=True))


def _range_whisker(part: pd.DataFrame, colour: str) -> dict:
    """A thick bar drawn left from each marker (at the high end) to the low end."""
    return {
        "type": "data",
        "symmetric": False,
        "array": [0] * len(part),
        "arrayminus": (part["percent_high"] - part["percent_low"]).tolist(),
        "color": colour,
        "thickness": 4,
        "width": 0,
    }


def _wrap(text: str, width: int = 60) -> str:
    return "<br>".join(textwrap.wrap(text, width))


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
    """Stacked horizontal bars: lesion shares in each biopsy cohort, children first."""
    table = _cohort_rows(histology)
    table["label"] = table["age_group"].str.capitalize() + ": " + table["cohort"]
    order = (
        table.assign(rank=table["age_group"].map(_AGE_RANK))
        .sort_values(["rank", "cohort"])["label"]
        .drop_duplicates()
        .tolist()
    )
    fig = go.Figure(
        layout=theme.base_layout(
            title="Lesions found on biopsy, by cohort", height=230 + 70 * len(order)
        )
    )
    for index, lesion in enumerate((*LESION_ORDER[:4], REMAINDER)):
        part = table[table["lesion"] == lesion]
        if part.empty:
            continue
        fig.add_trace(
            go.Bar(
                y=[_wrap(label, 45) for label in part["label"]],
                x=part["percent_low"],
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
                text=[f"{v:g}%" if v >= 8 else "" for v in part["percent_low"]],
                textposition="inside",
                textangle=0,
                insidetextanchor="middle",
                insidetextfont={
                    "color": theme.text_on(_LESION_COLOURS[lesion]),
                    "size": 14,
                },
                customdata=part[["source"]].map(_wrap).to_numpy(),
                hovertemplate=(
                    f"{lesion}: %{{x:.1f}}%<br>%{{customdata[0]}}<extra></extra>"
                ),
            )
        )
    fig.update_layout(
        barmode="stack",
        yaxis={
            "categoryorder": "array",
            "categoryarray": [_wrap(o, 45) for o in order],
            "autorange": "reversed",
        },
    )
    # Five lesions wrap to three legend rows in a laptop-wide column.
    fig.update_layout(theme.legend_below(3, traceorder="normal"))
    fig.update_layout(margin={"l": 330})
    fig.update_xaxes(
        title="Share of biopsied patients (%)", range=[0, 100], gridcolor=theme.GRID
    )
    return fig


_AGE_RANK = {"children": 0, "adolescents": 1, "adults": 2, "adults over 40": 3}


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


def _mcd_share_figure(histology: pd.DataFrame) -> go.Figure:
    """Ranges for the share of minimal change disease by age group, one per source."""
    rows = histology[histology["lesion"] == "minimal change disease"].copy()
    rows["rank"] = rows["age_group"].map(_AGE_RANK)
    rows = rows.sort_values(["rank", "percent_high"], ascending=[True, False])
    rows["label"] = [
        f"{r.age_group}: {_short_source(r.source)}"
        for r in rows.itertuples(index=False)
    ]
    fig = go.Figure(
        layout=theme.base_layout(
            title="Minimal change disease: share of nephrotic syndrome by age",
            height=180 + 34 * len(rows),
        )
    )
    for kind, symbol, colour in (
        ("estimate", "diamond", theme.NORMAL),
        ("cohort", "circle", theme.ABNORMAL),
    ):
        part = rows[rows["kind"] == kind]
        fig.add_trace(
            go.Scatter(
                x=part["percent_high"],
                y=part["label"],
                mode="markers",
                name="review estimate (range)"
                if kind == "estimate"
                else "biopsy cohort",
                marker={
                    "size": 12,
                    "color": colour,
                    "symbol": symbol,
                },
                error_x=_range_whisker(part, colour),
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
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(theme.legend_below(1))
    fig.update_layout(margin={"l": 340})
    return fig


def _short_source(source: str) -> str:
    return short_citation(source, limit=30)


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


def _range_table(rows: pd.DataFrame, first: dict[str, pd.Series]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            **first,
            "Low (%)": rows["percent_low"],
            "High (%)": rows["percent_high"],
            "Source": rows["source"].map(short_citation),
        }
    ).reset_index(drop=True)


def _mcd_share_table(histology: pd.DataFrame) -> pd.DataFrame:
    """The data behind :func:`_mcd_share_figure`."""
    rows = histology[histology["lesion"] == "minimal change disease"]
    rows = rows.assign(rank=rows["age_group"].map(_AGE_RANK)).sort_values("rank")
    kind = rows["kind"].map({"estimate": "review estimate", "cohort": "biopsy cohort"})
    return _range_table(
        rows, {"Age group": rows["age_group"], "Kind": kind, "Cohort": rows["cohort"]}
    )


def _steroid_course_figure(course: pd.DataFrame) -> go.Figure:
    """Range bars: the share at each step of the steroid course in children."""
    rows = course.sort_values("order")
    labels = [_wrap(f"{r.step} (of {r.of_whom})", 40) for r in rows.itertuples()]
    fig = go.Figure(
        layout=theme.base_layout(
            title="Children with idiopathic nephrotic syndrome on steroids",
            height=140 + 75 * len(rows),
        )
    )
    fig.add_trace(
        go.Bar(
            y=labels,
            x=rows["percent_high"] - rows["percent_low"],
            base=rows["percent_low"],
            orientation="h",
            marker={"color": theme.NORMAL},
            text=[
                f"{lo:g}–{hi:g}%" if lo > 0 else f"up to {hi:g}%"
                for lo, hi in zip(
                    rows["percent_low"], rows["percent_high"], strict=True
                )
            ],
            textposition="outside",
            customdata=rows[["source"]].map(_wrap).to_numpy(),
            hovertemplate="%{base:g}–%{x:g} wide<br>%{customdata[0]}<extra></extra>",
        )
    )
    fig.update_xaxes(
        title="Share (%), reported range", range=[0, 110], gridcolor=theme.GRID
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(showlegend=False, margin={"l": 300})
    return fig


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
    return _range_table(rows, {"Step": rows["step"], "Of whom": rows["of_whom"]})


def _complications_figure(complications: pd.DataFrame) -> go.Figure:
    """Dot plot of reported frequencies, grouped by complication; shape marks age."""
    rows = complications.sort_values(
        ["complication", "population", "percent_high"], ascending=[True, False, False]
    ).copy()
    rows["label"] = [
        _wrap(f"{r.complication}: {r.setting}", 48) for r in rows.itertuples()
    ]
    fig = go.Figure(
        layout=theme.base_layout(
            title="How often complications were reported, by study",
            height=160 + 52 * len(rows),
        )
    )
    for population, colour, symbol in (
        ("child", theme.NORMAL, "circle"),
        ("adult", theme.ABNORMAL, "square"),
    ):
        part = rows[rows["population"] == population]
        fig.add_trace(
            go.Scatter(
                x=part["percent_high"],
                y=part["label"],
                mode="markers",
                name="children" if population == "child" else "adults",
                marker={"size": 13, "color": colour, "symbol": symbol},
                error_x=_range_whisker(part, colour),
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
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=rows["label"].tolist(),
        autorange="reversed",
    )
    fig.update_layout(theme.legend_below(1))
    fig.update_layout(margin={"l": 340})
    return fig


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
    return _range_table(
        rows,
        {
            "Complication": rows["complication"],
            "Population": rows["population"],
            "Setting": rows["setting"],
            "Measure": rows["measure"],
            "Qualifier": rows["qualifier"].fillna(""),
        },
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


def steroid_course_chart(course: pd.DataFrame) -> Chart:
    """Range bars: the share at each step of the steroid course in children.

    Parameters
    ----------
    course
        The validated ``ns_steroid_course`` rows (reported ranges in %).

    Returns
    -------
    Chart
        One bar per step, in the dataset's ``order``.
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
        Children as circles, adults as squares, one mark per study row.
    """
    return Chart(
        _complications_figure(complications),
        _complications_alt_text(complications),
        _complications_table(complications),
    )
