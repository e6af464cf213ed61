"""A live class check: one educator and three students, each in their own browser."""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator

import pandas as pd
import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard.core import quiz
from dashboard.core.paths import DATA_DIR
from dashboard.core.site import page_by_slug
from dashboard.serving.ports import free_port
from dashboard.serving.streamlit_server import running_server, started_server
from tests.browser.conftest import FRAGMENT_RUN, open_path, wait_idle, watch_runs

pytestmark = pytest.mark.browser
PIN = "katze42"


def _first_question() -> pd.Series:
    return pd.read_csv(DATA_DIR / "quiz_questions.csv").iloc[0]


# Keeps the largest number of results charts visible at once, checked after every
# change to the page (a MutationObserver runs before the browser paints). While a
# fragment run replaces the chart, Streamlit keeps the old one in the page for a
# few frames, hidden (display: none): a locator must ask for visible charts.
_WATCH_CHARTS = """
() => {
  window.__mostCharts = 0;
  const visible = () => [...document.querySelectorAll('.js-plotly-plot')]
    .filter((chart) => chart.checkVisibility()).length;
  new MutationObserver(() => {
    window.__mostCharts = Math.max(window.__mostCharts, visible());
  }).observe(document.body, { childList: true, subtree: true, attributes: true });
}
"""


def answer_count(page: Page) -> Locator:
    """The teacher's answer count, shown large ("3 answers"), refreshed every 2 s."""
    return page.locator(".st-key-poll-count h2")


def start_poll(
    page: Page,
    server_url: str,
    pin: str = PIN,
    query: str = "",
    question: pd.Series | None = None,
) -> str:
    """Start a poll as an educator (on the first question, or ``question``).

    Returns the poll's join code.
    """
    open_path(page, server_url, f"class-check{query}")
    if question is not None:
        page.get_by_label("Topic").click()
        topic = page_by_slug(question["page"]).title
        page.get_by_role("option", name=topic, exact=True).click()
        page.get_by_text(question["question"], exact=True).click()
        wait_idle(page)
    page.get_by_label("Teacher PIN").fill(pin)
    page.get_by_role("button", name="Start one poll").click()
    expect(page.get_by_text("Join code:")).to_be_visible()
    code = re.search(r"poll=([A-Z0-9]{6})", page.url).group(1)
    # The browser keeps the teacher key (a cookie written by the page's script).
    # Polled from Playwright, not page JavaScript: a strict CSP forbids eval.
    expect(page.get_by_role("button", name="Reveal results")).to_be_enabled()
    deadline = time.monotonic() + 20
    while not any(c["name"] == f"cc_teacher_{code}" for c in page.context.cookies()):
        assert time.monotonic() < deadline, "the page never wrote the teacher cookie"
        page.wait_for_timeout(100)
    return code


def send_answer(page: Page, option: str, sure: str | None = "Sure") -> None:
    """Pick ``option`` (and, in round 1, how sure) and press "Send my answer"."""
    form = page.get_by_test_id("stForm").filter(has_text="Send my answer")
    form.get_by_text(option, exact=True).click()
    if sure is not None:
        form.get_by_text(sure, exact=True).click()
    form.get_by_role("button", name="Send my answer").click()


def _student(browser: Browser, server_url: str, code: str, option: str) -> Page:
    page = browser.new_context().new_page()
    open_path(page, server_url, f"class-check?join={code}")
    send_answer(page, option)
    expect(page.get_by_text("Your answer:")).to_be_visible()
    return page


@pytest.fixture(params=["sqlite", "postgresql"])
def poll_server(request: pytest.FixtureRequest, server_url: str) -> Iterator[str]:
    """The shared server (SQLite polls), or one whose polls live in PostgreSQL."""
    if request.param == "sqlite":
        yield server_url
        return
    url = request.getfixturevalue("postgres_url")
    with running_server(env={"DATABASE_URL": url}) as pg_backed:
        yield pg_backed


