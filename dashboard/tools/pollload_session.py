"""A lecture hall through a two-round poll in one class session, under load.

Usage::

    python -m dashboard.tools.pollload --session   # 300 students, 1 process
    python -m dashboard.tools.pollload --session --processes 6   # as make serve

Each simulated student (a websocket speaking Streamlit's protocol, as
:class:`dashboard.tools.pollload.WaitingStudent`, arriving as a new browser
from one address) opens the session's join link, answers round 1 with its
confidence, and then keeps the page's session watcher running as a browser
does (one fragment run every ``REFRESH_S`` seconds). The educator (this
tool, through the store) opens round 2 a third of the way through the poll
and reveals the results two thirds of the way through. The tool reports:

* the answers the database counted in each round (each student once per
  round; any difference is a lost or double-counted answer);
* **round 2 → form**: from the moment round 2 opened to the moment each
  student's page had drawn the round-2 form (p50/p95/max), then the round-2
  answer latency;
* **reveal → results**: from the reveal to each page's drawn results;
* run latency of the watcher's fragment runs, errors, and the server's CPU:
  all told, and from the reveal to the end (in a session the watcher keeps
  running after the reveal: the next question may come).

A measurement, not a test: it prints figures and exits 0 once it has measured.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import time
from collections.abc import Sequence

import websockets

from dashboard.core import polls
from dashboard.tools.classload import ServerProbe, _fmt, _run, open_stream, percentile
from dashboard.tools.pollload import OPTIONS, Tally, WaitingStudent
from dashboard.ui import keys


@dataclasses.dataclass
class Moments:
    """When the educator acted (time.monotonic()), set as it happens."""

    round_two: float | None = None
    reveal: float | None = None
    round_two_open: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)
    revealed: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)


@dataclasses.dataclass
class SessionTally(Tally):
    """What every student saw, with the moments of round 2 and the reveal."""

    form_ms: list[float] = dataclasses.field(default_factory=list)
    answer2_ms: list[float] = dataclasses.field(default_factory=list)
    results_ms: list[float] = dataclasses.field(default_factory=list)


class SessionStudent(WaitingStudent):
    """One tab in a class session: round 1, round 2, then the results."""

    async def run_session(self, until: float, moments: Moments) -> None:
        """Join, answer round 1, then watch; answer round 2 when its form appears."""
        tally: SessionTally = self.tally  # type: ignore[assignment]
        ws = await open_stream(self.url, open_timeout=60, cookie=self.cookie)
        if ws is None:
            tally.dropped_sessions += 1
            return
        answered_two = results_seen = False
        try:
            if not await self.join(ws):
                if any("Many new browsers" in text for text in self.texts):
                    tally.turned_away += 1
                return
            elapsed = await self.answer(ws, self.index % len(OPTIONS), self.index % 2)
            if elapsed is not None:
                tally.answer_ms.append(elapsed)
            if self.auto is None:
                return
            tally.waiting_students += 1
            query = f"{keys.POLL_JOIN}={self.code}"
            while time.monotonic() < until and self.auto is not None:
                interval, fragment = self.auto
                started = time.monotonic()
                after = moments.revealed.is_set()
                self.form_at = self.results_at = None
                elapsed = await self._rerun(
                    ws, self.pages["class-check"], query=query, fragment=fragment
                )
                if elapsed is not None:
                    (tally.after_ms if after else tally.before_ms).append(elapsed)
                opened = moments.round_two
                if not answered_two and opened is not None and self.choice is not None:
                    tally.form_ms.append((self.form_at - opened) * 1000)
                    answered_two = True
                    elapsed = await self.answer(ws, 0)
                    if elapsed is not None:
                        tally.answer2_ms.append(elapsed)
                revealed_at = moments.reveal
                if not results_seen and revealed_at and self.results_at:
                    tally.results_ms.append((self.results_at - revealed_at) * 1000)
                    results_seen = True
                    tally.stopped_students += 1
                pause = interval - (time.monotonic() - started)
                await asyncio.sleep(max(0.0, min(pause, until - time.monotonic())))
        except websockets.ConnectionClosed:
            tally.dropped_sessions += 1
        finally:
            await ws.close()


@dataclasses.dataclass(frozen=True)
class SessionResult:
    """Figures from one run of the session scenario."""

    students: int
    processes: int
    answered_round_one: int
    answered_round_two: int
    turned_away: int
    p95_answer_ms: float
    forms: int
    p50_form_ms: float
    p95_form_ms: float
    max_form_ms: float
    p95_answer2_ms: float
    results: int
    p50_results_ms: float
    p95_results_ms: float
    max_results_ms: float
    runs: int
    p50_run_ms: float
    p95_run_ms: float
    errors: int
    cpu_s: float
    wall_s: float
    cores_after_reveal: float


async def _hall(
    url: str,
    code: str,
    students: int,
    seconds: float,
    ramp: float,
    act,
    cpu,
) -> SessionTally:
    tally = SessionTally()
    moments = Moments()
    start = time.monotonic()
    until = start + ramp + seconds

    async def one(index: int) -> None:
        await asyncio.sleep(ramp * index / max(students, 1))
        await SessionStudent(url, code, index, tally).run_session(until, moments)

    async def educator() -> None:
        await asyncio.sleep(ramp + seconds / 3)
        await asyncio.to_thread(act, "round two")
        moments.round_two = time.monotonic()
        moments.round_two_open.set()
        await asyncio.sleep(max(0.0, start + ramp + 2 * seconds / 3 - time.monotonic()))
        await asyncio.to_thread(act, "reveal")
        moments.reveal = time.monotonic()
        tally.reveal_mark = (time.perf_counter(), await asyncio.to_thread(cpu))
        moments.revealed.set()

    await asyncio.gather(educator(), *(one(i) for i in range(students)))
    return tally


def measure(
    url: str,
    pids: Sequence[int],
    store: polls.PollStore,
    *,
    students: int,
    seconds: float,
    ramp: float,
    processes: int,
) -> SessionResult:
    """Start a session with one poll; the hall answers both rounds and sees results."""
    session = store.create_session()
    poll = store.add_poll(
        session.code,
        session.teacher_token,
        "pollload",
        "Tacrolimus binds which protein?",
        OPTIONS,
        0,
    )

    def act(what: str) -> None:
        if what == "round two":
            store.open_round_two(poll, session.teacher_token)
        else:
            store.reveal(poll, session.teacher_token)

    with ServerProbe(pids) as probe:
        cpu_start = probe.cpu_seconds()
        started = time.perf_counter()
        tally = _run(
            _hall(url, session.code, students, seconds, ramp, act, probe.cpu_seconds)
        )
        ended = time.perf_counter()
        cpu_end = probe.cpu_seconds()
    view = store.view(poll, session.teacher_token)
    reveal_at, reveal_cpu = tally.reveal_mark
    every = tally.before_ms + tally.after_ms
    return SessionResult(
        students=students,
        processes=processes,
        answered_round_one=sum(view.counts or ()),
        answered_round_two=sum(view.counts2 or ()),
        turned_away=tally.turned_away,
        p95_answer_ms=percentile(tally.answer_ms, 95),
        forms=len(tally.form_ms),
        p50_form_ms=percentile(tally.form_ms, 50),
        p95_form_ms=percentile(tally.form_ms, 95),
        max_form_ms=max(tally.form_ms, default=float("nan")),
        p95_answer2_ms=percentile(tally.answer2_ms, 95),
        results=len(tally.results_ms),
        p50_results_ms=percentile(tally.results_ms, 50),
        p95_results_ms=percentile(tally.results_ms, 95),
        max_results_ms=max(tally.results_ms, default=float("nan")),
        runs=len(every),
        p50_run_ms=percentile(every, 50),
        p95_run_ms=percentile(every, 95),
        errors=tally.exceptions + tally.failed_runs + tally.dropped_sessions,
        cpu_s=cpu_end - cpu_start,
        wall_s=ended - started,
        cores_after_reveal=(cpu_end - reveal_cpu) / (ended - reveal_at),
    )


def report(result: SessionResult) -> str:
    """The figures of one run as a Markdown table row with its header."""
    r = result
    return "\n".join(
        [
            "| Students (round 1, round 2, turned away) | Processes "
            "| Round 2 → form p50 / p95 / max ms (forms) | Round-2 answer p95 ms "
            "| Reveal → results p50 / p95 / max ms (pages) "
            "| Watcher runs, p50 / p95 ms "
            "| Errors | Cores busy: all / after reveal |",
            "|---|---|---|---|---|---|---|---|",
            f"| {r.students} ({r.answered_round_one}, {r.answered_round_two}, "
            f"{r.turned_away}) | {r.processes} "
            f"| {_fmt(r.p50_form_ms)} / {_fmt(r.p95_form_ms)} / "
            f"{_fmt(r.max_form_ms)} ({r.forms}) | {_fmt(r.p95_answer2_ms)} "
            f"| {_fmt(r.p50_results_ms)} / {_fmt(r.p95_results_ms)} / "
            f"{_fmt(r.max_results_ms)} ({r.results}) "
            f"| {r.runs:,}, {_fmt(r.p50_run_ms)} / {_fmt(r.p95_run_ms)} "
            f"| {r.errors} "
            f"| {_fmt(r.cpu_s / r.wall_s, 2)} / {_fmt(r.cores_after_reveal, 2)} "
            f"of {os.cpu_count()} |",
        ]
    )
