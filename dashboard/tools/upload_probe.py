"""Measure whether a client can fill server memory through Streamlit's uploads.

Usage::

    python -m dashboard.tools.upload_probe                  # one process, then nginx
    python -m dashboard.tools.upload_probe --uploads 400 --where direct
    python -m dashboard.tools.upload_probe --url http://127.0.0.1:8501 --pid 1234

The probe does what the reliability review did (finding H2): it opens a
session as a browser does (the page, then the websocket with an XSRF cookie it
made up, and one run of the home page, which tells it the session id), then
sends ``--uploads`` files of ``--size`` bytes, one after another, as
``PUT /_stcore/upload_file/<session>/<new id>`` with a matching ``X-Xsrftoken``
header, and keeps the session open. It reports how many uploads were accepted
(204) and refused (403, or another status), and how much the resident memory
of the dashboard processes grew (psutil), measured while the session is still
open, when Streamlit would still hold every accepted file.

``--where direct`` starts one dashboard process (``make run``); ``nginx``
starts two behind nginx (``make serve``'s layout, with the sticky cookie so
every upload reaches the process that holds the session). ``--url`` (with
``--pid``) probes an already running server, for example a checkout of an older
commit. A measurement, not a test: it prints a table and exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import http.client
import secrets
import sys
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard.serving.streamlit_server import started_server
from dashboard.tools.classload import ServerProbe, _fmt, _run, open_stream

#: Under ``server.maxUploadSize = 1`` (MiB), as the review sent.
DEFAULT_SIZE = 1_000_000


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What the uploads of one probe did."""

    where: str
    uploads: int
    size: int
    statuses: dict[int, int]
    rss_before_mb: float
    rss_after_mb: float
    seconds: float

    @property
    def accepted(self) -> int:
        """Uploads the server stored (204 No Content)."""
        return self.statuses.get(204, 0)

    @property
    def growth_mb(self) -> float:
        """Growth of resident memory over the uploads, in MB."""
        return self.rss_after_mb - self.rss_before_mb


def xsrf_value() -> str:
    """A well-formed ``_streamlit_xsrf`` value any client can make (zero mask)."""
    return f"2|00000000|{secrets.token_bytes(16).hex()}|{int(time.time())}"


def multipart(payload: bytes, boundary: str) -> bytes:
    """One file field, as a browser's file uploader sends it."""
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="probe.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + payload + f"\r\n--{boundary}--\r\n".encode()


def _route_cookie(url: str) -> str:
    """The sticky cookie nginx sets on the first page (empty without nginx)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            pair = header.split(";")[0]
            if pair.startswith("dashboard_route="):
                return pair
        return ""
    finally:
        connection.close()


async def _open_session(url: str, cookie: str):
    """A websocket that has run the home page once; (socket, session id)."""
    socket = await open_stream(
        url.replace("http", "ws", 1) + "/_stcore/stream",
        open_timeout=30,
        cookie=cookie,
    )
    if socket is None:
        raise RuntimeError(f"could not open a session at {url}")
    message = BackMsg()
    message.rerun_script.page_script_hash = ""
    await socket.send(message.SerializeToString())
    session_id = ""
    while True:
        received = ForwardMsg()
        received.ParseFromString(await asyncio.wait_for(socket.recv(), 60))
        kind = received.WhichOneof("type")
        if kind == "new_session":
            session_id = received.new_session.initialize.session_id
        elif kind == "script_finished":
            return socket, session_id


def _upload_all(
    url: str, session_id: str, cookie: str, xsrf: str, count: int, size: int
) -> Counter:
    """PUT ``count`` files of ``size`` bytes, one by one; count the statuses."""
    parts = urllib.parse.urlsplit(url)
    payload = secrets.token_bytes(size)
    statuses: Counter = Counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        for _ in range(count):
            boundary = uuid.uuid4().hex
            body = multipart(payload, boundary)
            try:
                connection.request(
                    "PUT",
                    f"/_stcore/upload_file/{session_id}/{uuid.uuid4()}",
                    body=body,
                    headers={
                        "Content-Type": f"multipart/form-data; boundary={boundary}",
                        "X-Xsrftoken": xsrf,
                        "Cookie": cookie,
                    },
                )
                response = connection.getresponse()
                response.read()
                statuses[response.status] += 1
                if response.will_close:
                    connection.close()
            except (ConnectionError, http.client.HTTPException):
                statuses[0] += 1  # the server closed the connection on us
                connection.close()
    finally:
        connection.close()
    return statuses


def probe(
    url: str, pids: Sequence[int], where: str, *, uploads: int, size: int
) -> Outcome:
    """Open a session at ``url`` and send the uploads; measure memory meanwhile."""
    xsrf = xsrf_value()
    route = _route_cookie(url)
    cookie = "; ".join(part for part in (f"_streamlit_xsrf={xsrf}", route) if part)

    async def run() -> Outcome:
        socket, session_id = await _open_session(url, cookie)
        try:
            with ServerProbe(pids) as server:
                before = server.rss_mb()
                started = time.perf_counter()
                statuses = await asyncio.to_thread(
                    _upload_all, url, session_id, cookie, xsrf, uploads, size
                )
                seconds = time.perf_counter() - started
                after = server.rss_mb()
        finally:
            await socket.close()
        return Outcome(where, uploads, size, dict(statuses), before, after, seconds)

    return _run(run())


@contextlib.contextmanager
def _server(where: str) -> Iterator[tuple[str, list[int]]]:
    if where == "direct":
        with started_server() as server:
            yield server.url, [server.pid]
        return
    from deploy.serve import Cluster  # nginx is only needed here

    with Cluster(2) as cluster, cluster.supervising():
        yield cluster.url, [backend.process.pid for backend in cluster.backends]


def report(outcomes: Sequence[Outcome]) -> str:
    """A Markdown table of the outcomes."""
    lines = [
        "| Server | Uploads sent | Accepted (204) | Refused | Other | RSS MB before -> "
        "after | Growth MB | Seconds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        refused = o.statuses.get(403, 0)
        other = sum(n for status, n in o.statuses.items() if status not in (204, 403))
        lines.append(
            f"| {o.where} | {o.uploads} x {o.size / 1e6:g} MB | {o.accepted} "
            f"| {refused} | {other} "
            f"| {_fmt(o.rss_before_mb)} -> {_fmt(o.rss_after_mb)} "
            f"| {_fmt(o.growth_mb, 1)} | {_fmt(o.seconds, 1)} |"
        )
    return "\n".join(lines)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=400, help="files to send")
    parser.add_argument(
        "--size", type=int, default=DEFAULT_SIZE, help="bytes per file (default 1 MB)"
    )
    parser.add_argument(
        "--where",
        choices=["direct", "nginx", "both"],
        default="both",
        help="one process, two behind nginx, or both (default)",
    )
    parser.add_argument("--url", help="probe this running server instead")
    parser.add_argument(
        "--pid", type=int, action="append", default=[], help="its process ids"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Probe each server; print the table."""
    args = _arguments(argv)
    outcomes = []
    if args.url:
        outcomes.append(
            probe(args.url, args.pid, args.url, uploads=args.uploads, size=args.size)
        )
    else:
        wheres = ["direct", "nginx"] if args.where == "both" else [args.where]
        for where in wheres:
            print(f"{where}: {args.uploads} uploads", file=sys.stderr, flush=True)
            with _server(where) as (url, pids):
                label = "one process" if where == "direct" else "nginx, 2 processes"
                outcomes.append(
                    probe(url, pids, label, uploads=args.uploads, size=args.size)
                )
    print(report(outcomes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
