"""Accessibility in a real browser: axe-core on every page, and keyboard-only use.

axe-core (bundled by ``axe-playwright-python``) checks each page against WCAG
2.0, 2.1 and 2.2 A/AA rules at three widths (a 1280 px laptop, a 1920 px
projector in presenter mode and a 390 px phone), once
the script is idle, its charts are drawn and every expander in the main area
is open (so the data tables behind the charts are checked too), with the window
as tall as the page (axe judges colour contrast only for what is in view). A
"serious" or "critical" violation fails the test, unless :data:`ALLOWED` names
its rule and a CSS selector around the node, with the reason.

The keyboard tests reach a page's main control with Tab alone, operate it with
Enter, Space or the arrow keys, and check that the page answered.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from dashboard.core.site import PAGES
from tests.browser.conftest import open_path, wait_idle

pytestmark = pytest.mark.browser
EXCEPTION = "[data-testid='stException']"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}
TABLE_LABEL = "Data behind this chart"
ROOT_FONT = "getComputedStyle(document.documentElement).fontSize"
CHARTS_DRAWN = """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
    .every(chart => chart.querySelector('.main-svg'))"""
# Expanders fade their content in: axe must see the final colours.
SETTLED = """() => document.getAnimations().every(
    a => a.playState !== 'running' || a.effect.getTiming().iterations === Infinity)"""
AXE = Axe()

#: (axe rule, CSS selector) pairs a violating node may match, and why.
ALLOWED = {
    (
        "color-contrast",
        '[data-testid="stWidgetLabel"][disabled]',
    ): "A disabled widget's label is faded on purpose, and WCAG 1.4.3 exempts "
    "inactive components; axe cannot tell, because Streamlit puts the label "
    "text in an aria-hidden span rather than a <label for> of the disabled input "
    "(the simulator's '…starting on day' slider before a drug is chosen).",
}


def _open_every_expander(page: Page) -> None:
    """Open the main area's closed expanders and wait for the charts' tables.

    Most expanders build their content only once opened (one rerun each).
    """
    main = page.get_by_test_id("stMain")
    # Only those shown at this width: the other form of a two-form layout
    # (ui/responsive.py) is hidden, and axe does not judge what is hidden.
    closed = main.locator("details:not([open]) > summary:visible")
    # Opening one can show another (a panel inside a panel): open until none
    # is left, a bounded number of times.
    for _ in range(60):
        if not closed.count():
            break
        closed.first.click()
        wait_idle(page)
    expect(closed).to_have_count(0)
    tables = main.get_by_test_id("stExpander").filter(has_text=TABLE_LABEL)
    tables = tables.filter(visible=True)
    for index in range(tables.count()):
        expect(tables.nth(index).get_by_test_id("stDataFrame")).to_be_visible()
    wait_idle(page)
    page.wait_for_function(SETTLED)


def _fit_the_page_in_the_window(page: Page, width: int) -> None:
    """Make the window as tall as the page: axe checks contrast only in view."""
    height = page.get_by_test_id("stMain").evaluate("main => main.scrollHeight")
    page.set_viewport_size({"width": width, "height": min(height + 100, 30_000)})
    page.wait_for_function(CHARTS_DRAWN)
    page.wait_for_function(SETTLED)


def _not_allowed(page: Page, violations: list[dict]) -> list[dict]:
    """Serious and critical violations, less nodes that :data:`ALLOWED` names."""
    left = []
    for violation in violations:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        selectors = [css for rule, css in ALLOWED if rule == violation["id"]]
        nodes = [
            node
            for node in violation["nodes"]
            if not any(
                page.evaluate(
                    "([target, css]) => !!document.querySelector(target)?.closest(css)",
                    [node["target"][-1], css],
                )
                for css in selectors
            )
        ]
        if nodes:
            left.append({**violation, "nodes": nodes})
    return left


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        node = v["nodes"][0]
        lines.append(
            f"- {v['id']} ({v['impact']}): {v['help']}; {len(v['nodes'])} node(s), "
            f"first {node['target']}: {' '.join(node['html'].split())[:240]}"
        )
    return "\n".join(lines)


#: (width in CSS px, presenter mode): a laptop, a projector, a phone.
VIEWS = {"default": (1280, False), "presenter": (1920, True), "phone": (390, False)}


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.slug)
def test_no_serious_axe_violations(
    page: Page, server_url: str, spec, view: str
) -> None:
    width, presenter = VIEWS[view]
    page.set_viewport_size({"width": width, "height": 900})
    open_path(page, server_url, spec.url_path + ("?present=true" if presenter else ""))
    page.wait_for_function(f"{ROOT_FONT} === '{'22px' if presenter else '16px'}'")
    page.wait_for_function(CHARTS_DRAWN)
    _open_every_expander(page)
    _fit_the_page_in_the_window(page, width)
    wait_idle(page)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    result = AXE.run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    ).response
    failing = _not_allowed(page, result["violations"])
    if failing:
        pytest.fail(
            f"axe found serious or critical violations on /{spec.url_path}"
            f" ({view} view, {width} px):\n{_describe(failing)}",
            pytrace=False,
        )
    assert result["passes"], "axe ran no rule at all"


def _tab_to(page: Page, target: Locator, *, limit: int = 200) -> int:
    """Press Tab until ``target`` has the focus; return how many presses it took."""
    expect(target).to_be_visible()
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("el => el.contains(document.activeElement)"):
            return presses
    pytest.fail(f"{target} never took the focus in {limit} presses of Tab")


# The focus ring may be drawn around the focused element or, for a slider,
# around its thumb (the <input> itself sits in a clipped, invisible box).
FOCUS_RING_SHOWN = """() => {
    const clipped = e => {
        for (let a = e; a; a = a.parentElement) {
            const s = getComputedStyle(a);
            if (s.clipPath !== 'none' || (s.clip && s.clip !== 'auto')) return true;
        }
        return false;
    };
    let el = document.activeElement;
    for (let up = 0; el && up < 4; up++, el = el.parentElement) {
        const s = getComputedStyle(el);
        const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
            || s.boxShadow !== 'none';
        if (ring && !clipped(el)) return true;
    }
    return false;
}"""


def _focused_and_visible(page: Page, target: Locator) -> None:
    """The focus is on ``target`` and a focus ring is drawn (WCAG 2.4.7)."""
    assert target.evaluate("el => el.contains(document.activeElement)")
    assert page.evaluate(FOCUS_RING_SHOWN), "the focused control shows no focus ring"


def _step_heading(page: Page, text: str) -> Locator:
    return page.get_by_role("heading", name=re.compile(rf"^Step {text}"))


def test_mechanism_steps_with_tab_enter_and_space(page: Page, server_url: str) -> None:
    open_path(page, server_url, "mechanism")
    expect(_step_heading(page, "1: Calcium and calmodulin")).to_be_visible()
    next_button = page.get_by_role("button", name=re.compile("Next"))
    _tab_to(page, next_button)
    _focused_and_visible(page, next_button)
    page.keyboard.press("Enter")
    expect(_step_heading(page, "2: Calcineurin frees NFAT")).to_be_visible()
    expect(page).to_have_url(re.compile(r"mech_step=2"))
    wait_idle(page)
    page.keyboard.press("Space")
    expect(_step_heading(page, "3: Tacrolimus and FKBP-12")).to_be_visible()
    expect(page).to_have_url(re.compile(r"mech_step=3"))
    wait_idle(page)
    # Stepping never flips the drug: at step 3 it is still off until the
    # student turns it on, with Space on the switch.
    diagram = page.locator(".js-plotly-plot").first
    expect(diagram).not_to_contain_text("blocked")
    toggle = page.get_by_role("switch", name="Tacrolimus present")
    expect(toggle).not_to_be_checked()
    _tab_to(page, toggle, limit=5)
    page.keyboard.press("Space")
    expect(toggle).to_be_checked()
    expect(diagram).to_contain_text("blocked")
    expect(page.get_by_role("figure")).to_have_attribute(
        "aria-label", re.compile(r"step 3 of 4, with tacrolimus")
    )
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_simulator_dose_moves_with_tab_and_arrow_keys(
    page: Page, server_url: str
) -> None:
    open_path(page, server_url, "monitoring")
    expect(page.get_by_text("trough is 7.1 ng/mL")).to_be_visible()
    # The chart's accessible name (its alt text) states the trough too.
    chart = page.get_by_role("figure").filter(has_text="the typical patient")
    expect(chart).to_have_attribute("aria-label", re.compile(r"trough 7\.1 "))
    dose = page.get_by_role("slider", name="Dose (mg/kg per dose)")
    _tab_to(page, dose)
    _focused_and_visible(page, dose)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("trough is 7.8 ng/mL")).to_be_visible()
    expect(page).to_have_url(re.compile(r"pk_dose=0\.11"))
    expect(chart).to_have_attribute("aria-label", re.compile(r"trough 7\.8 "))
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_text("trough is 6.4 ng/mL")).to_be_visible()
    expect(page).to_have_url(re.compile(r"pk_dose=0\.09"))
    expect(page.locator(EXCEPTION)).to_have_count(0)
