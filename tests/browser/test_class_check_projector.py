"""The class check on a projector and on phones (issues 16 and 21).

The teacher's page is the projected one: until the reveal it shows the
question, the join code, a QR code of the join link and the number of
answers, nothing of how the room answered; Reveal and Close are on the first
screen at 1920×1080 in presenter mode, and starting a poll never opens the
sidebar. A student's phone answers with 44 px options and finds its answer
again after the screen locks and the page is opened anew.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.core import quiz
from dashboard.core.paths import DATA_DIR
from tests.browser.conftest import open_path
from tests.browser.test_class_check import (
    _assert_no_distribution,
    _first_question,
    _student,
    answer_count,
    send_answer,
    start_poll,
)

pytestmark = pytest.mark.browser
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
}


def _short_question() -> pd.Series:
    """The bank question with the shortest options (one line each on a phone)."""
    bank = pd.read_csv(DATA_DIR / "quiz_questions.csv")
    longest = bank["options"].map(lambda o: max(map(len, o.split(" | "))))
    return bank.loc[longest.idxmin()]


@pytest.fixture
def short_poll(page: Page, server_url: str) -> tuple[str, pd.Series]:
    """A poll an educator started on :func:`_short_question`: (code, question)."""
    question = _short_question()
    return start_poll(page, server_url, question=question), question


def _sidebar_collapsed(page: Page) -> None:
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")


def test_a_projected_poll_shows_no_distribution_before_the_reveal(
    page: Page, browser: Browser, server_url: str
) -> None:
    page.set_viewport_size(PROJECTOR)
    question = _first_question()
    options = quiz.options(question)
    right = question["answer"]
    wrong = next(o for o in options if o != right)

    open_path(page, server_url, "class-check?present=true")
    _sidebar_collapsed(page)
    code = start_poll(page, server_url, query="?present=true")
    # Starting kept presenter mode in the address, so the sidebar stayed shut.
    assert "present=true" in page.url
    _sidebar_collapsed(page)
    expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible()

    # The QR code of the full join address, with alt text, beside the code.
    join_url = f"{server_url}/class-check?join={code}"
    qr = page.get_by_role("img", name=f"QR code that opens {join_url}")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") >= 200
    expect(page.get_by_text(f"Join code: {code}")).to_be_visible()

    # Reveal and Close sit beside the count, on the first screen.
    reveal = page.get_by_role("button", name="Reveal results")
    close = page.get_by_role("button", name="Close the poll")
    assert page.evaluate("window.scrollY") == 0
    for button in (reveal, close, answer_count(page)):
        box = button.bounding_box()
        assert box is not None
        assert box["y"] + box["height"] <= PROJECTOR["height"]
    # Presenter mode offers no peek.
    expect(page.get_by_text("Peek at the answers")).to_have_count(0)

    students: list[Page] = []
    try:
        students = [_student(browser, server_url, code, o) for o in (right, wrong)]
        expect(answer_count(page)).to_have_text("2 answers")
        _assert_no_distribution(page)
        for option in options:  # the options are shown, without counts
            expect(page.get_by_role("listitem").filter(has_text=option)).to_be_visible()

        reveal.click()
        chart = page.locator(".js-plotly-plot:visible")
        expect(chart).to_have_count(1)
        expect(chart.locator(".bartext", has_text="correct")).to_have_text(
            re.compile(r"^1 \(50%\)")
        )
        expect(page.get_by_text("Why:")).to_be_visible()
        _sidebar_collapsed(page)
    finally:
        for student in students:
            student.context.close()


def test_a_phones_answer_options_and_button_are_44_px_tall(
    browser: Browser, short_poll: tuple[str, pd.Series], server_url: str
) -> None:
    """Issue 16: answers a thumb can hit (``responsive.answers`` + the stylesheet).

    On the question with the shortest options, so that no option is tall
    only because its text wraps.
    """
    code, question = short_poll
    phone = browser.new_context(**PHONE)
    try:
        student = open_path(phone.new_page(), server_url, f"class-check?join={code}")
        expect(student.get_by_text(question["question"])).to_be_visible()
        answers = student.locator(".st-key-answers-class-check")
        options = answers.get_by_test_id("stRadioOption")
        # The question's options, then "Sure" and "Unsure".
        expect(options).to_have_count(len(quiz.options(question)) + 2)
        for option in options.all():
            box = option.bounding_box()
            assert box is not None
            assert box["height"] >= 44, option.inner_text()
        send = answers.get_by_role("button", name="Send my answer").bounding_box()
        assert send is not None
        assert send["height"] >= 44
    finally:
        phone.close()


def test_a_phone_that_locks_its_screen_finds_its_answer_kept(
    page: Page, browser: Browser, server_url: str
) -> None:
    question = _first_question()
    right = question["answer"]
    code = start_poll(page, server_url)
    phone = browser.new_context(**PHONE)
    try:
        student = open_path(phone.new_page(), server_url, f"class-check?join={code}")
        send_answer(student, right)
        expect(student.get_by_text(f"Your answer: {right}")).to_be_visible()

        # The screen locks and the tab is dropped; the same phone opens the
        # link again (a new page and session, the same browser's cookies).
        student.close()
        again = open_path(phone.new_page(), server_url, f"class-check?join={code}")
        expect(again.get_by_text(f"Your answer: {right}")).to_be_visible()
        expect(again.get_by_text("Your answer is in")).to_be_visible()
        expect(again.get_by_role("button", name="Send my answer")).to_have_count(0)
        expect(answer_count(page)).to_have_text("1 answer")  # counted once

        page.get_by_role("button", name="Reveal results").click()
        light = again.locator(".st-key-poll-light-results")
        expect(light).to_contain_text(f"✓ Correct: {right}: 1 of 1 (100%)")
        expect(light).to_contain_text("your answer")
        expect(again.locator(".js-plotly-plot")).to_have_count(0)
        sideways = again.evaluate(
            "document.scrollingElement.scrollWidth"
            " - document.scrollingElement.clientWidth"
        )
        assert sideways == 0
    finally:
        phone.close()


def test_the_teacher_peeks_only_on_their_own_screen(
    page: Page, browser: Browser, server_url: str
) -> None:
    question = _first_question()
    right = question["answer"]
    code = start_poll(page, server_url)
    student = _student(browser, server_url, code, right)
    try:
        expect(answer_count(page)).to_have_text("1 answer")
        _assert_no_distribution(page)
        page.get_by_text("Peek at the answers on this device").click()
        peeked = page.locator(".st-key-poll-light-results")
        expect(peeked).to_contain_text(f"{right}: 1 of 1 (100%)")
        expect(peeked).not_to_contain_text("Correct")  # not marked before the reveal
        page.get_by_text("Peek at the answers on this device").click()
        expect(peeked).to_have_count(0)
    finally:
        student.context.close()


def test_the_join_box_hint_is_not_a_code(page: Page, server_url: str) -> None:
    open_path(page, server_url, "class-check")
    hint = page.get_by_label("Join code").get_attribute("placeholder")
    assert hint
    assert not re.fullmatch(r"[A-Z0-9]{6}", hint)
