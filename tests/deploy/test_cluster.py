"""Dashboard processes behind Debian's nginx, as `python -m deploy.serve` runs them.

One module-wide cluster of two processes (``cluster`` fixture). Backends are
told apart by the ``X-Upstream`` header nginx adds (``$upstream_addr``), and in
nginx's access log by ``served=`` (the backend's name, which is also the value
of the sticky cookie). Tests that kill a process wait until it is back.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import websockets
import websockets.sync.client

from dashboard.core.paths import REPO_ROOT
from dashboard.serving.ports import free_port
from dashboard.serving.streamlit_server import is_healthy
from deploy.serve import (
    COOKIE,
    Cluster,
    ClusterError,
    render_config,
    running_cluster,
    worker_user,
)
from tests.browser.conftest import IDLE
from tests.deploy.conftest import Reply, fetch, nginx_or_skip, wait_until

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ROUTE = re.compile(r"b[0-9]+")


def _backend_addresses(cluster: Cluster) -> set[str]:
    return {backend.address for backend in cluster.backends}


def _named(cluster: Cluster, address: str) -> str:
    """The cookie value of the backend at ``address``."""
    return next(b.name for b in cluster.backends if b.address == address)


def _static_js(cluster: Cluster) -> str:
    """The path of the main JavaScript bundle named in index.html."""
    match = re.search(rb'src="\./(static/js/[^"]+\.js)"', fetch(cluster, "/").body)
    assert match, "index.html names no JavaScript bundle"
    return "/" + match.group(1).decode()


def _log_from(cluster: Cluster, offset: int) -> list[str]:
    """Access-log lines written after ``offset`` bytes."""
    with cluster.access_log.open() as log:
        log.seek(offset)
        return log.read().splitlines()


def _field(line: str, name: str) -> str:
    match = re.search(rf" {name}=(\S*)", line)
    assert match, line
    return match.group(1)


def _websocket_upstream(cluster: Cluster, route: str) -> str:
    """Open /_stcore/stream through nginx; return the backend that accepted it.

    The synchronous client: an event loop may already run in this thread
    (Playwright's sync API leaves one behind after the browser tests).
    """
    with websockets.sync.client.connect(
        f"ws://127.0.0.1:{cluster.port}/_stcore/stream",
        subprotocols=[websockets.Subprotocol("streamlit")],
        additional_headers={"Cookie": f"{COOKIE}={route}"},
        origin=websockets.Origin(cluster.url),
        open_timeout=10,
    ) as socket:
        assert socket.response.status_code == 101
        assert socket.subprotocol == "streamlit"
        # Frames cross the proxy both ways: a ping gets its pong.
        assert socket.ping().wait(timeout=10)
        return socket.response.headers["X-Upstream"]


# -- the config ---------------------------------------------------------------


def test_generated_config_passes_nginx_t(tmp_path: Path) -> None:
    nginx = nginx_or_skip()
    tmp_path.chmod(0o755)
    config = tmp_path / "nginx.conf"
    config.write_text(
        render_config(
            upstreams=["127.0.0.1:8501", "127.0.0.1:8502"],
            listen=f"127.0.0.1:{free_port()}",
            run_dir=tmp_path,
            access_log=str(tmp_path / "access.log"),
            error_log=str(tmp_path / "error.log"),
            user=worker_user(),
        )
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(config), "-e", "stderr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_render_refuses_an_empty_upstream_list(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one upstream"):
        render_config(
            upstreams=[],
            listen="8080",
            run_dir=tmp_path,
            access_log="off",
            error_log="stderr",
            user=None,
        )


def test_render_refuses_a_placeholder_it_cannot_fill(tmp_path: Path) -> None:
    template = tmp_path / "bad.template"
    template.write_text("listen {{LISTEN}};\nfoo {{UNKNOWN}};\n")
    with pytest.raises(ValueError, match="UNKNOWN"):
        render_config(
            upstreams=["127.0.0.1:1"],
            listen="8080",
            run_dir=tmp_path,
            access_log="off",
            error_log="stderr",
            user=None,
            template=template,
        )


def test_render_refuses_upstreams_that_share_a_port(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="its own port"):
        render_config(
            upstreams=["10.0.0.1:8501", "10.0.0.2:8501"],
            listen="8080",
            run_dir=tmp_path,
            access_log="off",
            error_log="stderr",
            user=None,
        )


# -- a running cluster ----------------------------------------------------------


def test_health_through_nginx_answers_ok(cluster: Cluster) -> None:
    reply = fetch(cluster, "/_stcore/health")
    assert (reply.status, reply.body.strip()) == (200, b"ok")
    assert reply.upstream in _backend_addresses(cluster)


def test_nginx_answers_healthz_itself(cluster: Cluster) -> None:
    reply = fetch(cluster, "/healthz")
    assert (reply.status, reply.body.strip()) == (200, b"ok")
    assert not reply.upstream
    assert reply.route_cookie is None


def test_first_response_sets_a_cookie_naming_the_backend_that_answered(
    cluster: Cluster,
) -> None:
    first = fetch(cluster, "/")
    assert first.status == 200
    assert b'id="root"' in first.body
    route = first.route_cookie
    assert route is not None
    assert ROUTE.fullmatch(route)
    assert route == _named(cluster, first.upstream)
    header = next(
        h for h in first.headers.get_all("Set-Cookie") if h.startswith(COOKIE)
    )
    assert {"Path=/", "HttpOnly", "SameSite=Lax"} <= {
        part.strip() for part in header.split(";")
    }
    # Once the browser has it, nginx does not set it again.
    assert fetch(cluster, "/", route=route).route_cookie is None


def test_every_request_of_a_session_reaches_the_backend_of_its_first(
    cluster: Cluster,
) -> None:
    js = _static_js(cluster)
    seen: set[str] = set()
    for _ in range(6):
        first = fetch(cluster, "/")
        route = first.route_cookie
        assert route is not None
        later = [
            fetch(cluster, path, route=route)
            for path in ("/", js, "/favicon.png", "/_stcore/health", "/_stcore/health")
        ]
        assert {reply.status for reply in later} == {200}
        assert {reply.upstream for reply in later} == {first.upstream}
        assert not any(reply.route_cookie for reply in later)
        assert _websocket_upstream(cluster, route) == first.upstream
        seen.add(first.upstream)
    # New browsers are spread over both processes (round-robin).
    assert seen == _backend_addresses(cluster)


def test_each_cookie_always_reaches_its_backend(cluster: Cluster) -> None:
    for backend in cluster.backends:
        replies = [
            fetch(cluster, "/_stcore/health", route=backend.name) for _ in range(10)
        ]
        assert {reply.upstream for reply in replies} == {backend.address}


@pytest.mark.parametrize("stale", ["b99", "0123456789abcdef", "b0:b0"])
def test_an_unknown_cookie_is_replaced_by_a_backend_name(
    cluster: Cluster, stale: str
) -> None:
    reply = fetch(cluster, "/", route=stale)
    assert reply.status == 200
    assert reply.route_cookie == _named(cluster, reply.upstream)


def test_javascript_is_gzipped_and_keeps_its_long_cache_header(
    cluster: Cluster,
) -> None:
    js = _static_js(cluster)
    gzipped = fetch(cluster, js, headers={"Accept-Encoding": "gzip"})
    plain = fetch(cluster, js)
    assert gzipped.status == plain.status == 200
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in (gzipped.headers.get("Vary") or "")
    assert len(gzipped.body) < len(plain.body) / 2
    assert plain.headers.get("Content-Encoding") is None
    cache = gzipped.headers["Cache-Control"]
    assert "immutable" in cache
    assert "max-age=31536000" in cache


def test_css_is_gzipped(cluster: Cluster) -> None:
    match = re.search(rb'href="\./(static/css/[^"]+\.css)"', fetch(cluster, "/").body)
    assert match
    reply = fetch(
        cluster, "/" + match.group(1).decode(), headers={"Accept-Encoding": "gzip"}
    )
    assert reply.headers["Content-Encoding"] == "gzip"


def test_websocket_upgrade_completes_through_nginx(cluster: Cluster) -> None:
    for backend in cluster.backends:
        assert _websocket_upstream(cluster, backend.name) == backend.address


# -- a real browser -------------------------------------------------------------


@contextlib.contextmanager
def _browser_page(
    browser: Browser, cluster: Cluster
) -> Iterator[tuple[BrowserContext, Page]]:
    """A fresh context with the app loaded through nginx and its first run done.

    Uses pytest-playwright's session browser (Debian's chromium): a second
    ``sync_playwright()`` cannot start while that one is alive.
    """
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(cluster.url)
        page.wait_for_selector("h1", timeout=30_000)
        page.wait_for_selector(IDLE, timeout=30_000)
        yield context, page
    finally:
        context.close()


def _route_of(context: BrowserContext) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == COOKIE), None)


def _wait_for_websocket_line(cluster: Cluster, offset: int, served: str) -> list[str]:
    """Wait for a websocket served by ``served`` in the log; return the lines.

    nginx logs a websocket when it closes (here: when the browser has closed).
    """

    def logged() -> bool:
        return any(
            '"GET /_stcore/stream' in line
            and " 101 " in line
            and _field(line, "served") == served
            for line in _log_from(cluster, offset)
        )

    wait_until(logged, timeout=15, what=f"a websocket served by {served} in the log")
    return _log_from(cluster, offset)


@pytest.mark.browser
def test_a_browser_session_stays_on_one_backend(
    browser: Browser, cluster: Cluster
) -> None:
    """Chromium loads the app through nginx; its every request hits one backend."""
    offset = cluster.access_log.stat().st_size
    with _browser_page(browser, cluster) as (context, _page):
        route = _route_of(context)
    assert route is not None
    lines = _wait_for_websocket_line(cluster, offset, route)
    assert '"GET / HTTP' in lines[0]
    assert _field(lines[0], "route") == "-", "the first request has no cookie"
    assert _field(lines[0], "served") == route, "...and its answer sets it"
    assert all(_field(line, "route") == route for line in lines[1:])
    assert any('"GET /static/js/' in line for line in lines)
    assert any(" 101 " in line for line in lines)
    assert {_field(line, "served") for line in lines} == {route}


@pytest.mark.browser
def test_a_browser_follows_its_session_when_its_backend_dies(
    browser: Browser, cluster: Cluster
) -> None:
    """The cookie moves with the reconnected session and stays after the restart."""
    offset = cluster.access_log.stat().st_size
    with _browser_page(browser, cluster) as (context, page):
        route = _route_of(context)
        dead = next(b for b in cluster.backends if b.name == route)
        assert dead.process is not None
        old_pid = dead.process.pid
        dead.process.kill()
        # The page reconnects to another process, and nginx renames the cookie.
        wait_until(
            lambda: _route_of(context) not in (route, None),
            what="the browser's cookie to name the process now holding its session",
        )
        moved = _route_of(context)
        page.wait_for_selector(IDLE, timeout=30_000)
        # The dead process is started again and nginx sends its own cookie to it...
        wait_until(
            lambda: (
                dead.process is not None
                and dead.process.pid != old_pid
                and fetch(cluster, "/_stcore/health", route=route).upstream
                == dead.address
            ),
            timeout=60,
            what="the killed process to be restarted and back in nginx",
        )
        # ...but this browser stays with the process that holds its session.
        upstream = page.evaluate(
            "fetch('/_stcore/health').then(r => r.headers.get('X-Upstream'))"
        )
        assert _named(cluster, upstream) == moved
    lines = _wait_for_websocket_line(cluster, offset, moved)
    after = lines[
        next(i for i, line in enumerate(lines) if f"served={moved}" in line) :
    ]
    assert {_field(line, "served") for line in after} == {moved}


def test_running_cluster_yields_a_url_served_by_nginx() -> None:
    nginx_or_skip()
    with (
        running_cluster(processes=1) as url,
        urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as reply,
    ):
        assert reply.read().strip() == b"ok"
        assert reply.headers["Server"] == "nginx"
    assert not is_healthy(url)


def test_a_cluster_needs_a_process() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Cluster(0)


def test_a_dashboard_that_cannot_start_is_reported() -> None:
    nginx_or_skip()
    with (
        pytest.raises(ClusterError, match="exited with code"),
        Cluster(1, env={"PYTHONPATH": "/nonexistent", "PYTHONHOME": "/nonexistent"}),
    ):
        pass


# -- the one command -------------------------------------------------------------


@pytest.mark.parametrize(
    "stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"]
)
@pytest.mark.parametrize(
    "entry", [["-m", "deploy.serve"], ["deploy/serve.py"]], ids=["module", "script"]
)
def test_the_serve_command_runs_until_a_signal_stops_everything(
    tmp_path: Path, stop_signal: signal.Signals, entry: list[str]
) -> None:
    nginx_or_skip()
    port = free_port()
    command = [
        sys.executable,
        *entry,
        "--processes=2",
        f"--port={port}",
        "--address=127.0.0.1",
        f"--run-dir={tmp_path}",
    ]
    with (tmp_path / "serve.out").open("w+") as out:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until(
                lambda: process.poll() is not None or is_healthy(url),
                timeout=90,
                what="the cluster to serve",
            )
            assert process.poll() is None, (tmp_path / "serve.out").read_text()
            config = (tmp_path / "nginx.conf").read_text()
            backends = set(re.findall(r"server (127\.0\.0\.1:\d+) ", config))
            assert len(backends) == 2
            assert all(is_healthy(f"http://{address}") for address in backends)
            nginx_pid = int((tmp_path / "nginx.pid").read_text())
            process.send_signal(stop_signal)
            assert process.wait(timeout=30) == 0
        finally:
            if process.poll() is None:
                process.kill()
        out.seek(0)
        log = out.read()
    assert "stopped" in log
    assert not is_healthy(url)
    assert not any(is_healthy(f"http://{address}") for address in backends)
    with pytest.raises(ProcessLookupError):
        os.kill(nginx_pid, 0)


# -- supervision (last: it kills a backend of the module's cluster) ---------------


def test_a_killed_backend_is_restarted_and_its_sessions_served_meanwhile(
    cluster: Cluster,
) -> None:
    backend, other = cluster.backends
    assert backend.process is not None
    old_pid = backend.process.pid
    restarts = backend.restarts

    replies: list[Reply] = []

    def served() -> Reply:
        reply = fetch(cluster, "/_stcore/health", route=backend.name)
        replies.append(reply)
        return reply

    backend.process.kill()
    # nginx routes around the dead process and renames the cookie...
    first = served()
    assert first.upstream == other.address
    assert first.route_cookie == other.name
    # ...while the supervisor starts a new process on the same port...
    wait_until(
        lambda: (
            served()
            and backend.restarts == restarts + 1
            and backend.process is not None
            and backend.process.pid != old_pid
            and is_healthy(backend.url)
        ),
        timeout=60,
        what="the killed dashboard process to be restarted",
    )
    # ...and once nginx retries it (fail_timeout), its cookie leads to it again.
    wait_until(
        lambda: served().upstream == backend.address,
        timeout=30,
        what="nginx to route the cookie back to the restarted process",
    )
    # No request failed meanwhile.
    assert {(reply.status, reply.body.strip()) for reply in replies} == {(200, b"ok")}


def test_backend_ports_never_repeat_nginx_port_or_each_other(monkeypatch) -> None:
    """free_port can hand out a number twice; the cluster must not use it twice."""
    from deploy import serve

    handed = iter([8000, 8001, 8001, 8002, 8003])
    monkeypatch.setattr(serve, "free_port", lambda: next(handed))
    assert serve._distinct_free_ports(3, taken={8000}) == [8001, 8002, 8003]
