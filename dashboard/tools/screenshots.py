"""Take screenshots of every page on a phone, a laptop and a projector.

The phone is 390×844 with touch (a mobile viewport), the laptop 1366×900 and
the projector 1920×1080 in presenter mode (``?present=true``): the three sizes
every change is looked at.

Usage: ``make screenshots`` (or ``python -m dashboard.tools.screenshots [OUT_DIR
[PAGE_SLUG …]]`` to take only some pages).
Writes PNGs to ``artifacts/screenshots`` by default; the README's picture is
copied from there by hand.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from dashboard.core.paths import REPO_ROOT
from dashboard.core.site import PAGES, PageSpec
from dashboard.serving.browser import CHROMIUM_ARGS, chromium_path
from dashboard.serving.streamlit_server import running_server

#: name → (width, height, query string, phone-like touch device)
SIZES = {
    "phone": (390, 844, "", True),
    "laptop": (1366, 900, "", False),
    "projector": (1920, 1080, "?present=true", False),
}


#: True once no placeholder is left.
NO_PLACEHOLDERS = "() => !document.querySelector('[data-testid=\"stSkeleton\"]')"
#: True once every shown Plotly chart has drawn its SVG (hidden tabs never do).
CHARTS_DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .filter((chart) => chart.offsetParent !== null)
    .every((chart) => chart.querySelector('.main-svg'))"""


def _wait_until_drawn(page, *, charts: bool) -> None:
    """Wait for the widgets (and, with ``charts``, every chart) to be drawn.

    The script can report ``notRunning`` while the browser still shows a
    section's placeholders (a section drawn by a fragment arrives just after).
    Plotly draws a chart only once it is in view, so ``charts`` is for the
    full-page shot, whose viewport holds the whole page.
    """
    page.wait_for_function(NO_PLACEHOLDERS, timeout=30_000)
    if charts:
        page.wait_for_function(CHARTS_DRAWN, timeout=30_000)


IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def first_screen(page) -> None:
    """Wait for the first run, its sections and the first chart shown."""
    page.wait_for_selector(IDLE)
    page.wait_for_selector("h1")
    _wait_until_drawn(page, charts=False)
    if page.locator(".js-plotly-plot").count():
        page.wait_for_selector(".js-plotly-plot .main-svg >> visible=true")


def settle(page) -> None:
    """Wait for the first screen, then show the whole page and wait for its charts.

    Streamlit scrolls inside its main container, not the body, and Plotly
    draws a chart only once it is in view: the viewport grows to the content
    height (same width) so every chart is drawn and can be measured.
    """
    first_screen(page)
    width = page.viewport_size["width"]
    full_height = page.evaluate(
        "document.querySelector('[data-testid=stMain]').scrollHeight"
    )
    page.set_viewport_size({"width": width, "height": int(full_height)})
    page.wait_for_selector(IDLE)
    _wait_until_drawn(page, charts=True)


def every_page_at_every_size(only: set[str]) -> Iterator[tuple[str, PageSpec, Page]]:
    """(size name, page spec, browser page opened on it) for each page and size.

    One server and one chromium for the lot; one browser context per size
    (touch for the phone). ``only`` names page slugs to keep (empty: all).
    The page is opened, not yet waited on.
    """
    browser_path = chromium_path()
    if browser_path is None:
        sys.exit("chromium is not installed (apt-get install -y chromium)")
    with running_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_path, args=list(CHROMIUM_ARGS)
        )
        for size_name, (width, height, query, touch) in SIZES.items():
            context = browser.new_context(
                viewport={"width": width, "height": height},
                is_mobile=touch,
                has_touch=touch,
            )
            page = context.new_page()
            for spec in PAGES:
                if only and spec.slug not in only:
                    continue
                page.set_viewport_size({"width": width, "height": height})
                page.goto(f"{url}/{spec.url_path}{query}")
                yield size_name, spec, page
            context.close()
        browser.close()


def main(out_dir: Path) -> None:
    """Screenshot each page at each size into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for size_name, spec, page in every_page_at_every_size(set(sys.argv[2:])):
        first_screen(page)
        path = out_dir / f"{spec.slug}-{size_name}.png"
        page.screenshot(path=str(path))
        print(path)
        settle(page)
        path = out_dir / f"{spec.slug}-{size_name}-full.png"
        page.screenshot(path=str(path))
        print(path)


if __name__ == "__main__":
    main(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else REPO_ROOT / "artifacts" / "screenshots"
    )
