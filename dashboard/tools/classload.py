"""Class-load benchmark: simulated students over Streamlit's own websocket protocol.

Each simulated student is one browser tab: one websocket to ``/_stcore/stream``
(subprotocol ``streamlit``), speaking the protobuf messages the real frontend
sends (``BackMsg.rerun_script``) and reading what it receives (``ForwardMsg``).
A student opens every page of the dashboard and moves one control on each
teaching page, with think time between actions. Large messages the student has
already received are announced back as cached, as a browser does.

Rerun latency is the time from sending ``rerun_script`` to receiving
``script_finished`` (``../shared/reference/streamlit_notes.md``, section 4.1).
Errors are counted in three kinds: exceptions shown on a page, failed runs
(a run that did not finish successfully within the time limit) and dropped
sessions (a websocket that failed to open or closed under the student).
Server CPU time and resident memory come from psutil on the server processes.

Usage::

    python -m dashboard.tools.classload                 # every scenario, every server
    python -m dashboard.tools.classload --scenario burst --config project
    python -m dashboard.tools.classload --students 50 --ramp 10 --think 1

Scenarios (``--scenario``): ``lecture`` (300 students, 60 s ramp, 2 s think),
``burst`` (100 students at once, no think time: "everyone move the slider
now"), ``soak`` (20 students x 100 rounds, 50 ms think; memory must stay flat).
Each runs against fresh servers (``--config``): one process with Streamlit's
defaults, one with the project's ``.streamlit/config.toml``, and two and six
with the project's settings behind nginx (six is ``make serve`` on two cores,
see ``deploy/``; four and eight can be asked for). The report
prints every figure and the ratios to Streamlit's defaults. ``--url`` (with
``--pid``) measures an already running server instead.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import dataclasses
import statistics
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from dashboard.serving.streamlit_server import started_server

SUCCESS = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}

#: A run cut short because a callback asked for another (``st.rerun``): the
#: run the student waits for is the one that follows.
EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN

# The control a student moves on each teaching page: widget key -> how to move it.
# Values are read from the widget's own message (options, min and max), so a
# change to the page's defaults does not break the benchmark.
CONTROLS: dict[str, str] = {
    "nephrotic-syndrome": "ns_proteinuria",
    "mechanism": "mech_drug",
    "efficacy": "eff_disease",
    "monitoring": "pk_dose",
    "quiz": "quiz_ns-adult-definition",
    "class-check": "poll_topic",
}


@dataclasses.dataclass(frozen=True)
class Scenario:
    """How many students arrive, how fast, and what each does.

    ``ramp_s``: students start evenly over this many seconds (0 = all at once).
    ``think_s``: pause after every action. ``rounds``: times each student goes
    through the pages. ``pages_per_round``: pages visited per round (``None`` =
    all; the soak visits one page per round, cycling through them).
    """

    name: str
    students: int
    ramp_s: float
    think_s: float
    rounds: int = 1
    pages_per_round: int | None = None


SCENARIOS: dict[str, Scenario] = {
    "lecture": Scenario("lecture", students=300, ramp_s=60, think_s=2),
    "burst50": Scenario("burst50", students=50, ramp_s=0, think_s=0),
    "burst": Scenario("burst", students=100, ramp_s=0, think_s=0),
    "soak": Scenario(
        "soak", students=20, ramp_s=0, think_s=0.05, rounds=100, pages_per_round=1
    ),
}


@dataclasses.dataclass
class Tally:
    """What every student saw, shared by all students of one run."""

    latencies_ms: list[float] = dataclasses.field(default_factory=list)
    #: Latencies by what was run: a page's slug, with " (move)" for control moves.
    by_action: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    exceptions: int = 0
    failed_runs: int = 0
    dropped_sessions: int = 0
    largest_message: int = 0
    finished_students: int = 0
    moves: int = 0
    #: Control moves the server answered with a fragment run (not the whole page).
    fragment_moves: int = 0
    missing_controls: set[str] = dataclasses.field(default_factory=set)


@dataclasses.dataclass
class Widget:
    """A widget as the server described it: its id, kind and choices."""

    id: str
    kind: str
    proto: object
    #: The fragment the widget was drawn in ("" for the page itself): moving it
    #: asks for a run of that fragment only, as the browser does.
    fragment_id: str = ""


async def open_stream(
    url: str, *, open_timeout: float, cookie: str | None = None
) -> websockets.ClientConnection | None:
    """Open Streamlit's websocket at ``url`` (``ws://…/_stcore/stream``).

    As a browser opens it, with ``cookie`` as its Cookie header if given;
    ``None`` if it could not be opened (a dropped session).
    """
    try:
        return await websockets.connect(
            url,
            subprotocols=["streamlit"],
            additional_headers={"Cookie": cookie} if cookie else None,
            open_timeout=open_timeout,
            max_size=None,
            compression=None,
        )
    except (OSError, TimeoutError, websockets.WebSocketException):
        return None


class Student:
    """One browser tab: a websocket session that opens pages and moves controls."""

    def __init__(
        self, url: str, tally: Tally, *, open_timeout: float, run_timeout: float
    ):
        self.url = url.replace("http", "ws", 1) + "/_stcore/stream"
        self.tally = tally
        self.open_timeout = open_timeout
        self.run_timeout = run_timeout
        self.cached: set[str] = set()
        self.pages: dict[str, str] = {}
        self.widgets: dict[str, Widget] = {}
        self.ws = None

    async def run(self, scenario: Scenario, index: int) -> None:
        """Connect, then visit pages for every round; count a drop on failure."""
        self.ws = await open_stream(self.url, open_timeout=self.open_timeout)
        if self.ws is None:
            self.tally.dropped_sessions += 1
            return
        try:
            await self.rerun("", label="home")  # the home page, as a first load
            await asyncio.sleep(scenario.think_s)
            slugs = [slug for slug in self.pages if slug]
            for round_ in range(scenario.rounds):
                visit = slugs
                if scenario.pages_per_round is not None:
                    start = (index + round_) * scenario.pages_per_round
                    visit = [
                        slugs[(start + i) % len(slugs)]
                        for i in range(scenario.pages_per_round)
                    ]
                for slug in visit:
                    await self.rerun(self.pages[slug], label=slug)
                    await asyncio.sleep(scenario.think_s)
                    if await self.move_control(slug, round_):
                        await asyncio.sleep(scenario.think_s)
            self.tally.finished_students += 1
        except websockets.ConnectionClosed:
            self.tally.dropped_sessions += 1
        finally:
            await self.ws.close()

    async def move_control(self, slug: str, round_: int) -> bool:
        """Move the page's control as a browser would; False if it has none."""
        move = self.move(slug, round_)
        if move is None:
            return False
        self.tally.moves += 1
        fragment = self.widgets[CONTROLS[slug]].fragment_id
        await self.rerun(
            self.pages[slug], move, label=f"{slug} (move)", fragment_id=fragment
        )
        return True

    def move(self, slug: str, round_: int) -> WidgetState | None:
        """The new state of the page's control, alternating between two values."""
        key = CONTROLS.get(slug)
        widget = self.widgets.get(key) if key else None
        if widget is None:
            if key:
                self.tally.missing_controls.add(key)
            return None
        state = WidgetState(id=widget.id)
        proto = widget.proto
        if widget.kind == "slider":
            low, high = proto.min, proto.max
            fraction = 0.25 if round_ % 2 == 0 else 0.75
            value = low + (high - low) * fraction
            if proto.step:
                value = low + round((value - low) / proto.step) * proto.step
            state.double_array_value.data.append(value)
        elif widget.kind == "checkbox":
            state.bool_value = round_ % 2 == 0
        elif widget.kind in {"selectbox", "radio"}:
            options = list(proto.options)
            state.string_value = options[(round_ + 1) % len(options)]
        else:
            return None
        return state

    async def rerun(
        self,
        page_hash: str,
        widget: WidgetState | None = None,
        *,
        label: str = "",
        fragment_id: str = "",
    ) -> None:
        """Ask for a run; wait for ``script_finished``; record the latency.

        With ``fragment_id``, the run asked for is that fragment's only (what
        the browser sends when a widget inside an ``st.fragment`` changes).
        """
        message = BackMsg()
        client = message.rerun_script
        client.page_script_hash = page_hash
        client.fragment_id = fragment_id
        client.cached_message_hashes.extend(sorted(self.cached))
        if widget is not None:
            client.widget_states.widgets.append(widget)
        started = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        try:
            status = await asyncio.wait_for(self._until_finished(), self.run_timeout)
        except TimeoutError:
            self.tally.failed_runs += 1
            return
        if status == ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
            self.tally.fragment_moves += 1
        if status in SUCCESS:
            elapsed = (time.perf_counter() - started) * 1000
            self.tally.latencies_ms.append(elapsed)
            self.tally.by_action.setdefault(label, []).append(elapsed)
        else:
            self.tally.failed_runs += 1

    async def _until_finished(self) -> int:
        while True:
            raw = await self.ws.recv()
            self.tally.largest_message = max(self.tally.largest_message, len(raw))
            message = ForwardMsg()
            message.ParseFromString(raw)
            kind = message.WhichOneof("type")
            if message.metadata.cacheable and message.hash:
                self.cached.add(message.hash)
            if kind == "script_finished":
                if message.script_finished == EARLY_FOR_RERUN:
                    continue  # a callback asked for another run: wait for it
                return message.script_finished
            if kind == "navigation":
                self.pages = {
                    page.url_pathname: page.page_script_hash
                    for page in message.navigation.app_pages
                }
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                self._note_element(message.delta.new_element, message.delta.fragment_id)

    def _note_element(self, element, fragment_id: str = "") -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.tally.exceptions += 1
            return
        proto = getattr(element, kind, None)
        widget_id = getattr(proto, "id", "")
        if not isinstance(widget_id, str) or not widget_id.startswith("$$ID"):
            return
        for key in CONTROLS.values():
            if widget_id.endswith(f"-{key}"):
                self.widgets[key] = Widget(widget_id, kind, proto, fragment_id)


