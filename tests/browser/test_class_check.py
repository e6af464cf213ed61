"""A live class check: one educator and three students, each in their own browser."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd
import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.core import quiz
from dashboard.core.paths import DATA_DIR
from dashboard.tools.devserver import running_server
from tests.browser.conftest import open_path

pytestmark = pytest.mark.browser


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


def _student(browser: Browser, server_url: str, code: str, option: str) -> Page:
    page = browser.new_context().new_page()
    open_path(page, server_url, f"class-check?join={code}")
    page.get_by_text(option, exact=True).click()
    page.get_by_role("button", name="Send my answer").click()
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

    open_path(page, server_url, "class-check")
    page.get_by_role("button", name="Start the poll").click()
    expect(page.get_by_text("Join code:")).to_be_visible()
    code = re.search(r"poll=([A-Z0-9]{6})", page.url).group(1)
    chart_title = page.locator(".js-plotly-plot:visible .gtitle")
    expect(chart_title).to_have_text("0 answers")
    page.evaluate(_WATCH_CHARTS)

    students: list[Page] = []
    try:
        for choice in (right, right, wrong):
            students.append(_student(browser, server_url, code, choice))
        for student in students:
            expect(student.get_by_text("results appear here")).to_be_visible()
            expect(student.locator(".js-plotly-plot")).to_have_count(0)

        # The educator's chart refreshes on its own (a fragment) to three answers;
        # the projected screen never shows the old and the new chart together.
        expect(chart_title).to_have_text("3 answers")
        assert page.evaluate("window.__mostCharts") == 1
        page.get_by_role("button", name="Reveal results").click()
        marked = page.locator(".js-plotly-plot:visible .bartext", has_text="correct")
        expect(marked).to_have_text(re.compile(r"^2 \(67%\)"))

        # Each student's page shows the results after the reveal, without a reload.
        verdicts = ("You were right.", "You were right.", "The answer is")
        for student, verdict in zip(students, verdicts, strict=True):
            title = student.locator(".js-plotly-plot:visible .gtitle")
            expect(title).to_have_text("3 answers")
            expect(student.get_by_text(verdict)).to_be_visible()
    finally:
        for student in students:
            student.context.close()


def test_a_student_who_reloads_sees_their_answer_not_a_new_form(
    page: Page, browser: Browser, server_url: str
) -> None:
    question = _first_question()
    right = question["answer"]
    open_path(page, server_url, "class-check")
    page.get_by_role("button", name="Start the poll").click()
    expect(page.get_by_text("Join code:")).to_be_visible()
    code = re.search(r"poll=([A-Z0-9]{6})", page.url).group(1)
    chart_title = page.locator(".js-plotly-plot:visible .gtitle")

    student = _student(browser, server_url, code, right)
    try:
        # A reload is a new Streamlit session; the browser's cookie is the same.
        student.reload()
        expect(student.get_by_text(f"Your answer: {right}")).to_be_visible()
        expect(student.get_by_role("button", name="Send my answer")).to_have_count(0)
        # A second browser is a second student.
        other = _student(browser, server_url, code, right)
        other.context.close()
        expect(chart_title).to_have_text("2 answers")
    finally:
        student.context.close()
