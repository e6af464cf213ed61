"""Efficacy figures: forest plot, arm-level proportions, absolute effects.

Data in (validated frames and :mod:`dashboard.core.efficacy` results), one
:class:`~dashboard.charts.chart.Chart` out (figure, alt text and data table):
:func:`forest_chart`, :func:`arms_chart`, :func:`absolute_chart`. Randomised,
mixed and non-randomised evidence are drawn in separate panels with their own
headings, never as one.
"""

from __future__ import annotations

import math
import re
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts import theme
from dashboard.charts.chart import Chart
from dashboard.core.efficacy import AbsoluteEffect, wilson_interval

BASE_ORDER = ("randomised", "mixed or unclear", "non-randomised")
BASE_TITLES = {
    "randomised": "Randomised evidence (RCTs and pooled RCTs)",
    "mixed or unclear": "Mixed or unclear design (pooled RCTs with cohorts, or "
    "randomisation not reported)",
    "non-randomised": "Non-randomised evidence (cohorts)",
}


def row_label(row: pd.Series, width: int = 44, detail: str = "") -> str:
    """A short, wrapped y-axis label: source, comparator and time point.

    ``†`` marks a row turned round to read tacrolimus-based vs comparator;
    ``‡`` marks a work whose authorship could not be established (weaker
    evidence, ``attribution == "unattributed"``).

    ``detail`` (an outcome or an arm) is added on a line of its own when the
    label alone would not tell the row from another in the same chart.
    """
    parts = [str(row["study"])]
    parts.append(f"vs {row['comparator_class']}")
    if isinstance(row.get("timepoint"), str) and row["timepoint"]:
        parts.append(str(row["timepoint"])[:32])
    text = ", ".join(parts)
    if row.get("direction") == "inverted" or row.get("converted"):
        text += " †"
    if row.get("attribution") == "unattributed":
        text += " ‡"
    lines = textwrap.wrap(text, width)
    if detail:
        lines += [f"<i>{line}</i>" for line in textwrap.wrap(detail, width)]
    return "<br>".join(lines)


def short_outcome(outcome: object) -> str:
    """An outcome's name without the curator's notes.

    The data's outcome text carries notes after a semicolon and in brackets
    (units, how a figure was read) and a trailing ``, n`` or ``, %``; a chart
    label needs only the name: ``"tremor (decimal points stripped ...)"``
    gives ``"tremor"``.
    """
    text = str(outcome)
    while True:  # innermost brackets first, so nested notes go too
        shorter = re.sub(r"\s*\([^()]*\)", "", text)
        if shorter == text:
            break
        text = shorter
    text = re.sub(r",\s*(n/N|n|%)$", "", text.split(";")[0].strip())
    return " ".join(text.split()) or str(outcome).strip()


def _details(row: pd.Series) -> tuple[str, str, str]:
    """What can tell a row from its neighbours, in order of preference."""
    arm = row.get("arm_tac")
    return (
        short_outcome(row["outcome"]),
        str(arm) if isinstance(arm, str) else "",
        str(row["id"]),
    )


def row_labels(rows: pd.DataFrame, width: int = 44) -> list[str]:
    """One distinct label per row, in order.

    Rows that share study, comparator and time point (several harms of one
    meta-analysis, two arms of a network meta-analysis) would otherwise sit on
    one line of a chart, their points told apart by nothing. Each such row gets
    its outcome's name, or where that is shared too, its tacrolimus arm, or
    failing both its row id (ids are unique).
    """
    records = [row for _, row in rows.iterrows()]
    plain = [row_label(row, width) for row in records]
    details = [""] * len(records)
    for label in {text for text in plain if plain.count(text) > 1}:
        group = [i for i, text in enumerate(plain) if text == label]
        options = [_details(records[i]) for i in group]
        for i, own in zip(group, options, strict=True):
            for kind, candidate in enumerate(own):
                shared = sum(other[kind] == candidate for other in options)
                if candidate and shared == 1:
                    details[i] = candidate
                    break
    return [
        row_label(row, width, detail) if detail else label
        for row, label, detail in zip(records, plain, details, strict=True)
    ]


def _marker_size(participants: object) -> float:
    if participants is None or pd.isna(participants):
        return 9.0
    return float(min(26, max(8, 3 * math.sqrt(float(participants)) / 2.5)))