class ServerProbe:
    """CPU time and resident memory of the server processes, sampled every 0.25 s."""

    def __init__(self, pids: Sequence[int]):
        self.processes = [psutil.Process(pid) for pid in pids]
        self.samples: list[tuple[float, float]] = []  # (seconds, MB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def cpu_seconds(self) -> float:
        """User plus system CPU seconds used so far by all server processes."""
        return sum(p.cpu_times().user + p.cpu_times().system for p in self.processes)

    def rss_mb(self) -> float:
        """Resident memory of all server processes, in MB."""
        return sum(p.memory_info().rss for p in self.processes) / 1e6

    def _sample(self) -> None:
        start = time.monotonic()
        while not self._stop.wait(0.25):
            with contextlib.suppress(psutil.Error):
                self.samples.append((time.monotonic() - start, self.rss_mb()))

    def __enter__(self) -> ServerProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


@dataclasses.dataclass(frozen=True)
class Result:
    """Figures from one scenario against one server."""

    scenario: str
    settings: str  # the server configuration measured
    runs: int
    exceptions: int
    failed_runs: int
    dropped_sessions: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    runs_per_s: float
    cpu_s: float
    cpu_ms_per_run: float
    rss_start_mb: float
    rss_end_mb: float
    rss_growth_after_warmup: float
    largest_message_kb: float
    wall_s: float
    client_cpu_s: float = float("nan")
    moves: int = 0
    missing_controls: tuple[str, ...] = ()
    #: (action, p95 ms) for every page opened and every control moved.
    p95_by_action: tuple[tuple[str, float], ...] = ()

    @property
    def errors(self) -> int:
        """All errors: exceptions, failed runs and dropped sessions."""
        return self.exceptions + self.failed_runs + self.dropped_sessions


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def memory_growth(samples: Sequence[tuple[float, float]]) -> float:
    """Growth of memory from warm-up to the end, as a fraction.

    Warm-up is the first fifth of the run (imports, caches and sessions fill
    then); the baseline is the median over the second fifth, the end the
    highest sample in the last fifth. Fewer than ten samples gives NaN.
    """
    if len(samples) < 10:
        return float("nan")
    fifth = len(samples) // 5
    warm = statistics.median(mb for _, mb in samples[fifth : 2 * fifth])
    end = max(mb for _, mb in samples[-fifth:])
    return end / warm - 1


