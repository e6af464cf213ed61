"""Serialise a shared figure to JSON once, not on every run that draws it.

Why: ``st.plotly_chart`` turns its figure into a dict (``to_dict``) and then into
JSON (``plotly.io.to_json(figure, validate=False)``) on every run. The
dashboard's figures are built once and shared, frozen, by every session
(:class:`dashboard.ui.cached.SharedFigure` hands out the same dict each time),
so the JSON is the same each time too. Measured with ``py-spy`` on a server
answering section-only reruns: Plotly's JSON encoder took 6-8 % of the
efficacy and monitoring sections' CPU (about 0.4-2 ms per chart, by size).

The fix: :func:`remember` registers a frozen figure's dict, and the patched
``plotly.io.to_json`` returns the JSON it made the first time for a
registered dict (same object, same arguments); any other call goes to Plotly
unchanged. Registered dicts are held, so an id cannot be reused while it is
in the table; the oldest are dropped past :data:`LIMIT`. Streamlit looks
``plotly.io.to_json`` up on every call, so replacing the module attribute is
enough (listed in :mod:`dashboard.patches.contract`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import plotly.io

#: What :func:`enable` changes (logged by :func:`dashboard.patches.apply`).
CHANGES = "plotly.io.to_json returns the JSON of a shared, frozen figure made once"
#: How many frozen figures' JSON is kept (the shared caches hold at most 768).
LIMIT = 1024
#: Plotly's own function, as imported (before :func:`enable` replaced it).
PLOTLY_TO_JSON = plotly.io.to_json

_FROZEN: OrderedDict[int, list[Any]] = OrderedDict()  # id -> [dict, json or None]
_LOCK = threading.Lock()


def remember(frozen: dict) -> None:
    """Register the dict of a figure that will never change again."""
    with _LOCK:
        _FROZEN[id(frozen)] = [frozen, None]
        while len(_FROZEN) > LIMIT:
            _FROZEN.popitem(last=False)


def to_json(fig: Any, *args: Any, **kwargs: Any) -> str:
    """``plotly.io.to_json``, made once for a registered dict (validate=False)."""
    if args or kwargs != {"validate": False}:
        return PLOTLY_TO_JSON(fig, *args, **kwargs)
    with _LOCK:
        entry = _FROZEN.get(id(fig))
        if entry is None or entry[0] is not fig:
            entry = None
        elif entry[1] is not None:
            _FROZEN.move_to_end(id(fig))
            return entry[1]
    text = PLOTLY_TO_JSON(fig, validate=False)
    if entry is not None:
        with _LOCK:
            entry[1] = text
    return text


def enable() -> bool:
    """Replace ``plotly.io.to_json`` (idempotent); True when in effect."""
    plotly.io.to_json = to_json
    return True
