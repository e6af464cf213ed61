"""Render Plotly figures the same way everywhere: our theme, alt text, SVG export.

In presenter mode every figure is drawn bolder (:func:`theme.for_presenter`).
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from dashboard.charts import theme
from dashboard.ui import keys

CHART_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "svg", "scale": 2},
}


def chart(fig: go.Figure, *, alt: str, key: str, selectable: bool = False) -> Any:
    """Show ``fig`` full width with alt text; return the selection when selectable.

    ``theme=None`` keeps our own high-contrast template instead of Streamlit's
    light-grey styling.
    """
    if st.session_state.get(keys.PRESENTER_ON, False):
        fig = theme.for_presenter(fig)
    options: dict[str, Any] = {}
    if selectable:
        options = {"on_select": "rerun", "selection_mode": "points"}
    return st.plotly_chart(
        fig,
        width="stretch",
        theme=None,
        config=CHART_CONFIG,
        alt=alt,
        key=key,
        **options,
    )
