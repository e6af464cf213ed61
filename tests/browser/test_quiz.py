"""A quiz round end to end in a real browser."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser.conftest import (
    CALLBACK_ONLY,
    FRAGMENT_RUN,
    open_path,
    open_sidebar,
    wait_idle,
)

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


def _question(page: Page, text: str):
    """The bordered block of the question whose text matches ``text``."""
    radios = page.get_by_role("radiogroup", name=re.compile(text))
    return page.get_by_test_id("stVerticalBlock").filter(has=radios).last


def test_answering_one_question_reruns_it_and_the_summary_only(
    page: Page, server_url: str, tmp_path: Path
) -> None:
    runs = _watch(page)
    open_path(page, server_url, "quiz")
    lesion = _question(page, "Which lesion did most")
    membranous = _question(page, "membranous nephropathy, how did calcineurin")
    feedback = page.get_by_text(re.compile(r"^(Right\.|Not quite\.)"))
    expect(page.get_by_text("Answer a question to see your summary.")).to_be_visible()
    before = len(runs.finished)

    lesion.get_by_text("Minimal change disease", exact=True).click()
    expect(lesion.get_by_text(re.compile(r"^Right\. In the ISKDC"))).to_be_visible()
    expect(page.get_by_text("1 of 1 answered right.")).to_be_visible()
    wait_idle(page)
    # One fragment run, which drew that question alone (and the summary).
    ((status, drawn),) = runs.since(before)
    assert status == FRAGMENT_RUN
    assert len(drawn) == 1
    assert "Which lesion did most" in drawn[0]
    # The other questions are as they were: unanswered, without feedback.
    expect(feedback).to_have_count(1)

    before = len(runs.finished)
    membranous.get_by_text("Clearly better", exact=True).click()
    expect(
        membranous.get_by_text(re.compile("The answer is “About the same”"))
    ).to_be_visible()
    expect(page.get_by_text("1 of 2 answered right.")).to_be_visible()
    expect(feedback).to_have_count(2)
    wait_idle(page)
    ((status, drawn),) = runs.since(before)
    assert status == FRAGMENT_RUN
    assert len(drawn) == 1

    # "How sure" is part of the question's fragment; the summary follows it.
    before = len(runs.finished)
    membranous.get_by_text("Sure", exact=True).click()
    expect(page.get_by_text(re.compile("^Sure but wrong"))).to_be_visible()
    wait_idle(page)
    assert [status for status, _ in runs.since(before)] == [FRAGMENT_RUN]
    expect(page.get_by_text("1 of 2 answered right.")).to_be_visible()

    # The handout, built when asked for, has the answers of the fragment runs.
    open_sidebar(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Handout (PDF)").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    text = pdfium.PdfDocument(target)[0].get_textpage().get_text_range()
    assert "1 of 2 answered right; 1 sure but wrong" in " ".join(text.split())
