"""Turns the page registry (:mod:`dashboard.core.site`) into Streamlit navigation."""

from __future__ import annotations

import streamlit as st

from dashboard.core.paths import PACKAGE_DIR
from dashboard.core.site import DEFAULT_SLUG, PAGES


def build_pages() -> dict[str, list[st.Page]]:
    """Group file-based pages by section, in registry order; Home is the default."""
    sections: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        page = st.Page(
            str(PACKAGE_DIR / spec.view_path),
            title=spec.title,
            icon=spec.icon,
            url_path=spec.slug,
            default=spec.slug == DEFAULT_SLUG,
        )
        sections.setdefault(spec.section, []).append(page)
    return sections