def _run(coroutine):
    """Run ``coroutine`` to completion in a thread with an event loop of its own.

    The caller's thread may already run a loop (a test session driving a
    browser with Playwright's sync API does), where ``asyncio.run`` refuses.
    """
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _simulate(
    url: str, scenario: Scenario, *, open_timeout: float, run_timeout: float
) -> Tally:
    tally = Tally()

    async def one(index: int) -> None:
        delay = scenario.ramp_s * index / max(scenario.students, 1)
        await asyncio.sleep(delay)
        student = Student(
            url, tally, open_timeout=open_timeout, run_timeout=run_timeout
        )
        await student.run(scenario, index)

    await asyncio.gather(*(one(i) for i in range(scenario.students)))
    return tally


def measure(
    url: str,
    pids: Sequence[int],
    scenario: Scenario,
    settings: str,
    *,
    open_timeout: float = 60.0,
    run_timeout: float = 120.0,
) -> Result:
    """Run ``scenario`` against the server at ``url`` (processes ``pids``)."""
    with ServerProbe(pids) as probe:
        rss_start = probe.rss_mb()
        cpu_start = probe.cpu_seconds()
        client = psutil.Process()
        client_start = sum(client.cpu_times()[:2])
        started = time.perf_counter()
        tally = _run(
            _simulate(url, scenario, open_timeout=open_timeout, run_timeout=run_timeout)
        )
        wall = time.perf_counter() - started
        cpu = probe.cpu_seconds() - cpu_start
        client_cpu = sum(client.cpu_times()[:2]) - client_start
        rss_end = probe.rss_mb()
    runs = len(tally.latencies_ms)
    return Result(
        scenario=scenario.name,
        settings=settings,
        runs=runs,
        exceptions=tally.exceptions,
        failed_runs=tally.failed_runs,
        dropped_sessions=tally.dropped_sessions,
        p50_ms=percentile(tally.latencies_ms, 50),
        p95_ms=percentile(tally.latencies_ms, 95),
        max_ms=max(tally.latencies_ms, default=float("nan")),
        runs_per_s=runs / wall if wall else float("nan"),
        cpu_s=cpu,
        cpu_ms_per_run=cpu * 1000 / runs if runs else float("nan"),
        rss_start_mb=rss_start,
        rss_end_mb=rss_end,
        rss_growth_after_warmup=memory_growth(probe.samples),
        largest_message_kb=tally.largest_message / 1000,
        wall_s=wall,
        client_cpu_s=client_cpu,
        moves=tally.moves,
        missing_controls=tuple(sorted(tally.missing_controls)),
        p95_by_action=tuple(
            (action, percentile(values, 95))
            for action, values in tally.by_action.items()
        ),
    )


