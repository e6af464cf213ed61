"""The monitoring page in a real browser: simulator controls and the case.

The simulator and the case are fragments: moving a control reruns that section
alone (Streamlit reports FINISHED_FRAGMENT_RUN_SUCCESSFULLY for the run).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Browser, Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser.conftest import (
    CALLBACK_ONLY,
    FRAGMENT_RUN,
    open_path,
    open_sidebar,
    wait_idle,
)

pytestmark = pytest.mark.browser
EXCEPTION = "[data-testid='stException']"


def test_simulator_reacts_to_its_controls(page: Page, server_url: str) -> None:
    open_path(page, server_url, "monitoring")
    expect(
        page.get_by_text("Teaching model, not for dosing patients.").first
    ).to_be_visible()
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
    page.get_by_role("button", name="Skip: show me without predicting").click()
    expect(
        page.get_by_text(re.compile(r"Starting azole antifungal on day 5 raises"))
    ).to_be_visible()
    chart = page.locator(".js-plotly-plot", has_text="the typical patient")
    expect(chart).to_contain_text("with azole antifungal")
    page.get_by_test_id("stButtonGroup").get_by_text("1,000 patients").click()
    expect(
        page.locator(".js-plotly-plot", has_text="troughs of 1000 simulated patients")
    ).to_be_visible()
    expect(
        page.get_by_text(
            re.compile(r"Of 1,000 simulated patients on this dose, \d+% have a trough")
        )
    ).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_a_picked_drug_asks_for_a_prediction_before_drawing_the_change(
    page: Page, server_url: str
) -> None:
    """Issue 21: the simulator asks for the prediction before the changed curve."""
    open_path(page, server_url, "monitoring")
    curve = page.locator(".js-plotly-plot", has_text="the typical patient")
    expect(curve).to_be_visible()
    picker = page.get_by_role(
        "combobox", name=re.compile("Compare: start another drug")
    )
    # Scrolled there first, as a reader does: the list closes if the page is
    # still scrolling when it opens.
    picker.scroll_into_view_if_needed()
    expect(picker).to_be_in_viewport()
    picker.click()
    page.get_by_role("option").filter(has_text="Azole antifungal (as observed").click()
    question = page.get_by_text(re.compile(r"^Predict first\. Azole antifungal starts"))
    expect(question).to_be_visible()
    wait_idle(page)
    # Nothing gives the answer away before the reveal.
    expect(curve).not_to_contain_text("with azole antifungal")
    expect(page.get_by_text(re.compile(r"^Starting azole antifungal"))).to_have_count(0)
    expect(page.get_by_test_id("stMetricDelta")).to_have_count(0)
    guess = page.get_by_label(re.compile(r"Your prediction: the trough with azole"))
    guess.fill("9")
    page.get_by_role("button", name="Reveal", exact=True).click()
    expect(
        page.get_by_text(re.compile(r"You predicted 9 ng/mL; the model gives"))
    ).to_be_visible()
    expect(curve).to_contain_text("with azole antifungal")
    expect(
        page.get_by_text(re.compile(r"Starting azole antifungal on day 5 raises"))
    ).to_be_visible()
    expect(question).to_have_count(0)
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_a_phone_gets_the_plan_as_cards(browser: Browser, server_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = open_path(context.new_page(), server_url, "monitoring")
    cards = page.locator(".st-key-narrow-only-mon-grid")
    expect(cards).to_be_visible()
    expect(cards.get_by_text("Whole-blood trough level", exact=True)).to_be_visible()
    expect(cards.get_by_text(re.compile(r"then adjust the dose"))).to_be_visible()
    expect(page.locator(".st-key-wide-only-mon-grid")).to_be_hidden()
    box = cards.bounding_box()
    assert box is not None
    assert box["width"] <= 390, "the cards fit the phone's width"
    context.close()


def test_a_laptop_gets_the_grid_first(browser: Browser, server_url: str) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = open_path(context.new_page(), server_url, "monitoring")
    grid = page.locator(".st-key-wide-only-mon-grid .js-plotly-plot")
    expect(grid).to_be_visible()
    expect(grid).to_contain_text("What to check, and when")
    expect(page.locator(".st-key-narrow-only-mon-grid")).to_be_hidden()
    harms = page.locator(".js-plotly-plot", has_text="Harms: ratios")
    grid_box, harms_box = grid.bounding_box(), harms.bounding_box()
    assert grid_box is not None
    assert harms_box is not None
    assert grid_box["y"] < harms_box["y"], "the plan comes before the harms"
    context.close()


def test_case_gives_feedback(page: Page, server_url: str) -> None:
    open_path(page, server_url, "monitoring")
    page.get_by_text("Work through the case: 9 results from week 2 to week 8").click()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_text(re.compile(r"0 of 18 right"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Threshold: ≥ 5.5 mmol/L"))).to_be_visible()


@dataclass
class Runs:
    """What the server sent for each script run: how it ended, the charts it drew."""

    finished: list[int] = field(default_factory=list)
    charts: list[list[str]] = field(default_factory=list)
    _drawing: list[str] = field(default_factory=list)

    def since(self, start: int) -> list[tuple[int, list[str]]]:
        """The runs from ``start`` on, without those that only ran a callback."""
        runs = list(zip(self.finished, self.charts, strict=True))[start:]
        return [(status, drawn) for status, drawn in runs if status != CALLBACK_ONLY]

    def frame(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        message = ForwardMsg()
        message.ParseFromString(payload)
        kind = message.WhichOneof("type")
        element = message.delta.new_element if kind == "delta" else None
        if element is not None and element.WhichOneof("type") == "plotly_chart":
            self._drawing.append(element.plotly_chart.id)
        elif kind == "script_finished":
            self.finished.append(message.script_finished)
            self.charts.append(self._drawing)
            self._drawing = []


def _watch(page: Page) -> Runs:
    runs = Runs()
    page.on("websocket", lambda ws: ws.on("framereceived", runs.frame))
    return runs


def _drew(drawn: list[str], key: str) -> bool:
    return any(key in chart_id for chart_id in drawn)


def test_moving_the_dose_reruns_the_simulator_alone(
    page: Page, server_url: str, tmp_path: Path
) -> None:
    runs = _watch(page)
    open_path(page, server_url, "monitoring")
    curve = page.locator(".js-plotly-plot", has_text="the typical patient")
    expect(curve).to_be_visible()
    expect(page.get_by_text("trough is 7.1 ng/mL")).to_be_visible()
    before = len(runs.finished)

    dose = page.get_by_role("slider", name="Dose (mg/kg per dose)")
    dose.focus()
    dose.press("ArrowRight")
    # (a) the section updates: its sentence, its metric and its curve.
    expect(page.get_by_text("trough is 7.8 ng/mL")).to_be_visible()
    # (b) the URL follows the bound control.
    expect(page).to_have_url(re.compile(r"pk_dose=0\.11"))
    wait_idle(page)
    ((status, drawn),) = runs.since(before)
    assert status == FRAGMENT_RUN
    assert _drew(drawn, "pk_curve")
    assert not _drew(drawn, "harms_forest")
    assert not _drew(drawn, "monitoring_plan")
    expect(curve).to_have_count(1)
    expect(page.locator(".js-plotly-plot", has_text="Harms: ratios")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)

    # (d) the handout, built when asked for, has the dose of the fragment run.
    open_sidebar(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Handout (PDF)").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name == "tacrolimus-trough-simulator-handout.pdf"
    text = " ".join(
        pdfium.PdfDocument(target)[0].get_textpage().get_text_range().split()
    )
    assert "2.20 mg every 12 h" in text
    assert "pk_dose=0.11" in text.replace(" ", "")

    # (c) reloading the address reopens the same state.
    page.goto(page.url)
    wait_idle(page)
    expect(page.get_by_text("trough is 7.8 ng/mL")).to_be_visible()
    dose = page.get_by_role("slider", name="Dose (mg/kg per dose)")
    expect(dose).to_have_value("0.11")


def test_genotype_and_view_rerun_the_simulator_alone(
    page: Page, server_url: str
) -> None:
    runs = _watch(page)
    open_path(page, server_url, "monitoring?pk_days=10")
    before = len(runs.finished)
    expect(page.get_by_text("trough is 7.1 ng/mL")).to_be_visible()
    page.get_by_text("CYP3A5 *1 carrier (expresser)").click()
    expect(page.get_by_text("trough is 2.8 ng/mL")).to_be_visible()
    expect(page).to_have_url(re.compile(r"pk_genotype="))
    expect(page).to_have_url(re.compile(r"pk_days=10"))
    wait_idle(page)
    ((status, drawn),) = runs.since(before)
    assert status == FRAGMENT_RUN
    assert _drew(drawn, "pk_curve")
    assert not _drew(drawn, "harms_forest")
    page.get_by_test_id("stButtonGroup").get_by_text("1,000 patients").click()
    expect(
        page.locator(".js-plotly-plot", has_text="troughs of 1000 simulated patients")
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"pk_view="))
    page.goto(page.url)
    wait_idle(page)
    expect(
        page.locator(".js-plotly-plot", has_text="1000 simulated patients")
    ).to_be_visible()
    expect(page.get_by_text("CYP3A5 *1 carrier (expresser)")).to_be_visible()
    expect(
        page.get_by_role("radio", name="CYP3A5 *1 carrier (expresser)")
    ).to_be_checked()


def test_the_case_reruns_alone(page: Page, server_url: str) -> None:
    runs = _watch(page)
    open_path(page, server_url, "monitoring")
    before = len(runs.finished)
    page.get_by_text("Work through the case").click()
    check = page.get_by_role("button", name="Check my answers")
    expect(check).to_be_visible()
    wait_idle(page)
    assert [status for status, _ in runs.since(before)] == [FRAGMENT_RUN]
    before = len(runs.finished)
    check.click()
    expect(page.get_by_text(re.compile(r"0 of 18 right"))).to_be_visible()
    wait_idle(page)
    ((status, drawn),) = runs.since(before)
    assert status == FRAGMENT_RUN
    assert drawn == []
    expect(page.get_by_text("trough is 7.1 ng/mL")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_a_projector_shows_the_grid_on_its_first_screen(
    browser: Browser, server_url: str
) -> None:
    # Issue 16: at 1920×1080 in presenter mode the first screen shows the thing
    # to teach (here the monitoring grid), not introductions.
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = open_path(context.new_page(), server_url, "monitoring?present=true")
    grid = page.locator(".st-key-wide-only-mon-grid .js-plotly-plot")
    expect(grid).to_be_visible()
    expect(grid.get_by_text("Whole-blood trough level")).to_be_visible()
    label = grid.get_by_text("Whole-blood trough level").bounding_box()
    assert label is not None
    assert label["y"] + label["height"] <= 1080, "the grid's first row is on screen"
    size = grid.get_by_text("Whole-blood trough level").evaluate(
        "(t) => parseFloat(getComputedStyle(t).fontSize)"
    )
    assert size >= 20, "row labels are projector-sized"
    context.close()
