"""M2: the class check through a real PostgreSQL outage (the server is stopped).

While the database is down every page shows the project's message, never a
traceback; a student's answer sent then is kept in the session and sent when
the database is back; the teacher's page comes back by itself. (The live
panels, which rerun as fragments, are checked in a real browser in
``tests/browser/test_class_check_outage.py``.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dashboard.core import polls
from dashboard.core.polls import PollStore
from dashboard.ui import keys
from tests.app.conftest import all_text
from tests.app.test_class_check import _answer_radios, _open_poll, _page, _send
from tests.app.test_class_check import _teacher as _teacher_page
from tests.conftest import missing_tool


@pytest.fixture(scope="module")
def database():
    """A PostgreSQL server of this module's own, which the tests stop and start."""
    from dashboard.serving.postgres import pg_bin, postgres_server

    if pg_bin() is None:
        missing_tool(
            "PostgreSQL is not installed (apt-get install -y postgresql)",
            "test the class check through a database outage",
        )
    with postgres_server() as server:
        yield server


@pytest.fixture
def store(database, monkeypatch: pytest.MonkeyPatch) -> Iterator[PollStore]:
    import psycopg

    with psycopg.connect(database.url, autocommit=True) as db:
        db.execute(f"DROP TABLE IF EXISTS {', '.join(polls.TABLES)}")
    monkeypatch.setenv("DATABASE_URL", database.url)
    yield PollStore(database.url)
    if not (database.data / "postmaster.pid").exists():
        database.start()  # a failed test must not leave it down for the next


def _outage_shown(at) -> bool:
    return not at.exception and any(
        "cannot be used right now" in e.value and "tries again every 2 s" in e.value
        for e in at.error
    )


def test_an_answer_sent_during_an_outage_is_sent_when_the_database_is_back(
    store, database
) -> None:
    poll = _open_poll(store)
    student = _page({"join": poll.code})
    teacher = _teacher_page(poll)
    database.stop()
    _send(student, 1)
    assert _outage_shown(student)
    assert "Your answer (**b**) is kept in this tab" in all_text(student)
    student.run()  # still down: still kept
    assert "Your answer (**b**) is kept in this tab" in all_text(student)
    teacher.run()
    assert _outage_shown(teacher)
    latecomer = _page({"join": poll.code})
    assert _outage_shown(latecomer)

    database.start()
    student.run()  # the page's own retry reruns it; here the test does
    assert not student.exception
    assert "Your answer: **b**" in all_text(student)
    assert not _answer_radios(student)
    assert store.view(poll.code, poll.teacher_token).counts == (0, 1)
    teacher.run()
    assert not teacher.error
    assert "## 1 answer" in all_text(teacher)
    assert teacher.button(key="poll_reveal").disabled is False


def test_a_kept_answer_sent_before_the_reveal_still_counts(store, database) -> None:
    poll = _open_poll(store)
    student = _page({"join": poll.code})
    database.stop()
    _send(student, 1)
    assert _outage_shown(student)
    database.start()
    store.reveal(poll.code, poll.teacher_token)  # before the page sends it
    student.run()
    assert "You were right." in all_text(student)
    assert store.view(poll.code).counts == (0, 1)


def test_a_kept_answer_the_poll_can_no_longer_take_is_refused_plainly(
    store, database
) -> None:
    poll = _open_poll(store)
    student = _page({"join": poll.code})
    database.stop()
    _send(student, 0)
    assert _outage_shown(student)
    database.start()
    store.close(poll.code, poll.teacher_token)
    student.run()
    assert not student.exception
    assert "Your answer (a) could not be counted. This poll is closed." in all_text(
        student
    )
    assert store.view(poll.code, poll.teacher_token).counts == (0, 0)


def test_a_handout_asked_for_during_an_outage_says_so(store, database) -> None:
    from dashboard.core.handout import build_pdf
    from dashboard.sections import class_check

    poll = _open_poll(store)
    database.stop()
    handout = class_check.handout_of(store, poll.code, poll.teacher_token)
    assert "the answers could not be read" in handout.view
    assert "cannot be used right now" in handout.view
    assert build_pdf(handout).startswith(b"%PDF")


def test_a_session_goes_on_after_an_outage_with_nothing_lost(store, database) -> None:
    """A class session: answers kept through the outage, then the next question."""
    session = store.create_session(pin="katze42")
    first = store.add_poll(
        session.code, session.teacher_token, "q1", "First?", ("a", "b"), 1
    )
    student = _page({"join": session.code})
    teacher = _page({"session": session.code}, {session.code: session.teacher_token})
    database.stop()
    _send(student, 1)
    assert _outage_shown(student)
    assert "Your answer (**b**) is kept in this tab" in all_text(student)
    teacher.run()
    assert _outage_shown(teacher)
    database.start()
    student.run()
    assert "Your answer: **b**" in all_text(student)
    assert store.view(first, session.teacher_token).counts == (0, 1)
    # The session continues: round 2, then the next question, on the same page.
    teacher.run()
    assert not teacher.error
    teacher.button(key=keys.POLL_ROUND_TWO).click().run()
    student.run()
    _send(student, 0)
    assert store.view(first, session.teacher_token).counts2 == (1, 0)
    second = store.add_poll(
        session.code, session.teacher_token, "q2", "Second?", ("c", "d"), 0
    )
    student.run()
    assert "Second?" in all_text(student)
    assert _answer_radios(student)
    _send(student, 0)
    assert store.view(second, session.teacher_token).counts == (1, 0)
