"""The guideline timeline: which guidance put calcineurin inhibitors where, and when.

One row per guideline (from ``guidance_timeline.csv``), spaced evenly down the
chart in the file's order and placed across it by year of publication, so that
a phone 390 px wide still has room for each label. Status is shown three ways:
symbol, colour and the legend text; a superseded guideline has an arrow to the
one that replaced it. Colours are Okabe-Ito hues from :mod:`theme`.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.chart import Chart

#: Status → (legend label, marker symbol, colour).
STATUS_STYLE: dict[str, tuple[str, str, str]] = {
    "current": ("current", "circle", theme.NORMAL),
    "partly superseded": ("partly updated", "diamond", theme.PALETTE[3]),
    "superseded": ("superseded", "x", theme.NEUTRAL),
}
#: Short lane names for the chart labels (the data keeps the full ones).
LANE_SHORT = {
    "all glomerular diseases": "glomerular diseases",
    "lupus nephritis": "lupus nephritis",
    "nephrotic syndrome in children": "children's NS",
}
#: Labels sit left of markers from this year on, right of earlier ones.
_LABEL_LEFT_FROM = 2018
#: Extra years on the left leave room for the labels of recent guidelines.
_X_RANGE = (2006.5, 2026.5)
#: Arrows run between the rows, clear of the labels (in row units).
_ARROW_GAP = 0.32


def _label(row: pd.Series) -> str:
    lane = LANE_SHORT.get(row["lane"], row["lane"])
    return f"<b>{row['body']} {row['year']}</b> · {lane}<br>{row['headline']}"


def _ordered(timeline: pd.DataFrame) -> pd.DataFrame:
    rows = timeline.sort_values("order").reset_index(drop=True)
    return rows.assign(position=range(len(rows)))


def _timeline_figure(timeline: pd.DataFrame) -> go.Figure:
    """Markers by year, one row per guideline; arrows from old to new guidance."""
    rows = _ordered(timeline)
    fig = go.Figure(
        layout=theme.base_layout(
            title="Guidance on CNIs, 2012–2025",
            height=150 + 62 * len(rows),
        )
    )
    for status, (name, symbol, colour) in STATUS_STYLE.items():
        part = rows[rows["status"] == status]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["year"],
                y=part["position"],
                mode="markers+text",
                name=name,
                marker={
                    "size": 16,
                    "color": colour,
                    "symbol": symbol,
                    "line": {"width": 2, "color": colour},
                },
                text=[_label(r) for _, r in part.iterrows()],
                textposition=[
                    "middle left" if y >= _LABEL_LEFT_FROM else "middle right"
                    for y in part["year"]
                ],
                textfont={"size": 13, "color": theme.TEXT},
                cliponaxis=False,
                customdata=part[["title", "cni", "rituximab"]].to_numpy(),
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>CNIs: %{customdata[1]}"
                    "<br>Rituximab: %{customdata[2]}<extra></extra>"
                ),
                hoverlabel={"namelength": 0},
            )
        )
    by_id = rows.set_index("id")
    for _, row in rows.iterrows():
        if row["status"] != "superseded" or pd.isna(row["superseded_by"]):
            continue
        for target in str(row["superseded_by"]).split(";"):
            if target in by_id.index:
                new = by_id.loc[target]
                step = _ARROW_GAP if new["position"] > row["position"] else -_ARROW_GAP
                theme.add_arrow(
                    fig,
                    (float(row["year"]), float(row["position"]) + step),
                    (float(new["year"]), float(new["position"]) - step),
                    colour=theme.NEUTRAL,
                    width=2,
                )
    fig.update_xaxes(
        title="Year published",
        range=list(_X_RANGE),
        tickvals=[2012, 2016, 2020, 2024],
        gridcolor=theme.GRID,
        fixedrange=True,
    )
    fig.update_yaxes(
        range=[len(rows) - 0.4, -0.6],
        showticklabels=False,
        showgrid=False,
        fixedrange=True,
    )
    fig.update_layout(theme.legend_below(1))
    fig.update_layout(margin={"l": 12, "r": 12, "t": 56})
    return fig


def _timeline_alt_text(timeline: pd.DataFrame) -> str:
    """Text equivalent of :func:`_timeline_figure`."""
    rows = _ordered(timeline)
    parts = []
    for _, r in rows.iterrows():
        status = r["status"]
        if isinstance(r["superseded_by"], str) and r["superseded_by"]:
            names = ", ".join(
                f"{n['body']} {n['year']}"
                for _, n in rows[
                    rows["id"].isin(r["superseded_by"].split(";"))
                ].iterrows()
            )
            status += f" by {names}"
        parts.append(
            f"{r['body']} {r['year']} ({r['lane']}; {status}): {r['headline']}"
        )
    return (
        f"Timeline of {len(rows)} guidelines by year of publication. "
        + "; ".join(parts)
        + "."
    )


def _timeline_table(timeline: pd.DataFrame) -> pd.DataFrame:
    """The data behind :func:`_timeline_figure`, with the full wording."""
    rows = _ordered(timeline)
    names = {r["id"]: f"{r['body']} {r['year']}" for _, r in rows.iterrows()}
    return pd.DataFrame(
        {
            "Year": rows["year"],
            "Guideline": [f"{r['body']}: {r['title']}" for _, r in rows.iterrows()],
            "Scope": rows["scope"],
            "Status": rows["status"],
            "Updated by": [
                ", ".join(names.get(i, i) for i in str(s).split(";"))
                if isinstance(s, str) and s
                else "—"
                for s in rows["superseded_by"]
            ],
            "Calcineurin inhibitors": rows["cni"],
            "Rituximab and B-cell drugs": rows["rituximab"],
        }
    )


def timeline_chart(timeline: pd.DataFrame) -> Chart:
    """The guideline timeline, its alt text and its data table, as one value.

    Parameters
    ----------
    timeline
        The validated ``guidance_timeline.csv``, one row per guideline.
    """
    return Chart(
        _timeline_figure(timeline),
        _timeline_alt_text(timeline),
        _timeline_table(timeline),
    )


def _decimals(value: float) -> int:
    text = f"{value:g}"
    return len(text.split(".")[1]) if "." in text else 0


def _numbers(*values: float) -> list[str]:
    """``values`` with as many decimals as the most precise one (1.6, 1.0, 2.3).

    Sources print an interval with the decimals of its estimate; a float
    loses the trailing zero of "1.0", so it is restored here. Minus signs
    are typographic.
    """
    places = max(_decimals(v) for v in values)
    return [f"{v:.{places}f}".replace("-", "−") for v in values]


def trial_result(row: pd.Series) -> str:
    """``60% vs 52%; risk difference 8 points (95% CI −9 to 25)``."""
    text = f"{row['value_intervention']:g}% vs {row['value_comparator']:g}%"
    if pd.notna(row["effect"]):
        measure = (
            "risk difference"
            if str(row["effect_measure"]).startswith("risk difference")
            else "odds ratio"
        )
        unit = " points" if measure == "risk difference" else ""
        if pd.notna(row["ci_low"]) and pd.notna(row["ci_high"]):
            effect, low, high = _numbers(row["effect"], row["ci_low"], row["ci_high"])
            text += f"; {measure} {effect}{unit} (95% CI {low} to {high})"
        else:
            text += f"; {measure} {_numbers(row['effect'])[0]}{unit}"
    return text


def trials_table(trials: pd.DataFrame) -> pd.DataFrame:
    """The alternative trials as a table a student reads across."""
    return pd.DataFrame(
        {
            "Trial": trials["trial"],
            "Disease": trials["disease_group"],
            "Compared": [
                f"{r['intervention']} vs {r['comparator']}"
                for _, r in trials.iterrows()
            ],
            "Outcome": [
                f"{r['outcome']}, {r['timepoint']}" for _, r in trials.iterrows()
            ],
            "n per arm": [
                f"{r['n_intervention']:g} vs {r['n_comparator']:g}"
                if pd.notna(r["n_intervention"]) and pd.notna(r["n_comparator"])
                else "not given"
                for _, r in trials.iterrows()
            ],
            "Result": [trial_result(r) for _, r in trials.iterrows()],
        }
    )
