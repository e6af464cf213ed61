"""A class session in real browsers: one educator, three students (one a phone).

Issue 19's "done when": a session of three polls, one of them two-round and
one written by the educator; the reveal shows both rounds and the shift; the
results CSV and the misconceptions PDF download and are correct; a phone
joins through the QR code. On SQLite and on PostgreSQL. At the two-round
reveal the layout probe measures the projected page and the phone.
"""

from __future__ import annotations

import io
import os
import re
import signal

import pandas as pd
import pypdfium2 as pdfium
import pytest
import segno
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from dashboard.core import poll_text, quiz
from dashboard.core.polls import PollStore
from dashboard.models import class_check_qr
from dashboard.serving.ports import free_port
from dashboard.serving.streamlit_server import started_server
from dashboard.tools import layout_probe
from tests.browser.conftest import open_path, wait_idle
from tests.browser.test_class_check import (
    PIN,
    _first_question,
    answer_count,
    poll_server,  # noqa: F401 - a fixture: SQLite and PostgreSQL
    send_answer,
)

pytestmark = pytest.mark.browser
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
}
#: An educator's question with markup that must show as plain text.
OWN_STEM = "Which is safer? <b>bold</b> [click](https://evil.example) www.evil.example"
OWN_OPTIONS = ("**This** one", "That one")
#: How it reads on the page: as typed, with invisible word joiners in links.
OWN_SHOWN = poll_text.plain_markdown(OWN_STEM).replace("\\", "")


def _qr_url(page: Page, server_url: str, join_url: str) -> str:
    """The address the QR code on the page encodes (read module by module)."""
    image = page.get_by_role("img", name=f"QR code that opens {join_url}")
    expect(image).to_be_visible()
    src = image.get_attribute("src")
    assert src
    png = page.request.get(src if src.startswith("http") else server_url + src).body()
    drawn = Image.open(io.BytesIO(png)).convert("L")
    expected = segno.make(join_url, error=class_check_qr.QR_ERROR, micro=False)
    side = len(expected.matrix)
    scale = drawn.width / (side + 8)
    modules = tuple(
        tuple(
            int(
                drawn.getpixel((int((4 + c + 0.5) * scale), int((4 + r + 0.5) * scale)))
                < 128
            )
            for c in range(side)
        )
        for r in range(side)
    )
    assert modules == tuple(tuple(row) for row in expected.matrix)
    return join_url


def _wait_for_question(student: Page, text: str) -> None:
    expect(student.get_by_test_id("stMain")).to_contain_text(text, timeout=30_000)
    wait_idle(student)


def _open_adding(page: Page) -> None:
    """Open the "Add a question" expander unless it is open already."""
    details = page.locator("details").filter(has_text="Add a question")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(details).to_have_attribute("open", "")


def _layout_ok(page: Page) -> None:
    found = layout_probe.measure(page)
    assert found.sideways == 0
    assert found.squeezed(0.5) == []
    assert found.overlaps == []
    assert found.cut == []


