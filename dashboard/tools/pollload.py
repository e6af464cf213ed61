"""A live class check under load: a lecture hall waiting on one poll's results.

Usage::

    python -m dashboard.tools.pollload                # 300 students, 60 s, 1 process
    python -m dashboard.tools.pollload --processes 6  # make serve's layout
    python -m dashboard.tools.pollload --students 100 --seconds 30

Once a student has answered, the class-check page keeps their results panel
live: a fragment that the browser reruns every ``REFRESH_S`` seconds (Streamlit
sends ``auto_rerun``; the browser answers with ``rerun_script`` for that
fragment). So a hall of 300 students who have answered asks the servers for
about 150 fragment runs a second for as long as the poll is up. That is load a
teacher does not see coming, and it competes with "everyone move the slider
now".

Each simulated student is one websocket speaking Streamlit's protocol (as in
:mod:`dashboard.tools.classload`), arriving as a *new* browser: no identity
cookie, all from one address (127.0.0.1, or nginx's), as a lecture hall behind
one network address would. The page issues each an identity (rate-limited per
address: :meth:`dashboard.core.polls.PollStore.admit_new_browser`), shows the
question, and the student sends an answer through the form. The tool opens a
poll in a throwaway SQLite database, connects the students over ``--ramp``
seconds, honours every ``auto_rerun`` (and ``stop_auto_rerun``) the page
sends, and reveals the results halfway through. It reports the answers the
database counted (and any student the page turned away), run latency
(p50/p95/max, from ``rerun_script`` to the ``script_finished`` that ends it,
following a ``st.rerun()``) for answering and before and after the reveal,
runs per second, errors, and the server's CPU time: in all, per run, and as a
share of the machine's cores.

A measurement, not a test: it prints figures and exits 0 once it has measured.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from dashboard.core import polls
from dashboard.serving.streamlit_server import started_server
from dashboard.tools.classload import (
    SUCCESS,
    ServerProbe,
    Widget,
    _fmt,
    _run,
    open_stream,
    percentile,
)
from dashboard.ui import keys

OPTIONS = ("FKBP-12", "Cyclophilin", "mTOR", "IL-2 receptor")
EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


@dataclasses.dataclass
class Tally:
    """What every student saw, before and after the reveal."""

    before_ms: list[float] = dataclasses.field(default_factory=list)
    after_ms: list[float] = dataclasses.field(default_factory=list)
    failed_runs: int = 0
    dropped_sessions: int = 0
    exceptions: int = 0
    answer_ms: list[float] = dataclasses.field(default_factory=list)
    turned_away: int = 0  # students the page gave no identity (address limit)
    waiting_students: int = 0  # students whose page set up the live fragment
    stopped_students: int = 0  # students whose page stopped rerunning (the reveal)
    #: (wall clock s, server CPU s) at the reveal
    reveal_mark: tuple[float, float] = (float("nan"), float("nan"))


class WaitingStudent:
    """One browser tab that answered the poll and now watches for the results."""

    def __init__(
        self, url: str, code: str, index: int, tally: Tally, cookie: str | None = None
    ) -> None:
        self.url = url.replace("http", "ws", 1) + "/_stcore/stream"
        self.code = code
        self.index = index
        self.tally = tally
        self.cookie = cookie
        self.cached: set[str] = set()
        self.pages: dict[str, str] = {}
        self.auto: tuple[float, str] | None = None  # (interval s, fragment id)
        self.choice: Widget | None = None  # the answer radio, once drawn
        self.sure: Widget | None = None  # round 1's "How sure are you?" radio
        self.send: str | None = None  # the id of "Send my answer"
        #: time.monotonic() when the answer form and the results were last drawn
        self.form_at: float | None = None
        self.results_at: float | None = None
        self.texts: list[str] = []  # Markdown and alerts of the last run

    async def join(self, ws) -> bool:
        """Open the poll's page as a new browser; whether its form was drawn."""
        await self._rerun(ws, "")  # the first load: home, and the page list
        await self._rerun(
            ws, self.pages.get("class-check", ""), query=f"{keys.POLL_JOIN}={self.code}"
        )
        return self.choice is not None and self.send is not None

    async def answer(self, ws, option: int, sure: int = 0) -> float | None:
        """Send the form with ``option`` chosen; latency in ms, ``None`` if failed.

        In round 1 the form also asks how sure: ``sure`` is that option's index.
        """
        if self.choice is None or self.send is None:
            raise RuntimeError("the answer form was not drawn")
        picked = WidgetState(id=self.choice.id)
        picked.string_value = self.choice.proto.options[option]
        widgets = [picked]
        if self.sure is not None:
            confident = WidgetState(id=self.sure.id)
            confident.string_value = self.sure.proto.options[sure]
            widgets.append(confident)
        widgets.append(WidgetState(id=self.send, trigger_value=True))
        self.choice = self.sure = self.send = None
        return await self._rerun(
            ws,
            self.pages["class-check"],
            query=f"{keys.POLL_JOIN}={self.code}",
            widgets=widgets,
        )

    async def run(self, until: float, revealed: asyncio.Event) -> None:
        """Join as a new browser, answer, then rerun the live panel like a browser."""
        ws = await open_stream(self.url, open_timeout=60, cookie=self.cookie)
        if ws is None:
            self.tally.dropped_sessions += 1
            return
        try:
            if not await self.join(ws):
                if any("Many new browsers" in text for text in self.texts):
                    self.tally.turned_away += 1
                return
            elapsed = await self.answer(ws, self.index % len(OPTIONS))
            if elapsed is not None:
                self.tally.answer_ms.append(elapsed)
            if self.auto is None:
                return  # no live panel: nothing to wait for (a broken page)
            self.tally.waiting_students += 1
            query = f"{keys.POLL_JOIN}={self.code}"
            while time.monotonic() < until and self.auto is not None:
                interval, fragment = self.auto
                started = time.monotonic()
                after = revealed.is_set()
                elapsed = await self._rerun(
                    ws, self.pages["class-check"], query=query, fragment=fragment
                )
                if elapsed is not None:
                    (self.tally.after_ms if after else self.tally.before_ms).append(
                        elapsed
                    )
                pause = interval - (time.monotonic() - started)
                await asyncio.sleep(max(0.0, min(pause, until - time.monotonic())))
            if self.auto is None:
                self.tally.stopped_students += 1
            # The tab stays open after its page stops asking for reruns.
            await asyncio.sleep(max(0.0, until - time.monotonic()))
        except websockets.ConnectionClosed:
            self.tally.dropped_sessions += 1
        finally:
            await ws.close()

    async def _rerun(
        self,
        ws,
        page_hash: str,
        *,
        query: str = "",
        fragment: str = "",
        widgets: Sequence[WidgetState] = (),
    ) -> float | None:
        """One run (or fragment run); its latency in ms, ``None`` if it failed."""
        message = BackMsg()
        client = message.rerun_script
        client.page_script_hash = page_hash
        client.query_string = query
        client.cached_message_hashes.extend(sorted(self.cached))
        client.widget_states.widgets.extend(widgets)
        if not fragment:
            self.texts = []
        if fragment:
            client.fragment_id = fragment
            client.is_auto_rerun = True
        started = time.perf_counter()
        await ws.send(message.SerializeToString())
        try:
            status = await asyncio.wait_for(self._until_finished(ws), 120)
        except TimeoutError:
            self.tally.failed_runs += 1
            return None
        if status not in SUCCESS:
            self.tally.failed_runs += 1
            return None
        return (time.perf_counter() - started) * 1000

    async def _until_finished(self, ws) -> int:
        """Read until a run ends; a run that ends for a rerun waits for that one."""
        while True:
            message = ForwardMsg()
            message.ParseFromString(await ws.recv())
            kind = message.WhichOneof("type")
            if message.metadata.cacheable and message.hash:
                self.cached.add(message.hash)
            if kind == "script_finished":
                if message.script_finished == EARLY_FOR_RERUN:
                    continue  # st.rerun(): the server starts the next run itself
                return message.script_finished
            if kind == "stop_auto_rerun" or (
                kind == "new_session" and not message.metadata.run.fragment_ids
            ):
                # As the browser: a whole-page run clears every auto-rerun timer
                # (the page's fragments set theirs again as they are drawn).
                self.auto = None
            if kind == "navigation":
                self.pages = {
                    page.url_pathname: page.page_script_hash
                    for page in message.navigation.app_pages
                }
            elif kind == "auto_rerun":
                self.auto = (
                    message.auto_rerun.interval,
                    message.auto_rerun.fragment_id,
                )
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                self._note_element(message.delta.new_element)

    def _note_element(self, element) -> None:
        """Count exceptions; keep the answer form's widgets and the page's text."""
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.tally.exceptions += 1
        elif kind == "radio" and element.radio.id.endswith(f"-{keys.POLL_CHOICE}"):
            self.choice = Widget(element.radio.id, "radio", element.radio)
            self.form_at = time.monotonic()
        elif kind == "radio" and element.radio.id.endswith(f"-{keys.POLL_SURE}"):
            self.sure = Widget(element.radio.id, "radio", element.radio)
        elif kind == "progress":
            self.results_at = time.monotonic()
        elif kind == "button" and (
            element.button.id.endswith(f"-{keys.POLL_SEND}")
            or (
                element.button.is_form_submitter
                and "Send my answer" in element.button.label
            )
        ):
            self.send = element.button.id
        elif kind in ("markdown", "alert"):
            self.texts.append(getattr(element, kind).body)


