"""The monitoring page in a real browser: simulator controls and the case."""

from __future__ import annotations

import re
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import open_path

pytestmark = pytest.mark.browser
EXCEPTION = "[data-testid='stException']"


def test_simulator_reacts_to_its_controls(page: Page, server_url: str) -> None:
    open_path(page, server_url, "monitoring")
    expect(page.get_by_text("Teaching model, not for dosing patients.")).to_be_visible()
    expect(page.get_by_text("trough is 7.1 ng/mL")).to_be_visible()
    dose = page.get_by_role("slider", name="Dose (mg/kg per dose)")
    dose.focus()
    dose.press("ArrowRight")
    expect(page.get_by_text("trough is 7.8 ng/mL")).to_be_visible()
    expect(page).to_have_url(re.compile(r"pk_dose=0\.11"))
    page.get_by_text("CYP3A5 *1 carrier (expresser)").click()
    expect(page).to_have_url(re.compile(r"pk_genotype="))
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_compare_mode_and_population_view(page: Page, server_url: str) -> None:
    # Bound select boxes carry their label in the URL, as a shared link does.
    label = quote_plus(
        "Azole antifungal (as observed in this paediatric NS cohort, Huang 2018)"
    )
    open_path(page, server_url, f"monitoring?pk_drug={label}")
    expect(
        page.get_by_text(re.compile(r"Starting azole antifungal on day 5 raises"))
    ).to_be_visible()
    chart = page.locator(".js-plotly-plot", has_text="the typical patient")
    expect(chart).to_contain_text("with azole antifungal")
    page.get_by_test_id("stButtonGroup").get_by_text("1,000 patients").click()
    expect(
        page.locator(".js-plotly-plot", has_text="1000 simulated patients")
    ).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_case_gives_feedback(page: Page, server_url: str) -> None:
    open_path(page, server_url, "monitoring")
    page.get_by_text("Work through the case").click()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_text(re.compile(r"0 of 18 right"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Threshold: ≥ 5.5 mmol/L"))).to_be_visible()
