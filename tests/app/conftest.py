"""AppTest helpers: open the entrypoint, optionally on a given page."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.core.paths import APP_PATH


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with empty caches (some tests patch the data folder)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(view_path: str | None = None) -> AppTest:
    """Run the entrypoint, then switch to ``view_path`` (relative to dashboard/)."""
    at = AppTest.from_file(str(APP_PATH), default_timeout=30).run()
    if view_path is not None:
        at.switch_page(view_path).run()
    return at


def all_text(at: AppTest) -> str:
    """Every Markdown, caption, alert and title string currently shown."""
    parts = []
    for kind in (
        "title",
        "header",
        "markdown",
        "caption",
        "error",
        "warning",
        "info",
        "success",
    ):
        parts.extend(str(el.value) for el in getattr(at, kind))
    return "\n".join(parts)
