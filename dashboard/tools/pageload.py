"""Page load in Debian's chromium, cold and warm, direct and behind nginx.

Usage: ``make page-load`` (or ``python -m dashboard.tools.pageload [--repeat N]``).
A measurement, not a test: it prints medians and PASS/FAIL against the targets
but always exits 0 once it has measured.

For each page (the Nephrotic syndrome page, whose charts are the heavy part,
and the Home page) it measures

* a **cold** load: a new browser context (empty HTTP cache, no cookies), and
* a **warm** load: a second tab in the same context (the cache now holds the
  hashed, ``immutable`` static files),

each against one dashboard server (**direct**, ``started_server``) and against
two dashboard processes **behind nginx** (``deploy.serve.running_cluster``; nginx
gzips JavaScript and CSS, Streamlit itself does not). Every server first serves
one unmeasured load per process and page, so Python imports and Streamlit's
caches are warm: "cold" means a student's empty browser, not a new server.

What is measured and how
------------------------

Times are milliseconds from the start of navigation (the page's ``timeOrigin``),
taken inside the page, so Playwright's polling adds nothing:

* TTFB, DOMContentLoaded (end of the event) from Navigation Timing;
* first contentful paint from Paint Timing;
* first chart: the first animation frame in which a ``.js-plotly-plot
  .main-svg`` has a non-empty box and is not ``visibility: hidden`` (what
  Playwright calls visible), checked on every ``requestAnimationFrame``;
* idle: the first change of ``stApp``'s ``data-test-script-state`` to
  ``notRunning``: the page opens ``initial``, so the first ``notRunning`` is the
  end of the first script run. ``running`` is not required in between: a run
  whose messages all arrive together can go from ``initial`` straight to
  ``notRunning`` in one render.

Bytes are counted twice:

* **transfer** (Resource Timing): the page's navigation ``transferSize`` plus
  every resource's ``transferSize`` (headers + body as received, 0 when served
  from the cache). It cannot see the websocket.
* **wire** (Chrome DevTools Protocol, the figure the target uses): every HTTP
  response's ``Network.loadingFinished.encodedDataLength`` (headers + body as
  received, so after gzip) plus the payload of every websocket frame received
  (``Network.webSocketFrameReceived``; base64 decoded for binary frames). The
  payload is the wire size less a few bytes of frame header as long as no
  ``permessage-deflate`` is negotiated; the report says if one was.

Requests are the HTTP requests that finished (``loadingFinished``), and of those
how many came from the cache; JS heap is ``Runtime.getHeapUsage().usedSize``
once the page is loaded. Counting stops when the charts are drawn, the script
is idle and the network has been quiet for 500 ms (at most 5 s more).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import dataclasses
import os
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.serving.browser import CHROMIUM_ARGS, chromium_path
from dashboard.serving.streamlit_server import started_server

#: Targets, checked on the cold load of the charts page behind nginx.
TARGET_FIRST_CHART_MS = 3000.0
TARGET_WIRE_BYTES = 3_000_000
#: The page with charts (the targets apply to it) and the Home page.
CHARTS_PAGE = "nephrotic-syndrome"
PAGES = (CHARTS_PAGE, "")
#: A common student-laptop window.
VIEWPORT = {"width": 1366, "height": 768}
CHART = ".js-plotly-plot .main-svg"
TIMEOUT_MS = 90_000

# Records every change of the app's script state and when the n-th Plotly chart
# first becomes visible. A MutationObserver sees each change however short, and
# keeps recording if animation frames are throttled; every animation frame checks
# too, for a chart that becomes visible through layout alone.
_OBSERVER = """
(() => {
  const record = { states: [], charts: [] };
  window.__pageload = record;
  const STATE = 'data-test-script-state';
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 &&
      getComputedStyle(el).visibility !== 'hidden';
  };
  const scan = () => {
    const now = performance.now();
    const app = document.querySelector("[data-testid='stApp']");
    const state = app ? app.getAttribute(STATE) : null;
    const last = record.states[record.states.length - 1];
    if (!last || last[0] !== state) record.states.push([state, now]);
    const plots = document.querySelectorAll('.js-plotly-plot');
    if (plots.length <= record.charts.length) return;
    let drawn = 0;
    for (const chart of plots) {
      const svg = chart.querySelector('.main-svg');
      if (svg && visible(svg)) drawn += 1;
    }
    while (record.charts.length < drawn) record.charts.push(now);
  };
  new MutationObserver(scan).observe(document, {
    attributes: true, attributeFilter: [STATE], childList: true, subtree: true,
  });
  const tick = () => { scan(); requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})();
