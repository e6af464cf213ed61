"""Virtual patients in a real browser, on a laptop and on a phone.

Issue 20: both cases can be played end to end, the link reopens the point
reached, and the debrief shows the path against the recommended one. (Every
path of each case is walked by the engine's unit tests; here the recommended
path and one poor choice are clicked through.)
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.models import cases as engine
from tests.browser.conftest import open_path

pytestmark = pytest.mark.browser
EXCEPTION = "[data-testid='stException']"
CASES = {case.id: case for case in engine.load_cases()[0]}
SIZES = {
    "laptop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    },
}


def _label(case, node_id: str, choice_id: str) -> str:
    node = case.node(node_id)
    choice = next(ch for ch in node.choices if ch.id == choice_id)
    return engine.render(case, engine.PkState(), choice.label, "test", escape=False)


def _decide(page: Page, label: str) -> None:
    option = page.get_by_role("radio", name=label, exact=True)
    option.scroll_into_view_if_needed()
    option.check(force=True)
    page.get_by_role("button", name="Decide").click()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case_id", ["child-frns", "adult-mn"])
def test_a_case_plays_to_its_debrief(
    browser: Browser, server_url: str, case_id: str, size: str
) -> None:
    case = CASES[case_id]
    context = browser.new_context(**SIZES[size])
    page = context.new_page()
    try:
        open_path(page, server_url, f"cases?vp={quote_plus(case.title)}")
        state = engine.start(case)
        for step in engine.recommended_path(case).steps:
            view = engine.node(case, state)
            expect(page.get_by_role("heading", name=view.title)).to_be_visible()
            _decide(page, _label(case, step.node, step.choice))
            state = engine.choose(case, state, step.choice)
            expect(page).to_have_url(re.compile(rf"vp_at={engine.encode(state)}"))
        expect(page.get_by_role("heading", name="Debrief")).to_be_visible()
        expect(
            page.get_by_text("Every decision was the recommended one.")
        ).to_be_visible()
        expect(page.locator(EXCEPTION)).to_have_count(0)
    finally:
        context.close()


def test_a_poor_choice_then_the_link_reopens_the_point(
    page: Page, server_url: str
) -> None:
    case = CASES["child-frns"]
    first = case.node(case.start)
    poor = next(ch for ch in first.choices if ch.grade == "not recommended")
    open_path(page, server_url, f"cases?vp={quote_plus(case.title)}")
    _decide(page, _label(case, first.id, poor.id))
    expect(page.get_by_text(re.compile(r"Not recommended\."))).to_be_visible()
    expect(page.get_by_text("Recommended:", exact=False).first).to_be_visible()
    address = page.url
    page.goto(address)
    state = engine.choose(case, engine.start(case), poor.id)
    expect(
        page.get_by_role("heading", name=engine.node(case, state).title)
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"Not recommended\."))).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)
