"""The Mechanism page in a real browser: keyboard stepping, the toggle, shared links.

The step-through and the questions are fragments: stepping or answering reruns
that section alone (Streamlit reports FINISHED_FRAGMENT_RUN_SUCCESSFULLY).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Browser, Page, expect

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
LANE_TITLES = {"tcell": "In the T cell", "podocyte": "In the podocyte"}
LANE_PARAMS = {"tcell": "T cell", "podocyte": "Podocyte"}


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
        "1: Calcineurin acts on synaptopodin",
        "2: Synaptopodin loses",
        "3: The actin skeleton fails",
        "4: Tacrolimus keeps synaptopodin",
    ]
    for title in titles:
        page.keyboard.press("ArrowRight")
        expect(_heading(page, title)).to_be_visible()
        # The heading is drawn before the run ends; a key pressed mid-run can
        # reach the buttons being redrawn and be lost.
        wait_idle(page)
    assert _screen_state(page.url) == ("podocyte", 4, False)
    expect(page.get_by_role("button", name=re.compile("Next"))).to_be_disabled()
    expect(
        page.get_by_text(re.compile("^So proteinuria falls because"))
    ).to_be_visible()
    # Stepping never switched the drug on, at step 3 or anywhere else.
    expect(page).not_to_have_url(re.compile(r"mech_drug=true"))
    page.keyboard.press("ArrowLeft")
    expect(_heading(page, "3: The actin skeleton fails")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)


def _screen_state(url: str) -> tuple[str, int, bool]:
    """(lane, step, drug) that an address opens; a missing value is the default."""
    params = dict(parse_qsl(urlsplit(url).query))
    lanes = {label: lane for lane, label in LANE_PARAMS.items()}
    return (
        lanes[params.get("mech_lane", "T cell")],
        int(params.get("mech_step", "1")),
        params.get("mech_drug", "false") == "true",
    )


def _expect_link_is_the_screen(page: Page, lane: str, step: int, drug: bool) -> None:
    """The diagram, the address and "Link to this view" all show (lane, step, drug)."""
    drug_words = "with tacrolimus" if drug else "without tacrolimus"
    expect(page.locator(DIAGRAM).first).to_contain_text(
        f"{LANE_TITLES[lane]}: step {step} of 4, {drug_words}"
    )
    wait_idle(page)
    assert _screen_state(page.url) == (lane, step, drug)
    link = page.get_by_test_id("stSidebar").locator(
        "[data-testid='stMarkdownContainer'] a[href*='mechanism']"
    )
    href = link.get_attribute("href")
    assert href is not None
    assert _screen_state(href) == (lane, step, drug), href


def test_the_link_to_this_view_follows_every_next_back_and_arrow_key(
    page: Page, server_url: str
) -> None:
    open_path(page, server_url, "mechanism")
    open_sidebar(page)
    _wait_for_shortcuts(page)
    _expect_link_is_the_screen(page, "tcell", 1, False)
    next_button = page.get_by_role("button", name=re.compile("Next"))
    back_button = page.get_by_role("button", name=re.compile("Back"))

    next_button.click()
    _expect_link_is_the_screen(page, "tcell", 2, False)
    page.keyboard.press("ArrowRight")
    _expect_link_is_the_screen(page, "tcell", 3, False)
    page.get_by_test_id("stCheckbox").get_by_text("Tacrolimus present").click()
    _expect_link_is_the_screen(page, "tcell", 3, True)
    page.locator("h1").click()  # the switch keeps arrow keys while focused
    page.keyboard.press("ArrowRight")
    _expect_link_is_the_screen(page, "tcell", 4, True)
    next_button.click()
    _expect_link_is_the_screen(page, "podocyte", 1, True)
    page.keyboard.press("ArrowRight")
    _expect_link_is_the_screen(page, "podocyte", 2, True)
    page.keyboard.press("ArrowLeft")
    _expect_link_is_the_screen(page, "podocyte", 1, True)
    back_button.click()
    _expect_link_is_the_screen(page, "tcell", 4, True)
    page.keyboard.press("ArrowLeft")
    _expect_link_is_the_screen(page, "tcell", 3, True)
    back_button.click()
    _expect_link_is_the_screen(page, "tcell", 2, True)
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_next_crosses_from_the_t_cell_into_the_podocyte(
    page: Page, server_url: str
) -> None:
    open_path(page, server_url, "mechanism?mech_step=4")
    expect(_heading(page, "4: NFAT stays outside")).to_be_visible()
    page.get_by_role("button", name=re.compile("Next")).click()
    expect(_heading(page, "1: Calcineurin acts on synaptopodin")).to_be_visible()
    chosen = page.get_by_test_id("stButtonGroup").locator("[aria-checked='true']")
    expect(chosen).to_have_text(["Podocyte", "1"])
    expect(page.locator(DIAGRAM).first).to_contain_text("In the podocyte: step 1")
    expect(page).to_have_url(re.compile(r"mech_lane=Podocyte"))
    page.get_by_role("button", name=re.compile("Back")).click()
    expect(_heading(page, "4: NFAT stays outside")).to_be_visible()
    expect(chosen).to_have_text(["T cell", "4"])


def test_a_lane_picked_by_hand_opens_at_its_first_step(
    page: Page, server_url: str
) -> None:
    open_path(page, server_url, "mechanism?mech_step=3")
    page.get_by_test_id("stButtonGroup").get_by_text("Podocyte", exact=True).click()
    expect(_heading(page, "1: Calcineurin acts on synaptopodin")).to_be_visible()
    wait_idle(page)
    assert _screen_state(page.url) == ("podocyte", 1, False)


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
    item = page.locator(".st-key-check-quiz_mech-podocyte")
    item.get_by_test_id("stRadioGroup").get_by_text(
        re.compile("^It removes B cells")
    ).click()
    wait_idle(page)
    item.get_by_role("radiogroup", name="How sure are you?").get_by_role(
        "radio", name="Sure", exact=True
    ).click()
    wait_idle(page)
    # No feedback until the answer is rated and checked.
    expect(page.get_by_text(re.compile("^Not quite"))).to_have_count(0)
    item.get_by_role("button", name="Check", exact=True).click()
    expect(page.get_by_text(re.compile("^Not quite"))).to_be_visible()
    wait_idle(page)
    assert set(runs.since(start)) == {FRAGMENT_RUN}
    start = len(runs.finished)
    page.get_by_role("button", name="Show me step 4 (Podocyte)").click()
    expect(_heading(page, "4: Tacrolimus keeps synaptopodin")).to_be_visible()
    wait_idle(page)
    # The step-through is another fragment: the button reruns the whole page.
    assert runs.since(start)[-1] == FULL_RUN
    expect(page).to_have_url(re.compile(r"mech_lane=Podocyte"))
    expect(page).to_have_url(re.compile(r"mech_step=4"))


def test_a_phone_gets_the_diagram_top_to_bottom(
    browser: Browser, server_url: str
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = open_path(context.new_page(), server_url, "mechanism?mech_step=4")
    narrow = page.locator(".st-key-narrow-only-mech-diagram .js-plotly-plot")
    expect(narrow).to_be_visible()
    expect(narrow).to_contain_text("step 4 of 4")
    expect(page.locator(".st-key-wide-only-mech-diagram")).to_be_hidden()
    box = narrow.bounding_box()
    assert box is not None
    assert box["height"] > box["width"], "the phone's diagram is taller than wide"
    context.close()


def test_a_projector_shows_the_step_its_caption_and_the_buttons_first(
    browser: Browser, server_url: str
) -> None:
    # Issue 16: at 1920×1080 in presenter mode, the first screen is the thing
    # to teach, with its controls; the narration may follow below.
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = open_path(context.new_page(), server_url, "mechanism?present=true")
    diagram = page.locator(".st-key-wide-only-mech-diagram .js-plotly-plot")
    expect(diagram.locator(".main-svg").first).to_be_attached()
    shown = {
        "Next": page.get_by_role("button", name=re.compile("Next")),
        "Back": page.get_by_role("button", name=re.compile("Back")),
        "heading": _heading(page, "1: Calcium and calmodulin"),
        "caption": page.get_by_text(re.compile(r"^Stop 1 of 8")),
        "diagram": diagram,
    }
    for name, locator in shown.items():
        expect(locator).to_be_visible()
        box = locator.bounding_box()
        assert box is not None
        assert box["y"] + box["height"] <= 1080, f"{name} is below the first screen"
    context.close()