@dataclasses.dataclass(frozen=True)
class MoveCost:
    """What one control move costs the server on one page (one student, no load)."""

    page: str
    settings: str
    moves: int
    #: Moves the server answered with a fragment run rather than the whole page.
    fragment_runs: int
    cpu_ms_per_move: float
    p50_ms: float


async def _move_costs(
    url: str,
    probe: ServerProbe,
    settings: str,
    *,
    moves: int,
    open_timeout: float,
    run_timeout: float,
) -> list[MoveCost]:
    """One student moves each page's control ``moves`` times; server CPU per move."""
    tally = Tally()
    student = Student(url, tally, open_timeout=open_timeout, run_timeout=run_timeout)
    student.ws = await open_stream(student.url, open_timeout=open_timeout)
    if student.ws is None:
        raise RuntimeError(f"could not open a session at {url}")
    costs = []
    try:
        await student.rerun("", label="home")
        for slug, key in CONTROLS.items():
            if slug not in student.pages:
                continue
            await student.rerun(student.pages[slug], label=slug)
            if key not in student.widgets:
                continue
            # As many moves again first: every value the control takes has
            # been seen once, so the figures measure warm (shared) caches.
            for i in range(1, moves + 1):
                await student.move_control(slug, i)
            fragments_before = tally.fragment_moves
            tally.by_action.pop(f"{slug} (move)", None)
            cpu_start = probe.cpu_seconds()
            for i in range(1, moves + 1):
                await student.move_control(slug, i)
            cpu = probe.cpu_seconds() - cpu_start
            costs.append(
                MoveCost(
                    page=slug,
                    settings=settings,
                    moves=moves,
                    fragment_runs=tally.fragment_moves - fragments_before,
                    cpu_ms_per_move=cpu * 1000 / moves,
                    p50_ms=percentile(tally.by_action.get(f"{slug} (move)", []), 50),
                )
            )
    finally:
        await student.ws.close()
    return costs