def test_a_session_of_three_polls_two_rounds_own_question_and_exports(
    page: Page,
    browser: Browser,
    poll_server: str,  # noqa: F811
) -> None:
    server_url = poll_server
    question = _first_question()
    options = quiz.options(question)
    right = question["answer"]
    wrong = next(o for o in options if o != right)
    other_wrong = next(o for o in options if o not in (right, wrong))

    open_path(page, server_url, "class-check")
    page.get_by_label("Teacher PIN").fill(PIN)
    page.get_by_role("button", name="Start a session").click()
    expect(page.get_by_text("Join code:")).to_be_visible()
    code = re.search(r"session=([A-Z0-9]{6})", page.url).group(1)
    expect(page.get_by_role("button", name="Open round 2")).to_be_enabled()

    # A phone joins through the QR code; two laptops type the link.
    join_url = _qr_url(page, server_url, f"{server_url}/class-check?join={code}")
    phone = browser.new_context(**PHONE)
    laptops = [browser.new_context(), browser.new_context()]
    try:
        students = [context.new_page() for context in (*laptops, phone)]
        for student in students:
            student.goto(join_url)
            _wait_for_question(student, question["question"])

        # Poll 1, round 1: two wrong and sure, one right and sure.
        for student, choice in zip(students, (wrong, right, wrong), strict=True):
            send_answer(student, choice, "Sure")
            expect(student.get_by_text("Your answer:")).to_be_visible()
        count = answer_count(page)
        expect(count).to_have_text("3 answers")
        page.get_by_role("button", name="Open round 2").click()
        expect(count).to_have_text("0 answers")
        # Round 2 reaches every student's page by itself.
        for student, choice in zip(students, (right, wrong, other_wrong), strict=True):
            _wait_for_question(student, "Round 2.")
            expect(
                student.get_by_text(re.compile("Your answer in round 1"))
            ).to_be_visible()
            send_answer(student, choice, None)
            expect(student.get_by_text("Your answer in round 2:")).to_be_visible()
            expect(student.get_by_test_id("stProgress")).to_have_count(0)
        expect(count).to_have_text("3 answers")
        page.get_by_role("button", name="Reveal results").click()
        main = page.get_by_test_id("stMain")
        expect(main).to_contain_text(
            "1 student switched to the right answer, 1 student switched away from it"
        )
        expect(main).to_contain_text("2 of 3 answers (67%) were wrong and marked sure")
        chart = page.locator(".js-plotly-plot:visible")
        expect(chart).to_have_count(1)
        expect(chart.locator(".legendtext")).to_have_count(2)
        _layout_ok(page)
        phone_page = students[2]
        light = phone_page.locator(".st-key-poll-light-results")
        expect(light).to_contain_text("Round 1 (alone)")
        expect(light).to_contain_text("Round 2 (after discussion)")
        expect(phone_page.get_by_text("The answer is")).to_be_visible()
        expect(students[0].get_by_text("You were right.")).to_be_visible()
        _layout_ok(phone_page)

        # Poll 2: the educator writes a question; it opens on every page.
        _open_adding(page)
        own = page.get_by_test_id("stForm").filter(has_text="Correct option")
        own.get_by_role("textbox", name="Question", exact=True).fill(OWN_STEM)
        own.get_by_role("textbox", name="Option 1", exact=True).fill(OWN_OPTIONS[0])
        own.get_by_role("textbox", name="Option 2", exact=True).fill(OWN_OPTIONS[1])
        own.get_by_role("radiogroup").get_by_text("Option 2", exact=True).click()
        own.get_by_role("textbox", name="Source (optional)").fill(
            "Ward handbook, page 12"
        )
        own.get_by_role("button", name="Open it now").click()
        expect(count).to_have_text("0 answers")
        for student in students:
            _wait_for_question(student, OWN_SHOWN)
            body = student.get_by_test_id("stMain")
            expect(body.locator("a[href*='evil']")).to_have_count(0)
            expect(body.locator("b", has_text="bold")).to_have_count(0)
            expect(body.get_by_text(OWN_OPTIONS[0], exact=True)).to_be_visible()
        for student, choice in zip(
            students, OWN_OPTIONS + OWN_OPTIONS[:1], strict=True
        ):
            send_answer(student, choice, "Sure")
        expect(count).to_have_text("3 answers")
        page.get_by_role("button", name="Reveal results").click()
        expect(students[1].get_by_text("You were right.")).to_be_visible()
        expect(students[0].get_by_text("Ward handbook, page 12")).to_be_visible()

        # Poll 3: a bank question added to the list, then "Next question".
        _open_adding(page)
        page.get_by_role("button", name="Add to the list").first.click()
        next_button = page.get_by_role("button", name="Next question")
        expect(next_button).to_be_enabled()
        next_button.click()
        expect(count).to_have_text("0 answers")
        expect(page.get_by_text("3 questions")).to_be_visible()
        for student in students:
            expect(student.get_by_role("button", name="Send my answer")).to_be_visible(
                timeout=30_000
            )
            wait_idle(student)

        # The exports: CSV without identifiers, a one-page PDF.
        wait_idle(page)
        with page.expect_download() as info:
            page.get_by_role("button", name="Results (CSV)").click()
        frame = pd.read_csv(info.value.path())
        assert sorted(set(frame["position"])) == [1, 2, 3]
        assert frame[frame["position"] == 3]["answers"].sum() == 0
        first = frame[frame["position"] == 1]
        assert set(first["round"]) == {1, 2}
        assert first[first["round"] == 1]["answers"].sum() == 3
        assert first[first["round"] == 2]["answers"].sum() == 3
        assert first["switched_to_right"].iloc[0] == 1
        assert first["switched_away_from_right"].iloc[0] == 1
        assert set(frame[frame["position"] == 2]["written_by"]) == {"educator"}
        assert not any("student" in column for column in frame.columns)
        wait_idle(page)
        with page.expect_download() as info:
            page.get_by_role("button", name="Misconceptions (PDF)").click()
        document = pdfium.PdfDocument(info.value.path())
        assert len(document) == 1
        text = " ".join(document[0].get_textpage().get_text_range().split())
        assert f"Misconceptions: class session {code}" in text
        assert " ".join(str(question["question"]).split())[:50] in text
        assert f"Correct answer: {right}" in text
        assert f"Taught at: {server_url}/{quiz.revisit_link(question)}" in text
        assert "Ward handbook, page 12" in text
    finally:
        phone.close()
        for context in laptops:
            context.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """A database for a server this test starts and kills."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'polls.db'}"
    return request.getfixturevalue("postgres_url")


def start_session(page: Page, server_url: str) -> str:
    """Start a class session on the first bank question; its join code."""
    open_path(page, server_url, "class-check")
    page.get_by_label("Teacher PIN").fill(PIN)
    page.get_by_role("button", name="Start a session").click()
    expect(page.get_by_text("Join code:")).to_be_visible()
    return re.search(r"session=([A-Z0-9]{6})", page.url).group(1)


def test_a_server_restart_mid_session_loses_nothing(
    page: Page, browser: Browser, database_url: str
) -> None:
    """kill -9 between the rounds; the pages come back and the session goes on."""
    question = _first_question()
    right = question["answer"]
    wrong = next(o for o in quiz.options(question) if o != right)
    port = free_port()
    env = {"DATABASE_URL": database_url}
    count = answer_count(page)
    contexts = [browser.new_context(), browser.new_context()]
    try:
        with started_server(port=port, env=env) as first:
            code = start_session(page, first.url)
            students = [context.new_page() for context in contexts]
            for student, choice in zip(students, (wrong, right), strict=True):
                open_path(student, first.url, f"class-check?join={code}")
                send_answer(student, choice, "Sure")
                expect(student.get_by_text("Your answer:")).to_be_visible()
            expect(count).to_have_text("2 answers")
            os.kill(first.pid, signal.SIGKILL)
        with started_server(port=port, env=env) as second:
            # Every page reconnects by itself; the teacher's takes control again.
            expect(count).to_have_text("2 answers", timeout=60_000)
            page.get_by_role("button", name="Open round 2").click()
            expect(count).to_have_text("0 answers")
            for student in students:
                _wait_for_question(student, "Round 2.")
                send_answer(student, right, None)
                expect(student.get_by_text("Your answer in round 2:")).to_be_visible()
            expect(count).to_have_text("2 answers")
            page.get_by_role("button", name="Reveal results").click()
            expect(page.get_by_test_id("stMain")).to_contain_text(
                "1 student switched to the right answer, 0 students switched away"
            )
            for student in students:
                expect(student.get_by_text("You were right.")).to_be_visible()
            store = PollStore(database_url)
            poll = store.session_state(code).current
            view = store.view(poll)
            assert (sum(view.counts), sum(view.counts2)) == (2, 2)
            assert second.url
    finally:
        for context in contexts:
            context.close()
