"""Render Plotly figures the same way everywhere: our theme, alt text, SVG export."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

CHART_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "svg", "scale": 2},
}


def chart(fig: go.Figure, *, alt: str, key: str) -> None:
    """Show ``fig`` full width with alt text.

    ``theme=None`` keeps our own high-contrast template
    (:mod:`dashboard.charts.theme`) instead of Streamlit's light-grey styling.
    """
    st.plotly_chart(
        fig, width="stretch", theme=None, config=CHART_CONFIG, alt=alt, key=key
    )
