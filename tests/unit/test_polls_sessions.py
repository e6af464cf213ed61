"""Class sessions in the store, on SQLite and PostgreSQL.

One join code for a sequence of polls; the educator opens each in turn;
questions the educator writes are stored with the session only; a browser
starts a few sessions a minute at most; old sessions are pruned; a server
restart (a new store on the same database) loses nothing.
"""

from __future__ import annotations

import pytest

from dashboard.core import poll_text, polls, polls_common
from dashboard.core.polls import PollError, PollLimitError, PollStore
from dashboard.core.polls_sessions import OWN_QUESTION_ID, SessionState

PIN = "katze42"
DAY = 86_400


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(poll_store: PollStore, clock: Clock) -> PollStore:
    return PollStore(poll_store.url, clock=clock)


def _bank_poll(store, session, open_now=True, prompt="Tacrolimus binds…"):
    return store.add_poll(
        session.code,
        session.teacher_token,
        "mech-binding",
        prompt,
        ("FKBP-12", "Cyclophilin"),
        0,
        open_now=open_now,
    )


def test_a_session_shows_students_one_poll_at_a_time(store) -> None:
    session = store.create_session(pin=PIN)
    assert store.session_state(session.code) == SessionState(None)
    assert store.is_session(session.code)
    first = _bank_poll(store, session)
    queued = _bank_poll(store, session, open_now=False, prompt="Second?")
    state = store.session_state(session.code)
    assert state == SessionState(first, 1, False, False)
    assert not store.is_session(first)
    # A queued poll takes no answers until it is opened.
    with pytest.raises(PollError, match="not open yet"):
        store.answer(queued, "s1", 0)
    assert store.answer(first, "s1", 0, sure=True)
    store.open_round_two(first, session.teacher_token)
    assert store.session_state(session.code).round == 2
    store.reveal(first, session.teacher_token)
    assert store.session_state(session.code).revealed
    assert store.open_next(session.code, session.teacher_token) == queued
    assert store.session_state(session.code) == SessionState(queued, 1, False, False)
    assert store.answer(queued, "s1", 1)
    with pytest.raises(PollError, match="No question is waiting"):
        store.open_next(session.code, session.teacher_token)
    view = store.session(session.code, session.teacher_token)
    assert (view.polls, view.queued, view.current, view.teacher) == (
        2,
        0,
        queued,
        True,
    )
    assert view.has_pin
    listed = store.session_polls(session.code, session.teacher_token)
    assert [p.code for p in listed] == [first, queued]
    assert [p.position for p in listed] == [1, 2]
    assert listed[0].counts == (1, 0)
    assert listed[0].sure == (1, 0)
    assert listed[1].counts == (0, 1)


def test_only_the_sessions_teacher_adds_opens_or_reads_it(store) -> None:
    session = store.create_session(pin=PIN)
    other = store.create_session(pin=PIN)
    poll = _bank_poll(store, session)
    for token in ("", "guess", other.teacher_token):
        with pytest.raises(PollError, match="not valid for that session"):
            store.add_poll(session.code, token, "q", "Q?", ("a", "b"), 0)
        with pytest.raises(PollError, match="not valid"):
            store.open_poll(session.code, token, poll)
        with pytest.raises(PollError, match="not valid"):
            store.session_polls(session.code, token)
        with pytest.raises(PollError, match="not valid"):
            store.reveal(poll, token)
        assert not store.session(session.code, token).teacher
    with pytest.raises(PollError, match="no poll"):
        store.open_poll(other.code, other.teacher_token, poll)


def test_the_pin_gives_control_of_the_session_and_all_its_polls(store) -> None:
    session = store.create_session(pin=PIN)
    poll = _bank_poll(store, session)
    again = store.reclaim(session.code, PIN)
    assert store.session(session.code, again).teacher
    assert store.view(poll, again).counts == (0, 0)
    later = store.add_poll(session.code, again, "q", "Q?", ("a", "b"), 1)
    store.reveal(later, session.teacher_token)  # the first token still works
    with pytest.raises(PollError, match="not right for this poll"):
        store.reclaim(session.code, "wrong-pin")