@dataclasses.dataclass(frozen=True)
class Result:
    """Figures from one run."""

    students: int
    processes: int
    seconds: float
    answered: int  # answers the database counted
    turned_away: int
    p95_answer_ms: float
    waiting: int
    stopped: int
    runs_before: int
    runs_after: int
    p50_before_ms: float
    p95_before_ms: float
    p50_after_ms: float
    p95_after_ms: float
    max_ms: float
    failed_runs: int
    dropped_sessions: int
    exceptions: int
    cpu_s: float
    wall_s: float
    #: server CPU seconds per wall-clock second from the reveal to the end
    cores_after_reveal: float

    @property
    def runs(self) -> int:
        """Fragment runs measured, before and after the reveal."""
        return self.runs_before + self.runs_after

    @property
    def cpu_ms_per_run(self) -> float:
        """Server CPU per fragment run (ms); includes opening the pages."""
        return self.cpu_s * 1000 / self.runs if self.runs else float("nan")

    @property
    def cores_busy(self) -> float:
        """Server CPU seconds per wall-clock second: cores kept busy."""
        return self.cpu_s / self.wall_s if self.wall_s else float("nan")


async def _hall(
    url: str, code: str, students: int, seconds: float, ramp: float, reveal, cpu
) -> Tally:
    tally = Tally()
    revealed = asyncio.Event()
    start = time.monotonic()
    until = start + ramp + seconds

    async def one(index: int) -> None:
        await asyncio.sleep(ramp * index / max(students, 1))
        await WaitingStudent(url, code, index, tally).run(until, revealed)

    async def teacher() -> None:
        await asyncio.sleep(ramp + seconds / 2)
        await asyncio.to_thread(reveal)
        tally.reveal_mark = (time.perf_counter(), await asyncio.to_thread(cpu))
        revealed.set()

    await asyncio.gather(teacher(), *(one(i) for i in range(students)))
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
) -> Result:
    """Open a poll in ``store``; each student joins, answers and waits for results."""
    poll = store.create("pollload", "Tacrolimus binds which protein?", OPTIONS, 0)
    with ServerProbe(pids) as probe:
        cpu_start = probe.cpu_seconds()
        started = time.perf_counter()
        tally = _run(
            _hall(
                url,
                poll.code,
                students,
                seconds,
                ramp,
                lambda: store.reveal(poll.code, poll.teacher_token),
                probe.cpu_seconds,
            )
        )
        ended = time.perf_counter()
        wall = ended - started
        cpu_end = probe.cpu_seconds()
        cpu = cpu_end - cpu_start
    reveal_at, reveal_cpu = tally.reveal_mark
    every = tally.before_ms + tally.after_ms
    return Result(
        students=students,
        processes=processes,
        seconds=seconds,
        answered=store.view(poll.code, poll.teacher_token).total or 0,
        turned_away=tally.turned_away,
        p95_answer_ms=percentile(tally.answer_ms, 95),
        waiting=tally.waiting_students,
        stopped=tally.stopped_students,
        runs_before=len(tally.before_ms),
        runs_after=len(tally.after_ms),
        p50_before_ms=percentile(tally.before_ms, 50),
        p95_before_ms=percentile(tally.before_ms, 95),
        p50_after_ms=percentile(tally.after_ms, 50),
        p95_after_ms=percentile(tally.after_ms, 95),
        max_ms=max(every, default=float("nan")),
        failed_runs=tally.failed_runs,
        dropped_sessions=tally.dropped_sessions,
        exceptions=tally.exceptions,
        cpu_s=cpu,
        wall_s=wall,
        cores_after_reveal=(cpu_end - reveal_cpu) / (ended - reveal_at),
    )


