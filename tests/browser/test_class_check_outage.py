"""M2 in a real browser: the poll database (PostgreSQL) stops mid-poll, then returns.

The live panels rerun as fragments, outside the page's own error handling;
here they must show the project's message, never Streamlit's generic "This app
has encountered an error" box. An answer sent during the outage is kept in the
tab and sent by itself when the database is back, and every page recovers
without anyone reloading.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.core import quiz
from dashboard.serving.streamlit_server import running_server
from tests.browser.conftest import open_path
from tests.browser.test_class_check import (
    _first_question,
    _student,
    answer_count,
    send_answer,
    start_poll,
)
from tests.conftest import missing_tool

pytestmark = pytest.mark.browser
MESSAGE = "The poll database cannot be used right now"
GENERIC = "This app has encountered an error"


@pytest.fixture
def database():
    from dashboard.serving.postgres import pg_bin, postgres_server

    if pg_bin() is None:
        missing_tool(
            "PostgreSQL is not installed (apt-get install -y postgresql)",
            "test the class check through a database outage",
        )
    with postgres_server() as server:
        yield server


@pytest.fixture
def poll_server(database, server_url: str) -> Iterator[str]:
    """A dashboard whose polls live in this test's PostgreSQL."""
    with running_server(env={"DATABASE_URL": database.url}) as url:
        yield url


def test_live_panels_say_what_is_wrong_and_a_kept_answer_is_sent_when_back(
    page: Page, browser: Browser, database, poll_server: str
) -> None:
    question = _first_question()
    right = question["answer"]
    wrong = next(o for o in quiz.options(question) if o != right)
    code = start_poll(page, poll_server)
    count = answer_count(page)
    waiting = _student(browser, poll_server, code, right)
    late = browser.new_context().new_page()
    try:
        open_path(late, poll_server, f"class-check?join={code}")
        expect(count).to_have_text("1 answer")

        database.stop()
        # The teacher's chart and the waiting student's panel are fragments.
        expect(page.get_by_text(MESSAGE)).to_be_visible()
        expect(waiting.get_by_text(MESSAGE)).to_be_visible()
        # The student whose form was open answers now; the tab keeps it.
        send_answer(late, wrong)
        expect(late.get_by_text("is kept in this tab")).to_be_visible()
        for tab in (page, waiting, late):
            expect(tab.get_by_text(GENERIC)).to_have_count(0)
            expect(tab.get_by_role("heading", name="Live class check")).to_be_visible()

        database.start()
        # Nobody reloads: each page finds the database again by itself.
        expect(count).to_have_text("2 answers")
        expect(page.get_by_text(MESSAGE)).to_have_count(0)
        expect(late.get_by_text(f"Your answer: {wrong}")).to_be_visible()
        expect(waiting.get_by_text("results appear here")).to_be_visible()
        expect(waiting.get_by_text(MESSAGE)).to_have_count(0)
        page.get_by_role("button", name="Reveal results").click()
        expect(waiting.get_by_text("You were right.")).to_be_visible()
        expect(late.get_by_text("The answer is")).to_be_visible()
    finally:
        waiting.context.close()
        late.context.close()
