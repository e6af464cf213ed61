"""A real server on a copy of ``content/`` with one broken mechanism file.

The review's H1: two bytes that are not UTF-8 in
``mechanism/60_cyclosporine.md`` once made all 7 pages show only Streamlit's
generic error box. Served from a broken copy (``DASHBOARD_CONTENT_DIR``), the
mechanism page must show the project's message, naming the file and the line,
in that section's place only, and every other page must look as it does on
the real content: its title, its charts, no exception box, no error.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from dashboard.core import content
from dashboard.core.paths import CONTENT_DIR
from dashboard.core.site import PAGE_SLUGS, PAGES
from dashboard.serving.browser import chromium_path
from dashboard.serving.streamlit_server import running_server
from tests.browser.conftest import open_path
from tests.conftest import missing_tool

pytestmark = pytest.mark.browser
EXCEPTION = "[data-testid='stException']"
ERROR_BOX = "[data-testid='stAlertContentError']"
CHART = "[data-testid='stPlotlyChart']"
CHARTS_DRAWN = """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
    .every(chart => chart.querySelector('.main-svg'))"""
BROKEN = "mechanism/60_cyclosporine.md"
#: True once the script is idle and the number of charts has not changed for
#: 1.5 s: Streamlit can report "notRunning" before the first run's elements
#: arrive, so an immediate count may read 0 on a page that draws 6 charts.
CHARTS_SETTLED = """() => {
    const idle = document.querySelector(
        "[data-testid='stApp'][data-test-script-state='notRunning']");
    const n = document.querySelectorAll("[data-testid='stPlotlyChart']").length;
    const now = performance.now();
    if (window.__chartCount !== n || !idle) {
        window.__chartCount = n;
        window.__chartSince = now;
        return false;
    }
    return now - window.__chartSince > 1500;
}"""


def _settled_chart_count(page: Page) -> int:
    page.wait_for_function(CHARTS_SETTLED, polling=100, timeout=30_000)
    return page.locator(CHART).count()


def _mechanism_titles() -> dict[str, str]:
    page = content.load_page(CONTENT_DIR, "mechanism", known_pages=PAGE_SLUGS)
    return {slug: doc.title for slug, doc in page.docs.items()}


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """(URL of a server on the broken copy, the line of the bad bytes)."""
    if chromium_path() is None:
        missing_tool(
            "Debian's chromium is not on PATH (apt-get install -y chromium)",
            "run the browser tests",
        )
    root = tmp_path_factory.mktemp("broken-content")
    copy = root / "content"
    shutil.copytree(CONTENT_DIR, copy, ignore=shutil.ignore_patterns("images"))
    path = copy / BROKEN
    lines = path.read_bytes().split(b"\n")
    line = lines.index(b"---", 1) + 2  # the first line of the body
    lines[line - 1] = b"\xff\xfe" + lines[line - 1]
    path.write_bytes(b"\n".join(lines))
    env = {
        "DASHBOARD_CONTENT_DIR": str(copy),
        "DATABASE_URL": f"sqlite:///{root / 'polls.db'}",
    }
    with running_server(env=env) as url:
        yield url, line


def _top(page: Page, selector: str, text: str | None = None) -> float:
    locator = page.locator(selector)
    if text is not None:
        locator = locator.filter(has_text=text)
    box = locator.first.bounding_box()
    assert box is not None, (selector, text)
    return box["y"]


def test_the_mechanism_page_shows_the_message_in_that_section_only(
    page: Page, broken: tuple[str, int]
) -> None:
    url, line = broken
    open_path(page, url, "mechanism")
    expect(page.locator("h1").first).to_have_text("How tacrolimus works")
    errors = page.locator(ERROR_BOX)
    expect(errors).to_have_count(1)
    expect(errors).to_contain_text("The comparison with cyclosporine cannot be shown")
    expect(errors).to_contain_text(f"content/{BROKEN}, line {line}: not valid UTF-8")
    expect(page.locator(EXCEPTION)).to_have_count(0)

    titles = _mechanism_titles()
    for slug in ("b_cells", "comparison", "reading", "check"):
        expect(page.locator("h2", has_text=titles[slug])).to_be_visible()
    expect(page.locator("h2", has_text=titles["cyclosporine"])).to_have_count(0)
    # In the cyclosporine section's place: after B cells, before the comparison.
    where = _top(page, ERROR_BOX)
    assert _top(page, "h2", titles["b_cells"]) < where
    assert where < _top(page, "h2", titles["comparison"])
    expect(page.locator(CHART)).to_have_count(2)  # the diagram, wide and narrow
    page.wait_for_function(CHARTS_DRAWN)


@pytest.mark.parametrize(
    "spec", [p for p in PAGES if p.slug != "mechanism"], ids=lambda s: s.slug
)
def test_every_other_page_is_as_on_the_real_content(
    page: Page, broken: tuple[str, int], server_url: str, spec
) -> None:
    open_path(page, server_url, spec.url_path)
    title = page.locator("h1").first.inner_text()
    charts = _settled_chart_count(page)

    url, _ = broken
    open_path(page, url, spec.url_path)
    expect(page.locator("h1").first).to_have_text(title)
    expect(page.locator(CHART)).to_have_count(charts)
    page.wait_for_function(CHARTS_DRAWN)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    expect(page.locator(ERROR_BOX)).to_have_count(0)
