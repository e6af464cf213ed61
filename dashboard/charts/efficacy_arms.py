"""Arm-level proportions and per-1000 effects, labels above their marks.

As in the forest plot (:mod:`dashboard.charts.efficacy_forest`), every label
is an annotation at the chart's left edge above its row, wrapped for a
phone, and carries its numbers; the y axes count px, so the plot keeps the
chart's whole width at every screen size. Pure: no Streamlit.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.chart import Chart
from dashboard.charts.efficacy_labels import (
    LABEL_CHARS,
    LABEL_PX,
    LINE_PX,
    TITLE_CHARS,
    line_count,
    row_labels,
    short_outcome,
    title_layout,
    title_margin,
    with_effect,
    wrap,
)
from dashboard.core.efficacy import AbsoluteEffect, wilson_interval

#: The two arms: (column suffix, name, colour, symbol, key mark).
ARMS = (
    ("tac", "tacrolimus-based", theme.NORMAL, "circle", "●"),
    ("comparator", "comparator", theme.ABNORMAL, "square", "■"),
)
#: Room for the two arms' marks under a row's label, and between rows, px.
ARM_PX, ROW_GAP_PX = 40, 8


def arm_rows(evidence: pd.DataFrame) -> pd.DataFrame:
    """Rows with counts in both arms, with Wilson intervals added (fractions)."""
    rows = evidence.dropna(
        subset=["events_tac", "total_tac", "events_comparator", "total_comparator"]
    ).copy()
    for arm in ("tac", "comparator"):
        stats = [
            wilson_interval(int(e), int(t))
            for e, t in zip(rows[f"events_{arm}"], rows[f"total_{arm}"], strict=True)
        ]
        rows[f"p_{arm}"] = [s[0] for s in stats]
        rows[f"low_{arm}"] = [s[1] for s in stats]
        rows[f"high_{arm}"] = [s[2] for s in stats]
    return rows


def _counts(row: pd.Series) -> str:
    """``"● 85% (33/39) vs ■ 65% (22/34)"``: both arms, marked as drawn."""
    arms = [
        f"{mark} {100 * row[f'p_{arm}']:.0f}% "
        f"({row[f'events_{arm}']:.0f}/{row[f'total_{arm}']:.0f})"
        for arm, _, _, _, mark in ARMS
    ]
    return " vs ".join(arms)


def _title(title: str) -> tuple[str, int]:
    """The title wrapped for a phone, and the top margin it needs, px."""
    wrapped = wrap(title, TITLE_CHARS)
    return wrapped, title_margin(wrapped)


def _layout(fig: go.Figure, title: str, top: int, bottom: int) -> None:
    fig.update_layout(
        title=title_layout(title),
        margin={"l": 8, "r": 8, "t": top, "b": bottom},
        showlegend=False,
    )


def _label(fig: go.Figure, text: str, y: float) -> None:
    fig.add_annotation(
        x=0,
        xref="paper",
        xanchor="left",
        y=y,
        yref="y",
        yanchor="top",
        text=text,
        showarrow=False,
        align="left",
        bgcolor=theme.BACKGROUND,
        font={"size": LABEL_PX, "color": theme.TEXT},
    )


def _arms_figure(rows: pd.DataFrame, *, title: str) -> go.Figure:
    """Proportion per arm with its 95 % Wilson interval, n on hover.

    Each study's label (with both arms' numbers) sits above its two marks,
    tacrolimus-based first, so their intervals never overlap.
    """
    texts = [
        with_effect(label, _counts(row))
        for label, (_, row) in zip(
            row_labels(rows, width=LABEL_CHARS), rows.iterrows(), strict=True
        )
    ]
    tops, y = [], 0
    for text in texts:
        tops.append(y)
        y += line_count(text) * LINE_PX + ARM_PX + ROW_GAP_PX
    plot_px = y
    title_text, top = _title(title)
    axis_title = (
        "Patients with the outcome (%)<br>with 95% Wilson intervals"
        "<br>● tacrolimus-based · ■ comparator"
    )
    bottom = 40 + 20 * line_count(axis_title)
    fig = go.Figure(layout=theme.base_layout(title="", height=top + plot_px + bottom))
    _layout(fig, title_text, top, bottom)
    for text, row_top in zip(texts, tops, strict=True):
        _label(fig, text, row_top)
    marks = [
        t + line_count(text) * LINE_PX for t, text in zip(tops, texts, strict=True)
    ]
    for (arm, name, colour, symbol, _), shift in zip(ARMS, (10, 30), strict=True):
        fig.add_trace(
            go.Scatter(
                x=100 * rows[f"p_{arm}"],
                y=[m + shift for m in marks],
                mode="markers",
                name=name,
                marker={
                    "size": 12,
                    "color": colour,
                    "symbol": symbol,
                    "line": {"color": theme.TEXT, "width": 1},
                },
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": (100 * (rows[f"high_{arm}"] - rows[f"p_{arm}"])).tolist(),
                    "arrayminus": (
                        100 * (rows[f"p_{arm}"] - rows[f"low_{arm}"])
                    ).tolist(),
                    "color": colour,
                    "thickness": 2.5,
                    "width": 4,
                },
                customdata=rows[[f"events_{arm}", f"total_{arm}", "id"]]
                .astype(str)
                .to_numpy(),
                hovertemplate=(
                    f"{name}: %{{x:.1f}}% (%{{customdata[0]}}/%{{customdata[1]}})"
                    "<br><i>%{customdata[2]}</i><extra></extra>"
                ),
            )
        )
    fig.update_xaxes(
        title={"text": axis_title},
        range=[0, 100],
        tickvals=[0, 20, 40, 60, 80, 100],
        gridcolor=theme.GRID,
    )
    fig.update_yaxes(range=[plot_px, 0], visible=False, fixedrange=True)
    return fig


def _arms_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The data behind :func:`_arms_figure`: counts and percentages per arm."""
    table = pd.DataFrame(
        {
            "Study": rows["study"],
            "Comparator": rows["comparator_class"],
            "Outcome": rows["outcome"].map(short_outcome),
        }
    )
    for arm, name in (("tac", "Tacrolimus"), ("comparator", "Comparator")):
        table[f"{name} events"] = rows[f"events_{arm}"]
        table[f"{name} total"] = rows[f"total_{arm}"]
        table[f"{name} %"] = (100 * rows[f"p_{arm}"]).round(1)
        table[f"{name} 95% low"] = (100 * rows[f"low_{arm}"]).round(1)
        table[f"{name} 95% high"] = (100 * rows[f"high_{arm}"]).round(1)
    table["Row id"] = rows["id"]
    return table.reset_index(drop=True)


