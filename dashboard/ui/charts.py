"""Render Plotly figures the same way everywhere: our theme, alt text, image export.

In presenter mode every figure is drawn bolder (:func:`theme.for_presenter`).
Every chart's toolbar has Plotly's camera button, which downloads the chart as
SVG (for slides and print) or PNG (for documents), as chosen in the sidebar.
Every chart has alt text and, in a closed expander below it, the data it draws
as a table (WCAG 1.1.1: the numbers are there for a screen reader, for a
student who cannot tell the colours apart, and for anyone who wants to copy).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from dashboard.charts import theme
from dashboard.charts.chart import Chart
from dashboard.ui import cached, keys, lazy, responsive

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


_BOLD_COPIES: OrderedDict[int, tuple[go.Figure, go.Figure]] = OrderedDict()
_BOLD_LOCK = threading.Lock()
_BOLD_LIMIT = 256


def presenter_copy(fig: go.Figure) -> go.Figure:
    """The bolder copy of ``fig`` for presenter mode, made once per figure.

    Figures from the shared caches (:mod:`dashboard.ui.cached`) are shared by every
    session, so their bold copies are remembered too (by identity, holding the
    original so that its id cannot be reused; the oldest 256 are dropped).
    """
    with _BOLD_LOCK:
        entry = _BOLD_COPIES.get(id(fig))
        if entry is not None and entry[0] is fig:
            _BOLD_COPIES.move_to_end(id(fig))
            return entry[1]
    bold = cached.freeze(theme.for_presenter(fig))
    with _BOLD_LOCK:
        _BOLD_COPIES[id(fig)] = (fig, bold)
        while len(_BOLD_COPIES) > _BOLD_LIMIT:
            _BOLD_COPIES.popitem(last=False)
    return bold


def show(chart: Chart, *, key: str, selectable: bool = False) -> Any:
    """Draw ``chart`` full width, with its alt text and its table below.

    ``key`` names the chart's widget and its downloads
    (``tacrolimus-<key>.svg``). Returns the selection when ``selectable``.
    ``theme=None`` keeps our own high-contrast template instead of Streamlit's
    light-grey styling. In presenter mode the figure is drawn bolder.
    """
    options: dict[str, Any] = {}
    if selectable:
        options = {"on_select": "rerun", "selection_mode": "points"}
    event = _plot(chart.figure, chart.alt, key, **options)
    _table(chart, key)
    return event


def show_both_forms(
    chart: Chart, narrow: go.Figure, *, key: str, narrow_key: str, place: str
) -> None:
    """Draw ``chart`` and its ``narrow`` (phone) form; CSS shows the one that fits.

    The two forms (:mod:`dashboard.ui.responsive`, containers named ``place``)
    share the alt text (only one is ever displayed) and one table under both,
    keyed ``<key>_data`` as :func:`show` keys it.
    """
    with responsive.wide_only(place):
        _plot(chart.figure, chart.alt, key)
    with responsive.narrow_only(place):
        _plot(narrow, chart.alt, narrow_key)
    _table(chart, key)


def _plot(fig: go.Figure, alt: str, key: str, **options: Any) -> Any:
    """One Plotly chart, full width, bolder in presenter mode."""
    if st.session_state.get(keys.PRESENTER_ON, False):
        fig = presenter_copy(fig)
    return st.plotly_chart(
        fig,
        width="stretch",
        theme=None,
        config=chart_config(key),
        alt=alt,
        key=key,
        **options,
    )


def _table(chart: Chart, key: str) -> None:
    """The chart's data in a closed panel, built only when opened."""
    box = lazy.expander(chart.table_label, key=f"{key}_data", icon=":material/table:")
    if box is not None:
        box.dataframe(cached.arrow_table(chart.table), hide_index=True, width="stretch")
