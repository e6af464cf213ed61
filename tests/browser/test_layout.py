"""Every page on a phone, a laptop and a projector, measured in a real browser.

Issue 16's checks, at 390×844 (touch), 1366×900 and 1920×1080 in presenter
mode, on every page (:mod:`dashboard.tools.layout_probe` does the measuring,
the same code ``python -m dashboard.tools.layout_probe`` prints a report with):

* the page never scrolls sideways (a wide table scrolls in its own frame);
* every chart's plot area keeps a fair share of its width (:data:`FAIR_SHARE`);
* no two chart texts overlap, and none is cut off at its chart's edge;
* touch targets are at least 24×24 px, or spaced as WCAG 2.2 SC 2.5.8 allows;
* answer options are at least 44 px tall;
* the sidebar starts closed on a phone and on the projector, and no chart
  text on the projector is smaller than :data:`PROJECTOR_TEXT_PX`.

The window is made as tall as the page first: Plotly draws a chart only once
it is in view, and a chart never drawn cannot be measured.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from dashboard.core.site import PAGES
from dashboard.tools.layout_probe import MIN_ANSWER_PX, Layout, measure
from dashboard.tools.screenshots import SIZES, settle

pytestmark = pytest.mark.browser
#: The least share of a chart's width its plot area may keep.
FAIR_SHARE = 0.5
#: The smallest chart text a projector's 1080 lines may show, CSS px: at the
#: back of a 200-seat hall about 2.5 % of the screen's height per line of
#: body text (22 px here) reads; chart labels may be a little smaller.
PROJECTOR_TEXT_PX = 18
#: The teaching pages that draw charts.
TEACHING_WITH_CHARTS = ("nephrotic-syndrome", "mechanism", "efficacy", "monitoring")
#: Views beyond each page's first screen that have their own layout.
STATES = {
    "efficacy-all": "efficacy?eff_comparator=All",
    "mechanism-podocyte": "mechanism?mech_lane=Podocyte&mech_step=1&mech_drug=true",
}


def _open(browser: Browser, server_url: str, size: str, path: str) -> tuple:
    width, height, query, touch = SIZES[size]
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=touch, has_touch=touch
    )
    page: Page = context.new_page()
    if query:  # "?present=true" joins the view's own parameters
        path += ("&" if "?" in path else "?") + query.lstrip("?")
    page.goto(f"{server_url}/{path}")
    settle(page)
    return context, measure(page)


def _problems(found: Layout, size: str) -> list[str]:
    problems = []
    if size in ("phone", "projector") and found.sidebar_open:
        problems.append("the sidebar is open (it must start closed here)")
    smallest = found.smallest_chart_text
    if size == "projector" and smallest is not None and smallest < PROJECTOR_TEXT_PX:
        problems.append(
            f"a chart text is {smallest:g} px (at least {PROJECTOR_TEXT_PX})"
        )
    if found.sideways:
        problems.append(f"the page scrolls sideways by {found.sideways} px")
    problems += [
        f"chart {c['title']!r} keeps {c['plot_share']:.0%} of its width for its plot"
        for c in found.squeezed(FAIR_SHARE)
    ]
    problems += [
        f"in {o['chart']!r}, {o['a']!r} overlaps {o['b']!r}" for o in found.overlaps
    ]
    problems += [
        f"in {c['chart']!r}, {c['text']!r} is cut off by {c['px']} px"
        for c in found.cut
    ]
    problems += [
        f"target {t['target']!r} is {t['width']}×{t['height']} px"
        for t in found.small_targets
    ]
    problems += [
        f"answer {a['answer']!r} is {a['height']} px tall (at least {MIN_ANSWER_PX})"
        for a in found.short_answers()
    ]
    return problems


PATHS = [(spec.slug, spec.url_path) for spec in PAGES] + list(STATES.items())


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize(("name", "path"), PATHS, ids=[name for name, _ in PATHS])
def test_the_page_fits_the_screen(
    browser: Browser, server_url: str, name: str, path: str, size: str
) -> None:
    context, found = _open(browser, server_url, size, path)
    try:
        problems = _problems(found, size)
    finally:
        context.close()
    if problems:
        pytest.fail(
            f"/{path} at {size} size:\n- " + "\n- ".join(problems[:25]), pytrace=False
        )


CHART_PAGES = [s.url_path for s in PAGES if s.slug in TEACHING_WITH_CHARTS]


@pytest.mark.parametrize("width", [1280, 2560, 3840])
@pytest.mark.parametrize("path", CHART_PAGES)
def test_no_projected_chart_label_is_cut_at_any_projector_width(
    browser: Browser, server_url: str, path: str, width: int
) -> None:
    """Issue 16: from 1280 to 3840 px in presenter mode, nothing is cut off."""
    context = browser.new_context(viewport={"width": width, "height": 1080})
    try:
        page = context.new_page()
        page.goto(f"{server_url}/{path}?present=true")
        settle(page)
        found = measure(page)
    finally:
        context.close()
    problems = [
        p
        for p in _problems(found, "projector")
        if "target" not in p  # targets are checked at the three sizes above
    ]
    if problems:
        pytest.fail(f"/{path} at {width} px:\n- " + "\n- ".join(problems[:25]))
