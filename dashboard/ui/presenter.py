"""Presenter mode: one switch (``?present=true``) that makes any page projector-ready.

Larger type everywhere (the root font size scales every rem-based size in
Streamlit), bolder charts (:func:`dashboard.charts.theme.for_presenter`), the
sidebar collapsed on load (``app.py``), and teacher notes in the sidebar. This is
the only module that injects CSS; the CSS is a constant, never user input.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from dashboard.core.content import ContentDoc
from dashboard.core.tables import self_link
from dashboard.ui import keys, markdown

PRIVATE_PARAMS = frozenset({keys.POLL_TEACHER})
PRESENTER_CSS = """<style>
html { font-size: 22px; }
[data-testid="stMain"] .block-container { max-width: 100%; padding-left: 3rem;
  padding-right: 3rem; }
</style>"""


def is_on() -> bool:
    """Whether presenter mode is on for this session (kept across pages)."""
    return bool(st.session_state.get(keys.PRESENTER_ON, False))


def _remember_switch() -> None:
    st.session_state[keys.PRESENTER_ON] = st.session_state[keys.PRESENTER_SWITCH]


def controls(notes: list[ContentDoc]) -> bool:
    """Sidebar switch, link to this view, and teacher notes when presenting.

    ``?present=true`` in a link turns presenter mode on; the choice then stays
    for the session on every page and is written back into the address, so a
    copied link keeps it.
    """
    wanted = st.query_params.get(keys.PRESENT)
    if wanted in ("true", "false"):
        st.session_state[keys.PRESENTER_ON] = wanted == "true"
    with st.sidebar:
        on = st.toggle(
            "Presenter mode",
            value=is_on(),
            key=keys.PRESENTER_SWITCH,
            on_change=_remember_switch,
            help="Larger type and bolder charts for a projector; shows teacher notes.",
        )
        st.session_state[keys.PRESENTER_ON] = on
        if on:
            st.query_params[keys.PRESENT] = "true"
        elif keys.PRESENT in st.query_params:
            del st.query_params[keys.PRESENT]
        # A Markdown link, not st.code: a code block makes every student's
        # browser fetch a 0.5 MB syntax highlighter (make page-load).
        st.caption("Link to this view (right-click it to copy):")
        # Filled at the end of the page's run and of every section-only rerun
        # (refresh_link), so that it shows the controls as they are now.
        st.session_state[keys.LINK_SLOT] = st.empty()
        if on and notes:
            for note in notes:
                with st.expander(f"Teacher notes: {note.title}", expanded=True):
                    markdown.body(note)
    if on:
        st.html(PRESENTER_CSS)
    return on


def forget_link_slot() -> None:
    """Start of a full run: the last run's link slot belongs to the last page."""
    st.session_state.pop(keys.LINK_SLOT, None)


def refresh_link() -> None:
    """Write the current "Link to this view" into its sidebar place, if any.

    Called at the end of every full run (``app.py``) and of every section-only
    rerun (:func:`dashboard.ui.fragments.section`): a bound control changes the
    address during the run, so a link drawn before the sections ran would be
    one step behind, and a fragment rerun does not redraw the sidebar.
    """
    slot = st.session_state.get(keys.LINK_SLOT)
    if slot is not None:
        slot.markdown(self_link(current_link()))


def page_address() -> str:
    """The current page's address without its query string (empty if unserved)."""
    return str(st.context.url or "").split("?")[0]


def current_link() -> str:
    """The page's address with every bound control's value, as a shareable link.

    A class check's private teacher token is left out: this link is on screen.
    """
    base = page_address()
    shared = {
        k: v for k, v in st.query_params.to_dict().items() if k not in PRIVATE_PARAMS
    }
    query = urlencode(shared, doseq=True)
    return f"{base}?{query}" if query else base
