"""A virtual patient's decision as a class poll, and the case after the vote."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.models import cases as engine
from dashboard.models import class_check_cases as case_polls

CASES = engine.load_cases()[0]
CHILD = next(c for c in CASES if c.id == "child-frns")


def _state_after(steps: int) -> engine.State:
    state = engine.start(CHILD)
    for step in engine.recommended_path(CHILD).steps[:steps]:
        state = engine.choose(CHILD, state, step.choice)
    return state


def test_an_empty_address_polls_the_first_decision() -> None:
    poll, problem = case_polls.case_poll(CHILD, "")
    assert problem is None
    first = CHILD.node(CHILD.start)
    assert poll.question_id == f"case:child-frns:{engine.encode(engine.start(CHILD))}"
    assert len(poll.options) == len(first.choices)
    assert first.choices[poll.correct].grade == "recommended"
    assert CHILD.title in poll.prompt


def test_a_pasted_link_polls_the_decision_it_shows() -> None:
    state = _state_after(3)
    link = f"http://host/cases?vp=Noor&vp_at={engine.encode(state)}&present=true"
    poll, problem = case_polls.case_poll(CHILD, link)
    assert problem is None
    assert poll.question_id.endswith(engine.encode(state))
    assert engine.node(CHILD, state).title in poll.prompt


@pytest.mark.parametrize("address", ["http://host/cases?vp_at=zz-99", "garbage!"])
def test_an_unreadable_address_says_why(address: str) -> None:
    poll, problem = case_polls.case_poll(CHILD, address)
    assert poll is None
    assert "start" in problem


def test_the_end_of_the_case_has_no_decision_to_poll() -> None:
    end = engine.recommended_path(CHILD)
    poll, problem = case_polls.case_poll(CHILD, engine.encode(end))
    assert poll is None
    assert "end of the case" in problem


def test_the_case_follows_the_majority() -> None:
    state = _state_after(2)
    poll, _ = case_polls.case_poll(CHILD, engine.encode(state))
    counts = [0] * len(poll.options)
    counts[-1] = 7
    counts[0] = 3
    found = case_polls.follow(CASES, poll.question_id, counts)
    here = CHILD.node(state.node_id)
    after = engine.choose(CHILD, state, here.choices[-1].id)
    query = parse_qs(urlsplit(found.href).query)
    assert found.href.startswith("cases?")
    assert query["vp_at"] == [engine.encode(after)]
    assert query["vp"] == [CHILD.title]
    assert found.option == poll.options[-1]
    assert not found.tied


def test_a_tie_goes_to_the_first_and_says_so() -> None:
    poll, _ = case_polls.case_poll(CHILD, "")
    counts = [4] * len(poll.options)
    found = case_polls.follow(CASES, poll.question_id, counts)
    assert found.tied
    assert found.option == poll.options[0]


@pytest.mark.parametrize(
    ("question_id", "counts"),
    [
        ("mech-no-fkbp12", [3, 1, 0]),  # a bank question
        ("case:child-frns:sb-", [0, 0, 0]),  # nobody answered
        ("case:no-such-case:sb-", [1, 0, 0]),
        ("case:child-frns:zz-9", [1, 0, 0]),  # a stale position
    ],
)
def test_nothing_to_follow(question_id: str, counts: list[int]) -> None:
    assert case_polls.follow(CASES, question_id, counts) is None
