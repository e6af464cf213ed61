"""Efficacy figures: forest plot, arm-level proportions, absolute effects.

Data in (validated frames and :mod:`dashboard.core.efficacy` results), one
:class:`~dashboard.charts.chart.Chart` out (figure, alt text and data table):
:func:`forest_chart`, :func:`arms_chart`, :func:`absolute_chart`. Randomised,
mixed and non-randomised evidence are drawn in separate panels with their own
headings, never as one.

The figures are built in :mod:`~dashboard.charts.efficacy_forest` and
:mod:`~dashboard.charts.efficacy_arms`, their words in
:mod:`~dashboard.charts.efficacy_labels`; this module gathers them under one
name. Every figure puts its row labels, with the row's numbers, above the
row at the chart's left edge, so it reads on a 390 px phone and on a 3840 px
projector alike.
"""

from __future__ import annotations

from dashboard.charts.efficacy_arms import absolute_chart, arm_rows, arms_chart
from dashboard.charts.efficacy_forest import (
    BASE_ORDER,
    BASE_TITLES,
    MARK_KEY,
    favours_labels,
    forest_chart,
    row_texts,
)
from dashboard.charts.efficacy_labels import (
    effect_text,
    measure_title,
    row_label,
    row_labels,
    short_outcome,
)

__all__ = [
    "BASE_ORDER",
    "BASE_TITLES",
    "MARK_KEY",
    "absolute_chart",
    "arm_rows",
    "arms_chart",
    "effect_text",
    "favours_labels",
    "forest_chart",
    "measure_title",
    "row_label",
    "row_labels",
    "row_texts",
    "short_outcome",
]
