"""The Nephrotic syndrome page in a real browser: section-only reruns and links.

Moving a control of the chain, the definitions switch or the classify exercise
reruns that section alone (Streamlit reports FINISHED_FRAGMENT_RUN_SUCCESSFULLY
for the run); the bound controls still write the address, the address reopens
the same view, and the handout shows the view as it is now.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    FRAGMENT_RUN,
    open_path,
    open_sidebar,
    wait_idle,
    watch_runs,
)

pytestmark = pytest.mark.browser
EXCEPTION = "[data-testid='stException']"


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
    # The chart of the chain follows the slider too.
    expect(page.locator(".js-plotly-plot").first).to_contain_text("6.1 g/day")

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


def test_the_definitions_switch_reruns_its_section_and_is_kept_in_the_link(
    page: Page, server_url: str
) -> None:
    runs = watch_runs(page)
    open_path(page, server_url, "nephrotic-syndrome")
    start = len(runs.finished)
    page.get_by_test_id("stButtonGroup").first.get_by_text("Children").click()
    expect(
        page.get_by_text("200 mg/mmol or more on a spot urine").first
    ).to_be_visible()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"ns_definition_group=Children"))
    assert runs.since(start) == [FRAGMENT_RUN]
    expect(page.locator(EXCEPTION)).to_have_count(0)
    page.reload()
    expect(
        page.get_by_text("200 mg/mmol or more on a spot urine").first
    ).to_be_visible()
    chosen = page.get_by_test_id("stButtonGroup").first.locator("[aria-checked='true']")
    expect(chosen).to_have_text("Children")


def test_the_classify_exercise_reruns_alone(page: Page, server_url: str) -> None:
    runs = watch_runs(page)
    open_path(page, server_url, "nephrotic-syndrome")
    expect(page.get_by_text(re.compile("^Meets the definition"))).to_be_visible()
    start = len(runs.finished)
    page.get_by_role("radiogroup", name="Oedema").get_by_text("Not examined").click()
    page.get_by_text("Serum albumin was measured").click()
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
