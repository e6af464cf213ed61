"""Two-round polls (peer instruction) in the store, on SQLite and PostgreSQL.

Round 1 takes an answer and a confidence; round 2 opens when the educator
says so; answer-once holds per round (the primary key includes the round);
nothing is shown to students before the reveal; answers across rounds are
never lost or counted twice, even 200 at once per round.
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest

from dashboard.core import polls
from dashboard.core.polls import LATE, ROUND_OVER, PollError, PollStore

OPTIONS = ("FKBP-12", "Cyclophilin", "mTOR", "IL-2 receptor")


class Clock:
    """A clock the test moves by hand (Unix seconds)."""

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


def _open(store: PollStore):
    return store.create("mech-binding", "Tacrolimus binds…", OPTIONS, correct=0)


def test_round_one_keeps_each_answer_with_its_confidence(store) -> None:
    poll = _open(store)
    assert store.answer(poll.code, "s1", 1, sure=True)
    assert store.answer(poll.code, "s2", 1, sure=False)
    assert store.answer(poll.code, "s3", 0)  # no confidence given
    assert not store.answer(poll.code, "s1", 0, sure=False)  # once per round
    teacher = store.view(poll.code, poll.teacher_token)
    assert teacher.round == 1
    assert teacher.counts == (1, 2, 0, 0)
    assert teacher.sure == (0, 1, 0, 0)
    assert teacher.counts2 is None
    assert teacher.switches is None
    assert teacher.total == 3


def test_round_two_is_answered_once_more_and_counted_apart(store, clock) -> None:
    poll = _open(store)
    for student, choice, sure in (("s1", 1, True), ("s2", 0, True), ("s3", 2, False)):
        store.answer(poll.code, student, choice, sure=sure)
    with pytest.raises(PollError, match="round of the poll is not open"):
        store.answer(poll.code, "s1", 0, round_no=2)
    with pytest.raises(PollError, match="not valid"):
        store.open_round_two(poll.code, "guess")
    clock.now += 60
    store.open_round_two(poll.code, poll.teacher_token)
    store.open_round_two(poll.code, poll.teacher_token)  # twice changes nothing
    # The same students answer again: a second row each, keyed by the round.
    assert store.answer(poll.code, "s1", 0)  # s1 switches to the right answer
    assert store.answer(poll.code, "s2", 2)  # s2 switches away from it
    assert store.answer(poll.code, "s3", 2, round_no=2)  # s3 stays
    assert store.answer(poll.code, "s4", 0)  # a newcomer in round 2
    assert not store.answer(poll.code, "s1", 3)
    assert store.answer_of(poll.code, "s1") == 1
    assert store.answer_of(poll.code, "s1", 2) == 0
    # Students see nothing before the reveal, in either round.
    student = store.view(poll.code)
    assert (student.counts, student.counts2, student.sure, student.switches) == (
        None,
        None,
        None,
        None,
    )
    assert student.round == 2
    teacher = store.view(poll.code, poll.teacher_token)
    assert teacher.counts == (1, 1, 1, 0)
    assert teacher.counts2 == (2, 0, 2, 0)
    assert teacher.total == 4  # the round open now
    assert teacher.switches[1][0] == 1  # to the right answer
    assert teacher.switches[0][2] == 1  # away from it
    assert teacher.switches[2][2] == 1
    assert sum(map(sum, teacher.switches)) == 3  # only students in both rounds
    store.reveal(poll.code, poll.teacher_token)
    revealed = store.view(poll.code)
    assert revealed.counts2 == (2, 0, 2, 0)
    assert revealed.sure == (1, 1, 0, 0)
    assert revealed.correct == 0


def test_round_one_answers_stop_when_round_two_opens_unless_sent_before(
    store, clock
) -> None:
    poll = _open(store)
    sent_before = clock.now
    clock.now += 30
    store.open_round_two(poll.code, poll.teacher_token)
    clock.now += 5
    with pytest.raises(PollError, match="Round 1 of this question is over"):
        store.answer(poll.code, "late", 0, round_no=1)
    assert ROUND_OVER.startswith("Round 1 of this question is over")
    # Kept through an outage, sent before round 2 opened: it counts in round 1.
    assert store.answer(poll.code, "kept", 1, round_no=1, sent_at=sent_before)
    assert store.view(poll.code, poll.teacher_token).counts == (0, 1, 0, 0)


def test_round_two_cannot_open_after_the_reveal_and_ends_there(store, clock) -> None:
    poll = _open(store)
    store.open_round_two(poll.code, poll.teacher_token)
    store.answer(poll.code, "s1", 0)
    clock.now += 10
    store.reveal(poll.code, poll.teacher_token)
    with pytest.raises(PollError, match=LATE[:30]):
        store.answer(poll.code, "s2", 0)
    other = _open(store)
    store.reveal(other.code, other.teacher_token)
    with pytest.raises(PollError, match="only open before the results"):
        store.open_round_two(other.code, other.teacher_token)


def test_200_concurrent_answers_per_round_are_each_counted_once(store) -> None:
    """200 students answer round 1 at once, then round 2 (50 press twice each time)."""
    poll = _open(store)
    students = [f"student-{i}" for i in range(200)]

    def round_of(picks, round_no):
        sends = [(s, c) for s, c in picks] + picks[:50]
        with ThreadPoolExecutor(max_workers=50) as pool:
            return list(
                pool.map(
                    lambda s: store.answer(
                        poll.code, s[0], s[1], sure=s[1] == 0, round_no=round_no
                    ),
                    sends,
                )
            )

    first = [(s, i % 4) for i, s in enumerate(students)]
    assert sum(round_of(first, 1)) == 200
    store.open_round_two(poll.code, poll.teacher_token)
    second = [(s, 0 if i % 2 else i % 4) for i, s in enumerate(students)]
    assert sum(round_of(second, 2)) == 200
    view = store.view(poll.code, poll.teacher_token)
    assert view.counts == (50, 50, 50, 50)
    assert view.sure == (50, 0, 0, 0)
    assert view.counts2 == (150, 0, 50, 0)
    assert sum(map(sum, view.switches)) == 200
    with store._connect() as db:
        rows = store._execute(
            db, "SELECT COUNT(*) FROM poll_answers WHERE code = ?", (poll.code,)
        ).fetchone()[0]
    assert rows == 400


def test_an_old_database_keeps_its_answers_as_round_one(poll_store) -> None:
    """Migration: answers keyed by (poll, student) become round 1; none is lost."""
    url = poll_store.url
    if poll_store.backend == "sqlite":
        path = url.removeprefix("sqlite:///")
        for table in polls.TABLES:
            sqlite3.connect(path).execute(f"DROP TABLE IF EXISTS {table}")
        db = sqlite3.connect(path, isolation_level=None)
        execute = db.execute
    else:
        import psycopg

        db = psycopg.connect(url, autocommit=True)
        db.execute(f"DROP TABLE IF EXISTS {', '.join(polls.TABLES)}")

        def execute(sql, params=()):
            return db.execute(sql.replace("?", "%s"), params)

    execute(
        "CREATE TABLE polls (code TEXT PRIMARY KEY, question_id TEXT NOT NULL, "
        "prompt TEXT NOT NULL, options TEXT NOT NULL, correct INTEGER NOT NULL, "
        "teacher_hash TEXT NOT NULL, revealed INTEGER NOT NULL DEFAULT 0, "
        "closed INTEGER NOT NULL DEFAULT 0, created_at DOUBLE PRECISION NOT NULL, "
        "revealed_at DOUBLE PRECISION, pin_hash TEXT, "
        "pin_tries INTEGER NOT NULL DEFAULT 0, "
        "pin_window DOUBLE PRECISION NOT NULL DEFAULT 0, creator TEXT)"
    )
    execute(
        "CREATE TABLE poll_answers (code TEXT NOT NULL REFERENCES polls(code), "
        "student TEXT NOT NULL, choice INTEGER NOT NULL, PRIMARY KEY (code, student))"
    )
    token = "old-token"
    execute(
        "INSERT INTO polls (code, question_id, prompt, options, correct, "
        "teacher_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ("K7QM2X", "q", "Old?", '["a", "b"]', 1, polls._hash(token), 1.8e9),
    )
    for student, choice in (("s1", 1), ("s2", 1), ("s3", 0)):
        execute(
            "INSERT INTO poll_answers VALUES (?, ?, ?)", ("K7QM2X", student, choice)
        )
    db.close()
    upgraded = PollStore(url)
    PollStore(url)  # a second process finds it done
    view = upgraded.view("K7QM2X", token)
    assert view.counts == (1, 2)
    assert view.round == 1
    assert view.session is None
    assert not upgraded.answer("K7QM2X", "s1", 0)  # still answered once
    upgraded.open_round_two("K7QM2X", token)
    assert upgraded.answer("K7QM2X", "s1", 0)  # a second round is a new key
    assert upgraded.view("K7QM2X", token).counts2 == (1, 0)
