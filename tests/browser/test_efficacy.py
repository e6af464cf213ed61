"""The Efficacy page in a real browser: charts drawn, filters, provenance on click."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    CALLBACK_ONLY,
    FRAGMENT_RUN,
    Runs,
    open_path,
    open_sidebar,
    wait_idle,
    watch_runs,
)

pytestmark = pytest.mark.browser
EXCEPTION = "[data-testid='stException']"


def _until_a_fragment_ran(page: Page, runs: Runs, before: int) -> None:
    """Wait (up to 15 s) for a fragment run to finish after run number ``before``.

    A filter's callback run ends first and the page is briefly idle before
    the evidence's own run starts, so waiting for idle is not enough. Playwright
    delivers websocket frames while it waits.
    """
    for _ in range(300):
        if FRAGMENT_RUN in runs.finished[before:]:
            wait_idle(page)
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"no fragment run finished: {runs.finished[before:]}")


def _choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label``."""
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_forest_and_arm_charts_are_drawn(page: Page, server_url: str) -> None:
    open_path(page, server_url, "efficacy")
    forest = page.locator(".js-plotly-plot").first
    expect(forest).to_contain_text("Randomised evidence")
    expect(forest).to_contain_text("favours tacrolimus")
    # forest, arms, per-1000, the pooling forest, the icon array and the
    # guidance timeline
    expect(page.locator(".js-plotly-plot")).to_have_count(6)
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


def test_the_disease_filter_reruns_the_evidence_section_and_sets_the_url(
    page: Page, server_url: str
) -> None:
    runs = watch_runs(page)
    open_path(page, server_url, "efficacy")
    forest = page.locator(".js-plotly-plot").first
    expect(forest).to_contain_text("Lin 2019")
    claims = page.get_by_text(re.compile(r"^Superior remission · "))
    expect(claims.first).to_contain_text("membranous nephropathy")
    before = len(runs.finished)

    _choose(page, "Disease", "Lupus nephritis")
    expect(page).to_have_url(re.compile(r"eff_disease=Lupus\+nephritis"))
    expect(forest).not_to_contain_text("Lin 2019")
    expect(forest).to_contain_text("vs cyclophosphamide")
    # The claims and the data table further down follow the same filter.
    expect(claims.first).to_contain_text("lupus nephritis")
    table = page.get_by_test_id("stDataFrame")
    expect(table).to_contain_text("lupus nephritis")
    _until_a_fragment_ran(page, runs, before)
    # Only the evidence section ran again, as a fragment.
    assert runs.finished[before:]
    assert set(runs.finished[before:]) - {CALLBACK_ONLY} == {FRAGMENT_RUN}

    # A new disease opens on its own single comparator.
    expect(page.get_by_role("combobox", name="Compared with")).to_have_value(
        "Cyclophosphamide"
    )
    before = len(runs.finished)
    _choose(page, "Compared with", "All")
    expect(page).to_have_url(re.compile(r"eff_comparator=All"))
    expect(page).to_have_url(re.compile(r"eff_disease=Lupus\+nephritis"))
    _until_a_fragment_ran(page, runs, before)
    assert set(runs.finished[before:]) - {CALLBACK_ONLY} == {FRAGMENT_RUN}
    expect(page.locator(EXCEPTION)).to_have_count(0)

    # The address reopens the same filters.
    address = page.url
    page.goto(address)
    page.wait_for_selector("h1", timeout=30_000)
    wait_idle(page)
    expect(page.get_by_role("combobox", name="Disease")).to_have_value(
        "Lupus nephritis"
    )
    expect(page.get_by_role("combobox", name="Compared with")).to_have_value("All")
    expect(claims.first).to_contain_text("lupus nephritis")
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_the_handout_follows_the_filter_chosen_in_the_section(
    page: Page, server_url: str, tmp_path: Path
) -> None:
    open_path(page, server_url, "efficacy")
    _choose(page, "Disease", "Lupus nephritis")
    expect(page).to_have_url(re.compile(r"eff_disease=Lupus\+nephritis"))
    wait_idle(page)
    open_sidebar(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Handout (PDF)").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    text = " ".join(
        pdfium.PdfDocument(target)[0].get_textpage().get_text_range().split()
    )
    assert "Filters: disease lupus nephritis;" in text
    assert "eff_disease=Lupus+nephritis" in text.replace(" ", "")


def test_a_filter_without_ratios_then_with_them_offers_the_handout(
    page: Page, server_url: str
) -> None:
    # No forest plot (so no handout) on the full run; the section's rerun adds one.
    open_path(page, server_url, "efficacy?eff_comparator=Rituximab")
    expect(page.get_by_text("No ratio (RR, OR or HR) matches")).to_be_visible()
    open_sidebar(page)
    handout = page.get_by_role("button", name="Handout (PDF)")
    expect(handout).to_have_count(0)
    _choose(page, "Compared with", "All")
    expect(page.locator(".js-plotly-plot").first).to_contain_text("Lin 2019")
    expect(handout).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_opening_the_timeline_sources_reruns_only_the_timeline(
    page: Page, server_url: str
) -> None:
    runs = watch_runs(page)
    open_path(page, server_url, "efficacy")
    before = len(runs.finished)
    sources = page.get_by_text("Where the timeline comes from")
    sources.scroll_into_view_if_needed()
    sources.click()
    expect(page.get_by_text(re.compile(r"^KDIGO 2021: MN: CNI"))).to_be_visible()
    _until_a_fragment_ran(page, runs, before)
    assert runs.finished[before:]
    assert set(runs.finished[before:]) - {CALLBACK_ONLY} == {FRAGMENT_RUN}
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_a_phone_reads_the_verdict_then_the_forest_plot(
    browser, server_url: str
) -> None:
    # 390 px, touch: the verdict comes first, then the plot, and each row of the
    # plot prints its effect and interval inside the chart.
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        open_path(page, server_url, "efficacy")
        verdict = page.locator(".st-key-eff-verdict")
        expect(verdict).to_contain_text("vs cyclophosphamide, remission")
        expect(verdict).to_contain_text("RR 1.01 [0.89–1.15]")
        forest = page.locator(".js-plotly-plot").first
        expect(forest).to_contain_text("RR 1.01 [0.89–1.15]")
        expect(forest).to_contain_text("OR odds ratio · RR risk ratio")
        verdict_box, forest_box = verdict.bounding_box(), forest.bounding_box()
        assert verdict_box is not None
        assert forest_box is not None
        assert verdict_box["y"] + verdict_box["height"] <= forest_box["y"]
        # The plot area keeps most of the chart's width (labels sit above rows).
        share = forest.evaluate("gd => gd._fullLayout._size.w / gd._fullLayout.width")
        assert share > 0.9
        expect(page.locator(EXCEPTION)).to_have_count(0)
    finally:
        context.close()
