"""The lecture-hall deployment can't be filled or mapped (issue 14: H2, L2-L4, M3).

Against a live 2-process cluster behind Debian's nginx (``cluster`` fixture):
uploads and metrics refused, security headers and a Content-Security-Policy
that chromium draws every page under, paths logged without query strings,
limits per client address that a hall of 300 behind one address passes and a
script's flood does not, and one log line for a client's malformed messages.
The floods exhaust the address's budget, so they run last.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import hashlib
import http.client
import re
import uuid
from collections import Counter
from typing import TYPE_CHECKING

import pytest
import websockets
from playwright.sync_api import expect
from streamlit.proto.WidgetStates_pb2 import WidgetState

from dashboard.core.site import PAGES
from dashboard.patches.closed_endpoints import UPLOADS_REFUSED
from dashboard.tools.classload import Student, Tally, _run, open_stream
from dashboard.tools.upload_probe import multipart, xsrf_value
from deploy.serve import (
    COOKIE,
    LIMITS,
    Cluster,
    content_security_policy,
    inline_script_hashes,
    streamlit_index_html,
)
from tests.browser.conftest import IDLE
from tests.deploy.conftest import Reply, fetch, wait_until

if TYPE_CHECKING:
    from playwright.sync_api import Browser

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def request(
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> Reply:
    """One HTTP request to 127.0.0.1:``port`` (nginx or a backend)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, response.msg, response.read())
    finally:
        connection.close()


def _assert_security_headers(reply: Reply) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert reply.headers.get_all(name) == [value], name
    (policy,) = reply.headers.get_all("Content-Security-Policy")
    assert policy == content_security_policy()
    assert "frame-ancestors 'none'" in policy


async def _session(url: str, route: str) -> tuple[Student, str]:
    """A websocket session on backend ``route`` that has run the home page."""
    tally = Tally()
    student = Student(url, tally, open_timeout=30, run_timeout=60)
    student.ws = await open_stream(
        student.url, open_timeout=30, cookie=f"{COOKIE}={route}"
    )
    assert student.ws is not None
    await student.rerun("", label="home")
    return student, tally


def _session_id(cluster: Cluster, route: str) -> str:
    """The id of a session on backend ``route`` whose first run has finished.

    Read from its ``new_session``; waiting for ``script_finished`` makes sure
    the app has run in that process (and so switched its patches on).
    """
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async def run() -> str:
        socket = await open_stream(
            cluster.url.replace("http", "ws") + "/_stcore/stream",
            open_timeout=30,
            cookie=f"{COOKIE}={route}",
        )
        message = BackMsg()
        message.rerun_script.page_script_hash = ""
        await socket.send(message.SerializeToString())
        session = ""
        try:
            while True:
                received = ForwardMsg()
                received.ParseFromString(await socket.recv())
                kind = received.WhichOneof("type")
                if kind == "new_session":
                    session = received.new_session.initialize.session_id
                elif kind == "script_finished":  # the app has run: guard is on
                    return session
        finally:
            await socket.close()

    return _run(run())


# -- the config -------------------------------------------------------------------


def test_the_policy_allows_exactly_the_inline_scripts_by_hash() -> None:
    page = "<html><script>window.a = 1</script><script src='x.js'></script></html>"
    digest = base64.b64encode(hashlib.sha256(b"window.a = 1").digest()).decode()
    assert inline_script_hashes(page) == [f"'sha256-{digest}'"]
    # Streamlit's own index.html has one (window.prerenderReady = false).
    hashes = inline_script_hashes(streamlit_index_html())
    assert len(hashes) == 1
    assert all(h in content_security_policy() for h in hashes)
    assert "'unsafe-inline'" not in re.search(
        r"script-src[^;]*", content_security_policy()
    ).group(0)
    assert "'unsafe-eval'" not in content_security_policy()


def test_limits_let_a_hall_of_300_behind_one_address_through() -> None:
    hall = 300
    assert LIMITS.connections >= 2 * hall  # a websocket each, and reloads
    assert LIMITS.sessions_burst >= 2 * hall  # everyone reconnects at once
    assert LIMITS.requests_burst >= 8 * hall  # ~8 non-static requests per visit


# -- uploads and metrics ----------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "DELETE", "OPTIONS", "POST"])
def test_nginx_refuses_every_upload(cluster: Cluster, method: str) -> None:
    xsrf = xsrf_value()
    boundary = uuid.uuid4().hex
    reply = request(
        cluster.port,
        method,
        f"/_stcore/upload_file/{_session_id(cluster, 'b0')}/{uuid.uuid4()}",
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Xsrftoken": xsrf,
            "Cookie": f"_streamlit_xsrf={xsrf}; {COOKIE}=b0",
        },
        body=multipart(b"x" * 1_000_000, boundary),
    )
    assert reply.status == 403
    assert reply.body == b"This dashboard takes no uploads.\n"
    assert not reply.upstream, "nginx answered itself"
    _assert_security_headers(reply)