def _arm_words(row: pd.Series, arm: str) -> str:
    p, low, high = (100 * row[f"{k}_{arm}"] for k in ("p", "low", "high"))
    return (
        f"{row[f'events_{arm}']}/{row[f'total_{arm}']} ({p:.0f}%, "
        f"{low:.0f}–{high:.0f}%)"
    )


def _arms_alt_text(rows: pd.DataFrame) -> str:
    """Text equivalent of :func:`_arms_figure`."""
    parts = [
        f"{r['study']}: tacrolimus {_arm_words(r, 'tac')}, "
        f"comparator {_arm_words(r, 'comparator')}"
        for _, r in rows.iterrows()
    ]
    return "Proportions per arm with 95% Wilson intervals. " + "; ".join(parts) + "."


def arms_chart(rows: pd.DataFrame, *, title: str) -> Chart:
    """Per-arm proportions of ``rows`` (from :func:`arm_rows`) as one value.

    Parameters
    ----------
    rows
        Rows with counts in both arms and their Wilson intervals (fractions),
        as :func:`arm_rows` returns them; at least one row.
    title
        The figure's title.

    Raises
    ------
    ValueError
        If ``rows`` is empty (a chart needs its data).
    """
    return Chart(
        _arms_figure(rows, title=title), _arms_alt_text(rows), _arms_table(rows)
    )


