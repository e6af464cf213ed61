"""The page-load tool (`make page-load`) measures sane numbers: no time limits here."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from dashboard.tools import pageload
from dashboard.tools.pageload import CHARTS_PAGE, cold_and_warm

pytestmark = pytest.mark.browser


def test_a_cold_and_a_warm_load_are_measured(browser: Browser, server_url: str) -> None:
    cold, warm = cold_and_warm(browser, f"{server_url}/{CHARTS_PAGE}", charts=1)
    for load in (cold, warm):
        assert 0 < load.ttfb_ms <= load.dcl_ms
        assert load.fcp_ms is not None
        assert load.fcp_ms > 0
        assert load.first_chart_ms is not None
        assert load.first_chart_ms > load.dcl_ms
        assert load.idle_ms > 0
        assert load.transfer_bytes > 0
        assert load.websocket_bytes > 0  # the page itself comes over the websocket
        assert load.wire_bytes > load.websocket_bytes
        assert load.requests > 0
        assert load.heap_bytes > 0
        # The wire count takes websocket payloads as sent: true while uncompressed.
        assert not load.websocket_deflate
    # The hashed static files are cached for a year: the warm tab loads them from
    # the cache, so it receives far less over HTTP than the cold one.
    assert warm.cached_requests > 0
    assert cold.cached_requests == 0
    assert warm.transfer_bytes < cold.transfer_bytes / 10
    assert cold.largest[0][1] > 0


def test_a_load_that_never_finishes_says_what_the_page_recorded(
    browser: Browser, server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pageload, "TIMEOUT_MS", 3000)
    context = browser.new_context()
    try:
        # Home has no chart, so waiting for one can only time out.
        with pytest.raises(pageload.LoadTimeoutError) as raised:
            pageload.measure_load(context.new_page(), f"{server_url}/", charts=1)
    finally:
        context.close()
    message = str(raised.value)
    assert "did not finish loading within 3 s" in message
    assert "'initial'" in message  # the states it saw, from the first render
    assert "'notRunning'" in message
    assert "'charts': 0" in message
