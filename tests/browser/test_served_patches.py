"""A server started by dashboard.serving runs with the Streamlit patches (production).

The test process itself opted out (``tests/conftest.py``); the launch helpers
drop that opt-out from the server's environment unless a caller passes it.
The patches are applied by the first script run, so each test opens a page.
"""

from __future__ import annotations

import os
import time

import pytest
from playwright.sync_api import Page

from dashboard.patches import OPT_OUT, PATCHES
from dashboard.serving.streamlit_server import Server, started_server
from tests.browser.conftest import open_path

pytestmark = pytest.mark.browser


def _output_after_first_run(page: Page, server: Server, expected: str) -> str:
    open_path(page, server.url)
    deadline = time.monotonic() + 10
    while expected not in (output := server.output()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return output


def test_a_started_server_applies_every_patch_once(page: Page) -> None:
    assert os.environ.get(OPT_OUT) == "off"  # this process is unpatched
    with started_server() as server:
        output = _output_after_first_run(page, server, "Streamlit patch heap:")
        open_path(page, server.url)  # a second session: nothing more is applied
        output = server.output()
    for patch in PATCHES:
        assert output.count(f"Streamlit patch {patch.name}: {patch.changes}") == 1
    assert "Streamlit patches skipped" not in output
    assert "internals differ" not in output


def test_a_caller_can_start_a_server_without_them(page: Page) -> None:
    with started_server(env={OPT_OUT: "off"}) as server:
        output = _output_after_first_run(page, server, "Streamlit patches skipped")
    assert f"Streamlit patches skipped: {OPT_OUT}=off" in output
    assert "Streamlit patch tcp:" not in output