def report(result: Result) -> str:
    """The figures of one run as a Markdown table row with its header."""
    r = result
    return "\n".join(
        [
            "| Students (answered, turned away, waiting, stopped) | Processes "
            "| Answer p95 ms "
            "| Runs before / after reveal "
            "| p50 / p95 ms before | p50 / p95 ms after | max ms "
            "| Errors (exc/failed/dropped) | Runs/s | Server CPU ms/run "
            "| Cores busy: all / after reveal |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
            f"| {r.students} ({r.answered}, {r.turned_away}, {r.waiting}, "
            f"{r.stopped}) | {r.processes} | {_fmt(r.p95_answer_ms)} "
            f"| {r.runs_before:,} / {r.runs_after:,} "
            f"| {_fmt(r.p50_before_ms)} / {_fmt(r.p95_before_ms)} "
            f"| {_fmt(r.p50_after_ms)} / {_fmt(r.p95_after_ms)} | {_fmt(r.max_ms)} "
            f"| {r.exceptions + r.failed_runs + r.dropped_sessions} "
            f"({r.exceptions}/{r.failed_runs}/{r.dropped_sessions}) "
            f"| {_fmt(r.runs / r.wall_s, 1)} | {_fmt(r.cpu_ms_per_run, 1)} "
            f"| {_fmt(r.cores_busy, 2)} / {_fmt(r.cores_after_reveal, 2)} "
            f"of {os.cpu_count()} |",
        ]
    )


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument(
        "--seconds", type=float, default=60.0, help="how long the poll stays up"
    )
    parser.add_argument(
        "--ramp", type=float, default=20.0, help="seconds over which students join"
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="dashboard processes (more than one: behind nginx, as make serve)",
    )
    parser.add_argument(
        "--session",
        action="store_true",
        help="a class session: round 1, round 2 opened, then the reveal "
        "(dashboard.tools.pollload_session)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one poll (or, with ``--session``, a two-round session) and print figures."""
    args = _arguments(argv)
    if args.session:
        from dashboard.tools import pollload_session as scenario
    else:
        scenario = sys.modules[__name__]
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{Path(folder) / 'polls.db'}"
        store = polls.PollStore(database)
        env = {"DATABASE_URL": database}
        print(
            f"{'session, two rounds' if args.session else 'poll'}: {args.students} "
            f"students over {args.ramp:g} s, poll up {args.seconds:g} s, "
            f"{args.processes} process(es)",
            file=sys.stderr,
            flush=True,
        )
        figures = {
            "students": args.students,
            "seconds": args.seconds,
            "ramp": args.ramp,
            "processes": args.processes,
        }
        if args.processes == 1:
            with started_server(env=env) as server:
                result = scenario.measure(server.url, [server.pid], store, **figures)
        else:
            import psutil

            from deploy.serve import Cluster

            with Cluster(args.processes, env=env) as cluster, cluster.supervising():
                nginx = psutil.Process(cluster.nginx.pid)
                pids = [backend.process.pid for backend in cluster.backends]
                pids += [nginx.pid, *(child.pid for child in nginx.children())]
                result = scenario.measure(cluster.url, pids, store, **figures)
    print(scenario.report(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
