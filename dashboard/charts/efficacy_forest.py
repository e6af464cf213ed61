"""The efficacy forest plot: one panel per evidence base, labels above the rows.

Each row's study label and its effect ("RR 1.01 [0.89–1.15]") are one
annotation at the left edge, above the row's point and interval, so the plot
area keeps the chart's whole width on a 390 px phone and no label is cut off
on a 3840 px projector (the figure cannot know the screen's width; labels
wrap at :data:`~dashboard.charts.efficacy_labels.LABEL_CHARS` characters).
Heights are laid out in pixels: every panel's y axis counts px from the
panel's top, so a label of three lines gets three lines of room.

Randomised, mixed and non-randomised evidence are separate panels with their
own headings, never pooled. Pure: no Streamlit.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.chart import Chart
from dashboard.charts.efficacy_labels import (
    LABEL_CHARS,
    LABEL_PX,
    LINE_PX,
    TITLE_CHARS,
    effect_text,
    line_count,
    log_range,
    log_ticks,
    measure_title,
    row_labels,
    short_outcome,
    tick_text,
    title_layout,
    title_margin,
    with_effect,
    wrap,
)

BASE_ORDER = ("randomised", "mixed or unclear", "non-randomised")
BASE_TITLES = {
    "randomised": "Randomised evidence (RCTs and pooled RCTs)",
    "mixed or unclear": "Mixed or unclear design (pooled RCTs with cohorts, or "
    "randomisation not reported)",
    "non-randomised": "Non-randomised evidence (cohorts)",
}
#: The marks, in words: the caption under the axis (no legend entry needed).
MARK_KEY = "◆ pooled result · ■ single study<br>bigger mark: more participants"
#: Characters per line of a panel's heading (bold, a px larger than labels).
HEADING_CHARS = 36
#: Room for a row's point and interval under its label, px.
MARK_PX = 30
#: Space under each row and between panels, px.
ROW_GAP_PX, PANEL_GAP_PX = 6, 22
#: Margins, px: left and right kept small, the labels sit inside the plot.
SIDE_PX = 8
BASE_COLOURS = {
    "randomised": theme.NORMAL,
    "mixed or unclear": theme.PALETTE[3],
    "non-randomised": theme.ABNORMAL,
}


def _marker_size(participants: object) -> float:
    """Marker diameter, px: grows with √participants (area ∝ n), 8 to 26."""
    if participants is None or pd.isna(participants):
        return 9.0
    return float(min(26, max(8, 3 * math.sqrt(float(participants)) / 2.5)))


def favours_labels(higher_is_better: bool) -> tuple[str, str]:
    """(left, right) axis captions for a ratio axis."""
    if higher_is_better:
        return "← favours comparator", "favours tacrolimus →"
    return "← favours tacrolimus", "favours comparator →"


def row_texts(rows: pd.DataFrame) -> list[str]:
    """Each row's label with its effect and interval, wrapped for a phone."""
    labels = row_labels(rows, width=LABEL_CHARS)
    effects = [
        effect_text(r["measure"], r["effect_tac"], r["ci_low_tac"], r["ci_high_tac"])
        for _, r in rows.iterrows()
    ]
    return [with_effect(la, ef) for la, ef in zip(labels, effects, strict=True)]


def _panel_layout(texts: list[str], heading: str) -> tuple[float, list[float], float]:
    """(heading height, each row's top, panel height), px from the panel's top."""
    top = line_count(heading) * LINE_PX + 8
    head, tops = top, []
    for text in texts:
        tops.append(top)
        top += line_count(text) * LINE_PX + MARK_PX + ROW_GAP_PX
    return head, tops, top


def _axis_title(rows: pd.DataFrame, higher_is_better: bool) -> str:
    left, right = favours_labels(higher_is_better)
    return "<br>".join(
        (wrap(measure_title(rows["measure"]), 46), f"{left} · {right}", MARK_KEY)
    )


