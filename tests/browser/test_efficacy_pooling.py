"""The pooling sandbox in a real browser: pool, switch method, click out and in, share.

A student's whole round: open the page, include the cohorts, switch the
method, click a study on the forest plot to leave it out and again to bring
it back, then reopen the page from its address in a new tab and find the
same pool. Each step reruns the sandbox alone (a fragment run).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import (
    CALLBACK_ONLY,
    FRAGMENT_RUN,
    Runs,
    open_path,
    wait_idle,
    watch_runs,
)

pytestmark = pytest.mark.browser
EXCEPTION = "[data-testid='stException']"
CHEN = "IMN-CHEN-01"


FOREST = "Forest plot of the student's pool"


def _forest(page: Page) -> Locator:
    return page.locator(f"[data-testid='stPlotlyChart'][aria-label^=\"{FOREST}\"]")


def _headline(page: Page) -> Locator:
    return page.get_by_test_id("stMarkdownContainer").filter(
        has_text=re.compile(r"^Pooled (risk|odds) ratio")
    )


def _point(page: Page, trace: str) -> Locator:
    """The first point of the pooled (0) or left-out (1) studies' trace."""
    index = {"pooled": 0, "left out": 1}[trace]
    return _forest(page).locator(".scatterlayer .trace").nth(index).locator(".point")


def _click(page: Page, point: Locator) -> None:
    """Click a point as a user does (Plotly's drag layer picks the nearest one)."""
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _only_fragments_ran(page: Page, runs: Runs, before: int) -> None:
    for _ in range(300):
        if FRAGMENT_RUN in runs.finished[before:]:
            break
        page.wait_for_timeout(50)
    wait_idle(page)
    assert set(runs.finished[before:]) - {CALLBACK_ONLY} == {FRAGMENT_RUN}


def test_pool_switch_method_click_out_and_in_and_share(
    page: Page, server_url: str
) -> None:
    runs = watch_runs(page)
    open_path(page, server_url, "efficacy")
    headline = _headline(page)
    headline.scroll_into_view_if_needed()
    expect(headline).to_contain_text("from 1 study")
    expect(headline).to_contain_text(CHEN)

    # Include the cohorts: four studies pooled, with the warning.
    before = len(runs.finished)
    page.get_by_text("Observational studies", exact=True).click()
    expect(headline).to_contain_text("from 4 studies")
    expect(page.get_by_text("Observational rows are in this pool")).to_be_visible()
    expect(page).to_have_url(re.compile(r"pool_obs=true"))
    _only_fragments_ran(page, runs, before)

    # Switch the method: the headline and the address follow.
    before = len(runs.finished)
    page.get_by_role("combobox", name="Method").click()
    page.get_by_role("option", name="Fixed effect", exact=True).click()
    expect(headline).to_contain_text("fixed effect, Mantel-Haenszel")
    expect(page).to_have_url(re.compile(r"pool_method=Fixed\+effect"))
    _only_fragments_ran(page, runs, before)

    # Click Chen 2010 out of the pool, then back in.
    expect(_point(page, "pooled").first).to_be_visible()
    before = len(runs.finished)
    _click(page, _point(page, "pooled").first)
    expect(headline).to_contain_text("from 3 studies")
    expect(headline).not_to_contain_text(CHEN)
    expect(page).to_have_url(re.compile(rf"pool_out=[^&]*{CHEN}"))
    _only_fragments_ran(page, runs, before)
    expect(_point(page, "left out")).to_have_count(2)

    before = len(runs.finished)
    _click(page, _point(page, "left out").first)
    expect(headline).to_contain_text("from 4 studies")
    expect(headline).to_contain_text(CHEN)
    _only_fragments_ran(page, runs, before)

    # Out again; then, from the keyboard, a cohort out too: two studies left.
    _click(page, _point(page, "pooled").first)
    expect(headline).to_contain_text("from 3 studies")
    wait_idle(page)
    cohort = page.get_by_role("checkbox", name=re.compile(r"\(IMN-3REG-01\)"))
    cohort.focus()
    page.keyboard.press("Space")
    expect(headline).to_contain_text("from 2 studies")
    expect(page.get_by_text("Two studies only")).to_be_visible()
    wait_idle(page)

    # The address reopens exactly this pool in another browser.
    shown = headline.inner_text()
    address = page.url
    # A new browser context: another student's browser, sharing nothing.
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(viewport=page.viewport_size)
    other = context.new_page()
    other.goto(address)
    other.wait_for_selector("h1", timeout=30_000)
    wait_idle(other)
    reopened = _headline(other)
    reopened.scroll_into_view_if_needed()
    expect(reopened).to_have_text(shown)
    expect(_point(other, "left out")).to_have_count(3)
    expect(other.locator(EXCEPTION)).to_have_count(0)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    context.close()


def test_a_link_with_unknown_rows_opens_the_default_pool_with_a_notice(
    page: Page, server_url: str
) -> None:
    open_path(page, server_url, "efficacy?pool_in=NOT-A-ROW")
    notice = page.get_by_text(re.compile(r"Unknown rows NOT-A-ROW"))
    notice.scroll_into_view_if_needed()
    expect(notice).to_be_visible()
    expect(_headline(page)).to_contain_text("from 1 study")
    expect(page).not_to_have_url(re.compile(r"pool_in="))
    # The pooled row's source is one click away.
    page.get_by_role("button", name=CHEN).first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Where this number comes from")
    expect(dialog).to_contain_text("85% versus 65%")
    expect(page.locator(EXCEPTION)).to_have_count(0)
