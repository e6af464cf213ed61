"""What the December 2026 review asked of the poll store, on SQLite and PostgreSQL.

M1: a teacher PIN gives control back (rate-limited per poll). M4: new browser
identities are rate-limited per address in the database, and the teacher can
compare answers with the browsers that opened the question. M5: a browser may
not start polls without limit, and pruning uses an index, runs in batches and
at most every few minutes. L5: answers after the reveal are refused, except one
sent before the reveal and held back by a database outage.
"""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from dashboard.core import polls
from dashboard.core.polls import PollError, PollLimitError, PollStore

OPTIONS = ("FKBP-12", "Cyclophilin", "mTOR", "IL-2 receptor")
PIN = "katze42"
DAY = 86_400


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
    """The backend's empty store, on the test's clock."""
    return PollStore(poll_store.url, clock=clock)


def _open(store: PollStore, **kwargs):
    return store.create("mech-binding", "Tacrolimus binds…", OPTIONS, 0, **kwargs)


# -- M1: the teacher PIN -------------------------------------------------------
def test_the_pin_gives_a_new_teacher_token_and_the_first_stays_valid(store) -> None:
    poll = _open(store, pin=PIN)
    store.answer(poll.code, "s1", 0)
    again = store.reclaim(poll.code, f"  {PIN} ")
    assert again != poll.teacher_token
    for token in (poll.teacher_token, again):
        assert store.view(poll.code, token).counts == (1, 0, 0, 0)
    store.reveal(poll.code, again)
    assert store.view(poll.code).revealed
    store.close(poll.code, poll.teacher_token)
    assert store.view(poll.code).closed


def test_a_wrong_pin_gives_nothing_and_says_how_many_tries_are_left(store) -> None:
    poll = _open(store, pin=PIN)
    with pytest.raises(PollError, match=r"not right for this poll \(4 more tries"):
        store.reclaim(poll.code, "katze43")
    with pytest.raises(PollError, match="No poll has the code"):
        store.reclaim("ZZZZZZ", PIN)


def test_pin_tries_are_limited_per_poll_then_allowed_again(store, clock) -> None:
    poll = _open(store, pin=PIN)
    other = _open(store, pin=PIN)
    for _ in range(polls.PIN_TRIES):
        with pytest.raises(PollError, match="not right"):
            store.reclaim(poll.code, "wrong-pin")
    # Even the right PIN waits now: every try counts, from any browser.
    with pytest.raises(PollLimitError, match="Too many PIN tries") as limited:
        store.reclaim(poll.code, PIN)
    assert 0 < limited.value.retry_after_s <= polls.PIN_WINDOW_S
    assert store.reclaim(other.code, PIN)  # another poll is not affected
    clock.now += polls.PIN_WINDOW_S
    assert store.reclaim(poll.code, PIN)


def test_pin_tries_sent_at_once_cannot_pass_the_limit(store) -> None:
    poll = _open(store, pin=PIN)
    checked = []

    def guess(i: int) -> None:
        try:
            store.reclaim(poll.code, f"guess-{i:04d}")
        except PollLimitError:
            pass
        except PollError:
            checked.append(i)

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(guess, range(40)))
    assert len(checked) == polls.PIN_TRIES


@pytest.mark.parametrize(
    ("pin", "message"),
    [
        ("12345", "6 to 64"),
        ("x" * 65, "6 to 64"),
        ("", "6 to 64"),
        ("111111", "too easy"),
        ("123456", "too easy"),
        ("98765432", "too easy"),
        ("aaaaaaa", "too easy"),
    ],
)
def test_weak_or_odd_pins_are_refused(store, pin, message) -> None:
    with pytest.raises(PollError, match=message):
        _open(store, pin=pin)


def test_a_poll_without_a_pin_cannot_be_taken_over(store) -> None:
    poll = _open(store)
    assert not store.view(poll.code).has_pin
    with pytest.raises(PollError, match="without a teacher PIN"):
        store.reclaim(poll.code, PIN)


def test_only_a_hash_of_the_pin_is_stored(store) -> None:
    poll = _open(store, pin=PIN)
    with store._connect() as db:
        (stored,) = store._execute(
            db, "SELECT pin_hash FROM polls WHERE code = ?", (poll.code,)
        ).fetchone()
    assert PIN not in stored
    assert stored.startswith("scrypt$")
    assert polls.verify_pin(PIN, stored)
    assert not polls.verify_pin("katze43", stored)
    assert not polls.verify_pin(PIN, "garbage")


