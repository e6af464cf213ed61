"""The live-class-check load tool against a real server.

Not a timed test: it checks that simulated students arriving as new browsers
get an identity from the page and answer through it (each counted once), rerun
the live panel as a browser does until the reveal, that each then draws the
results once and stops asking (a revealed poll costs the server nothing more),
and that the report prints.
"""

from __future__ import annotations

import pytest

from dashboard.core import polls
from dashboard.serving.streamlit_server import started_server
from dashboard.tools import pollload

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server_and_store(tmp_path_factory: pytest.TempPathFactory):
    database = f"sqlite:///{tmp_path_factory.mktemp('pollload') / 'polls.db'}"
    with started_server(env={"DATABASE_URL": database}) as running:
        yield running, polls.PollStore(database)


def test_waiting_students_rerun_until_the_reveal_then_stop(server_and_store) -> None:
    server, store = server_and_store
    result = pollload.measure(
        server.url, [server.pid], store, students=3, seconds=8, ramp=0, processes=1
    )
    assert result.exceptions == result.failed_runs == result.dropped_sessions == 0
    assert result.answered == 3  # each new browser answered once, through the page
    assert result.turned_away == 0
    assert result.p95_answer_ms > 0
    assert result.waiting == 3  # each page set up its live panel
    assert result.runs_before >= 3  # and reran it before the reveal
    # After the reveal each page draws the results once and stops rerunning;
    # a panel that kept going would rerun twice per student in these 4 s.
    assert result.stopped == 3
    assert result.runs_after <= 3
    assert 0 < result.p50_before_ms <= result.p95_before_ms <= result.max_ms
    assert result.cpu_s > 0
    assert "| 3 (3, 0, 3, 3) | 1 |" in pollload.report(result)
