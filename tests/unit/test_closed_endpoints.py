"""Uploads refused for every session, metrics only to this machine (one process)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import re

import pytest
from streamlit import config as streamlit_config
from streamlit.web.server.starlette.starlette_path_security_middleware import (
    PathSecurityMiddleware,
)

from dashboard import patches
from dashboard.core.paths import REPO_ROOT
from dashboard.patches import closed_endpoints
from dashboard.patches.closed_endpoints import METRICS_REFUSED, UPLOADS_REFUSED, refusal

LOOPBACK = ("127.0.0.1", 50000)
REMOTE = ("192.0.2.7", 50000)


@pytest.mark.parametrize(
    "path",
    [
        "/_stcore/upload_file/0e3c/f1d2",
        "/_stcore/upload_file/any-session/any-file",
        "/_stcore/upload_file",
        "/_stcore/upload_file/",
    ],
)
@pytest.mark.parametrize("client", [LOOPBACK, REMOTE, None])
def test_every_upload_is_refused_from_anywhere(path, client) -> None:
    assert refusal(path, client) == UPLOADS_REFUSED


@pytest.mark.parametrize(
    "client",
    [REMOTE, ("10.0.0.3", 1), ("::ffff:192.0.2.7", 1), ("fd00::2", 1), None],
)
def test_metrics_are_refused_to_other_machines(client) -> None:
    assert refusal("/_stcore/metrics", client) == METRICS_REFUSED


@pytest.mark.parametrize(
    "client",
    [LOOPBACK, ("127.0.0.9", 1), ("::1", 1), ("::ffff:127.0.0.1", 1), ["::1", 2]],
)
def test_metrics_are_served_to_this_machine(client) -> None:
    assert refusal("/_stcore/metrics", client) is None


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/class-check",
        "/_stcore/health",
        "/_stcore/host-config",
        "/_stcore/stream",
        "/media/abc.png",
        "/_stcore/upload_filex",
        "/_stcore/metricsx",
    ],
)
def test_other_paths_pass(path) -> None:
    assert refusal(path, REMOTE) is None


def test_routes_follow_the_base_url_path(monkeypatch) -> None:
    real = streamlit_config.get_option
    monkeypatch.setattr(
        streamlit_config,
        "get_option",
        lambda key: "lecture" if key == "server.baseUrlPath" else real(key),
    )
    assert refusal("/lecture/_stcore/upload_file/a/b", LOOPBACK) == UPLOADS_REFUSED
    assert refusal("/lecture/_stcore/metrics", REMOTE) == METRICS_REFUSED
    assert refusal("/_stcore/upload_file/a/b", LOOPBACK) is None


class _Inner:
    """The app behind the middleware: records what reached it."""

    def __init__(self) -> None:
        self.scopes: list[dict] = []

    async def __call__(self, scope, receive, send) -> None:
        self.scopes.append(scope)
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"inner"})


def _run(coroutine) -> None:
    """Run ``coroutine`` on a loop of its own (a test may have one running here)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def _request(middleware, scope: dict) -> tuple[int, bytes, bool]:
    """Send ``scope`` through ``middleware``; (status, body, was the body read)."""
    sent: list[dict] = []
    read = False

    async def receive() -> dict:
        nonlocal read
        read = True
        return {"type": "http.request", "body": b"x" * 1024, "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    _run(middleware(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(
        m.get("body", b"") for m in sent if m["type"] == "http.response.body"
    )
    return status, body, read


@pytest.fixture
def guarded(monkeypatch) -> tuple[PathSecurityMiddleware, _Inner]:
    """Streamlit's middleware, patched, around a recording app (restored after)."""
    monkeypatch.setattr(
        PathSecurityMiddleware, "__call__", closed_endpoints.STREAMLIT_MIDDLEWARE_CALL
    )
    inner = _Inner()
    middleware = PathSecurityMiddleware(inner)  # built before the patch, as live
    assert closed_endpoints.refuse_uploads() is True
    assert closed_endpoints.refuse_uploads() is True  # idempotent
    return middleware, inner


def _http(path: str, method: str = "GET", client=REMOTE) -> dict:
    return {"type": "http", "method": method, "path": path, "client": client}


@pytest.mark.parametrize("method", ["PUT", "DELETE", "OPTIONS"])
def test_an_upload_is_refused_before_its_body_is_read(guarded, method) -> None:
    middleware, inner = guarded
    status, body, read = _request(
        middleware, _http("/_stcore/upload_file/s/f", method, client=LOOPBACK)
    )
    assert (status, body.decode()) == (403, UPLOADS_REFUSED)
    assert not read
    assert inner.scopes == []


def test_metrics_reach_streamlit_only_from_this_machine(guarded) -> None:
    middleware, inner = guarded
    assert _request(middleware, _http("/_stcore/metrics"))[:2] == (
        403,
        METRICS_REFUSED.encode(),
    )
    assert _request(middleware, _http("/_stcore/metrics", client=LOOPBACK))[:2] == (
        200,
        b"inner",
    )
    assert [scope["path"] for scope in inner.scopes] == ["/_stcore/metrics"]


def test_pages_and_websockets_pass_unchanged(guarded) -> None:
    middleware, inner = guarded
    assert _request(middleware, _http("/class-check"))[:2] == (200, b"inner")
    websocket = {"type": "websocket", "path": "/_stcore/upload_file/s/f"}
    _run(middleware(websocket, None, None))  # not HTTP: passed through
    assert inner.scopes[-1] is websocket


def test_the_dashboard_has_no_uploader_so_refusing_every_upload_is_safe() -> None:
    """If this fails, remove the closed_endpoints patch from dashboard.patches."""
    uploaders = [
        f"{path.relative_to(REPO_ROOT)}:{number}"
        for path in (REPO_ROOT / "dashboard").rglob("*.py")
        if path.name != "closed_endpoints.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"file_uploader|chat_input\(|accept_file", line)
    ]
    assert uploaders == []


def test_the_dashboard_switches_it_on() -> None:
    assert any(p.enable is closed_endpoints.refuse_uploads for p in patches.PATCHES)
    app = (REPO_ROOT / "dashboard" / "app.py").read_text()
    assert "\npatches.apply()\n" in app