@pytest.mark.parametrize(
    "path",
    [
        "/_stcore/upload_file/a/b",
        "/_stcore//upload_file/a/b",
        "/_stcore/upload%5Ffile/a/b",
        "/_stcore/upload_file/../upload_file/a/b",
    ],
)
def test_spellings_of_the_upload_path_are_refused_too(
    cluster: Cluster, path: str
) -> None:
    assert request(cluster.port, "PUT", path, body=b"x").status == 403


def test_one_process_refuses_uploads_for_a_live_session(cluster: Cluster) -> None:
    """The in-process guard (make run, and every Compose/Kubernetes replica)."""
    backend = cluster.backends[0]
    session = _session_id(cluster, backend.name)  # the app has run: guard is on
    xsrf = xsrf_value()
    boundary = uuid.uuid4().hex
    reply = request(
        backend.port,
        "PUT",
        f"/_stcore/upload_file/{session}/{uuid.uuid4()}",
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Xsrftoken": xsrf,
            "Cookie": f"_streamlit_xsrf={xsrf}",
        },
        body=multipart(b"x" * 1000, boundary),
    )
    assert (reply.status, reply.body.decode()) == (403, UPLOADS_REFUSED)


@pytest.mark.parametrize(
    "path",
    [
        "/_stcore/metrics",
        "/_stcore/metrics?families=active_sessions",
        "/_stcore//metrics",
    ],
)
def test_nginx_refuses_metrics(cluster: Cluster, path: str) -> None:
    reply = fetch(cluster, path)
    assert reply.status == 403
    assert b"active_sessions" not in reply.body
    _assert_security_headers(reply)


def test_an_operator_reads_metrics_from_a_process_on_this_machine(
    cluster: Cluster,
) -> None:
    reply = request(cluster.backends[0].port, "GET", "/_stcore/metrics")
    assert reply.status == 200
    assert b"active_sessions" in reply.body


# -- headers ----------------------------------------------------------------------


def test_every_response_carries_the_security_headers(cluster: Cluster) -> None:
    js = re.search(rb'src="\./(static/js/[^"]+\.js)"', fetch(cluster, "/").body)
    assert js
    replies = {
        "page": fetch(cluster, "/nephrotic-syndrome"),
        "script": fetch(cluster, "/" + js.group(1).decode()),
        "health": fetch(cluster, "/_stcore/health"),
        "nginx itself": fetch(cluster, "/healthz"),
        "404 from a backend": fetch(cluster, "/efficacy/_stcore/health"),
        "400 from a backend": fetch(cluster, "/media/..%2fx"),
        "400 from nginx": fetch(cluster, "/static/%2e%2e/%2e%2e/etc/passwd"),
    }
    assert replies["404 from a backend"].status == 404
    assert replies["400 from a backend"].status == 400
    assert replies["400 from a backend"].upstream
    assert replies["400 from nginx"].status == 400
    for name, reply in replies.items():
        try:
            _assert_security_headers(reply)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from error


@pytest.mark.browser
def test_every_page_works_under_the_content_security_policy(
    browser: Browser, cluster: Cluster
) -> None:
    """chromium through nginx: no policy violation, and every chart is drawn."""
    context = browser.new_context()
    context.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e => "
        "window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    console: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda message: console.append(message.text))
        for path in ["", *(spec.url_path for spec in PAGES), "efficacy?present=true"]:
            response = page.goto(f"{cluster.url}/{path}")
            assert response is not None
            assert "script-src" in response.headers["content-security-policy"]
            page.wait_for_selector("h1", timeout=30_000)
            page.wait_for_selector(IDLE, timeout=30_000)
            charts = page.locator(".js-plotly-plot")
            for index in range(charts.count()):
                charts.nth(index).locator(".main-svg").first.wait_for(
                    state="attached", timeout=20_000
                )
            assert page.evaluate("window.__violations") == [], path
            if path == "nephrotic-syndrome":  # all 6 charts, the chain in 2 forms
                expect(page.locator(".js-plotly-plot")).to_have_count(7)
    finally:
        context.close()
    assert not [m for m in console if "Content Security Policy" in m]


# -- logs -------------------------------------------------------------------------


def test_the_access_log_keeps_paths_without_query_strings(cluster: Cluster) -> None:
    offset = cluster.access_log.stat().st_size
    token = "tok" + uuid.uuid4().hex
    assert fetch(cluster, f"/class-check?poll=ABC123&teacher={token}").status == 200
    marker = f"/marker-{uuid.uuid4().hex}"
    fetch(cluster, marker)  # logged after the first: once it is there, both are

    def logged() -> str:
        with cluster.access_log.open() as log:
            log.seek(offset)
            return log.read()

    wait_until(lambda: marker in logged(), what="the requests in the access log")
    lines = logged()
    assert '"GET /class-check HTTP/1.1" 200' in lines
    assert token not in lines
    assert "teacher=" not in lines
    assert token not in (cluster.run_dir / "logs" / "error.log").read_text()


