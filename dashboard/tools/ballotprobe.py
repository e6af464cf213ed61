r"""Ballot stuffing: how many answers can one scripted client get counted.

Usage::

    python -m dashboard.tools.ballotprobe                  # 60 s against a fresh server
    python -m dashboard.tools.ballotprobe --seconds 20 --cookie none
    python -m dashboard.tools.ballotprobe --url http://127.0.0.1:8501 \\
        --database sqlite:///path/to/polls.db              # a server already running

The client does what the December 2026 review's script did (finding M4, "563
answers counted in 20 s"): for every answer it opens a new websocket with a
fresh cookie of its own making, opens the poll's join page, sends an answer
through the form and closes the socket, ``--parallel`` at a time, from one
address. ``--cookie forged`` (the default) sends a well-formed but unsigned
identity (``cc_id``) and a random, well-formed Streamlit XSRF cookie, the
value the page used to take a student's id from; ``none`` sends no cookie.

It prints one Markdown table: attempts, how often the page drew the answer
form (each time, the server had just issued an identity: a forged one is not
one), how often it turned the client away (the limit on new identities per
address), and the answers the database counted. A measurement, not a test: it
exits 0 once it has measured.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import secrets
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import websockets

from dashboard.core import polls
from dashboard.serving.streamlit_server import started_server
from dashboard.tools.classload import _run, open_stream
from dashboard.tools.pollload import OPTIONS, Tally, WaitingStudent


@dataclasses.dataclass
class Probe:
    """What the scripted client saw."""

    attempts: int = 0
    forms: int = 0
    turned_away: int = 0
    errors: int = 0


def forged_cookie(kind: str) -> str | None:
    """A cookie header a script makes up: an unsigned identity and an XSRF value."""
    if kind == "none":
        return None
    now = int(time.time())
    identity = f"1.{secrets.token_urlsafe(16)}.{now}.{secrets.token_urlsafe(16)}"
    xsrf = f"2|00000000|{secrets.token_hex(16)}|{now}"
    return f"cc_id={identity}; _streamlit_xsrf={xsrf}"


async def _one(url: str, code: str, cookie_kind: str, probe: Probe) -> None:
    probe.attempts += 1
    tally = Tally()
    student = WaitingStudent(
        url, code, probe.attempts, tally, forged_cookie(cookie_kind)
    )
    ws = await open_stream(student.url, open_timeout=30, cookie=student.cookie)
    if ws is None:
        probe.errors += 1
        return
    try:
        if not await student.join(ws):
            if any("Many new browsers" in text for text in student.texts):
                probe.turned_away += 1
            else:
                probe.errors += 1
            return
        probe.forms += 1
        if await student.answer(ws, probe.attempts % len(OPTIONS)) is None:
            probe.errors += 1
    except websockets.ConnectionClosed:
        probe.errors += 1
    finally:
        await ws.close()
    probe.errors += tally.exceptions + tally.failed_runs


async def _flood(
    url: str, code: str, seconds: float, parallel: int, cookie: str
) -> Probe:
    probe = Probe()
    until = time.monotonic() + seconds

    async def worker() -> None:
        while time.monotonic() < until:
            await _one(url, code, cookie, probe)

    await asyncio.gather(*(worker() for _ in range(parallel)))
    return probe


def measure(
    url: str,
    store: polls.PollStore,
    *,
    seconds: float = 60.0,
    parallel: int = 4,
    cookie: str = "forged",
) -> tuple[Probe, int]:
    """Open a poll in ``store`` and flood it; (what the client saw, answers counted)."""
    poll = store.create("ballotprobe", "Tacrolimus binds which protein?", OPTIONS, 0)
    probe = _run(_flood(url, poll.code, seconds, parallel, cookie))
    counted = store.view(poll.code, poll.teacher_token).total or 0
    return probe, counted


def report(probe: Probe, counted: int, seconds: float, cookie: str) -> str:
    """The figures as a Markdown table."""
    return "\n".join(
        [
            "| Seconds | Cookie | Attempts | Answer forms drawn (identities issued) "
            "| Turned away | Errors | Answers counted |",
            "|---:|---|---:|---:|---:|---:|---:|",
            f"| {seconds:g} | {cookie} | {probe.attempts:,} | {probe.forms:,} "
            f"| {probe.turned_away:,} | {probe.errors:,} | **{counted:,}** |",
        ]
    )


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--parallel", type=int, default=4, help="websockets open at once"
    )
    parser.add_argument("--cookie", choices=("forged", "none"), default="forged")
    parser.add_argument("--url", help="a running dashboard (default: start one)")
    parser.add_argument(
        "--database", help="its DATABASE_URL (with --url), where the poll is opened"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Flood one poll from one client and print what was counted."""
    args = _arguments(argv)
    print(
        f"ballot probe: {args.seconds:g} s, {args.parallel} at a time, "
        f"cookie {args.cookie}",
        file=sys.stderr,
        flush=True,
    )
    if args.url:
        if not args.database:
            raise SystemExit("--url needs --database (the server's DATABASE_URL)")
        store = polls.PollStore(args.database)
        probe, counted = measure(
            args.url.rstrip("/"),
            store,
            seconds=args.seconds,
            parallel=args.parallel,
            cookie=args.cookie,
        )
    else:
        with tempfile.TemporaryDirectory() as folder:
            database = f"sqlite:///{Path(folder) / 'polls.db'}"
            store = polls.PollStore(database)
            with started_server(env={"DATABASE_URL": database}) as server:
                probe, counted = measure(
                    server.url,
                    store,
                    seconds=args.seconds,
                    parallel=args.parallel,
                    cookie=args.cookie,
                )
    print(report(probe, counted, args.seconds, args.cookie))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
