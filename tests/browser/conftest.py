"""Real-browser fixtures: a live `python -m streamlit run` server and Debian's chromium.

Without chromium the tests skip with a reason, except when the environment
variable ``CI`` is set: there a missing browser fails, so it can never pass green.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard.serving.browser import CHROMIUM_ARGS, chromium_path
from dashboard.serving.streamlit_server import running_server
from tests.conftest import missing_tool

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
FULL_RUN = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
FRAGMENT_RUN = ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
#: The run that only calls a widget's callback, which asks for the fragment run.
CALLBACK_ONLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


@dataclass
class Runs:
    """How each script run the server reported ended (``script_finished``)."""

    finished: list[int] = field(default_factory=list)

    def frame(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        message = ForwardMsg()
        message.ParseFromString(payload)
        if message.WhichOneof("type") == "script_finished":
            self.finished.append(message.script_finished)

    def since(self, start: int) -> list[int]:
        """The runs from ``start`` on, without those that only ran a callback."""
        return [s for s in self.finished[start:] if s != CALLBACK_ONLY]


def watch_runs(page: Page) -> Runs:
    """Record how every script run of ``page``'s session ends, from its websocket."""
    runs = Runs()
    page.on("websocket", lambda ws: ws.on("framereceived", runs.frame))
    return runs


# A 2-core CI machine can be slow to draw Plotly charts: allow up to 20 s for a
# condition to hold (expect polls; nothing here sleeps).
expect.set_options(timeout=20_000)


def _chromium_or_skip() -> str:
    path = chromium_path()
    if path is None:
        missing_tool(
            "Debian's chromium is not on PATH (apt-get install -y chromium)",
            "run the browser tests",
        )
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's chromium (browser downloads are impossible here)."""
    return {
        **browser_type_launch_args,
        "executable_path": _chromium_or_skip(),
        "args": list(CHROMIUM_ARGS),
    }


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """One dashboard server for the whole browser session."""
    _chromium_or_skip()
    with running_server() as url:
        yield url


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector(IDLE, timeout=30_000)


def open_path(page: Page, server_url: str, path: str = "") -> Page:
    """Open ``path`` (e.g. ``nephrotic-syndrome?x=1``) and wait for the first run."""
    page.goto(f"{server_url}/{path}")
    page.wait_for_selector("h1", timeout=30_000)
    wait_idle(page)
    return page


def open_sidebar(page: Page) -> None:
    """Expand the sidebar if it is collapsed (narrow windows, presenter mode)."""
    expand = page.get_by_test_id("stExpandSidebarButton")
    if expand.is_visible():
        expand.click()