def test_a_poll_counts_answers_and_hides_them_until_reveal(
    page: Page, browser: Browser, poll_server: str
) -> None:
    server_url = poll_server
    question = _first_question()
    options = quiz.options(question)
    right = question["answer"]
    wrong = next(o for o in options if o != right)

    runs = watch_runs(page)
    code = start_poll(page, server_url)
    count = answer_count(page)
    expect(count).to_have_text("0 answers")

    students: list[Page] = []
    try:
        for choice in (right, right, wrong):
            students.append(_student(browser, server_url, code, choice))
        for student in students:
            expect(student.get_by_text("results appear here")).to_be_visible()
            expect(student.locator(".js-plotly-plot")).to_have_count(0)

        # The educator's count refreshes on its own (a fragment) to three
        # answers, and the projected page shows nothing of how they answered.
        expect(count).to_have_text("3 answers")
        _assert_no_distribution(page)
        page.get_by_role("button", name="Reveal results").click()
        marked = page.locator(".js-plotly-plot:visible .bartext", has_text="correct")
        expect(marked).to_have_text(re.compile(r"^2 \(67%\)"))
        # The results refresh (a fragment); the projected screen never shows
        # the old and the new chart together.
        page.evaluate(_WATCH_CHARTS)
        start = len(runs.finished)
        _wait_for(lambda: runs.since(start).count(FRAGMENT_RUN) >= 2, page)
        assert page.evaluate("window.__mostCharts") == 1

        # Each student's page shows light results after the reveal, without a
        # reload: lines with bars, the answer marked by text, no chart library.
        verdicts = ("You were right.", "You were right.", "The answer is")
        for student, verdict in zip(students, verdicts, strict=True):
            light = student.locator(".st-key-poll-light-results")
            expect(light).to_contain_text("3 answers")
            expect(light).to_contain_text(f"✓ Correct: {right}: 2 of 3 (67%)")
            expect(student.get_by_text(verdict)).to_be_visible()
            expect(student.locator(".js-plotly-plot")).to_have_count(0)
            expect(light.get_by_test_id("stProgress")).to_have_count(len(options))
    finally:
        for student in students:
            student.context.close()


def _wait_for(condition, page: Page, timeout_s: float = 20) -> None:
    """Poll ``condition`` (from Playwright, not page JavaScript) until it holds."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        page.wait_for_timeout(100)


def _assert_no_distribution(page: Page) -> None:
    """The teacher's page shows no bars, percentages or counts per option."""
    main = page.get_by_test_id("stMain")
    expect(main.locator(".js-plotly-plot")).to_have_count(0)
    expect(main.get_by_test_id("stProgress")).to_have_count(0)
    text = main.inner_text()
    assert "%" not in text
    assert not re.search(r"\d+ of \d+", text)


def test_a_student_who_reloads_sees_their_answer_not_a_new_form(
    page: Page, browser: Browser, server_url: str
) -> None:
    question = _first_question()
    right = question["answer"]
    code = start_poll(page, server_url)
    count = answer_count(page)

    student = _student(browser, server_url, code, right)
    try:
        # A reload is a new Streamlit session; the browser's cookie is the same.
        student.reload()
        expect(student.get_by_text(f"Your answer: {right}")).to_be_visible()
        expect(student.get_by_role("button", name="Send my answer")).to_have_count(0)
        # A second browser is a second student.
        other = _student(browser, server_url, code, right)
        other.context.close()
        expect(count).to_have_text("2 answers")
    finally:
        student.context.close()


def _teacher_token(page: Page, code: str) -> str:
    """The poll's teacher token, from the cookie the page asked the browser to keep."""
    (cookie,) = [c for c in page.context.cookies() if c["name"] == f"cc_teacher_{code}"]
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/"
    return cookie["value"]


def test_the_teacher_token_never_reaches_an_address_a_referer_or_the_history(
    page: Page, server_url: str
) -> None:
    """M3: the token stays in the session and a cookie; no URL ever carries it."""
    seen: list[tuple[str, str]] = []
    page.on("request", lambda r: seen.append((r.url, r.headers.get("referer", ""))))
    code = start_poll(page, server_url)
    # A reload is a new session: the browser's cookie brings control back.
    page.reload()
    expect(page.get_by_role("button", name="Reveal results")).to_be_enabled()
    token = _teacher_token(page, code)
    history = page.context.new_cdp_session(page).send("Page.getNavigationHistory")
    addresses = [entry["url"] for entry in history["entries"]] + [page.url]
    assert any(f"poll={code}" in address for address in addresses)
    for address in addresses:
        assert token not in address
        assert "teacher=" not in address
    assert seen
    for url, referer in seen:
        assert token not in url
        assert token not in referer
    assert token not in page.locator("body").inner_text()


