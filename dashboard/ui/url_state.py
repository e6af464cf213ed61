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
from dashboard.ui import keys

_LABELS: dict[str, Callable[[Any], Any]] = {}
#: Parameters read by code rather than by a bound control, with their values.
_FLAGS: dict[str, tuple[str, ...]] = {keys.PRESENT: ("true", "false")}
#: Parameters whose page checks them itself, with its own message.
_CHECKED_BY_PAGE = frozenset({keys.POLL_JOIN, keys.POLL_CODE, keys.POLL_TEACHER})


def label(key: str, function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Remember how the control ``key`` labels its options; return the function."""
    _LABELS[key] = function
    return function


def snapshot() -> dict[str, str]:
    """The query parameters as the link opened them.

    Empty values (a link cut off after ``=`` by a chat app) are taken out of the
    address, and :func:`report` names them with the other values it could not
    use. Streamlit 1.67 still hands a bound control its empty value (``None``
    for a required ``segmented_control``), so each such control falls back to
    its default in code (``... or <default>``).
    """
    before = dict(st.query_params.to_dict())
    for key, value in before.items():
        if value == "" and key not in _CHECKED_BY_PAGE:
            del st.query_params[key]
    return before


def report(before: dict[str, str]) -> None:
    """Show a notice naming every value in the link that was not used."""
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
