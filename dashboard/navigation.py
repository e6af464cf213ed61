"""Turns the page registry (:mod:`dashboard.core.site`) into Streamlit navigation.

The sidebar lists the pages as one flat list, in teaching order. Streamlit
draws navigation *sections* as ``<div>`` groups directly inside its ``<ul>``
(checked with Streamlit 1.67), which breaks the list for screen readers
(axe rules ``list`` and ``listitem``); the section headings are shown on the
Home page map instead, as real headings.
"""

from __future__ import annotations

import streamlit as st

from dashboard.core.paths import PACKAGE_DIR
from dashboard.core.site import DEFAULT_SLUG, PAGES


def build_pages() -> list[st.Page]:
    """File-based pages in registry order; Home is the default."""
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
