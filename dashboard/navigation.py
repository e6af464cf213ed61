"""Turns the page registry (:mod:`dashboard.core.site`) into Streamlit navigation.

The sidebar lists the pages as one flat list, in teaching order. Streamlit
draws navigation *sections* as ``<div>`` groups directly inside its ``<ul>``
(checked with Streamlit 1.67), which breaks the list for screen readers
(axe rules ``list`` and ``listitem``); the section headings are shown on the
Home page map instead, as real headings.

The pages are built once per process and copied for each run: ``st.Page``
resolves its file's real path (a system call per path component) and checks
the file exists, which under a lecture hall's load left script threads waiting
for Python's global lock (10 % of the server's samples in ``py-spy``, ``make
load-bench``). A shallow copy per run keeps each run's own flags (Streamlit
marks the page it is about to run as callable), so sessions never share them.
"""

from __future__ import annotations

import copy
import threading

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard.core.paths import PACKAGE_DIR
from dashboard.core.site import DEFAULT_SLUG, PAGES

_TEMPLATES: dict[object, tuple[st.Page, ...]] = {}
_LOCK = threading.Lock()


def build_pages() -> list[st.Page]:
    """File-based pages in registry order; Home is the default (fresh copies)."""
    ctx = get_script_run_ctx()
    if ctx is None:  # outside a script run st.Page cannot resolve its file
        return _new_pages()
    where = ctx.pages_manager.main_script_parent
    templates = _TEMPLATES.get(where)
    if templates is None:
        with _LOCK:
            templates = _TEMPLATES.setdefault(where, tuple(_new_pages()))
    return [copy.copy(page) for page in templates]


def _new_pages() -> list[st.Page]:
    return [
        st.Page(
            str(PACKAGE_DIR / spec.view_path),
            title=spec.title,
            icon=spec.icon,
            url_path=spec.slug,
            default=spec.slug == DEFAULT_SLUG,
        )
        for spec in PAGES
    ]
