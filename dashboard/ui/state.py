"""Session-state helpers: the only module that writes widget values directly."""

from __future__ import annotations

from typing import Any

import streamlit as st


def initial(key: str, name: str, value: Any) -> dict[str, Any]:
    """Keyword ``{name: value}`` for a widget, unless its key already has a value.

    Streamlit warns when a widget gets a default *and* its key was set through
    session state (as the step buttons do); passing the default only on first
    render avoids that while keeping URL binding and callbacks working.
    """
    return {} if key in st.session_state else {name: value}


def set_values(**values: Any) -> None:
    """Set several widget values at once (use from callbacks, before widgets draw)."""
    for key, value in values.items():
        st.session_state[key] = value


def forget(key: str) -> None:
    """Drop a widget's value, so the next run draws it from its default."""
    st.session_state.pop(key, None)
