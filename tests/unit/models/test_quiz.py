"""The Quiz page's model: check items, the session summary and the handout."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.core import datasets, quiz, schemas
from dashboard.core.paths import DATA_DIR
from dashboard.core.site import PAGES
from dashboard.models import quiz as model
from dashboard.models import retrieval

QUESTIONS = datasets.load_dataset(schemas.QUIZ_QUESTIONS, DATA_DIR)


def _row(qid: str) -> pd.Series:
    return QUESTIONS[QUESTIONS["id"] == qid].iloc[0]


def _wrong(question: pd.Series) -> str:
    return next(o for o in quiz.options(question) if o != question["answer"])


def _state(question: pd.Series, choice: str, confidence: str) -> retrieval.ItemState:
    """The state after checking ``choice`` rated ``confidence``."""
    item = model.check_item(question)
    return retrieval.check(retrieval.ItemState(), item, choice, confidence)


def test_quizzed_pages_follow_the_site_order() -> None:
    pages = model.quizzed_pages(QUESTIONS)
    order = [p.slug for p in PAGES]
    assert list(pages) == sorted(pages, key=order.index)
    assert set(pages) == set(QUESTIONS["page"])


def test_questions_on_keeps_the_bank_order_and_refuses_unknown_pages() -> None:
    chosen = model.questions_on(QUESTIONS, ["mechanism", "efficacy"])
    assert set(chosen["page"]) == {"mechanism", "efficacy"}
    assert list(chosen.index) == sorted(chosen.index)
    assert model.questions_on(QUESTIONS, []).empty
    with pytest.raises(ValueError, match="no-such-page"):
        model.questions_on(QUESTIONS, ["no-such-page"])


def test_items_are_numbered_check_items_with_their_options() -> None:
    chosen = model.questions_on(QUESTIONS, ["mechanism"])
    items = model.items(chosen)
    assert [i.id for i in items] == chosen["id"].tolist()
    first = chosen.iloc[0]
    assert items[0].label == f"**1.** {first['question']}"
    assert items[-1].label.startswith(f"**{len(items)}.** ")
    assert items[0].options == tuple(quiz.options(first))
    assert items[0].answer == first["answer"]


def test_a_right_answer_gets_the_explanation_the_page_and_the_source() -> None:
    question = _row("ns-lesion-children")
    item = model.check_item(question)
    verdict = retrieval.feedback(
        item, retrieval.Attempt(question["answer"], True, True)
    )
    assert verdict.right
    assert verdict.text.startswith(f"**Right.** {question['explanation']} ")
    assert "Where it is taught: [Nephrotic syndrome](nephrotic-syndrome)." in (
        verdict.text
    )
    assert "*Source:* " in verdict.text


def test_a_wrong_answer_names_the_answer_and_the_view_that_teaches_it() -> None:
    question = _row("eff-mn-final")
    verdict = retrieval.feedback(
        model.check_item(question), retrieval.Attempt(_wrong(question), True, False)
    )
    assert not verdict.right
    assert "the answer is “About the same”. " in verdict.text
    assert (
        "Where it is taught: [Efficacy](efficacy?eff_disease=Membranous+nephropathy"
        "&eff_outcome=Remission)." in verdict.text
    )


def test_no_summary_before_a_check() -> None:
    states = dict.fromkeys(QUESTIONS["id"], retrieval.ItemState())
    assert model.summary(QUESTIONS, states) is None
    assert model.summary(QUESTIONS, {}) is None


def test_summary_sentences_count_and_link_back() -> None:
    right, wrong = _row("ns-lesion-children"), _row("eff-mn-final")
    states = {
        right["id"]: _state(right, right["answer"], "unsure"),
        wrong["id"]: _state(wrong, _wrong(wrong), "sure"),
    }
    result = model.summary(QUESTIONS, states)
    assert result is not None
    assert result.score == "**1 of 2** right at the first attempt."
    assert result.confident_errors == (
        f"**Sure but wrong**, the ones most worth a second look: “{wrong['question']}”"
    )
    assert result.lucky_guesses == "Right but unsure: 1. Worth revisiting too."
    assert result.retries is None
    number = QUESTIONS["id"].tolist().index(wrong["id"]) + 1
    assert result.revisit == (
        "**Pages to revisit**\n- **Efficacy**: 1 to revisit "
        f"([question {number}]({quiz.revisit_link(wrong)}))"
    )


def test_a_perfect_sure_session_has_nothing_to_revisit() -> None:
    question = _row("ns-lesion-children")
    state = _state(question, question["answer"], "sure")
    result = model.summary(QUESTIONS, {question["id"]: state})
    assert result is not None
    assert result.score == "**1 of 1** right at the first attempt."
    assert result.confident_errors is result.lucky_guesses is result.revisit is None


def test_a_right_retry_is_counted_apart_from_a_wrong_first_attempt() -> None:
    question = _row("eff-mn-final")
    item = model.check_item(question)
    state = retrieval.try_again(_state(question, _wrong(question), "sure"))
    state = retrieval.check(state, item, question["answer"], "sure")
    result = model.summary(QUESTIONS, {question["id"]: state})
    assert result is not None
    assert result.score == "**0 of 1** right at the first attempt."
    assert result.confident_errors is not None
    assert result.lucky_guesses is None
    assert result.retries is not None
    assert result.retries.startswith("Retries: 1 right of 1 ")
    assert result.revisit is not None
    chosen = model.questions_on(QUESTIONS, ["efficacy"])
    handout = model.handout(chosen, {question["id"]: state})
    assert handout.view.startswith(
        "0 of 1 right at the first attempt; 1 sure but wrong; retries: 1 right of 1."
    )
    number = chosen["id"].tolist().index(question["id"]) + 1
    marks = dict(handout.numbers)
    assert marks[f"{number}. {question['question']}"] == (
        "wrong (sure); retries: 1 right of 1"
    )


def test_states_of_questions_not_shown_are_ignored() -> None:
    other = _row("ns-lesion-children")
    chosen = model.questions_on(QUESTIONS, ["efficacy"])
    states = {other["id"]: _state(other, other["answer"], "sure")}
    assert model.summary(chosen, states) is None


def test_the_handout_marks_each_question_and_lists_sources_once() -> None:
    chosen = model.questions_on(QUESTIONS, ["efficacy"])
    wrong = _row("eff-mn-final")
    states = {wrong["id"]: _state(wrong, _wrong(wrong), "sure")}
    handout = model.handout(chosen, states)
    assert handout.title == model.HANDOUT_TITLE
    assert handout.view == (
        "0 of 1 right at the first attempt; 1 sure but wrong. Pages: Efficacy"
    )
    assert handout.numbers_title == "Questions and your first attempts"
    assert len(handout.numbers) == len(chosen)
    marks = dict(handout.numbers)
    number = chosen["id"].tolist().index(wrong["id"]) + 1
    assert marks[f"{number}. {wrong['question']}"] == "wrong (sure)"
    assert list(marks.values()).count("not checked") == len(chosen) - 1
    assert len(handout.sources) == len(set(handout.sources))
    assert set(handout.sources) == set(
        zip(chosen["source"], chosen["source_url"], strict=True)
    )
