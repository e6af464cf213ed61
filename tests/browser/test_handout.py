"""Handout PDFs download from a real browser, open, and show the current view."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import open_path, open_sidebar, wait_idle

pytestmark = pytest.mark.browser


def _download_handout(page: Page, tmp_path: Path) -> Path:
    open_sidebar(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Handout (PDF)").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("nephrotic-syndrome?ns_proteinuria=6.1", "6.1 g/day"),
        ("mechanism?mech_lane=Podocyte&mech_step=3&mech_drug=true", "with tacrolimus"),
        ("monitoring?pk_weight=30", "30 kg"),
        ("efficacy", "Ratios read tacrolimus-based vs comparator"),
        ("", "course map"),
        ("quiz", "Questions and your first attempts"),
        ("cases", "Decisions taken"),
    ],
)
def test_handout_downloads_opens_and_shows_the_view(
    page: Page, server_url: str, tmp_path: Path, path: str, expected: str
) -> None:
    open_path(page, server_url, path)
    pdf_path = _download_handout(page, tmp_path)
    assert pdf_path.name.endswith("-handout.pdf")
    document = pdfium.PdfDocument(pdf_path)
    # The quiz lists the whole bank with every source, over several pages;
    # every other handout is one page.
    if path == "quiz":
        assert len(document) > 1
        last = document[len(document) - 1].get_textpage().get_text_range()
        assert f"Page {len(document)} of {len(document)}" in last
    else:
        assert len(document) == 1
    image = document[0].render(scale=1.5).to_pil()
    image.save(tmp_path / "handout.png")  # rendered to pixels: it really opens
    assert image.width > 800
    text = document[0].get_textpage().get_text_range().replace("\r\n", " ")
    assert expected in text
    assert "not clinical advice" in text
    query = path.partition("?")[2]
    if query:
        assert query.split("&")[0] in text.replace(" ", "").replace("\n", "")


@pytest.mark.parametrize(
    ("choice", "magic", "title"),
    [
        ("SVG", b"<svg", "Download plot"),
        ("PNG", b"\x89PNG", "Download plot as a PNG"),  # Plotly's own titles
    ],
)
def test_chart_toolbar_downloads_the_chosen_format(
    page: Page, server_url: str, tmp_path: Path, choice: str, magic: bytes, title: str
) -> None:
    open_path(page, server_url, "nephrotic-syndrome")
    open_sidebar(page)
    page.get_by_test_id("stSidebar").get_by_text(choice, exact=True).click()
    plot = page.locator(".js-plotly-plot").first
    button = plot.locator(f".modebar-btn[data-title='{title}']").first
    expect(button).to_be_attached()  # the rerun has applied the choice
    wait_idle(page)
    plot.hover()
    with page.expect_download() as info:
        button.click()
    name = info.value.suggested_filename
    assert name.startswith("tacrolimus-")
    assert name.endswith(f".{choice.lower()}")
    saved = tmp_path / name
    info.value.save_as(saved)
    assert magic in saved.read_bytes()[:400]
