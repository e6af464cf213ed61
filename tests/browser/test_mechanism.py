"""The Mechanism page in a real browser: keyboard stepping, the toggle, shared links."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import open_path, wait_idle

pytestmark = pytest.mark.browser
EXCEPTION = "[data-testid='stException']"
DIAGRAM = ".js-plotly-plot"


def _wait_for_shortcuts(page: Page) -> None:
    """The step buttons register their keys when drawn: wait until they are ready."""
    expect(page.get_by_role("button", name=re.compile("Next"))).to_be_enabled()
    expect(page.get_by_role("button", name=re.compile("Back"))).to_be_visible()


def _heading(page: Page, text: str):
    return page.get_by_role("heading", name=re.compile(rf"^Step {text}"))


def test_arrow_keys_step_through_every_stage(page: Page, server_url: str) -> None:
    open_path(page, server_url, "mechanism")
    expect(_heading(page, "1: Calcium and calmodulin")).to_be_visible()
    _wait_for_shortcuts(page)
    titles = [
        "2: Calcineurin frees NFAT",
        "3: Tacrolimus and FKBP-12",
        "4: NFAT stays outside",
    ]
    for title in titles:
        page.keyboard.press("ArrowRight")
        expect(_heading(page, title)).to_be_visible()
        # The heading is drawn before the run ends; a key pressed mid-run can
        # reach the buttons being redrawn and be lost.
        wait_idle(page)
    expect(page).to_have_url(re.compile(r"mech_step=4"))
    expect(page.get_by_role("button", name=re.compile("Next"))).to_be_disabled()
    page.keyboard.press("ArrowLeft")
    expect(_heading(page, "3: Tacrolimus and FKBP-12")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_arrow_keys_still_work_after_clicking_next(page: Page, server_url: str) -> None:
    open_path(page, server_url, "mechanism")
    page.get_by_role("button", name=re.compile("Next")).click()
    expect(_heading(page, "2: Calcineurin frees NFAT")).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(_heading(page, "3: Tacrolimus and FKBP-12")).to_be_visible()


def test_toggle_changes_the_drawn_diagram(page: Page, server_url: str) -> None:
    open_path(page, server_url, "mechanism?mech_step=4")
    diagram = page.locator(DIAGRAM).first
    expect(diagram).to_contain_text("IL-2 gene")
    expect(diagram).not_to_contain_text("blocked")
    page.get_by_test_id("stCheckbox").get_by_text("Tacrolimus present").click()
    expect(diagram).to_contain_text("blocked")
    expect(diagram).to_contain_text("FKBP-12")
    expect(page).to_have_url(re.compile(r"mech_drug=true"))


def test_a_copied_link_reopens_the_same_step_and_lane(
    page: Page, server_url: str
) -> None:
    open_path(page, server_url, "mechanism")
    page.get_by_test_id("stButtonGroup").get_by_text("Podocyte", exact=True).click()
    expect(_heading(page, "1: Calcineurin acts on synaptopodin")).to_be_visible()
    # The option group keeps arrow keys while focused: click the page first,
    # as the on-page hint says.
    page.locator("h1").click()
    _wait_for_shortcuts(page)
    page.keyboard.press("ArrowRight")
    expect(_heading(page, "2: Synaptopodin loses")).to_be_visible()
    link = page.url
    assert "mech_lane=Podocyte" in link
    assert "mech_step=2" in link
    fresh = page.context.new_page()
    fresh.goto(link)
    expect(_heading(fresh, "2: Synaptopodin loses")).to_be_visible()
    expect(fresh.locator(DIAGRAM).first).to_contain_text("cathepsin", ignore_case=True)
    fresh.close()


def test_a_link_cut_off_after_an_equals_sign_shows_the_default_selected(
    page: Page, server_url: str
) -> None:
    # A chat app may cut a link after "mech_lane=": the page names the empty value
    # and the lane control shows its default chosen, not a blank group.
    open_path(page, server_url, "mechanism?mech_lane=&mech_step=3")
    expect(page.get_by_test_id("stToast")).to_contain_text("mech_lane=")
    chosen = page.get_by_test_id("stButtonGroup").locator("[aria-checked='true']")
    expect(chosen).to_have_text(["T cell", "3"])
    expect(_heading(page, "3:")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)