# -- M4: new identities per address, and answers against opens ---------------------
def test_a_hall_behind_one_address_gets_its_identities_then_it_is_metered(
    store, clock
) -> None:
    hall = "a-hall"
    admitted = [store.admit_new_browser(hall) for _ in range(polls.NEW_BROWSERS_BURST)]
    assert admitted == [0.0] * polls.NEW_BROWSERS_BURST
    wait = store.admit_new_browser(hall)
    assert wait == pytest.approx(60 / polls.NEW_BROWSERS_PER_MINUTE, abs=1)
    assert store.admit_new_browser("another-address") == 0.0
    clock.now += 60  # a minute later: NEW_BROWSERS_PER_MINUTE more
    more = [store.admit_new_browser(hall) for _ in range(polls.NEW_BROWSERS_PER_MINUTE)]
    assert more == [0.0] * polls.NEW_BROWSERS_PER_MINUTE
    assert store.admit_new_browser(hall) > 0


def test_new_identities_asked_for_at_once_never_exceed_the_bucket(store) -> None:
    asked = polls.NEW_BROWSERS_BURST + 80
    with ThreadPoolExecutor(max_workers=40) as pool:
        waits = list(
            pool.map(lambda _: store.admit_new_browser("a-hall"), range(asked))
        )
    assert waits.count(0.0) == polls.NEW_BROWSERS_BURST


def test_the_teacher_sees_opens_and_a_flag_when_answers_outnumber_them(
    store,
) -> None:
    poll = _open(store)
    for student in ("s1", "s2", "s2"):
        store.opened(poll.code, student)
    store.answer(poll.code, "s1", 0)
    teacher = store.view(poll.code, poll.teacher_token)
    assert (teacher.opened, teacher.total) == (2, 1)
    assert not teacher.more_answers_than_opens
    assert store.view(poll.code).opened is None  # students never see it
    for student in ("s2", "x1", "x2"):  # two answers that never opened the page
        store.answer(poll.code, student, 1)
    assert store.view(poll.code, poll.teacher_token).more_answers_than_opens


# -- M5: creation limits and pruning -----------------------------------------------
def test_a_browser_starts_one_poll_every_10_s_and_30_an_hour(store, clock) -> None:
    _open(store, creator="c-teacher")
    with pytest.raises(PollLimitError, match="Wait 10 s") as limited:
        _open(store, creator="c-teacher")
    assert limited.value.retry_after_s == polls.CREATE_GAP_S
    _open(store, creator="c-colleague")  # another browser is not held up
    for _ in range(polls.CREATES_PER_HOUR - 1):
        clock.now += polls.CREATE_GAP_S
        _open(store, creator="c-teacher")
    clock.now += polls.CREATE_GAP_S
    with pytest.raises(PollLimitError, match="30 polls in the last hour"):
        _open(store, creator="c-teacher")
    clock.now += 3600
    _open(store, creator="c-teacher")


def _age(store: PollStore, code: str, seconds: float) -> None:
    """Pretend the poll was started ``seconds`` before the store's clock."""
    with store._connect() as db:
        store._execute(
            db,
            "UPDATE polls SET created_at = ? WHERE code = ?",
            (store._clock() - seconds, code),
        )


def test_pruning_runs_at_most_every_few_minutes(store, clock) -> None:
    _open(store)  # the first start in a process prunes
    old = _open(store)
    _age(store, old.code, polls.RETENTION_DAYS * DAY + 1)
    clock.now += polls.PRUNE_EVERY_S - 1
    _open(store)  # too soon after the last prune: nothing is pruned
    assert store.view(old.code)
    clock.now += 1
    _open(store)  # PRUNE_EVERY_S later: pruned as this poll starts
    with pytest.raises(PollError, match="No poll has the code"):
        store.view(old.code)


