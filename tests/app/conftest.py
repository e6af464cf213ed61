"""AppTest helpers: open the entrypoint, optionally on a given page.

Caches: every AppTest run in one process shares Streamlit's caches, as the
sessions of one server do, so the datasets, content and figures are loaded
once per process (per xdist worker) instead of once per test. A test that
points the app at other files (``monkeypatch.setattr(cached, "DATA_DIR", ...)``
or ``CONTENT_DIR``), or replaces a cached loader, requests :func:`fresh_caches`:
its caches are emptied before and after it, so it reads its own files and
leaves nothing behind. A test that patches the folders without it fails (see
:func:`pytest_runtest_call`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.core import paths
from dashboard.core.paths import APP_PATH
from dashboard.ui import cached


def _clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Empty caches before and after the test (it patches the data or content)."""
    _clear_caches()
    yield
    _clear_caches()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail a test that read other folders through the shared caches."""
    result = yield
    patched = [
        name
        for name in ("CONTENT_DIR", "DATA_DIR")
        if getattr(cached, name) != getattr(paths, name)
    ]
    if patched and "fresh_caches" not in getattr(item, "fixturenames", ()):
        pytest.fail(
            f"{item.nodeid} points dashboard.ui.cached.{'/'.join(patched)} at "
            "another folder without requesting the fresh_caches fixture: it would "
            "read (and leave) the shared caches of the real content",
            pytrace=False,
        )
    return result


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