def test_an_educators_question_is_stored_with_the_session_only(store) -> None:
    session = store.create_session(pin=PIN)
    question = poll_text.own_question(
        "What does <b>this</b> do? [x](https://evil.example)",
        ["First", "", "Second", "Third"],
        2,
        explanation="Because.",
        source="Lecture notes, week 3",
    )
    code = store.add_own_poll(session.code, session.teacher_token, question)
    view = store.view(code)
    assert view.own
    assert view.question_id == OWN_QUESTION_ID
    assert view.prompt == "What does <b>this</b> do? [x](https://evil.example)"
    assert view.options == ("First", "Second", "Third")
    assert view.explanation == "Because."
    assert view.source == "Lecture notes, week 3"
    store.reveal(code, session.teacher_token)
    assert store.view(code).correct == 1
    # The store checks again: a question built by hand past the limits is refused.
    too_long = poll_text.OwnQuestion("x" * 301, ("a", "b"), 0)
    with pytest.raises(PollError, match="keep it to 300"):
        store.add_own_poll(session.code, session.teacher_token, too_long)


def test_a_session_holds_a_limited_number_of_polls(store, monkeypatch) -> None:
    monkeypatch.setattr("dashboard.core.polls_sessions.MAX_SESSION_POLLS", 2)
    session = store.create_session()
    _bank_poll(store, session)
    _bank_poll(store, session, open_now=False)
    with pytest.raises(PollError, match="holds 2 polls, the most"):
        _bank_poll(store, session)


def test_a_browser_starts_a_few_sessions_a_minute_at_most(store, clock) -> None:
    for _ in range(polls_common.SESSIONS_PER_MINUTE):
        store.create_session(creator="c-1")
        clock.now += 1
    with pytest.raises(PollLimitError, match="sessions in the last minute") as caught:
        store.create_session(creator="c-1")
    assert caught.value.retry_after_s >= 1
    store.create_session(creator="c-2")  # another browser is not held up
    clock.now += 60
    store.create_session(creator="c-1")


def test_old_sessions_are_pruned_with_their_polls(store, clock) -> None:
    session = store.create_session(pin=PIN)
    poll = _bank_poll(store, session)
    store.answer(poll, "s1", 0)
    clock.now += polls.RETENTION_DAYS * DAY + DAY
    assert store.prune() == 1
    with pytest.raises(PollError, match="No session has the code"):
        store.session_state(session.code)
    with pytest.raises(PollError, match="No poll has the code"):
        store.view(poll)


def test_a_restart_mid_session_loses_nothing(store, clock) -> None:
    """A new store on the same database (another process, or after a restart)."""
    session = store.create_session(pin=PIN)
    poll = _bank_poll(store, session)
    for i in range(5):
        store.answer(poll, f"s{i}", i % 2, sure=True)
    store.open_round_two(poll, session.teacher_token)
    restarted = PollStore(store.url, clock=clock)
    for i in range(5):
        assert restarted.answer(poll, f"s{i}", 0)
        assert not restarted.answer(poll, f"s{i}", 1)
    view = restarted.view(poll, session.teacher_token)
    assert (view.counts, view.counts2) == ((3, 2), (5, 0))
    assert restarted.session_state(session.code).current == poll


def test_session_and_poll_codes_never_collide(store, monkeypatch) -> None:
    session = store.create_session()
    codes = iter([session.code, "K7QM2X"])
    monkeypatch.setattr("dashboard.core.polls.new_code", lambda: next(codes))
    poll = store.create("q", "Q?", ("a", "b"), 0)
    assert poll.code == "K7QM2X"
    codes2 = iter([poll.code, "K7QM2Y"])
    monkeypatch.setattr("dashboard.core.polls_sessions.new_code", lambda: next(codes2))
    assert store.create_session().code == "K7QM2Y"
