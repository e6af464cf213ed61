"""One chart value: the figure, its alt text and the data it draws, together.

Every figure builder of the dashboard returns a :class:`Chart`; one function,
:func:`dashboard.ui.charts.show`, draws it with its alt text, its data table and
its download name. A chart without alt text or without data cannot be made
(WCAG 1.1.1: the numbers are there for a screen reader, for a student who cannot
tell the colours apart, and for anyone who wants to copy them).
"""

from __future__ import annotations

import dataclasses
import functools
import re

import pandas as pd
import plotly.graph_objects as go


@dataclasses.dataclass(frozen=True, eq=False)
class Chart:
    """A Plotly figure with its alt text and the table of what it draws.

    Parameters
    ----------
    figure
        The figure. Charts from the shared caches are shared by every session:
        nobody may change the figure after it is built.
    alt
        Alt text: what the chart shows, in one or a few sentences.
    table
        The data behind the chart, one row per drawn point or bar, with
        human-readable column names (shown below the chart and downloadable).

    Raises
    ------
    ValueError
        If ``alt`` is blank or ``table`` has no rows.
    """

    figure: go.Figure
    alt: str
    table: pd.DataFrame

    def __post_init__(self) -> None:
        if not isinstance(self.alt, str) or not self.alt.strip():
            raise ValueError(f"chart {self.title!r} needs alt text")
        if not isinstance(self.table, pd.DataFrame) or self.table.empty:
            raise ValueError(f"chart {self.title!r} needs its data as a table")

    @functools.cached_property
    def title(self) -> str:
        """The figure's title as plain text (markup and line breaks removed)."""
        text = re.sub(r"<[^>]+>", " ", self.figure.layout.title.text or "")
        return " ".join(text.split())

    @functools.cached_property
    def table_label(self) -> str:
        """The label of the expander holding the table, naming the chart."""
        title = self.title
        return f"Data behind this chart: {title}" if title else "Data behind this chart"