def move_costs(
    url: str,
    pids: Sequence[int],
    settings: str,
    *,
    moves: int = 40,
    open_timeout: float = 60.0,
    run_timeout: float = 120.0,
) -> list[MoveCost]:
    """Server CPU per control move on every teaching page of the server at ``url``.

    One student, no think time and no other load, so that the server's CPU
    time over ``moves`` moves of one page's control is that page's cost. With
    section-only reruns a move runs its fragment, not the page.
    """
    with ServerProbe(pids) as probe:
        return _run(
            _move_costs(
                url,
                probe,
                settings,
                moves=moves,
                open_timeout=open_timeout,
                run_timeout=run_timeout,
            )
        )


def move_report(costs: Sequence[MoveCost]) -> str:
    """A Markdown table of CPU per move, then each page's ratio to the defaults."""
    lines = [
        "| Page | Server | Moves | Fragment runs | Server CPU ms per move "
        "| p50 ms per move |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {c.page} | {c.settings} | {c.moves} | {c.fragment_runs} "
        f"| {_fmt(c.cpu_ms_per_move, 1)} | {_fmt(c.p50_ms, 1)} |"
        for c in costs
    ]
    return "\n".join(lines)


# What each configuration runs: (Streamlit's defaults?, dashboard processes).
# ``project x6`` is ``make serve`` on this 2-core machine (three processes per
# core behind nginx); ``project x2`` is one per core; x4 and x8 are there to
# check that choice.
CONFIGS: dict[str, tuple[bool, int]] = {
    "defaults": (True, 1),
    "project": (False, 1),
    "project x2": (False, 2),
    "project x4": (False, 4),
    "project x6": (False, 6),
    "project x8": (False, 8),
}
#: What a run without ``--scenario`` measures.
DEFAULT_SCENARIOS = ("lecture", "burst", "soak")
#: What a run without ``--config`` measures.
DEFAULT_CONFIGS = ("defaults", "project", "project x2", "project x6")


