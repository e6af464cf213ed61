"""The Efficacy page in a real browser: charts drawn, filters, provenance on click."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import open_path, wait_idle

pytestmark = pytest.mark.browser
EXCEPTION = "[data-testid='stException']"


def test_forest_and_arm_charts_are_drawn(page: Page, server_url: str) -> None:
    open_path(page, server_url, "efficacy")
    forest = page.locator(".js-plotly-plot").first
    expect(forest).to_contain_text("Randomised evidence")
    expect(forest).to_contain_text("favours tacrolimus")
    # forest, arms, per-1000 and the guidance timeline
    expect(page.locator(".js-plotly-plot")).to_have_count(4)
    expect(page.locator(".js-plotly-plot").last).to_contain_text("KDIGO 2021")
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_outcome_filter_redraws_with_the_other_orientation(
    page: Page, server_url: str
) -> None:
    open_path(page, server_url, "efficacy")
    page.get_by_test_id("stButtonGroup").get_by_text("Relapse", exact=True).click()
    expect(page).to_have_url(re.compile(r"eff_outcome=Relapse"))
    forest = page.locator(".js-plotly-plot").first
    expect(forest).to_contain_text("← favours tacrolimus")
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_clicking_a_study_opens_its_source(page: Page, server_url: str) -> None:
    open_path(page, server_url, "efficacy?eff_disease=Steroid-resistant+NS")
    points = page.locator(".js-plotly-plot").first.locator(".scatterlayer .point")
    expect(points.first).to_be_visible()
    # Plotly's drag layer takes the click and picks the nearest point, as for a user.
    points.first.scroll_into_view_if_needed()
    box = points.first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Where this number comes from")
    expect(dialog).to_contain_text("Source:")
    expect(dialog.locator("blockquote")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_open_button_shows_the_quote(page: Page, server_url: str) -> None:
    open_path(page, server_url, "efficacy")
    page.get_by_role("button", name="Show source").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("85% versus 65%")
    # The link is the canonical record; the proxy copy read is audit text only.
    record = dialog.get_by_role("link", name=re.compile(r"^Chen M"))
    expect(record).to_have_attribute(
        "href", "https://pubmed.ncbi.nlm.nih.gov/20220333/"
    )
    expect(dialog).to_contain_text("Read at:")
    expect(dialog.locator("a[href*='weglot']")).to_have_count(0)
    wait_idle(page)


def test_selecting_a_table_row_opens_its_source(page: Page, server_url: str) -> None:
    open_path(page, server_url, "efficacy")
    table = page.get_by_test_id("stDataFrame")
    table.scroll_into_view_if_needed()
    expect(table).to_be_visible()
    # The first column of a selectable data frame holds the row checkboxes.
    box = table.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 14, box["y"] + 55)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Where this number comes from")
    expect(dialog).to_contain_text("85% versus 65%")
