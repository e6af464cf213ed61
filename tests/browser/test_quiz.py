"""A quiz round end to end in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import open_path

pytestmark = pytest.mark.browser


def test_quiz_round_end_to_end(page: Page, server_url: str) -> None:
    open_path(page, server_url, "quiz")
    question = page.get_by_role("radiogroup", name=re.compile("Which lesion did most"))
    question.get_by_text("Membranous nephropathy").click()
    expect(
        page.get_by_text(re.compile("The answer is “Minimal change disease”"))
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"0 of 1"))).to_be_visible()
    # Revisit links open in a new tab, so the quiz keeps its answers.
    with page.expect_popup() as opened:
        page.get_by_role("link", name=re.compile(r"^question \d+$")).click()
    revisit = opened.value
    expect(revisit).to_have_url(re.compile(r"/nephrotic-syndrome"))
    expect(revisit.locator("h1").first).to_have_text("Nephrotic syndrome")
