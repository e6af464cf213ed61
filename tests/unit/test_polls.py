"""Live class check storage, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from dashboard.core import polls
from dashboard.core.polls import (
    CODE_ALPHABET,
    CODE_LENGTH,
    PollError,
    PollStore,
    PollUnavailableError,
    normalise_code,
)

OPTIONS = ("FKBP-12", "Cyclophilin", "mTOR", "IL-2 receptor")


def _open(store: PollStore):
    return store.create("mech-binding", "Tacrolimus binds…", OPTIONS, correct=0)


def test_join_codes_are_short_and_unambiguous(poll_store: PollStore) -> None:
    codes = {_open(poll_store).code for _ in range(30)}
    assert len(codes) == 30
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("0O1IL")


def test_students_see_nothing_until_the_teacher_reveals(poll_store) -> None:
    poll = _open(poll_store)
    for student, choice in [("s1", 0), ("s2", 0), ("s3", 2)]:
        assert poll_store.answer(poll.code, student, choice)
    student_view = poll_store.view(poll.code)
    assert student_view.counts is None
    assert student_view.correct is None
    teacher_view = poll_store.view(poll.code, poll.teacher_token)
    assert teacher_view.counts == (2, 0, 1, 0)
    assert teacher_view.correct == 0
    poll_store.reveal(poll.code, poll.teacher_token)
    revealed = poll_store.view(poll.code)
    assert revealed.counts == (2, 0, 1, 0)
    assert revealed.correct == 0
    assert revealed.total == 3


def test_each_student_answers_once(poll_store) -> None:
    poll = _open(poll_store)
    assert poll_store.answer(poll.code, "s1", 1) is True
    assert poll_store.answer(poll.code, "s1", 3) is False
    assert poll_store.has_answered(poll.code, "s1")
    assert not poll_store.has_answered(poll.code, "s2")
    assert poll_store.view(poll.code, poll.teacher_token).counts == (0, 1, 0, 0)


def test_only_the_teacher_token_reveals_or_closes(poll_store) -> None:
    poll = _open(poll_store)
    other = _open(poll_store)
    for token in ("", "guess", other.teacher_token):
        with pytest.raises(PollError, match="not valid"):
            poll_store.reveal(poll.code, token)
        with pytest.raises(PollError, match="not valid"):
            poll_store.close(poll.code, token)
        assert poll_store.view(poll.code, token).counts is None
    assert poll_store.view(poll.code).revealed is False


def test_a_closed_poll_takes_no_more_answers(poll_store) -> None:
    poll = _open(poll_store)
    poll_store.answer(poll.code, "s1", 0)
    poll_store.close(poll.code, poll.teacher_token)
    with pytest.raises(PollError, match="closed"):
        poll_store.answer(poll.code, "s2", 0)
    assert poll_store.view(poll.code).closed


@pytest.mark.parametrize("bad", ["", "ABC", "ABCDEFG", "ABC0EF", "abc de!", None])
def test_malformed_codes_get_a_clear_message(bad) -> None:
    with pytest.raises(PollError, match="join code"):
        normalise_code(bad)


def test_codes_are_forgiving_about_case_spaces_and_dashes() -> None:
    assert normalise_code(" k7q-m2x ") == "K7QM2X"


def test_unknown_codes_and_bad_choices_are_refused(poll_store) -> None:
    poll = _open(poll_store)
    with pytest.raises(PollError, match="No poll"):
        poll_store.view("ZZZZZZ")
    with pytest.raises(PollError, match="No poll"):
        poll_store.answer("ZZZZZZ", "s1", 0)
    for choice in (-1, 4, 99, "1", 1.5, None):
        with pytest.raises(PollError, match="not one of the options"):
            poll_store.answer(poll.code, "s1", choice)


@pytest.mark.parametrize(
    ("options", "correct"), [(("only one",), 0), (OPTIONS, 4), (("a",) * 9, 0)]
)
def test_polls_need_sensible_options(poll_store, options, correct) -> None:
    with pytest.raises(PollError):
        poll_store.create("q", "prompt", options, correct)


def test_200_concurrent_answers_are_each_counted_once(poll_store) -> None:
    """200 students answer at once (and 50 press the button twice): none lost."""
    poll = _open(poll_store)
    students = [(f"student-{i}", i % len(OPTIONS)) for i in range(200)]
    repeats = students[:50]
    with ThreadPoolExecutor(max_workers=50) as pool:
        accepted = list(
            pool.map(lambda s: poll_store.answer(poll.code, *s), students + repeats)
        )
    assert sum(accepted) == 200
    counts = poll_store.view(poll.code, poll.teacher_token).counts
    assert counts == (50, 50, 50, 50)


def test_two_servers_share_one_database(poll_store) -> None:
    """A second store on the same URL (another dashboard server) sees the poll."""
    poll = _open(poll_store)
    other_server = PollStore(poll_store.url)
    assert other_server.answer(poll.code, "s1", 2)
    assert poll_store.view(poll.code, poll.teacher_token).counts == (0, 0, 1, 0)


def test_unsupported_database_urls_are_refused() -> None:
    with pytest.raises(PollError, match="DATABASE_URL"):
        PollStore("mysql://localhost/polls")


def test_an_unreachable_database_is_a_clear_poll_error() -> None:
    from dashboard.serving.ports import free_port

    with pytest.raises(PollUnavailableError, match="cannot be used right now"):
        PollStore(f"postgresql://nobody@127.0.0.1:{free_port()}/none")


def test_an_unwritable_sqlite_file_is_a_clear_poll_error(tmp_path) -> None:
    folder = tmp_path / "polls.db"
    folder.mkdir()  # a folder where the database file should be
    with pytest.raises(PollError, match="cannot be used right now"):
        PollStore(f"sqlite:///{folder}")


def test_polls_past_retention_go_with_their_answers(poll_store) -> None:
    old = _open(poll_store)
    assert poll_store.answer(old.code, "s1", 0)
    month = polls.RETENTION_DAYS * 86_400
    # Nothing is old enough yet.
    assert poll_store.prune() == 0
    assert poll_store.view(old.code).code == old.code
    # A month and a day later the poll and its answer are gone.
    assert poll_store.prune(now=time.time() + month + 86_400) == 1
    with pytest.raises(PollError, match="No poll has the code"):
        poll_store.view(old.code)
    with pytest.raises(PollError, match="No poll has the code"):
        poll_store.answer(old.code, "s2", 0)
    assert not poll_store.has_answered(old.code, "s1")


def test_answer_of_gives_the_students_choice(poll_store) -> None:
    poll = _open(poll_store)
    assert poll_store.answer_of(poll.code, "s1") is None
    poll_store.answer(poll.code, "s1", 2)
    assert poll_store.answer_of(poll.code, "s1") == 2
    # A second answer from the same student changes nothing.
    assert not poll_store.answer(poll.code, "s1", 0)
    assert poll_store.answer_of(poll.code.lower(), "s1") == 2
