"""Tell the student when part of a shared link could not be used.

Views register the label function of every URL-bound option control with
:func:`label` (it returns the function, so it wraps ``format_func``); the
entrypoint takes a :func:`snapshot` before routing and calls :func:`report`
after the page ran.

Every value in a link is untrusted. The notice repeats a rejected value only
as inline code, cut short (:func:`dashboard.core.urls.shown`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard.core.urls import rejected, shown
from dashboard.ui import keys, state

_LABELS: dict[str, Callable[[Any], Any]] = {}
#: Parameters read by code rather than by a bound control, with their values.
_FLAGS: dict[str, tuple[str, ...]] = {keys.PRESENT: ("true", "false")}
#: Parameters whose page checks them itself, with its own message.
_CHECKED_BY_PAGE = frozenset(
    {keys.POLL_JOIN, keys.POLL_CODE, keys.POLL_TEACHER, keys.POLL_SESSION, keys.VP_AT}
)


def label(key: str, function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Remember how the control ``key`` labels its options; return the function."""
    _LABELS[key] = function
    return function


def snapshot() -> dict[str, str]:
    """The query parameters as the link opened them.

    Empty values (a link cut off after ``=`` by a chat app) are taken out of the
    address, and :func:`report` names them with the other values it could not
    use. Streamlit 1.67 still hands a bound control its empty value (``None``
    for a required ``segmented_control``, with no option highlighted), so such
    a control resets itself with :func:`required` and one rerun; the link as
    first opened is kept for that rerun, so the notice still names it.
    """
    kept = st.session_state.get(keys.LINK_OPENED)
    if kept is not None:
        return dict(kept)
    before = dict(st.query_params.to_dict())
    empty = [k for k, v in before.items() if v == "" and k not in _CHECKED_BY_PAGE]
    for key in empty:
        del st.query_params[key]
    if empty:
        st.session_state[keys.LINK_OPENED] = before
    return before


def required(value: Any, key: str, default: Any) -> Any:
    """The value of the required option control ``key``, never ``None``.

    After an empty link value the control has no option selected. The first
    time, its value is dropped and the page reruns, so the control is drawn
    with ``default`` selected; should it still be empty, ``default`` is
    returned, so the page works either way.
    """
    if value is not None:
        return value
    reset: set[str] = st.session_state.setdefault(keys.LINK_RESET, set())
    if key not in reset:
        reset.add(key)
        state.forget(key)
        st.rerun()
    return default


def report(before: dict[str, str]) -> None:
    """Show a notice naming every value in the link that was not used."""
    st.session_state.pop(keys.LINK_OPENED, None)
    current = {key: st.session_state[key] for key in before if key in st.session_state}
    problems = rejected(before, st.query_params.to_dict(), current, _LABELS)
    problems += [
        f"{key}={before[key]}"
        for key, allowed in _FLAGS.items()
        if key in before and before[key] not in allowed
    ]
    if problems:
        st.toast(
            "Part of this link could not be used, so defaults are shown instead: "
            + ", ".join(shown(problem) for problem in problems),
            icon=":material/link_off:",
        )
