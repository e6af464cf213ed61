"""The class-session load tool (``pollload --session``) against a real server.

Not a timed test: it checks that simulated students answer round 1 with
their confidence through the page, see the round-2 form appear by
themselves and answer it, see the results after the reveal, that each
answer is counted once per round, and that the report prints.
"""

from __future__ import annotations

import pytest

from dashboard.core import polls
from dashboard.serving.streamlit_server import started_server
from dashboard.tools import pollload_session

pytestmark = pytest.mark.browser


def test_a_hall_goes_through_two_rounds_in_a_session(tmp_path) -> None:
    database = f"sqlite:///{tmp_path / 'polls.db'}"
    store = polls.PollStore(database)
    with started_server(env={"DATABASE_URL": database}) as server:
        result = pollload_session.measure(
            server.url, [server.pid], store, students=3, seconds=12, ramp=0, processes=1
        )
    assert result.errors == 0
    assert result.turned_away == 0
    assert (result.answered_round_one, result.answered_round_two) == (3, 3)
    assert result.forms == 3  # every page drew the round-2 form by itself
    assert 0 < result.p50_form_ms <= result.p95_form_ms <= result.max_form_ms
    assert result.results == 3  # and the results after the reveal
    assert result.p95_results_ms > 0
    assert result.runs > 3
    assert result.cpu_s > 0
    assert "| 3 (3, 3, 0) | 1 |" in pollload_session.report(result)
