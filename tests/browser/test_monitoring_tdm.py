"""The measured-levels mode in a real browser: a virtual patient, then entered levels.

Issue 17's "Done when": a student draws a virtual patient, guesses, sees the
fit, the band narrowing and the proposed dose; and enters levels of their own,
with a clear message for a bad one.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import open_path, wait_idle

pytestmark = pytest.mark.browser
EXCEPTION = "[data-testid='stException']"


def _course(page: Page):
    return page.locator(
        ".js-plotly-plot", has_text="Troughs: the population and this patient"
    )


def test_a_virtual_patient_is_fitted_after_a_guess(page: Page, server_url: str) -> None:
    open_path(page, server_url, "monitoring?tdm_patient=12")
    expect(page.get_by_text("Patient 12:")).to_be_visible()
    expect(_course(page)).to_be_visible()
    expect(_course(page)).not_to_contain_text("this patient: median")
    guess = page.get_by_label("Your dose (mg each time)")
    guess.scroll_into_view_if_needed()
    guess.fill("3")
    page.get_by_role("button", name="Show the fit").click()
    expect(page.get_by_text(re.compile(r"Your guess, 3 mg, is"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"the fit proposes \d"))).to_be_visible()
    expect(page.get_by_text("Teaching estimate, not a dose.").first).to_be_visible()
    expect(_course(page)).to_contain_text("this patient: median")
    clearance = page.locator(".js-plotly-plot", has_text="Clearance: the population")
    expect(clearance).to_be_visible()
    expect(page.get_by_text("How the estimate narrowed")).to_be_visible()
    # Fewer levels: the guess is asked for again, and the link keeps the choice.
    slider = page.get_by_role("slider", name=re.compile("Levels the fit uses"))
    slider.focus()
    slider.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"tdm_used=3"))
    expect(page.get_by_text("Guess the dose first.")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_entered_levels_are_checked_then_fitted(page: Page, server_url: str) -> None:
    open_path(page, server_url, "monitoring")
    page.get_by_test_id("stButtonGroup").get_by_text("Levels I enter").click()
    wait_idle(page)
    page.get_by_label("Day of level 1").fill("1")
    page.get_by_label("Hours after that day's first dose, level 1").fill("0")
    page.get_by_label("Level 1 (ng/mL)").fill("6")
    page.get_by_role("button", name="Fit these levels").click()
    expect(page.get_by_text(re.compile("drawn before the first dose"))).to_be_visible()
    page.get_by_label("Day of level 1").fill("4")
    page.get_by_role("button", name="Fit these levels").click()
    expect(page.get_by_text("Guess the dose first.")).to_be_visible()
    page.get_by_role("button", name="Skip the guess").click()
    expect(
        page.get_by_text(re.compile(r"From 1 level, this patient's clearance"))
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"the fit proposes \d"))).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)
