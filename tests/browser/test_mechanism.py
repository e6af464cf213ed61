"""The Mechanism page in a real browser: keyboard stepping, the toggle, shared links.

The step-through and the questions are fragments: stepping or answering reruns
that section alone (Streamlit reports FINISHED_FRAGMENT_RUN_SUCCESSFULLY).
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    FRAGMENT_RUN,
    FULL_RUN,
    open_path,
    open_sidebar,
    wait_idle,
    watch_runs,
)

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


def test_stepping_reruns_the_step_through_only_and_the_handout_follows(
    page: Page, server_url: str, tmp_path: Path
) -> None:
    runs = watch_runs(page)
    open_path(page, server_url, "mechanism")
    _wait_for_shortcuts(page)
    start = len(runs.finished)
    page.get_by_role("button", name=re.compile("Next")).click()
    expect(_heading(page, "2: Calcineurin frees NFAT")).to_be_visible()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"mech_step=2"))
    assert runs.since(start) == [FRAGMENT_RUN]
    expect(page.locator(EXCEPTION)).to_have_count(0)
    expect(page.locator(DIAGRAM).first).to_contain_text("step 2 of 4")

    open_sidebar(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Handout (PDF)").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name == "tacrolimus-mechanism-handout.pdf"
    text = " ".join(
        pdfium.PdfDocument(target)[0].get_textpage().get_text_range().split()
    )
    assert "Step 2 of 4: Calcineurin frees NFAT" in text
    assert "mech_step=2" in text

    page.reload()
    expect(_heading(page, "2: Calcineurin frees NFAT")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_a_question_reruns_alone_and_its_step_button_reopens_the_step(
    page: Page, server_url: str
) -> None:
    runs = watch_runs(page)
    open_path(page, server_url, "mechanism")
    start = len(runs.finished)
    question = page.get_by_role(
        "radiogroup", name=re.compile("immune system is not the cause")
    )
    question.get_by_text("It depletes B cells").click()
    expect(page.get_by_text(re.compile("^Not quite"))).to_be_visible()
    wait_idle(page)
    assert runs.since(start) == [FRAGMENT_RUN]
    start = len(runs.finished)
    page.get_by_role("button", name="Show me step 4 (Podocyte)").click()
    expect(_heading(page, "4: Tacrolimus keeps synaptopodin")).to_be_visible()
    wait_idle(page)
    # The step-through is another fragment: the button reruns the whole page.
    assert runs.since(start)[-1] == FULL_RUN
    expect(page).to_have_url(re.compile(r"mech_lane=Podocyte"))
    expect(page).to_have_url(re.compile(r"mech_step=4"))