"""

# True once `charts` charts were drawn and the first script run has finished (the
# page starts 'initial'; React may render a quick run's 'running' never at all).
_LOADED = """
(charts) => {
  const record = window.__pageload;
  if (!record || record.charts.length < charts) return false;
  return record.states.some((s) => s[0] === 'notRunning');
}
"""

# What the page recorded, for the message when it never finished loading.
_PROGRESS = """
() => ({
  url: location.href,
  readyState: document.readyState,
  visibility: document.visibilityState,
  states: window.__pageload ? window.__pageload.states : null,
  charts: window.__pageload ? window.__pageload.charts.length : null,
  plots: document.querySelectorAll('.js-plotly-plot').length,
  exceptions: document.querySelectorAll("[data-testid='stException']").length,
})
"""

_TIMINGS = """
() => {
  const record = window.__pageload;
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const resources = performance.getEntriesByType('resource');
  const idle = record.states.find((s) => s[0] === 'notRunning');
  return {
    ttfb: nav.responseStart,
    dcl: nav.domContentLoadedEventEnd,
    fcp: paint ? paint.startTime : null,
    charts: record.charts,
    idle: idle[1],
    transfer: resources.reduce((sum, r) => sum + r.transferSize, nav.transferSize),
  };
}
"""


class LoadTimeoutError(RuntimeError):
    """The page never drew its charts or finished its first run in time."""


@dataclasses.dataclass(frozen=True)
class Load:
    """One page load. Times in ms from navigation start; sizes in bytes.

    ``first_chart_ms`` and ``charts_ms`` (when the ``charts``-th chart was
    drawn) are ``None`` on a page measured without charts. ``largest`` holds
    the five responses with the most wire bytes, as (file name, bytes).
    """

    ttfb_ms: float
    dcl_ms: float
    fcp_ms: float | None
    first_chart_ms: float | None
    charts_ms: float | None
    idle_ms: float
    transfer_bytes: int
    wire_bytes: int
    websocket_bytes: int
    websocket_deflate: bool
    requests: int
    cached_requests: int
    heap_bytes: int
    largest: tuple[tuple[str, int], ...]


class _Network:
    """Counts what one tab receives, from Chrome DevTools Protocol events."""

    def __init__(self, page: Page) -> None:
        self.http: dict[str, int] = {}
        self.urls: dict[str, str] = {}
        self.cached: set[str] = set()
        self.pending: set[str] = set()
        self.websocket = 0
        self.deflate = False
        session = page.context.new_cdp_session(page)
        session.on("Network.requestWillBeSent", self._sent)
        session.on("Network.requestServedFromCache", self._from_cache)
        session.on("Network.responseReceived", self._response)
        session.on("Network.loadingFinished", self._finished)
        session.on("Network.loadingFailed", self._failed)
        session.on("Network.webSocketFrameReceived", self._frame)
        session.on("Network.webSocketHandshakeResponseReceived", self._handshake)
        session.send("Network.enable")
        self.session = session

    def _sent(self, event: dict) -> None:
        url = event["request"]["url"]
        if not url.startswith(("data:", "blob:")):
            self.pending.add(event["requestId"])
            self.urls[event["requestId"]] = url

    def _from_cache(self, event: dict) -> None:
        self.cached.add(event["requestId"])

    def _response(self, event: dict) -> None:
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            self.cached.add(event["requestId"])

    def _finished(self, event: dict) -> None:
        if event["requestId"] in self.pending:
            self.pending.discard(event["requestId"])
            self.http[event["requestId"]] = int(event["encodedDataLength"])

    def _failed(self, event: dict) -> None:
        self.pending.discard(event["requestId"])

    def _frame(self, event: dict) -> None:
        frame = event["response"]
        data = frame["payloadData"]
        binary = frame["opcode"] == 2  # RFC 6455: 2 is a binary frame
        self.websocket += len(base64.b64decode(data) if binary else data.encode())

    def _handshake(self, event: dict) -> None:
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        if "permessage-deflate" in headers.get("sec-websocket-extensions", ""):
            self.deflate = True

    def largest(self, count: int = 5) -> tuple[tuple[str, int], ...]:
        ranked = sorted(self.http.items(), key=lambda item: -item[1])[:count]
        return tuple(
            (PurePosixPath(urlsplit(self.urls[rid]).path).name or "/", size)
            for rid, size in ranked
        )


def measure_load(page: Page, url: str, *, charts: int = 1) -> Load:
    """Open ``url`` in the fresh tab ``page`` and measure the load.

    Waits until ``charts`` Plotly charts are drawn (0: none expected) and the
    first script run has finished, then until the network is quiet.
    ``page`` must not have navigated yet (its observers start with the load).

    Raises
    ------
    LoadTimeoutError
        After :data:`TIMEOUT_MS`, naming what the page had recorded (its script
        states, charts drawn, exceptions shown).
    """
    page.add_init_script(_OBSERVER)
    network = _Network(page)
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    try:
        page.wait_for_function(_LOADED, arg=charts, timeout=TIMEOUT_MS, polling=100)
    except PlaywrightTimeout as timeout:
        progress = page.evaluate(_PROGRESS)
        raise LoadTimeoutError(
            f"{url} did not finish loading within {TIMEOUT_MS / 1000:g} s "
            f"(waiting for {charts} chart(s) and the end of the first run); "
            f"the page recorded {progress}"
        ) from timeout
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_load_state("networkidle", timeout=5000)
    timings = page.evaluate(_TIMINGS)
    heap = network.session.send("Runtime.getHeapUsage")["usedSize"]
    drawn = timings["charts"]
    return Load(
        ttfb_ms=timings["ttfb"],
        dcl_ms=timings["dcl"],
        fcp_ms=timings["fcp"],
        first_chart_ms=drawn[0] if charts else None,
        charts_ms=drawn[charts - 1] if charts else None,
        idle_ms=timings["idle"],
        transfer_bytes=int(timings["transfer"]),
        wire_bytes=sum(network.http.values()) + network.websocket,
        websocket_bytes=network.websocket,
        websocket_deflate=network.deflate,
        requests=len(network.http),
        cached_requests=len(network.cached & network.http.keys()),
        heap_bytes=int(heap),
        largest=network.largest(),
    )


def cold_and_warm(
    browser: Browser, url: str, *, charts: int = 1, viewport: dict | None = None
) -> tuple[Load, Load]:
    """A cold load of ``url`` in a new context, then a warm one in a second tab."""
    context = browser.new_context(viewport=viewport or VIEWPORT)
    try:
        cold_page = context.new_page()
        cold = measure_load(cold_page, url, charts=charts)
        cold_page.close()
        warm = measure_load(context.new_page(), url, charts=charts)
    finally:
        context.close()
    return cold, warm


def cold_load(
    browser: Browser, url: str, *, charts: int = 1, viewport: dict | None = None
) -> Load:
    """One load of ``url`` in a new browser context (empty cache)."""
    context = browser.new_context(viewport=viewport or VIEWPORT)
    try:
        return measure_load(context.new_page(), url, charts=charts)
    finally:
        context.close()


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's chromium, headless, launched by Playwright (no browser download).

    Raises
    ------
    RuntimeError
        If chromium is not installed.
    """
    path = chromium_path()
    if path is None:
        raise RuntimeError("chromium is not installed (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()


def charts_on(page_path: str) -> int:
    """Charts to wait for on a page: one on the charts page, none elsewhere."""
    return 1 if page_path == CHARTS_PAGE else 0


# -- the report ----------------------------------------------------------------

Runs = dict[tuple[str, str, str], list[Load]]  # (setup, page, cold|warm) -> loads


def measure_setup(
    browser: Browser, base_url: str, setup: str, repeat: int, processes: int
) -> Runs:
    """Warm the server(s) up, then ``repeat`` cold + warm loads of every page."""
    for _ in range(processes):  # new contexts are spread round-robin by nginx
        for path in PAGES:
            cold_load(browser, f"{base_url}/{path}", charts=charts_on(path))
    runs: Runs = {}
    for run in range(repeat):
        for path in PAGES:
            cold, warm = cold_and_warm(
                browser, f"{base_url}/{path}", charts=charts_on(path)
            )
            runs.setdefault((setup, path, "cold"), []).append(cold)
            runs.setdefault((setup, path, "warm"), []).append(warm)
        print(f"  {setup}: run {run + 1}/{repeat} done", file=sys.stderr)
    return runs


def _median(loads: Sequence[Load], field: str) -> float | None:
    values = [getattr(load, field) for load in loads]
    if any(value is None for value in values):
        return None
    return statistics.median(values)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _size(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 1_000_000:
        return f"{value / 1_000_000:.2f} MB"
    return f"{value / 1000:.1f} kB"


def table(runs: Runs) -> list[str]:
    """Markdown table of the medians, one row per setup, page and cache state."""
    lines = [
        "| setup | page | load | TTFB | DCL | FCP | first chart | idle "
        "| transfer (RT) | wire (CDP) | websocket | requests (cached) | JS heap |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for (setup, path, state), loads in runs.items():
        requests = _median(loads, "requests")
        cached = _median(loads, "cached_requests")
        lines.append(
            f"| {setup} | /{path} | {state} "
            f"| {_ms(_median(loads, 'ttfb_ms'))} | {_ms(_median(loads, 'dcl_ms'))} "
            f"| {_ms(_median(loads, 'fcp_ms'))} "
            f"| {_ms(_median(loads, 'first_chart_ms'))} "
            f"| {_ms(_median(loads, 'idle_ms'))} "
            f"| {_size(_median(loads, 'transfer_bytes'))} "
            f"| {_size(_median(loads, 'wire_bytes'))} "
            f"| {_size(_median(loads, 'websocket_bytes'))} "
            f"| {requests:.0f} ({cached:.0f}) "
            f"| {_size(_median(loads, 'heap_bytes'))} |"
        )
    return lines


def targets(runs: Runs, nginx_missing: str | None) -> list[str]:
    """One line per target with PASS or FAIL (cold load of the charts page)."""
    loads = runs.get(("nginx", CHARTS_PAGE, "cold"))
    if not loads:
        reason = nginx_missing or "not measured"
        return [
            f"- First chart under {TARGET_FIRST_CHART_MS / 1000:.0f} s cold behind "
            f"nginx: NOT MEASURED ({reason})",
            f"- Under {TARGET_WIRE_BYTES / 1e6:.0f} MB transferred cold behind "
            f"nginx: NOT MEASURED ({reason})",
        ]
    chart = _median(loads, "first_chart_ms")
    wire = _median(loads, "wire_bytes")
    assert chart is not None
    assert wire is not None

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    return [
        f"- First chart under {TARGET_FIRST_CHART_MS / 1000:.0f} s, cold, behind "
        f"nginx: {chart:,.0f} ms: {verdict(chart < TARGET_FIRST_CHART_MS)}",
        f"- Under {TARGET_WIRE_BYTES / 1e6:.0f} MB transferred (wire, CDP), cold, "
        f"behind nginx: {_size(wire)}: {verdict(wire < TARGET_WIRE_BYTES)}",
    ]


def largest_assets(runs: Runs) -> list[str]:
    """The responses with the most wire bytes on the first cold charts-page load."""
    lines = []
    for setup in ("direct", "nginx"):
        loads = runs.get((setup, CHARTS_PAGE, "cold"))
        if loads:
            listed = ", ".join(
                f"{name} {_size(size)}" for name, size in loads[0].largest
            )
            lines.append(f"- {setup}: {listed}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, then print the Markdown report."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.tools.pageload", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="cold + warm loads per page and setup (default %(default)s)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if chromium_path() is None:
        print(
            "chromium is not installed (apt-get install -y chromium): nothing measured"
        )
        return 1

    from deploy.serve import ClusterError, nginx_path, running_cluster

    load_before = os.getloadavg()
    started = time.monotonic()
    runs: Runs = {}
    nginx_missing: str | None = None
    with chromium() as browser:
        version = browser.version
        with started_server() as server:
            runs.update(measure_setup(browser, server.url, "direct", args.repeat, 1))
        if nginx_path() is None:
            nginx_missing = "nginx is not installed (apt-get install -y nginx)"
        else:
            try:
                with running_cluster(processes=2) as url:
                    runs.update(measure_setup(browser, url, "nginx", args.repeat, 2))
            except ClusterError as error:
                nginx_missing = f"the nginx cluster did not start: {error}"
    deflate = any(load.websocket_deflate for loads in runs.values() for load in loads)
    websocket = "ON: payloads are uncompressed sizes" if deflate else "not negotiated"

    print(
        f"## Page load: chromium {version}, {os.cpu_count()} cores "
        f"(1-min load average {load_before[0]:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after), "
        f"median of {args.repeat}, {time.monotonic() - started:.0f} s in all\n"
    )
    if nginx_missing:
        print(f"**Behind nginx not measured: {nginx_missing}.** Direct only.\n")
    print("\n".join(table(runs)))
    print(
        "\nms from navigation start. direct = one `streamlit run`; nginx = 2 "
        "processes behind nginx (gzip). cold = new browser context; warm = second "
        "tab, same context. transfer (RT) = Resource Timing transferSize (no "
        "websocket); wire (CDP) = HTTP encodedDataLength + websocket payloads "
        f"received (permessage-deflate {websocket}). "
        f"Viewport {VIEWPORT['width']}x{VIEWPORT['height']}.\n"
    )
    print("### Targets\n")
    print("\n".join(targets(runs, nginx_missing)))
    print(f"\n### Largest responses, cold /{CHARTS_PAGE} (first run)\n")
    print("\n".join(largest_assets(runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
