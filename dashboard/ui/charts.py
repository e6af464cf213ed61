"""Render Plotly figures the same way everywhere: our theme, alt text, image export.

In presenter mode every figure is drawn bolder (:func:`theme.for_presenter`).
Every chart's toolbar has Plotly's camera button, which downloads the chart as
SVG (for slides and print) or PNG (for documents), as chosen in the sidebar.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from dashboard.charts import theme
from dashboard.ui import keys

FORMATS = ("SVG", "PNG")


def _remember_format() -> None:
    st.session_state[keys.CHART_FORMAT] = st.session_state[keys.CHART_FORMAT_CHOICE]


def format_control() -> None:
    """Sidebar choice of the format the chart toolbars download (kept across pages)."""
    current = st.session_state.get(keys.CHART_FORMAT, FORMATS[0])
    st.sidebar.radio(
        "Charts download as",
        FORMATS,
        index=FORMATS.index(current) if current in FORMATS else 0,
        horizontal=True,
        key=keys.CHART_FORMAT_CHOICE,
        on_change=_remember_format,
        help="The camera button in each chart's toolbar saves the chart in this "
        "format: SVG stays sharp at any size, PNG pastes anywhere.",
    )


def chart_config(key: str) -> dict[str, Any]:
    """Plotly config: no logo; the camera button saves ``key`` in the chosen format."""
    chosen = st.session_state.get(keys.CHART_FORMAT) or FORMATS[0]
    return {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": chosen.lower(),
            "scale": 2,
            "filename": f"tacrolimus-{key.replace('_', '-')}",
        },
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
        config=chart_config(key),
        alt=alt,
        key=key,
        **options,
    )
