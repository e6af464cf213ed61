"""Certainty-based marking of check items: first attempt locked, retries apart."""

from __future__ import annotations

import pytest

from dashboard.models import retrieval as model

ITEM = model.CheckItem(
    id="q1",
    label="**1.** Which?",
    options=("Alpha", "Beta", "Gamma"),
    answer="Beta",
    explanation="Because beta.",
    link="[Efficacy](efficacy?eff_outcome=Remission)",
    source="[A source](https://example.org)",
)


def _checked(choice: str, confidence: str) -> model.ItemState:
    return model.check(model.ItemState(), ITEM, choice, confidence)


def test_an_item_needs_its_answer_among_the_options() -> None:
    with pytest.raises(ValueError, match="not an option"):
        model.CheckItem("q", "Q?", ("A", "B"), "C", "Why.")


@pytest.mark.parametrize(
    ("choice", "confidence", "said"),
    [
        (None, None, "Choose an answer and say how sure you are, then Check."),
        (None, "sure", "Choose an answer first, then Check."),
        ("Beta", None, "Say how sure you are (Sure or Unsure) first, then Check."),
        ("Beta", "unsure", None),
    ],
)
def test_missing_says_what_check_still_needs(
    choice: str | None, confidence: str | None, said: str | None
) -> None:
    assert model.missing(choice, confidence) == said


@pytest.mark.parametrize(("choice", "confidence"), [(None, "sure"), ("Beta", None)])
def test_check_refuses_an_unrated_or_unanswered_item(
    choice: str | None, confidence: str | None
) -> None:
    with pytest.raises(ValueError, match="first, then Check"):
        model.check(model.ItemState(), ITEM, choice, confidence)


def test_check_refuses_unknown_options_and_ratings() -> None:
    with pytest.raises(ValueError, match="not an option"):
        model.check(model.ItemState(), ITEM, "Delta", "sure")
    with pytest.raises(ValueError, match="not one of"):
        model.check(model.ItemState(), ITEM, "Beta", "certain")


def test_the_first_attempt_is_locked() -> None:
    fresh = model.ItemState()
    assert fresh.first is None
    assert not fresh.locked
    assert not fresh.can_retry
    state = _checked("Alpha", "sure")
    assert state.locked
    assert state.first == model.Attempt("Alpha", True, False)
    with pytest.raises(ValueError, match="locked"):
        model.check(state, ITEM, "Beta", "sure")


def test_a_retry_is_offered_only_after_a_wrong_answer() -> None:
    right = _checked("Beta", "unsure")
    assert not right.can_retry
    with pytest.raises(ValueError, match="only after a wrong answer"):
        model.try_again(right)
    wrong = model.try_again(_checked("Gamma", "unsure"))
    assert wrong.retrying
    assert not wrong.locked
    assert not wrong.can_retry
    with pytest.raises(ValueError, match="only after a wrong answer"):
        model.try_again(wrong)


def test_a_right_retry_never_changes_the_first_attempt_score() -> None:
    state = model.try_again(_checked("Alpha", "sure"))
    state = model.check(state, ITEM, "Beta", "sure")
    assert state.locked
    assert state.last == model.Attempt("Beta", True, True)
    assert state.first == model.Attempt("Alpha", True, False)
    assert state.retries == (model.Attempt("Beta", True, True),)
    result = model.score({"q1": state})
    assert (result.checked, result.right) == (1, 0)
    assert result.confident_errors == ("q1",)
    assert result.right_unsure == ()
    assert (result.retries, result.retries_right) == (1, 1)
    assert model.retries_line(result) == (
        "Retries: 1 right of 1 (not in the score, which counts first attempts only)."
    )


def test_confident_errors_and_right_but_unsure_count_only_rated_first_attempts() -> (
    None
):
    unrated_wrong = model.ItemState((model.Attempt("Alpha", None, False),))
    unrated_right = model.ItemState((model.Attempt("Beta", None, True),))
    states = {
        "sure-wrong": _checked("Alpha", "sure"),
        "unsure-wrong": _checked("Gamma", "unsure"),
        "sure-right": _checked("Beta", "sure"),
        "unsure-right": _checked("Beta", "unsure"),
        "unrated-wrong": unrated_wrong,
        "unrated-right": unrated_right,
        "unchecked": model.ItemState(),
    }
    result = model.score(states)
    assert (result.checked, result.right) == (6, 3)
    assert result.confident_errors == ("sure-wrong",)
    assert result.right_unsure == ("unsure-right",)
    assert (result.retries, result.retries_right) == (0, 0)
    assert model.retries_line(result) is None
    # Only the ids asked for, and unknown ids are ignored.
    part = model.score(states, ["sure-wrong", "unsure-right", "no-such"])
    assert (part.checked, part.right) == (2, 1)


def test_first_answers_give_the_scored_choice_and_rating() -> None:
    state = model.check(
        model.try_again(_checked("Alpha", "sure")), ITEM, "Beta", "sure"
    )
    assert model.first_answers({"q1": state, "q2": model.ItemState()}) == {
        "q1": ("Alpha", True),
        "q2": (None, None),
    }


def test_feedback_names_the_choice_the_answer_the_page_and_the_source() -> None:
    wrong = model.feedback(ITEM, model.Attempt("Alpha", True, False))
    assert not wrong.right
    assert wrong.text == (
        "**Not quite.** You chose “Alpha”; the answer is “Beta”. Because beta. "
        "Where it is taught: [Efficacy](efficacy?eff_outcome=Remission). "
        "*Source:* [A source](https://example.org)"
    )
    right = model.feedback(ITEM, model.Attempt("Beta", False, True))
    assert right.right
    assert right.text.startswith("**Right.** Because beta. Where it is taught: ")
    bare = model.CheckItem("q", "Q?", ("A", "B"), "A", "Why.")
    assert model.feedback(bare, model.Attempt("A", True, True)).text == (
        "**Right.** Why."
    )


def test_first_attempt_line_records_choice_rating_and_verdict() -> None:
    assert model.first_attempt_line(model.Attempt("Alpha", True, False)) == (
        "First attempt: “Alpha”, sure, not right. This is the one scored."
    )
    assert model.first_attempt_line(
        model.Attempt("Beta", None, True), scored=False
    ) == ("First attempt: “Beta”, not rated, right.")