def favours_labels(higher_is_better: bool) -> tuple[str, str]:
    """(left, right) axis captions for a ratio axis."""
    if higher_is_better:
        return "← favours comparator", "favours tacrolimus →"
    return "← favours tacrolimus", "favours comparator →"


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
    labels_by_base = {b: row_labels(part) for b, part in parts.items()}
    # Pixels per row: 58, or more for a label of three or more lines.
    heights = [
        sum(max(58, 21 * (label.count("<br>") + 1)) for label in labels_by_base[b])
        for b in bases
    ]
    fig = make_subplots(
        rows=max(1, len(bases)),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12 if len(bases) > 1 else 0.02,
        subplot_titles=[BASE_TITLES[b] for b in bases],
        row_heights=heights or [1],
    )
    for panel, base in enumerate(bases, start=1):
        part = parts[base]
        labels = labels_by_base[base]
        pooled = part["design_class"] == "meta-analysis"
        upper = (part["ci_high_tac"] - part["effect_tac"]).fillna(0)
        lower = (part["effect_tac"] - part["ci_low_tac"]).fillna(0)
        fig.add_trace(
            go.Scatter(
                x=part["effect_tac"],
                y=labels,
                mode="markers",
                name=BASE_TITLES[base],
                showlegend=False,
                marker={
                    "symbol": ["diamond" if p else "square" for p in pooled],
                    "size": [
                        _marker_size(n) * (1.3 if p else 1)
                        for n, p in zip(part["participants"], pooled, strict=True)
                    ],
                    "color": theme.NORMAL
                    if base == "randomised"
                    else theme.ABNORMAL
                    if base == "non-randomised"
                    else theme.PALETTE[3],
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
                    [
                        "id",
                        "measure",
                        "ci_low_tac",
                        "ci_high_tac",
                        "participants",
                        "design",
                    ]
                ]
                .astype(str)
                .to_numpy(),
                hovertemplate=(
                    "%{customdata[1]} %{x:.2f} (%{customdata[2]}–%{customdata[3]})"
                    "<br>n = %{customdata[4]}<br>%{customdata[5]}"
                    "<br><i>%{customdata[0]}</i><extra></extra>"
                ),
            ),
            row=panel,
            col=1,
        )
        fig.add_vline(
            x=1,
            line={"color": theme.TEXT, "width": 1.5, "dash": "dot"},
            row=panel,
            col=1,
        )
        fig.update_yaxes(autorange="reversed", row=panel, col=1)
    left, right = favours_labels(higher_is_better)
    fig.update_xaxes(
        type="log", gridcolor=theme.GRID, tickvals=[0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50]
    )
    fig.update_xaxes(
        title=f"{left}    ratio (log scale)    {right}", row=len(bases) or 1, col=1
    )
    fig.update_layout(
        theme.base_layout(title=title, height=170 + sum(heights) + 60 * len(bases))
    )
    fig.update_layout(margin={"l": 330})
    return fig


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
    pooled rows are diamonds, single studies squares, marker area grows with
    the people behind the figure, and a dagger marks rows turned round.

    Parameters
    ----------
    rows
        Ratio rows oriented tacrolimus-based vs comparator
        (:func:`dashboard.core.efficacy.forest_rows`); at least one row.
    higher_is_better
        Whether a ratio above 1 favours tacrolimus (remission) or not (relapse,
        harms): sets the "favours" captions.
    title
        The figure's title.

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


def _arms_figure(rows: pd.DataFrame, *, title: str) -> go.Figure:
    """Proportion per arm with its 95 % Wilson interval, n on hover.

    The two arms of a study sit just above and below its label so their
    intervals never overlap.
    """
    fig = go.Figure(layout=theme.base_layout(title=title, height=170 + 70 * len(rows)))
    labels = row_labels(rows)
    positions = list(range(len(rows)))
    for arm, name, colour, symbol, shift in (
        ("tac", "tacrolimus-based", theme.NORMAL, "circle", -0.17),
        ("comparator", "comparator", theme.ABNORMAL, "square", 0.17),
    ):
        fig.add_trace(
            go.Scatter(
                x=100 * rows[f"p_{arm}"],
                y=[p + shift for p in positions],
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
        title="Patients with the outcome (%), 95% Wilson interval",
        range=[0, 100],
        gridcolor=theme.GRID,
    )
    fig.update_yaxes(
        tickvals=positions,
        ticktext=labels,
        autorange="reversed",
        showgrid=False,
        zeroline=False,
    )
    fig.update_layout(theme.legend_below(1))
    fig.update_layout(margin={"l": 330})
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


def _absolute_figure(effect: AbsoluteEffect, *, outcome: str) -> go.Figure:
    """Two bars per 1000 people: comparator and tacrolimus, with the 95 % range."""
    fig = go.Figure(
        layout=theme.base_layout(
            title=f"{outcome.capitalize()} per 1000 people", height=260
        )
    )
    has_range = effect.low_per_1000 is not None and effect.high_per_1000 is not None
    fig.add_trace(
        go.Bar(
            y=[
                f"comparator: {effect.comparator_per_1000:.0f}",
                f"tacrolimus: {effect.tacrolimus_per_1000:.0f}",
            ],
            x=[effect.comparator_per_1000, effect.tacrolimus_per_1000],
            orientation="h",
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
            hovertemplate="%{y}: %{x:.0f} per 1000<extra></extra>",
        )
    )
    fig.update_xaxes(title="People per 1000", range=[0, 1050], gridcolor=theme.GRID)
    fig.update_layout(showlegend=False, margin={"l": 160})
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