def test_after_a_server_restart_the_teacher_takes_control_again(
    page: Page, browser: Browser, tmp_path
) -> None:
    """M1: kill -9 mid-poll; the projected page comes back in control, nothing lost."""
    question = _first_question()
    right = question["answer"]
    wrong = next(o for o in quiz.options(question) if o != right)
    port = free_port()
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'polls.db'}"}
    count = answer_count(page)
    students: list[Page] = []
    try:
        with started_server(port=port, env=env) as first:
            code = start_poll(page, first.url)
            students = [_student(browser, first.url, code, o) for o in (right, wrong)]
            expect(count).to_have_text("2 answers")
            os.kill(first.pid, signal.SIGKILL)
        with started_server(port=port, env=env) as second:
            # The projected page reconnects by itself: in control, both answers kept.
            expect(count).to_have_text("2 answers", timeout=60_000)
            expect(page.get_by_role("button", name="Reveal results")).to_be_enabled()
            # Another device takes control with the PIN.
            other = browser.new_context().new_page()
            students.append(other)
            open_path(other, second.url, f"class-check?poll={code}")
            expect(other.get_by_text("type your teacher PIN")).to_be_visible()
            other.get_by_label("Teacher PIN").fill(PIN)
            other.get_by_role("button", name="Take control").click()
            expect(other.get_by_role("button", name="Reveal results")).to_be_enabled()
            page.get_by_role("button", name="Reveal results").click()
            # The students' pages reconnected too, and show their verdicts.
            for student, verdict in zip(
                students, ("You were right.", "The answer is"), strict=False
            ):
                expect(student.get_by_text(verdict)).to_be_visible(timeout=60_000)
    finally:
        for student in students:
            student.context.close()


def _runs(page: Page) -> list[int]:
    """How each script run of ``page`` ended, in order (filled as they end)."""
    finished: list[int] = []

    def frame(payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        message = ForwardMsg()
        message.ParseFromString(payload)
        if message.WhichOneof("type") == "script_finished":
            finished.append(message.script_finished)

    page.on("websocket", lambda ws: ws.on("framereceived", frame))
    return finished


def test_a_refused_pin_or_an_empty_answer_reruns_only_its_form(
    page: Page, browser: Browser, server_url: str
) -> None:
    finished = _runs(page)
    open_path(page, server_url, "class-check")
    before = len(finished)
    page.get_by_label("Teacher PIN").fill("123456")
    page.get_by_role("button", name="Start one poll").click()
    expect(page.get_by_text(re.compile("too easy to guess"))).to_be_visible()
    wait_idle(page)
    assert finished[before:] == [FRAGMENT_RUN]  # the start form alone
    assert "poll=" not in page.url
    page.get_by_label("Teacher PIN").fill(PIN)
    page.get_by_role("button", name="Start one poll").click()
    expect(page.get_by_text("Join code:")).to_be_visible()
    code = re.search(r"poll=([A-Z0-9]{6})", page.url).group(1)
    count = answer_count(page)
    expect(count).to_have_text("0 answers")

    student = browser.new_context().new_page()
    try:
        runs = _runs(student)
        open_path(student, server_url, f"class-check?join={code}")
        before = len(runs)
        student.get_by_role("button", name="Send my answer").click()
        expect(student.get_by_text("Pick an answer first.")).to_be_visible()
        wait_idle(student)
        assert runs[before:] == [FRAGMENT_RUN]  # the answer form alone
        option = quiz.options(_first_question())[0]
        send_answer(student, option)
        expect(student.get_by_text(f"Your answer: {option}")).to_be_visible()
        expect(student.get_by_role("button", name="Send my answer")).to_have_count(0)
        expect(count).to_have_text("1 answer")  # stored once
    finally:
        student.context.close()