@contextlib.contextmanager
def _server(
    config: str, checkout: Path | None = None
) -> Iterator[tuple[str, list[int]]]:
    """Start ``config``; yield its URL and every server process id (nginx too).

    ``checkout`` serves another copy of the repository (one process only).
    """
    defaults, processes = CONFIGS[config]
    if processes == 1:
        with started_server(streamlit_defaults=defaults, checkout=checkout) as server:
            yield server.url, [server.pid]
        return
    if checkout is not None:
        raise SystemExit("--checkout measures one process (defaults or project)")
    from deploy.serve import Cluster  # nginx is only needed for this config

    with Cluster(processes) as cluster, cluster.supervising():
        nginx = psutil.Process(cluster.nginx.pid)
        pids = [backend.process.pid for backend in cluster.backends]
        pids += [nginx.pid, *(child.pid for child in nginx.children())]
        yield cluster.url, pids


def warm_up(url: str, processes: int = 1) -> None:
    """Students through every page until every process has loaded its caches.

    Behind nginx new sessions go round-robin, so one student per process (two
    rounds, to be sure each is reached) warms every process's imports and caches.
    """
    for _ in range(2 * processes if processes > 1 else 1):
        _run(
            _simulate(
                url,
                Scenario("warm-up", students=1, ramp_s=0, think_s=0),
                open_timeout=60,
                run_timeout=120,
            )
        )


def _fmt(value: float, digits: int = 0) -> str:
    if value != value:  # NaN
        return "n/a"
    return f"{value:,.{digits}f}"


