"""The quiz in a real browser: certainty-based marking, section reruns, phones."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser.conftest import (
    CALLBACK_ONLY,
    FRAGMENT_RUN,
    open_path,
    open_sidebar,
    wait_idle,
)

pytestmark = pytest.mark.browser

MEMBRANOUS = "eff-mn-final"
LESION = "ns-lesion-children"


@dataclass
class Runs:
    """What the server sent for each script run: its end, and the questions drawn."""

    finished: list[int] = field(default_factory=list)
    questions: list[list[str]] = field(default_factory=list)
    _drawing: list[str] = field(default_factory=list)

    def since(self, start: int) -> list[tuple[int, list[str]]]:
        """The runs from ``start`` on, without those that only ran a callback."""
        runs = list(zip(self.finished, self.questions, strict=True))[start:]
        assert all(not drawn for status, drawn in runs if status == CALLBACK_ONLY)
        return [(status, drawn) for status, drawn in runs if status != CALLBACK_ONLY]

    def frame(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        message = ForwardMsg()
        message.ParseFromString(payload)
        kind = message.WhichOneof("type")
        element = message.delta.new_element if kind == "delta" else None
        if element is not None and element.WhichOneof("type") == "radio":
            self._drawing.append(element.radio.label)
        elif kind == "script_finished":
            self.finished.append(message.script_finished)
            self.questions.append(self._drawing)
            self._drawing = []


def _watch(page: Page) -> Runs:
    runs = Runs()
    page.on("websocket", lambda ws: ws.on("framereceived", runs.frame))
    return runs


def _item(page: Page, qid: str) -> Locator:
    """The bordered box of quiz question ``qid``."""
    return page.locator(f".st-key-check-quiz_{qid}")


def _options(item: Locator) -> Locator:
    """The answer options of ``item`` (the rating is a radio group too)."""
    return item.get_by_test_id("stRadioGroup")


def _rating(item: Locator, name: str) -> Locator:
    """The "Sure" or "Unsure" segment of the item's rating."""
    return item.get_by_role("radiogroup", name="How sure are you?").get_by_role(
        "radio", name=name, exact=True
    )


def _choose(item: Locator, option: str, sure: str) -> None:
    _options(item).get_by_text(option, exact=True).click()
    _rating(item, sure).click()


