"""The dashboard in a real browser, served exactly as users run it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dashboard.core.site import PAGES
from tests.browser.conftest import open_path, wait_idle

pytestmark = pytest.mark.browser
EXCEPTION = "[data-testid='stException']"


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.slug)
def test_each_navigation_link_opens_its_page(page: Page, server_url: str, spec) -> None:
    open_path(page, server_url)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=spec.title).click()
    expect(page).to_have_url(re.compile(rf"/{spec.url_path}$"))
    expect(page.locator("h1").first).to_be_visible()
    wait_idle(page)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    expect(page.get_by_text("Page not found")).to_have_count(0)


def test_home_links_to_the_nephrotic_syndrome_page(page: Page, server_url: str) -> None:
    open_path(page, server_url)
    expect(page.locator("h1").first).to_have_text("Tacrolimus in nephrotic syndrome")
    main = page.get_by_test_id("stMain")
    main.get_by_role("link", name="Nephrotic syndrome", exact=True).click()
    expect(page.locator("h1").first).to_have_text("Nephrotic syndrome")


def test_plotly_charts_are_drawn(page: Page, server_url: str) -> None:
    open_path(page, server_url, "nephrotic-syndrome")
    charts = page.locator(".js-plotly-plot .main-svg")
    expect(charts.first).to_be_visible()
    # Plotly draws two SVG layers per chart; every chart must have its layers
    # (six charts, the chain in its wide and its narrow form).
    expect(page.locator(".js-plotly-plot")).to_have_count(7)
    for index in range(7):
        expect(
            page.locator(".js-plotly-plot").nth(index).locator(".main-svg").first
        ).to_be_attached()
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_slider_moves_with_the_keyboard_and_updates_the_text(
    page: Page, server_url: str
) -> None:
    open_path(page, server_url, "nephrotic-syndrome")
    expect(page.get_by_text("At 6.0 g/day of urine protein")).to_be_visible()
    slider = page.get_by_role("slider", name="Urine protein (g/day)")
    slider.focus()
    slider.press("ArrowRight")
    expect(page.get_by_text("At 6.1 g/day of urine protein")).to_be_visible()
    expect(page).to_have_url(re.compile(r"ns_proteinuria=6\.1"))


def test_a_link_reopens_the_same_view(page: Page, server_url: str) -> None:
    open_path(page, server_url, "nephrotic-syndrome?ns_proteinuria=3.2")
    expect(page.get_by_text("At 3.2 g/day of urine protein")).to_be_visible()
    open_path(
        page, server_url, "nephrotic-syndrome?ns_driver=Serum+albumin&ns_albumin=33"
    )
    expect(page.get_by_role("slider", name="Serum albumin (g/L)")).to_be_visible()
    expect(page.get_by_text("settles at 33.0 g/L")).to_be_visible()


@pytest.mark.parametrize(
    "query",
    [
        "ns_proteinuria=abc",
        "ns_proteinuria=1e999",
        "ns_driver=%3Cscript%3E",
        "ns_albumin=-5&junk=1",
        "ns_definition_group=nobody",
    ],
)
def test_bad_url_parameters_fall_back_without_a_traceback(
    page: Page, server_url: str, query: str
) -> None:
    open_path(page, server_url, f"nephrotic-syndrome?{query}")
    expect(page.get_by_text("At 6.0 g/day of urine protein")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_classify_unit_mistake_shows_a_message(page: Page, server_url: str) -> None:
    open_path(page, server_url, "nephrotic-syndrome")
    call = page.get_by_role("radiogroup", name="Your call first")
    call.get_by_text("Meets the definition", exact=True).click()
    expect(
        page.get_by_text("Meets the definition of nephrotic syndrome in an adult.")
    ).to_be_visible()
    albumin = page.get_by_label("Serum albumin", exact=True)
    albumin.fill("2.4")
    albumin.press("Enter")
    expect(page.get_by_text("switch the unit to g/dL")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)
    page.get_by_text("g/dL", exact=True).click()
    # A changed entry clears the call: the student decides again first.
    call.get_by_text("Meets the definition", exact=True).click()
    expect(
        page.get_by_text("Meets the definition of nephrotic syndrome in an adult.")
    ).to_be_visible()