def test_pruning_goes_in_batches_and_takes_every_trace(
    store, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(polls, "PRUNE_BATCH", 3)
    started = clock.now
    old = [_open(store, pin=PIN) for _ in range(7)]
    for poll in old:
        store.answer(poll.code, "s1", 0)
        store.opened(poll.code, "s1")
        store.reclaim(poll.code, PIN)
    store.admit_new_browser("a-someone")
    clock.now += 2 * DAY
    fresh = _open(store, pin=PIN)
    store.answer(fresh.code, "s1", 0)
    assert store.prune(now=started + polls.RETENTION_DAYS * DAY + DAY) == 7
    with store._connect() as db:
        for table in ("poll_answers", "poll_opens", "poll_teachers"):
            (left,) = store._execute(
                db, f"SELECT COUNT(*) FROM {table} WHERE code != ?", (fresh.code,)
            ).fetchone()
            assert left == 0, table
        budget = store._execute(db, "SELECT COUNT(*) FROM browser_budget").fetchone()
    assert budget == (0,)
    assert store.view(fresh.code, fresh.teacher_token).counts == (1, 0, 0, 0)


def test_pruning_finds_old_polls_through_an_index(store) -> None:
    cutoff = 0.0
    with store._connect() as db:
        if store.backend == "sqlite":
            plan = " ".join(
                str(row[-1])
                for row in db.execute(
                    "EXPLAIN QUERY PLAN SELECT code FROM polls WHERE created_at < ? "
                    "ORDER BY created_at LIMIT 500",
                    (cutoff,),
                )
            )
        else:
            db.execute("SET enable_seqscan = off")  # a tiny table: ask for the plan
            plan = " ".join(
                row[0]
                for row in db.execute(
                    "EXPLAIN SELECT code FROM polls WHERE created_at < %s "
                    "ORDER BY created_at LIMIT 500",
                    (cutoff,),
                )
            )
    assert "polls_created_at" in plan
    assert "SCAN polls" not in plan
    assert "Seq Scan" not in plan


# -- L5: late answers ----------------------------------------------------------------
def test_answers_after_the_reveal_are_refused(store, clock) -> None:
    poll = _open(store)
    store.answer(poll.code, "on-time", 1)
    clock.now += 30
    store.reveal(poll.code, poll.teacher_token)
    clock.now += 5
    with pytest.raises(PollError, match="results are out"):
        store.answer(poll.code, "late", 0)
    assert store.view(poll.code).counts == (0, 1, 0, 0)
    # A second reveal does not move the moment of the reveal.
    store.reveal(poll.code, poll.teacher_token)
    with pytest.raises(PollError, match="results are out"):
        store.answer(poll.code, "late", 0, sent_at=clock.now - 4)


def test_an_answer_sent_before_the_reveal_but_held_up_still_counts(
    store, clock
) -> None:
    poll = _open(store)
    sent = clock.now  # the student pressed send; the database was down
    clock.now += 20
    store.reveal(poll.code, poll.teacher_token)
    clock.now += 5  # the database is back and the page sends it
    assert store.answer(poll.code, "kept", 2, sent_at=sent)
    assert store.view(poll.code).counts == (0, 0, 1, 0)


# -- upgrading an older database ------------------------------------------------
OLD_POLLS = """CREATE TABLE polls (
    code TEXT PRIMARY KEY, question_id TEXT NOT NULL, prompt TEXT NOT NULL,
    options TEXT NOT NULL, correct INTEGER NOT NULL, teacher_hash TEXT NOT NULL,
    revealed INTEGER NOT NULL DEFAULT 0, closed INTEGER NOT NULL DEFAULT 0,
    created_at DOUBLE PRECISION NOT NULL)"""


def test_a_database_made_by_the_previous_version_is_upgraded(
    poll_store: PollStore, tmp_path
) -> None:
    """Polls of the last release keep working: their answers, reveal and close."""
    if poll_store.backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
        db = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
        execute = db.execute
    else:
        import psycopg

        url = poll_store.url
        db = psycopg.connect(url, autocommit=True)
        db.execute(f"DROP TABLE IF EXISTS {', '.join(polls.TABLES)}")

        def execute(sql, params=()):
            return db.execute(sql.replace("?", "%s"), params)

    execute(OLD_POLLS)
    execute(
        "CREATE TABLE poll_answers (code TEXT NOT NULL REFERENCES polls(code), "
        "student TEXT NOT NULL, choice INTEGER NOT NULL, PRIMARY KEY (code, student))"
    )
    token = "old-token"
    execute(
        "INSERT INTO polls (code, question_id, prompt, options, correct, "
        "teacher_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ("K7QM2X", "q", "Old?", '["a", "b"]', 1, polls._hash(token), 1e9 * 1.8),
    )
    execute("INSERT INTO poll_answers VALUES (?, ?, ?)", ("K7QM2X", "s1", 1))
    db.close()
    upgraded = PollStore(url)
    PollStore(url)  # a second process starting on the upgraded database
    assert upgraded.view("K7QM2X", token).counts == (0, 1)
    assert not upgraded.view("K7QM2X").has_pin
    assert upgraded.answer("K7QM2X", "s2", 0)
    upgraded.reveal("K7QM2X", token)
    assert upgraded.view("K7QM2X").counts == (1, 1)


def test_processes_starting_together_on_one_new_database_agree(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'polls.db'}"
    start = threading.Barrier(6)
    errors = []

    def boot() -> None:
        start.wait()
        try:
            PollStore(url)
        except PollError as error:  # pragma: no cover - the failure we look for
            errors.append(error)

    threads = [threading.Thread(target=boot) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _open(PollStore(url)).code