def test_a_quiz_item_cannot_be_scored_right_after_its_feedback_was_seen(
    page: Page, server_url: str, tmp_path: Path
) -> None:
    """Issue 21's "done when": the first attempt is scored, a retry apart."""
    open_path(page, server_url, "quiz")
    item = _item(page, MEMBRANOUS)
    verdict = item.get_by_text(re.compile(r"^(Right\.|Not quite\.)"))
    summary = page.get_by_text("Check an answer to see your summary.")
    expect(summary).to_be_visible()

    # Check with nothing chosen says what is missing; no verdict.
    item.get_by_role("button", name="Check", exact=True).click()
    expect(
        item.get_by_text("Choose an answer and say how sure you are, then Check.")
    ).to_be_visible()
    # An answer without a rating: still no verdict, and the message follows.
    _options(item).get_by_text("Clearly better", exact=True).click()
    expect(
        item.get_by_text("Say how sure you are (Sure or Unsure) first, then Check.")
    ).to_be_visible()
    expect(verdict).to_have_count(0)

    # Rated Sure and checked: wrong, locked, a confident error.
    _rating(item, "Sure").click()
    item.get_by_role("button", name="Check", exact=True).click()
    expect(
        item.get_by_text(re.compile("the answer is “About the same”"))
    ).to_be_visible()
    expect(page.get_by_text("0 of 1 right at the first attempt.")).to_be_visible()
    expect(page.get_by_text(re.compile("^Sure but wrong"))).to_be_visible()
    expect(_options(item).get_by_role("radio", name="Clearly better")).to_be_checked()
    expect(_options(item).get_by_role("radio", name="About the same")).to_be_disabled()
    expect(_rating(item, "Sure")).to_be_disabled()
    expect(item.get_by_role("button", name="Check", exact=True)).to_have_count(0)

    # Having seen the answer, try again: right and Sure, yet not scored right.
    item.get_by_role("button", name=re.compile("^Try again")).click()
    expect(
        item.get_by_text(
            re.compile("^First attempt: “Clearly better”, sure, not right")
        )
    ).to_be_visible()
    expect(verdict).to_have_count(0)
    _choose(item, "About the same", "Sure")
    item.get_by_role("button", name="Check", exact=True).click()
    expect(item.get_by_text(re.compile(r"^Right\. "))).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Retries: 1 right of 1"))).to_be_visible()
    expect(page.get_by_text("0 of 1 right at the first attempt.")).to_be_visible()
    expect(page.get_by_text(re.compile("^Sure but wrong"))).to_be_visible()
    wait_idle(page)

    # The handout, built when asked for, scores the first attempt too.
    open_sidebar(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Handout (PDF)").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    text = pdfium.PdfDocument(target)[0].get_textpage().get_text_range()
    assert "0 of 1 right at the first attempt; 1 sure but wrong; retries: 1 right" in (
        " ".join(text.split())
    )


def test_choosing_reruns_the_question_and_check_adds_the_summary(
    page: Page, server_url: str
) -> None:
    runs = _watch(page)
    open_path(page, server_url, "quiz")
    lesion = _item(page, LESION)
    before = len(runs.finished)
    _options(lesion).get_by_text("Minimal change disease", exact=True).click()
    expect(
        _options(lesion).get_by_role("radio", name="Minimal change disease")
    ).to_be_checked()
    wait_idle(page)
    # One fragment run, which drew that question alone, without feedback.
    ((status, drawn),) = runs.since(before)
    assert status == FRAGMENT_RUN
    assert len(drawn) == 1
    assert "Which lesion did most" in drawn[0]
    expect(page.get_by_text(re.compile(r"^(Right\.|Not quite\.)"))).to_have_count(0)

    before = len(runs.finished)
    _rating(lesion, "Unsure").click()
    lesion.get_by_role("button", name="Check", exact=True).click()
    expect(lesion.get_by_text(re.compile(r"^Right\. In the ISKDC"))).to_be_visible()
    expect(page.get_by_text("1 of 1 right at the first attempt.")).to_be_visible()
    expect(page.get_by_text(re.compile("^Right but unsure: 1"))).to_be_visible()
    wait_idle(page)
    assert [s for s, _ in runs.since(before)] == [FRAGMENT_RUN, FRAGMENT_RUN]
    # Feedback names the page that teaches it; the link opens a new tab.
    with page.expect_popup() as opened:
        lesion.get_by_role("link", name="Nephrotic syndrome", exact=True).click()
    expect(opened.value).to_have_url(re.compile(r"/nephrotic-syndrome"))


def test_answers_are_easy_to_hit_on_a_phone(browser: Browser, server_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    try:
        open_path(page, server_url, "quiz")
        item = _item(page, MEMBRANOUS)
        options = item.get_by_test_id("stRadioOption")
        expect(options).to_have_count(3)
        for option in options.all():
            box = option.bounding_box()
            assert box is not None
            assert box["height"] >= 44, box
        check = item.get_by_role("button", name="Check", exact=True)
        for name, target in (
            ("Sure", _rating(item, "Sure")),
            ("Unsure", _rating(item, "Unsure")),
            ("Check", check),
        ):
            box = target.bounding_box()
            assert box is not None, name
            assert box["height"] >= 24, (name, box)
            assert box["width"] >= 24, (name, box)
        # Touch works: tap an option, a rating, Check.
        options.first.tap()
        _rating(item, "Sure").tap()
        item.get_by_role("button", name="Check", exact=True).tap()
        expect(item.get_by_text(re.compile(r"^Not quite\. "))).to_be_visible()
    finally:
        context.close()
