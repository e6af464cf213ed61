"""Measure what one client address gets through nginx when it floods the dashboard.

Usage::

    python -m dashboard.tools.flood_probe                   # 2 processes behind nginx
    python -m dashboard.tools.flood_probe --seconds 20 --workers 32
    python -m dashboard.tools.flood_probe --url http://127.0.0.1:8080

Two floods, each from its own loopback address (so each starts with a full
budget), for ``--seconds`` with ``--workers`` concurrent clients:

* ``requests``: ``GET /_stcore/host-config`` as fast as the server answers
  (a request the page makes on every load);
* ``sessions``: websocket handshakes on ``/_stcore/stream``, each closed at
  once: the session churn of the reliability review (7,234 sessions in 60 s).

It reports what was sent, accepted and refused (429), and how many were
accepted per second: the burst a lecture hall needs passes, then the rate the
limits allow (``deploy.serve.LIMITS``). A measurement, not a test: it prints a
table and exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import http.client
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator, Sequence

import websockets

from dashboard.tools.classload import _fmt, _run


@dataclasses.dataclass(frozen=True)
class Flood:
    """What one flood got through."""

    name: str
    statuses: dict[int, int]
    seconds: float

    @property
    def sent(self) -> int:
        """Requests or handshakes sent."""
        return sum(self.statuses.values())

    @property
    def refused(self) -> int:
        """Answered 429 Too Many Requests."""
        return self.statuses.get(429, 0)

    @property
    def accepted(self) -> int:
        """Answered 200 (a request) or 101 (a websocket)."""
        return self.statuses.get(200, 0) + self.statuses.get(101, 0)


def flood_requests(
    url: str, path: str, seconds: float, workers: int, source: str
) -> Flood:
    """GET ``path`` from ``workers`` keep-alive connections for ``seconds``."""
    parts = urllib.parse.urlsplit(url)
    deadline = time.monotonic() + seconds
    total: Counter = Counter()
    lock = threading.Lock()

    def worker() -> None:
        seen: Counter = Counter()
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=30, source_address=(source, 0)
        )
        try:
            while time.monotonic() < deadline:
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    response.read()
                    seen[response.status] += 1
                    if response.will_close:
                        connection.close()
                except (ConnectionError, http.client.HTTPException):
                    seen[0] += 1
                    connection.close()
        finally:
            connection.close()
            with lock:
                total.update(seen)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Flood(f"requests ({path})", dict(total), time.perf_counter() - started)


async def _handshakes(url: str, seconds: float, workers: int, source: str) -> Counter:
    stream = url.replace("http", "ws", 1) + "/_stcore/stream"
    deadline = time.monotonic() + seconds
    seen: Counter = Counter()

    async def worker() -> None:
        while time.monotonic() < deadline:
            try:
                socket = await websockets.connect(
                    stream,
                    subprotocols=[websockets.Subprotocol("streamlit")],
                    open_timeout=30,
                    local_addr=(source, 0),
                )
            except websockets.InvalidStatus as refused:
                seen[refused.response.status_code] += 1
                continue
            except (OSError, TimeoutError, websockets.WebSocketException):
                seen[0] += 1
                continue
            seen[101] += 1
            await socket.close()

    await asyncio.gather(*(worker() for _ in range(workers)))
    return seen


def flood_sessions(url: str, seconds: float, workers: int, source: str) -> Flood:
    """Open and close websockets from ``workers`` clients for ``seconds``."""
    started = time.perf_counter()
    seen = _run(_handshakes(url, seconds, workers, source))
    return Flood("sessions (websockets)", dict(seen), time.perf_counter() - started)


@contextlib.contextmanager
def _server(url: str | None, processes: int) -> Iterator[str]:
    if url:
        yield url
        return
    from deploy.serve import Cluster

    with Cluster(processes) as cluster, cluster.supervising():
        yield cluster.url


def report(floods: Sequence[Flood]) -> str:
    """A Markdown table of the floods."""
    lines = [
        "| Flood from one address | Seconds | Sent | Accepted | Refused (429) "
        "| Other | Accepted per s |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in floods:
        other = f.sent - f.accepted - f.refused
        lines.append(
            f"| {f.name} | {_fmt(f.seconds, 1)} | {f.sent:,} | {f.accepted:,} "
            f"| {f.refused:,} | {other:,} | {_fmt(f.accepted / f.seconds, 1)} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run both floods; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--processes", type=int, default=2, help="behind nginx")
    parser.add_argument("--url", help="flood this running nginx instead")
    args = parser.parse_args(argv)
    with _server(args.url, args.processes) as url:
        print(f"flooding {url} for {args.seconds:g} s twice", file=sys.stderr)
        floods = [
            flood_requests(
                url, "/_stcore/host-config", args.seconds, args.workers, "127.0.0.21"
            ),
            flood_sessions(url, args.seconds, args.workers, "127.0.0.22"),
        ]
    print(report(floods))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
