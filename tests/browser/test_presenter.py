"""Presenter mode and shared links in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.core.site import PAGES
from tests.browser.conftest import open_path, wait_idle

pytestmark = pytest.mark.browser
ROOT_FONT = "getComputedStyle(document.documentElement).fontSize"


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.slug)
def test_presenter_mode_enlarges_type_on_every_page(
    page: Page, server_url: str, spec
) -> None:
    open_path(page, server_url, spec.url_path)
    assert page.evaluate(ROOT_FONT) == "16px"
    open_path(page, server_url, f"{spec.url_path}?present=true")
    page.wait_for_function(f"{ROOT_FONT} === '22px'")
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


TEACHING = [
    p
    for p in PAGES
    if p.slug in ("nephrotic-syndrome", "mechanism", "efficacy", "monitoring")
]


@pytest.mark.parametrize("spec", TEACHING, ids=lambda s: s.slug)
def test_teacher_notes_never_appear_on_the_projected_page(
    page: Page, server_url: str, spec
) -> None:
    open_path(page, server_url, f"{spec.url_path}?present=true")
    page.wait_for_function(f"{ROOT_FONT} === '22px'")
    page.get_by_test_id("stExpandSidebarButton").click()
    sidebar = page.get_by_test_id("stSidebar")
    expect(
        sidebar.get_by_role("link", name="presenter view", exact=True)
    ).to_be_visible()
    wait_idle(page)
    html = page.content()
    assert "Ten-minute script" not in html
    assert "Teacher notes:" not in html


def test_the_presenter_view_opens_from_the_projected_sidebar(
    page: Page, server_url: str
) -> None:
    open_path(page, server_url, "?present=true")
    page.wait_for_function(f"{ROOT_FONT} === '22px'")
    page.goto(f"{server_url}/mechanism?present=true")
    wait_idle(page)
    page.get_by_test_id("stExpandSidebarButton").click()
    href = page.get_by_role("link", name="presenter view", exact=True).get_attribute(
        "href"
    )
    assert href.endswith("/presenter-view?pv_page=mechanism")
    page.goto(f"{server_url}{href}")
    wait_idle(page)
    expect(page.get_by_text("Teacher notes: Mechanism")).to_be_visible()
    expect(page.get_by_text("Ten-minute script.")).to_be_visible()


def test_a_copied_link_reopens_the_view_in_a_fresh_context(
    page: Page, browser: Browser, server_url: str
) -> None:
    open_path(page, server_url, "nephrotic-syndrome")
    slider = page.get_by_role("slider", name="Urine protein (g/day)")
    slider.focus()
    for _ in range(3):
        slider.press("ArrowLeft")
    expect(page.get_by_text("At 5.7 g/day of urine protein")).to_be_visible()
    link = (
        page.get_by_test_id("stSidebar")
        .get_by_role("link", name=re.compile(r"ns_proteinuria="))
        .get_attribute("href")
    )
    assert re.search(r"ns_proteinuria=5\.7", link)
    fresh = browser.new_context()
    try:
        other = fresh.new_page()
        other.goto(link)
        expect(other.get_by_text("At 5.7 g/day of urine protein")).to_be_visible()
    finally:
        fresh.close()


def test_a_tampered_link_shows_a_notice_not_an_error(
    page: Page, server_url: str
) -> None:
    open_path(page, server_url, "nephrotic-syndrome?ns_proteinuria=abc&ns_driver=x")
    toast = page.get_by_test_id("stToast")
    expect(toast).to_contain_text("Part of this link could not be used")
    expect(toast).to_contain_text("ns_proteinuria=abc")
    expect(page.get_by_text("At 6.0 g/day of urine protein")).to_be_visible()
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
