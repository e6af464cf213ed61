"""Handout PDFs download from a real browser, open, and show the current view."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Page

from tests.browser.conftest import open_path

pytestmark = pytest.mark.browser


def _download_handout(page: Page, tmp_path: Path) -> Path:
    expand = page.get_by_test_id("stExpandSidebarButton")
    if expand.is_visible():
        expand.click()
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
    ],
)
def test_handout_downloads_opens_and_shows_the_view(
    page: Page, server_url: str, tmp_path: Path, path: str, expected: str
) -> None:
    open_path(page, server_url, path)
    pdf_path = _download_handout(page, tmp_path)
    assert pdf_path.name.endswith("-handout.pdf")
    document = pdfium.PdfDocument(pdf_path)
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