#: Height of a per-1000 bar and the space under it, px.
BAR_PX, BAR_GAP_PX = 26, 10


def _absolute_labels(effect: AbsoluteEffect) -> tuple[str, str]:
    tac = f"Tacrolimus-based: {effect.tacrolimus_per_1000:.0f} per 1000"
    if effect.low_per_1000 is not None and effect.high_per_1000 is not None:
        tac += f" (95% range {effect.low_per_1000:.0f}–{effect.high_per_1000:.0f})"
    return (
        f"Comparator: {effect.comparator_per_1000:.0f} per 1000",
        wrap(tac, LABEL_CHARS),
    )


def _absolute_figure(effect: AbsoluteEffect, *, outcome: str) -> go.Figure:
    """Two bars per 1000 people: comparator and tacrolimus, with the 95 % range.

    Each bar's label, with its number, sits above the bar.
    """
    labels = _absolute_labels(effect)
    tops, y = [], 0
    for text in labels:
        tops.append(y)
        y += line_count(text) * LINE_PX + BAR_PX + BAR_GAP_PX
    plot_px = y
    title_text, top = _title(f"{outcome.capitalize()} per 1000 people")
    bottom = 64
    fig = go.Figure(layout=theme.base_layout(title="", height=top + plot_px + bottom))
    _layout(fig, title_text, top, bottom)
    for text, row_top in zip(labels, tops, strict=True):
        _label(fig, text, row_top)
    has_range = effect.low_per_1000 is not None and effect.high_per_1000 is not None
    fig.add_trace(
        go.Bar(
            y=[
                t + line_count(text) * LINE_PX + BAR_PX / 2
                for t, text in zip(tops, labels, strict=True)
            ],
            x=[effect.comparator_per_1000, effect.tacrolimus_per_1000],
            width=BAR_PX,
            orientation="h",
            customdata=["comparator", "tacrolimus-based"],
            marker={
                "color": [theme.ABNORMAL, theme.NORMAL],
                "pattern": {
                    "shape": ["/", ""],
                    "fillmode": "overlay",
                    "fgcolor": "white",
                    "fgopacity": 0.3,
                },
            },
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [0, (effect.high_per_1000 or 0) - effect.tacrolimus_per_1000]
                if has_range
                else [0, 0],
                "arrayminus": [
                    0,
                    effect.tacrolimus_per_1000 - (effect.low_per_1000 or 0),
                ]
                if has_range
                else [0, 0],
                "color": theme.TEXT,
                "thickness": 2.5,
            },
            hovertemplate="%{customdata}: %{x:.0f} per 1000<extra></extra>",
        )
    )
    fig.update_xaxes(
        title="People per 1000",
        range=[0, 1050],
        tickvals=[0, 250, 500, 750, 1000],
        gridcolor=theme.GRID,
    )
    fig.update_yaxes(range=[plot_px, 0], visible=False, fixedrange=True)
    return fig


def _absolute_table(effect: AbsoluteEffect) -> pd.DataFrame:
    """The data behind :func:`_absolute_figure`, per 1000 people."""
    return pd.DataFrame(
        {
            "Arm": ["comparator", "tacrolimus-based"],
            "Per 1000": [
                round(effect.comparator_per_1000),
                round(effect.tacrolimus_per_1000),
            ],
            "95% low": [None, _rounded(effect.low_per_1000)],
            "95% high": [None, _rounded(effect.high_per_1000)],
        }
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value)


def absolute_chart(effect: AbsoluteEffect, *, outcome: str, alt: str) -> Chart:
    """Comparator and tacrolimus per 1000 people as one value.

    Parameters
    ----------
    effect
        Per-1000 risks from :func:`dashboard.core.efficacy.absolute_effect`.
    outcome
        What the risks are of, in words ("remission", "tremor"); names the title.
    alt
        The alt text: the page's per-1000 sentence, which says everything the
        two bars show (:func:`dashboard.models.efficacy.absolute_words`).
    """
    return Chart(
        _absolute_figure(effect, outcome=outcome), alt, _absolute_table(effect)
    )