def _forest_figure(
    rows: pd.DataFrame, *, higher_is_better: bool, title: str
) -> go.Figure:
    """Point and 95 % CI per row on a log axis, one panel per evidence base.

    Pooled rows (meta-analyses) are diamonds, single studies squares; marker
    area grows with the people behind the figure. A dagger marks rows turned
    round to read tacrolimus-based vs comparator.
    """
    bases = [b for b in BASE_ORDER if (rows["evidence_base"] == b).any()]
    parts = {b: rows[rows["evidence_base"] == b] for b in bases}
    headings = {b: wrap(BASE_TITLES[b], HEADING_CHARS) for b in bases}
    texts = {b: row_texts(parts[b]) for b in bases}
    panels = {b: _panel_layout(texts[b], headings[b]) for b in bases}
    plot_px = sum(p[2] for p in panels.values()) + PANEL_GAP_PX * (len(bases) - 1)
    title_text = wrap(title, TITLE_CHARS)
    axis_title = _axis_title(rows, higher_is_better)
    top_px = title_margin(title_text)
    bottom_px = 40 + 20 * line_count(axis_title)
    low, high = log_range(
        [*rows["effect_tac"], *rows["ci_low_tac"].dropna(), *rows["ci_high_tac"]]
    )
    ticks = log_ticks(low, high)
    fig = go.Figure(
        layout=theme.base_layout(title="", height=round(top_px + plot_px + bottom_px))
    )
    fig.update_layout(
        title=title_layout(title_text),
        margin={"l": SIDE_PX, "r": SIDE_PX, "t": top_px, "b": bottom_px},
        showlegend=False,
    )
    start = 0.0
    for panel, base in enumerate(bases, start=1):
        head, tops, height = panels[base]
        suffix = "" if panel == 1 else str(panel)
        xref, yref = f"x{suffix}", f"y{suffix}"
        domain = [1 - (start + height) / plot_px, 1 - start / plot_px]
        start += height + PANEL_GAP_PX
        last = panel == len(bases)
        fig.update_layout(
            {
                f"xaxis{suffix}": {
                    "type": "log",
                    "range": [math.log10(low), math.log10(high)],
                    "tickvals": ticks,
                    "ticktext": [tick_text(t) for t in ticks],
                    "gridcolor": theme.GRID,
                    "anchor": yref,
                    "showticklabels": last,
                    "title": {"text": axis_title if last else ""},
                    "linecolor": theme.TEXT,
                    "zeroline": False,
                    **({} if panel == 1 else {"matches": "x"}),
                },
                f"yaxis{suffix}": {
                    "domain": [max(0.0, domain[0]), min(1.0, domain[1])],
                    "range": [height, 0],
                    "visible": False,
                    "fixedrange": True,
                    "anchor": xref,
                },
            }
        )
        fig.add_annotation(
            x=0,
            xref="paper",
            xanchor="left",
            y=0,
            yref=yref,
            yanchor="top",
            text=f"<b>{headings[base]}</b>",
            showarrow=False,
            align="left",
            font={"size": LABEL_PX + 1, "color": theme.TEXT},
        )
        for text, row_top in zip(texts[base], tops, strict=True):
            fig.add_annotation(
                x=0,
                xref="paper",
                xanchor="left",
                y=row_top,
                yref=yref,
                yanchor="top",
                text=text,
                showarrow=False,
                align="left",
                bgcolor=theme.BACKGROUND,
                font={"size": LABEL_PX, "color": theme.TEXT},
            )
        marks = [
            t + line_count(text) * LINE_PX + MARK_PX / 2
            for t, text in zip(tops, texts[base], strict=True)
        ]
        fig.add_shape(
            type="line",
            xref=xref,
            yref=yref,
            x0=1,
            x1=1,
            y0=head,
            y1=height,
            line={"color": theme.TEXT, "width": 1.5, "dash": "dot"},
            layer="below",
        )
        fig.add_trace(_points(parts[base], marks, base, xref, yref))
    return fig


