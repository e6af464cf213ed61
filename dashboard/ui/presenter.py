"""Presenter mode: one switch (``?present=true``) that makes any page projector-ready.

Larger type everywhere (the root font size scales every rem-based size in
Streamlit), bolder charts (:func:`dashboard.charts.theme.for_presenter`), the
sidebar collapsed on load (``app.py``). Teacher notes are never on a projected
page: they are in the Presenter view (``views/presenter_view.py``). This is
the only module that injects CSS (:data:`STYLESHEET`, a constant for the whole
site, never user input).
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from dashboard.core.tables import self_link
from dashboard.ui import keys

PRIVATE_PARAMS = frozenset({keys.POLL_TEACHER})
#: The page that holds the teacher notes, apart from the projected pages.
NOTES_PAGE = "presenter-view"
#: The one stylesheet of the site: a constant, never user input. It is sent on
#: every page; the presenter-mode rules apply only while the page holds the
#: presenter marker (:data:`PRESENTER_MARK`), so one literal serves both modes.
STYLESHEET = """<style>
/* Two layouts of one thing: the browser shows the one that fits
   (dashboard/ui/responsive.py; 640 px is where Streamlit stacks columns). */
@media (max-width: 640px) {
  [class*="st-key-wide-only-"] { display: none !important; }
  /* Plotly's mode bar would sit over titles on a phone; downloads stay on laptops. */
  .modebar-container { display: none !important; }
}
@media (min-width: 641px) {
  [class*="st-key-narrow-only-"] { display: none !important; }
}
/* A wide Markdown table scrolls inside its own frame, never the page. */
[data-testid="stMarkdownContainer"] table { display: block; max-width: 100%;
  overflow-x: auto; }
/* Only a link (a long address) may break anywhere: words in text and in
   table cells keep whole, and a wide table scrolls instead. */
[data-testid="stMarkdownContainer"] a { overflow-wrap: anywhere; }
/* Touch targets: at least 24 x 24 CSS px (WCAG 2.2 SC 2.5.8). */
[data-testid="stTooltipHoverTarget"] button { min-width: 24px;
  min-height: 24px; display: inline-flex; align-items: center;
  justify-content: center; }
[data-testid="stSidebarNavLink"] { min-height: 32px; }
[data-testid="stRadioOption"] { min-height: 24px; align-items: center; }
/* Answer options (quiz, class check): at least 44 px tall and full width. */
[class*="st-key-answers-"] [data-testid="stRadioOption"] { min-height: 44px;
  width: 100%; align-items: center; margin: 0; }
[class*="st-key-answers-"] button { min-height: 44px; }
/* Presenter mode: type read from the back of a hall, the full projector width. */
.st-key-presenter-mode { display: none; }
html:has(.st-key-presenter-mode) { font-size: 22px; }
html:has(.st-key-presenter-mode) [data-testid="stMain"] .block-container {
  max-width: 100%; padding-left: 3rem; padding-right: 3rem; }
</style>"""
#: Key of the hidden container that switches the presenter rules on.
PRESENTER_MARK = "presenter-mode"


def is_on() -> bool:
    """Whether presenter mode is on for this session (kept across pages)."""
    return bool(st.session_state.get(keys.PRESENTER_ON, False))


def _remember_switch() -> None:
    st.session_state[keys.PRESENTER_ON] = st.session_state[keys.PRESENTER_SWITCH]


def controls(slug: str) -> bool:
    """Sidebar switch, the link to this view, and the way to the presenter view.

    ``?present=true`` in a link turns presenter mode on; the choice then stays
    for the session on every page and is written back into the address, so a
    copied link keeps it. Teacher notes are never drawn here: the sidebar of a
    projected page is seen by the room, so they live in the Presenter view.
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
            help="Larger type and bolder charts for a projector.",
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
        if on and slug != NOTES_PAGE:
            st.caption(
                "Teacher notes and prepared links: open the "
                f"[presenter view](/{NOTES_PAGE}?pv_page={slug}) on your own screen."
            )
    st.html(STYLESHEET)
    if on:
        # An empty container is not drawn: the mark holds one invisible line.
        st.container(key=PRESENTER_MARK).caption(PRESENTER_MARK)
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
    # Every value of a repeated key (a bound multiselect), not only the last.
    shared = {
        k: st.query_params.get_all(k)
        for k in st.query_params
        if k not in PRIVATE_PARAMS
    }
    query = urlencode(shared, doseq=True)
    return f"{base}?{query}" if query else base
