"""Static PNG versions of the key figures, for handouts (matplotlib, offline).

Same data and colours as the interactive Plotly figures; kept simple, since a
handout is read on paper.
"""

from __future__ import annotations

import re
from io import BytesIO

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.lines import Line2D

from dashboard.charts import efficacy, theme

RATIO_TICKS = (0.1, 0.25, 0.5, 1, 2, 4, 10, 25)


def _png(fig: plt.Figure) -> bytes:
    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def line_png(
    x: np.ndarray,
    series: list[tuple[str, np.ndarray]],
    *,
    xlabel: str,
    ylabel: str,
    band: tuple[float, float] | None = None,
    point: tuple[float, float] | None = None,
) -> bytes:
    """Lines (first solid, others dashed) with an optional shaded band and point."""
    fig, ax = plt.subplots(figsize=(8, 3.6))
    if band is not None:
        ax.axhspan(band[0], band[1], color=theme.PALETTE[2], alpha=0.18, label="target")
    for index, (label, y) in enumerate(series):
        ax.plot(
            x,
            y,
            color=theme.PALETTE[index % 2],
            linewidth=2,
            linestyle="-" if index == 0 else "--",
            label=label,
        )
    if point is not None:
        ax.plot(*point, marker="D", markersize=9, color=theme.ABNORMAL)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(color=theme.GRID, linewidth=0.6)
    if len(series) > 1 or band is not None:
        ax.legend(frameon=False, loc="best")
    return _png(fig)


def forest_png(rows: pd.DataFrame, *, higher_is_better: bool) -> bytes:
    """Ratios with 95 % intervals on a log axis, one line per row."""
    rows = rows.reset_index(drop=True)
    # The on-screen labels (study, comparator, time point, and what tells
    # rows of one study apart), as plain lines for matplotlib.
    labels = [
        re.sub(r"</?i>", "", label).replace("<br>", "\n")
        for label in efficacy.row_labels(rows, width=48)
    ]
    lines = sum(label.count("\n") + 1 for label in labels)
    fig, ax = plt.subplots(figsize=(8, max(0.45 * len(rows), 0.2 * lines) + 1.4))
    y = np.arange(len(rows))[::-1]
    low = (rows["effect_tac"] - rows["ci_low_tac"]).fillna(0).clip(lower=0)
    high = (rows["ci_high_tac"] - rows["effect_tac"]).fillna(0).clip(lower=0)
    colours = [
        theme.NORMAL if b == "randomised" else theme.ABNORMAL
        for b in rows["evidence_base"]
    ]
    ax.errorbar(
        rows["effect_tac"],
        y,
        xerr=[low, high],
        fmt="none",
        ecolor=theme.TEXT,
        capsize=3,
        linewidth=1.2,
    )
    ax.scatter(rows["effect_tac"], y, c=colours, marker="D", zorder=3)
    ax.axvline(1, color=theme.TEXT, linestyle=":")
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(ticker.FixedLocator(RATIO_TICKS))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_locator(ticker.NullLocator())
    ax.legend(
        handles=[
            Line2D(
                [], [], marker="D", linestyle="", color=theme.NORMAL, label="randomised"
            ),
            Line2D(
                [],
                [],
                marker="D",
                linestyle="",
                color=theme.ABNORMAL,
                label="observational or mixed",
            ),
        ],
        frameon=False,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18),
        ncol=2,
    )
    ax.set_yticks(y, labels, fontsize=8)
    left, right = (
        ("comparator", "tacrolimus")
        if higher_is_better
        else ("tacrolimus", "comparator")
    )
    ax.set_xlabel(f"← favours {left}    ratio (log)    favours {right} →")
    ax.grid(axis="x", color=theme.GRID, linewidth=0.6)
    return _png(fig)