def _points(
    part: pd.DataFrame, marks: list[float], base: str, xref: str, yref: str
) -> go.Scatter:
    """One panel's points and intervals; hover names the row, a click its source."""
    pooled = part["design_class"] == "meta-analysis"
    upper = (part["ci_high_tac"] - part["effect_tac"]).fillna(0)
    lower = (part["effect_tac"] - part["ci_low_tac"]).fillna(0)
    return go.Scatter(
        x=part["effect_tac"],
        y=marks,
        xaxis=xref,
        yaxis=yref,
        mode="markers",
        name=BASE_TITLES[base],
        showlegend=False,
        marker={
            "symbol": ["diamond" if p else "square" for p in pooled],
            "size": [
                _marker_size(n) * (1.3 if p else 1)
                for n, p in zip(part["participants"], pooled, strict=True)
            ],
            "color": BASE_COLOURS[base],
            "line": {"color": theme.TEXT, "width": 1},
        },
        error_x={
            "type": "data",
            "symmetric": False,
            "array": upper.tolist(),
            "arrayminus": lower.tolist(),
            "color": theme.TEXT,
            "thickness": 2,
            "width": 5,
        },
        customdata=part[
            ["id", "measure", "ci_low_tac", "ci_high_tac", "participants", "design"]
        ]
        .astype(str)
        .to_numpy(),
        hovertemplate=(
            "%{customdata[1]} %{x:.2f} (%{customdata[2]}–%{customdata[3]})"
            "<br>n = %{customdata[4]}<br>%{customdata[5]}"
            "<br><i>%{customdata[0]}</i><extra></extra>"
        ),
    )


def _forest_alt_text(rows: pd.DataFrame, *, higher_is_better: bool) -> str:
    """Text equivalent of :func:`_forest_figure`."""
    left, right = favours_labels(higher_is_better)
    parts = []
    for _, r in rows.iterrows():
        ci = (
            f" (95% CI {r['ci_low_tac']:.2f} to {r['ci_high_tac']:.2f})"
            if pd.notna(r["ci_low_tac"]) and pd.notna(r["ci_high_tac"])
            else " (no interval)"
        )
        parts.append(
            f"{r['study']}, {r['evidence_base']}, vs {r['comparator_class']}, "
            f"{short_outcome(r['outcome'])}: {r['measure']} {r['effect_tac']:.2f}{ci}"
        )
    return (
        f"Forest plot on a log scale; below 1 is {left.strip('← ')}, above 1 is "
        f"{right.strip(' →')}. " + "; ".join(parts) + "."
    )


def _forest_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The data behind :func:`_forest_figure`, tacrolimus-based vs comparator."""
    table = pd.DataFrame(
        {
            "Study": rows["study"],
            "Evidence": rows["evidence_base"],
            "Design": rows["design"],
            "Comparator": rows["comparator_class"],
            "Outcome": rows["outcome"].map(short_outcome),
            "Time point": rows["timepoint"],
            "Measure": rows["measure"],
            "Ratio": rows["effect_tac"].round(2),
            "95% CI low": rows["ci_low_tac"].round(2),
            "95% CI high": rows["ci_high_tac"].round(2),
            "Participants": rows["participants"],
            "Turned round (†)": (
                (rows["direction"] == "inverted") | rows["converted"].astype(bool)
            ).map({True: "†", False: ""}),
            "Authorship not established (‡)": (
                rows["attribution"].astype("object") == "unattributed"
            ).map({True: "‡", False: ""}),
            "Row id": rows["id"],
        }
    )
    return table.reset_index(drop=True)


def forest_chart(rows: pd.DataFrame, *, higher_is_better: bool, title: str) -> Chart:
    """The forest plot of ``rows`` with its alt text and data table (one value).

    Point and 95 % CI per row on a log axis, one panel per evidence base;
    each row's label carries its effect and interval ("RR 1.01 [0.89–1.15]");
    pooled rows are diamonds, single studies squares, marker area grows with
    the people behind the figure (said under the axis), and a dagger marks
    rows turned round. The axis names the measure (risk, odds or hazard
    ratio), or every measure when a chart mixes them.

    Parameters
    ----------
    rows
        Ratio rows oriented tacrolimus-based vs comparator
        (:func:`dashboard.core.efficacy.forest_rows`); at least one row.
    higher_is_better
        Whether a ratio above 1 favours tacrolimus (remission) or not (relapse,
        harms): sets the "favours" captions.
    title
        The figure's title (wrapped to fit a phone).

    Raises
    ------
    ValueError
        If ``rows`` is empty (a chart needs its data).
    """
    return Chart(
        _forest_figure(rows, higher_is_better=higher_is_better, title=title),
        _forest_alt_text(rows, higher_is_better=higher_is_better),
        _forest_table(rows),
    )