def report(results: Sequence[Result]) -> str:
    """A Markdown table of the results, then the project/defaults ratios."""
    lines = [
        "| Scenario | Server | Runs (control moves) | Errors (exc/failed/dropped) "
        "| p50 ms | p95 ms "
        "| max ms | Runs/s | Server CPU s | CPU ms/run | RSS MB start -> end "
        "| Growth after warm-up | Largest message kB | Load client CPU s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.scenario} | {r.settings} | {r.runs} ({r.moves}) "
            f"| {r.errors} "
            f"({r.exceptions}/{r.failed_runs}/{r.dropped_sessions}) "
            f"| {_fmt(r.p50_ms)} | {_fmt(r.p95_ms)} | {_fmt(r.max_ms)} "
            f"| {_fmt(r.runs_per_s, 1)} | {_fmt(r.cpu_s, 1)} "
            f"| {_fmt(r.cpu_ms_per_run, 1)} "
            f"| {_fmt(r.rss_start_mb)} -> {_fmt(r.rss_end_mb)} "
            f"| {_fmt(r.rss_growth_after_warmup * 100, 1)} % "
            f"| {_fmt(r.largest_message_kb)} | {_fmt(r.client_cpu_s, 1)} |"
        )
    for r in results:
        if r.p95_by_action:
            lines.append(
                f"\n{r.scenario}, {r.settings}: p95 ms by action: "
                + ", ".join(f"{a} {_fmt(v)}" for a, v in r.p95_by_action)
            )
        if r.missing_controls:
            lines.append(
                f"\n{r.scenario}, {r.settings}: controls not found on their pages: "
                + ", ".join(r.missing_controls)
            )
    by_key = {(r.scenario, r.settings): r for r in results}
    for scenario in dict.fromkeys(r.scenario for r in results):
        defaults = by_key.get((scenario, "defaults"))
        for config in CONFIGS:
            ours = by_key.get((scenario, config))
            if config == "defaults" or ours is None or defaults is None:
                continue
            if not (ours.p95_ms and ours.runs_per_s and ours.cpu_ms_per_run):
                continue
            lines.append(
                f"\n{scenario}: {config} vs Streamlit's defaults: "
                f"p95 {_fmt(defaults.p95_ms / ours.p95_ms, 1)}x lower, "
                "CPU per run "
                f"{_fmt(defaults.cpu_ms_per_run / ours.cpu_ms_per_run, 1)}x lower, "
                f"throughput {_fmt(ours.runs_per_s / defaults.runs_per_s, 1)}x"
            )
    return "\n".join(lines)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scenario",
        choices=[*SCENARIOS, "moves", "all"],
        action="append",
        help="a preset (repeatable; default: lecture, burst and soak); ``moves`` "
        "measures server CPU per control move on each page, one student alone",
    )
    parser.add_argument(
        "--moves", type=int, default=40, help="moves per page for ``moves``"
    )
    parser.add_argument(
        "--config",
        choices=list(CONFIGS),
        action="append",
        help="what to measure (repeatable; default: "
        + ", ".join(DEFAULT_CONFIGS)
        + "): one process with Streamlit's defaults, one with the project's "
        ".streamlit/config.toml, or N with the project's settings behind nginx "
        "(project x6 is make serve here)",
    )
    parser.add_argument("--students", type=int, help="override the preset")
    parser.add_argument("--ramp", type=float, help="seconds over which students start")
    parser.add_argument("--think", type=float, help="seconds between actions")
    parser.add_argument("--rounds", type=int, help="rounds per student")
    parser.add_argument(
        "--url",
        help="measure this running server (needs --pid) instead of starting one",
    )
    parser.add_argument(
        "--pid", type=int, action="append", default=[], help="server process ids"
    )
    parser.add_argument(
        "--checkout",
        type=Path,
        help="serve this copy of the repository instead (e.g. a git worktree of "
        "an earlier commit: before and after, in one run); one process only",
    )
    parser.add_argument("--open-timeout", type=float, default=60.0)
    parser.add_argument("--run-timeout", type=float, default=120.0)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen scenarios; print the table; exit 1 if any run had errors."""
    args = _arguments(argv)
    chosen = args.scenario or ["all"]
    names = (
        [*DEFAULT_SCENARIOS, *(n for n in chosen if n not in ("all", "moves"))]
        if "all" in chosen
        else [n for n in chosen if n != "moves"]
    )
    # A running server (--url) is measured once per scenario, named by its URL.
    settings = [args.url] if args.url else args.config or list(DEFAULT_CONFIGS)
    label = f" @ {args.checkout.name}" if args.checkout else ""
    results = []
    costs: list[MoveCost] = []
    if "moves" in chosen:
        for setting in settings:
            print(f"moves, {setting}: {args.moves} per page", file=sys.stderr)
            if args.url:
                warm_up(args.url)
                costs += move_costs(args.url, args.pid, setting, moves=args.moves)
                continue
            with _server(setting, args.checkout) as (url, pids):
                warm_up(url, CONFIGS[setting][1])
                costs += move_costs(url, pids, setting + label, moves=args.moves)
        print(move_report(costs), file=sys.stderr, flush=True)
    for name in names:
        scenario = dataclasses.replace(
            SCENARIOS[name],
            **{
                field: value
                for field, value in {
                    "students": args.students,
                    "ramp_s": args.ramp,
                    "think_s": args.think,
                    "rounds": args.rounds,
                }.items()
                if value is not None
            },
        )
        for setting in settings:
            print(
                f"{name}, {setting}: {scenario.students} students, "
                f"{scenario.ramp_s:g} s ramp, {scenario.think_s:g} s think, "
                f"{scenario.rounds} round(s)",
                file=sys.stderr,
                flush=True,
            )
            if args.url:
                url, pids = args.url, args.pid
                warm_up(url)
                results.append(
                    measure(url, pids, scenario, setting, run_timeout=args.run_timeout)
                )
                continue
            with _server(setting, args.checkout) as (url, pids):
                warm_up(url, CONFIGS[setting][1])
                results.append(
                    measure(
                        url,
                        pids,
                        scenario,
                        setting + label,
                        open_timeout=args.open_timeout,
                        run_timeout=args.run_timeout,
                    )
                )
            print(report(results[-1:]), file=sys.stderr, flush=True)
    if costs:
        print(move_report(costs))
        print()
    if results:
        print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