def test_crafted_widget_states_and_frames_log_one_line_each(cluster: Cluster) -> None:
    """An unreadable widget value: the run is refused, one log line, no traceback."""
    backend = cluster.backends[0]
    offset = backend.log_path.stat().st_size

    async def misbehave() -> int:
        student, tally = await _session(cluster.url, backend.name)
        try:
            await student.rerun(student.pages["efficacy"], label="efficacy")
            widget = student.widgets["eff_disease"]
            bad = WidgetState(id=widget.id)
            bad.double_array_value.data.append(3.5)  # a list where a string belongs
            for _ in range(5):
                await student.rerun(student.pages["efficacy"], bad)
        finally:
            await student.ws.close()
        # Then frames Streamlit cannot read: garbage bytes, then text.
        for frame in (b"\x00garbage\xff\xfe", "hello"):
            socket = await open_stream(
                student.url, open_timeout=30, cookie=f"{COOKIE}={backend.name}"
            )
            await socket.send(frame)
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(socket.recv(), 30)
        return tally.exceptions

    # The client's own page shows Streamlit's error box for each refused run.
    assert _run(misbehave()) == 5

    def written() -> str:
        with backend.log_path.open(errors="replace") as log:
            log.seek(offset)
            return log.read()

    # The frame line is written last: once it is there, everything before is.
    wait_until(
        lambda: "Closed a websocket that sent" in written(),
        what="the frame line in the backend's log",
    )
    log = written()
    rejected = [
        line for line in log.splitlines() if "Rejected a run of session" in line
    ]
    assert len(rejected) == 1, log
    assert "eff_disease" in rejected[0]
    assert "TypeError" in rejected[0]
    closed = [line for line in log.splitlines() if "Closed a websocket" in line]
    assert len(closed) == 1, log  # the text frame came within 10 s: held back
    assert "Traceback" not in log
    assert "Exception in ASGI application" not in log


# -- limits per address -------------------------------------------------------------
# Each test speaks from its own loopback address (127.0.0.0/8 is all this
# machine), so each starts with a full budget whatever ran before.


def test_a_hall_of_tabs_behind_one_address_all_connect(cluster: Cluster) -> None:
    """320 websockets from one address at once, as a hall behind one NAT address."""
    tabs = 320

    async def connect_all() -> list[bool]:
        async def one(index: int) -> websockets.ClientConnection | None:
            try:
                return await websockets.connect(
                    cluster.url.replace("http", "ws") + "/_stcore/stream",
                    subprotocols=[websockets.Subprotocol("streamlit")],
                    additional_headers={"Cookie": f"{COOKIE}=b{index % 2}"},
                    open_timeout=60,
                    local_addr=("127.0.0.11", 0),
                )
            except (OSError, TimeoutError, websockets.WebSocketException):
                return None

        sockets = await asyncio.gather(*(one(i) for i in range(tabs)))
        try:
            return [s is not None for s in sockets]
        finally:
            await asyncio.gather(*(s.close() for s in sockets if s is not None))

    assert sum(_run(connect_all())) == tabs


def _flood(port: int, path: str, count: int, source: str, workers: int = 16) -> Counter:
    """``count`` GETs of ``path`` from ``source``, over ``workers`` connections."""

    def worker(share: int) -> Counter:
        seen: Counter = Counter()
        connection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=30, source_address=(source, 0)
        )
        try:
            for _ in range(share):
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                seen[response.status] += 1
                if response.status == 429:
                    for name, value in SECURITY_HEADERS.items():
                        assert response.getheader(name) == value
                if response.will_close:
                    connection.close()
        finally:
            connection.close()
        return seen

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        shares = [count // workers] * workers
        return sum(pool.map(worker, shares), Counter())


def test_a_flood_of_requests_from_one_address_is_cut(cluster: Cluster) -> None:
    statuses = _flood(
        cluster.port, "/_stcore/host-config", LIMITS.requests_burst + 2000, "127.0.0.12"
    )
    assert set(statuses) == {200, 429}
    # What a hall needs (the burst) passed; the rest beyond the rate did not.
    assert statuses[200] >= LIMITS.requests_burst
    assert statuses[429] > 0


def test_a_flood_of_new_sessions_from_one_address_is_cut(cluster: Cluster) -> None:
    # Plain GETs of the websocket path count as handshakes; none opens a session.
    statuses = _flood(
        cluster.port, "/_stcore/stream", LIMITS.sessions_burst + 600, "127.0.0.13"
    )
    assert statuses[429] > 0
    assert sum(n for status, n in statuses.items() if status != 429) >= (
        LIMITS.sessions_burst
    )


def test_static_assets_are_not_counted(cluster: Cluster) -> None:
    """A cold browser fetches ~110 of them; a hall of 300 must never see 429."""
    js = re.search(rb'src="\./(static/js/[^"]+\.js)"', fetch(cluster, "/").body)
    assert js
    statuses = _flood(
        cluster.port,
        "/" + js.group(1).decode(),
        LIMITS.requests_burst + 400,
        "127.0.0.14",
    )
    assert set(statuses) == {200}
