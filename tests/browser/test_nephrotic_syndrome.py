"""The Nephrotic syndrome page in a real browser: section-only reruns, links, phones.

Moving a control of the chain, the definitions switch or the classify exercise
reruns that section alone (Streamlit reports FINISHED_FRAGMENT_RUN_SUCCESSFULLY
for the run); the bound controls still write the address, the address reopens
the same view, and the handout shows the view as it is now. On a phone the
chain is drawn top to bottom, and the page never scrolls sideways.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    FRAGMENT_RUN,
    open_path,
    open_sidebar,
    wait_idle,
    watch_runs,
)

pytestmark = pytest.mark.browser
EXCEPTION = "[data-testid='stException']"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
}
WIDE_CHAIN = ".st-key-wide-only-ns-chain .js-plotly-plot"
NARROW_CHAIN = ".st-key-narrow-only-ns-chain .js-plotly-plot"
DEFINITIONS = "The definitions side by side"


def _sentence(page: Page, protein: str):
    return page.get_by_text(re.compile(rf"^At {re.escape(protein)} g/day of urine"))


def test_moving_the_chain_slider_reruns_the_chain_only(
    page: Page, server_url: str, tmp_path: Path
) -> None:
    runs = watch_runs(page)
    open_path(page, server_url, "nephrotic-syndrome")
    expect(_sentence(page, "6.0")).to_be_visible()
    start = len(runs.finished)
    page.get_by_role("slider", name="Urine protein (g/day)").focus()
    page.keyboard.press("ArrowRight")
    expect(_sentence(page, "6.1")).to_be_visible()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"ns_proteinuria=6\.1"))
    assert runs.since(start) == [FRAGMENT_RUN]
    expect(page.locator(EXCEPTION)).to_have_count(0)
    # The chart of the chain follows the slider too (the wide form, at 1280 px).
    expect(page.locator(WIDE_CHAIN)).to_contain_text("6.1 g/day")

    # The handout is of the view as it is now, with the link that reopens it.
    open_sidebar(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Handout (PDF)").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name == "tacrolimus-nephrotic-syndrome-handout.pdf"
    text = " ".join(
        pdfium.PdfDocument(target)[0].get_textpage().get_text_range().split()
    )
    assert "6.1 g/day (nephrotic range)" in text
    assert "ns_proteinuria=6.1" in text

    page.reload()
    expect(_sentence(page, "6.1")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)


def _open_definitions(page: Page) -> None:
    page.locator("summary").filter(has_text=DEFINITIONS).click()


def _definition_group(page: Page):
    return page.get_by_test_id("stButtonGroup").filter(has_text="Children")


def test_the_definitions_switch_reruns_its_section_and_is_kept_in_the_link(
    page: Page, server_url: str
) -> None:
    runs = watch_runs(page)
    open_path(page, server_url, "nephrotic-syndrome")
    # The tables are reference material, in a closed panel.
    expect(_definition_group(page)).to_be_hidden()
    _open_definitions(page)
    start = len(runs.finished)
    _definition_group(page).get_by_text("Children").click()
    expect(
        page.get_by_text("200 mg/mmol or more on a spot urine").first
    ).to_be_visible()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"ns_definition_group=Children"))
    assert runs.since(start) == [FRAGMENT_RUN]
    expect(page.locator(EXCEPTION)).to_have_count(0)
    page.reload()
    _open_definitions(page)
    expect(
        page.get_by_text("200 mg/mmol or more on a spot urine").first
    ).to_be_visible()
    chosen = _definition_group(page).locator("[aria-checked='true']")
    expect(chosen).to_have_text("Children")


def test_the_classify_exercise_asks_first_and_reruns_alone(
    page: Page, server_url: str
) -> None:
    runs = watch_runs(page)
    open_path(page, server_url, "nephrotic-syndrome")
    verdict = page.get_by_text(
        "Meets the definition of nephrotic syndrome in an adult."
    )
    call = page.get_by_role("radiogroup", name=re.compile("Your call first"))
    expect(call).to_be_visible()
    expect(verdict).to_have_count(0)  # nothing gives the answer away
    start = len(runs.finished)
    call.get_by_text("Does not meet it").click()
    expect(page.get_by_text(re.compile("Not this time: you said"))).to_be_visible()
    expect(verdict).to_be_visible()
    # A changed patient asks for a new call.
    page.get_by_role("radiogroup", name="Oedema").get_by_text("Not examined").click()
    page.get_by_text("Serum albumin was measured").click()
    expect(verdict).to_have_count(0)
    call.get_by_text("Cannot decide from these results").click()
    expect(page.get_by_text(re.compile("Your prediction was right"))).to_be_visible()
    expect(page.get_by_text(re.compile("^Cannot decide yet"))).to_be_visible()
    wait_idle(page)
    assert set(runs.since(start)) == {FRAGMENT_RUN}
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_every_on_this_page_link_has_its_heading(page: Page, server_url: str) -> None:
    open_path(page, server_url, "nephrotic-syndrome")
    line = page.get_by_test_id("stMarkdown").filter(has_text="On this page:")
    links = line.get_by_role("link")
    expect(links).to_have_count(6)
    for index in range(links.count()):
        anchor = links.nth(index).get_attribute("href").split("#", 1)[1]
        heading = page.locator(f"h2[id='{anchor}']")
        expect(heading).to_have_count(1)
    links.get_by_text("Classify a patient").click()
    expect(page).to_have_url(re.compile(r"#classify-a-patient$"))
    expect(page.locator("h2[id='classify-a-patient']")).to_be_in_viewport()


def test_a_phone_shows_the_chain_top_to_bottom_and_never_scrolls_sideways(
    browser: Browser, server_url: str
) -> None:
    phone = browser.new_context(**PHONE)
    try:
        page = open_path(phone.new_page(), server_url, "nephrotic-syndrome")
        narrow = page.locator(NARROW_CHAIN)
        expect(narrow).to_be_visible()
        expect(page.locator(WIDE_CHAIN)).to_be_hidden()
        expect(narrow).to_contain_text("↓ low · ! abnormal")
        box = narrow.bounding_box()
        assert box is not None
        assert box["height"] > box["width"]
        # The slider sits directly above the chain.
        slider = page.get_by_role("slider", name="Urine protein (g/day)")
        slider_box = slider.bounding_box()
        assert slider_box is not None
        assert slider_box["y"] < box["y"]
        assert box["y"] - slider_box["y"] < 400
        # Open the reference tables too: they scroll in their frame, not the page.
        _open_definitions(page)
        expect(page.get_by_role("table").first).to_be_visible()
        sideways = page.evaluate(
            """() => {
              const root = document.scrollingElement;
              const main = document.querySelector('[data-testid="stMain"]');
              return Math.max(root.scrollWidth - root.clientWidth,
                              main.scrollWidth - main.clientWidth);
            }"""
        )
        assert sideways == 0
    finally:
        phone.close()


def test_a_laptop_shows_the_chain_left_to_right_beside_its_slider(
    page: Page, server_url: str
) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    open_path(page, server_url, "nephrotic-syndrome")
    wide = page.locator(WIDE_CHAIN)
    expect(wide).to_be_visible()
    expect(page.locator(NARROW_CHAIN)).to_be_hidden()
    box = wide.bounding_box()
    assert box is not None
    assert box["width"] > box["height"]
    slider = page.get_by_test_id("stSlider").bounding_box()
    assert slider is not None
    # Beside the chain, and both on the first screen.
    assert slider["x"] + slider["width"] <= box["x"]
    assert slider["y"] < 900
    assert box["y"] + box["height"] / 2 < 900
