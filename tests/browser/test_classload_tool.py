"""The class-load benchmark's simulated students against a real server.

Not a timed test: it checks that a simulated student really opens every page
and moves each page's control (so a renamed widget key cannot quietly turn the
benchmark into page loads only), with no errors, and that the report prints.
"""

from __future__ import annotations

import pytest

from dashboard.core.site import PAGES
from dashboard.serving.streamlit_server import started_server
from dashboard.tools import classload

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    with started_server() as running:
        yield running


def test_students_open_every_page_and_move_every_control(server) -> None:
    scenario = classload.Scenario("check", students=2, ramp_s=0, think_s=0)
    result = classload.measure(server.url, [server.pid], scenario, "project")
    pages = len(PAGES)  # home, six teaching pages and the presenter view
    assert result.missing_controls == ()
    assert result.moves == 2 * len(classload.CONTROLS)
    assert result.runs == 2 * pages + result.moves
    assert result.errors == 0
    assert 0 < result.p50_ms <= result.p95_ms <= result.max_ms
    assert result.cpu_s > 0
    assert result.rss_end_mb > 0
    table = classload.report([result])
    runs = f"{result.runs} ({result.moves})"
    assert f"| check | project | {runs} | 0 (0/0/0) |" in table


def test_a_server_that_is_gone_counts_dropped_sessions_not_a_crash() -> None:
    scenario = classload.Scenario("gone", students=3, ramp_s=0, think_s=0)
    with started_server() as gone:
        url, pid = gone.url, gone.pid
        result = classload.measure(url, [pid], classload.Scenario("warm", 1, 0, 0), "x")
        assert result.errors == 0
    tally = classload._run(
        classload._simulate(url, scenario, open_timeout=2, run_timeout=2)
    )
    assert tally.dropped_sessions == 3
    assert tally.latencies_ms == []
