"""The monitoring plan as a grid a lecture hall can read: parameters × phases."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import theme
from dashboard.charts.chart import Chart

PHASES = {
    "when_starting": "When starting",
    "after_a_change": "After a change",
    "maintenance": "Once stable",
}


def _wrap(text: str, width: int = 22) -> str:
    return "<br>".join(textwrap.wrap(text, width)) if text else ""


def plan_chart(plan: pd.DataFrame) -> Chart:
    """The monitoring plan as a grid of parameters × phases, with alt text and table.

    ``plan`` is the validated ``monitoring_plan`` table; rows are drawn in
    their ``order``.
    """
    return Chart(_plan_figure(plan), _plan_alt_text(plan), _plan_table(plan))


def _plan_figure(plan: pd.DataFrame) -> go.Figure:
    """Each cell says how often; empty cells are white. Hover gives the action."""
    rows = plan.sort_values("order")
    columns = list(PHASES)
    text = [
        [_wrap("" if pd.isna(r[c]) else str(r[c])) for c in columns]
        for _, r in rows.iterrows()
    ]
    filled = [[0 if not t else 1 for t in line] for line in text]
    hover = [
        [
            f"<b>{r['parameter']}</b><br>If: {r['finding']}<br>Then: "
            f"{_wrap(str(r['action']), 50)}"
            for _ in columns
        ]
        for _, r in rows.iterrows()
    ]
    fig = go.Figure(
        go.Heatmap(
            z=filled,
            x=[PHASES[c] for c in columns],
            y=[_wrap(str(p), 28) for p in rows["parameter"]],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 14, "color": theme.TEXT},
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=[[0, "#FFFFFF"], [1, "#E5F1F8"]],
            showscale=False,
            xgap=3,
            ygap=3,
        ),
        layout=theme.base_layout(
            title="What to check, and when", height=120 + 66 * len(rows)
        ),
    )
    fig.update_xaxes(side="top", tickfont={"size": 15}, showgrid=False)
    fig.update_yaxes(autorange="reversed", tickfont={"size": 14}, showgrid=False)
    fig.update_layout(margin={"l": 230, "t": 90})
    return fig


def _plan_alt_text(plan: pd.DataFrame) -> str:
    """Text equivalent of :func:`_plan_figure`."""
    parts = []
    for _, r in plan.sort_values("order").iterrows():
        when = "; ".join(
            f"{label.lower()}: {r[c]}" for c, label in PHASES.items() if pd.notna(r[c])
        )
        parts.append(f"{r['parameter']} ({when})")
    return "Monitoring grid. " + ". ".join(parts) + "."


def _plan_table(plan: pd.DataFrame) -> pd.DataFrame:
    """The data behind :func:`_plan_figure`: what to check, when, and what to do."""
    rows = plan.sort_values("order")
    table = rows[["parameter", *PHASES, "finding", "action"]].rename(
        columns={"parameter": "Check", **PHASES, "finding": "If", "action": "Then"}
    )
    return table.fillna("").reset_index(drop=True)
