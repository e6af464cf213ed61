"""Fixtures for the nginx deployment: a 2-process cluster behind Debian's nginx.

Without nginx the tests skip with a reason, except when the environment variable
``CI`` is set: there a missing nginx fails, so it can never pass green.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message

import pytest

from deploy.serve import COOKIE, Cluster, nginx_path

# Debian's chromium for the two browser tests (skips, or fails under CI, without it).
from tests.browser.conftest import browser_type_launch_args  # noqa: F401
from tests.conftest import missing_tool


def nginx_or_skip() -> str:
    path = nginx_path()
    if path is None:
        missing_tool(
            "nginx is not installed (apt-get install -y nginx)",
            "test the nginx deployment",
        )
    return path


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """Two supervised dashboard processes behind nginx, for one test module."""
    nginx_or_skip()
    with Cluster(2) as running, running.supervising():
        yield running


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Message
    body: bytes

    @property
    def upstream(self) -> str:
        """The backend nginx used (``X-Upstream``; the last one tried)."""
        return (self.headers.get("X-Upstream") or "").split(",")[-1].strip()

    @property
    def route_cookie(self) -> str | None:
        """The value of the sticky cookie this reply sets, if any."""
        for header in self.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name == COOKIE:
                return rest.split(";")[0]
        return None


def fetch(
    cluster: Cluster,
    path: str,
    *,
    route: str | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """GET ``path`` through nginx, with the sticky cookie set to ``route``."""
    sent = dict(headers or {})
    if route is not None:
        sent["Cookie"] = f"{COOKIE}={route}"
    connection = http.client.HTTPConnection("127.0.0.1", cluster.port, timeout=10)
    try:
        connection.request("GET", path, headers=sent)
        response = connection.getresponse()
        return Reply(response.status, response.msg, response.read())
    finally:
        connection.close()


def wait_until(
    condition: Callable[[], object], *, timeout: float = 30.0, what: str
) -> None:
    """Poll ``condition`` every 0.1 s until it is true; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)
