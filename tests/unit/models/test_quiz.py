"""The Quiz page's model: items, feedback, the session summary and the handout."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.core import datasets, quiz, schemas
from dashboard.core.paths import DATA_DIR
from dashboard.core.site import PAGES
from dashboard.models import quiz as model

QUESTIONS = datasets.load_dataset(schemas.QUIZ_QUESTIONS, DATA_DIR)


def _row(qid: str) -> pd.Series:
    return QUESTIONS[QUESTIONS["id"] == qid].iloc[0]


def _wrong(question: pd.Series) -> str:
    return next(o for o in quiz.options(question) if o != question["answer"])


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


def test_items_are_numbered_in_order_with_their_options() -> None:
    chosen = model.questions_on(QUESTIONS, ["mechanism"])
    items = model.items(chosen)
    assert [i.id for i in items] == chosen["id"].tolist()
    first = chosen.iloc[0]
    assert items[0].label == f"**1.** {first['question']}"
    assert items[-1].label.startswith(f"**{len(items)}.** ")
    assert items[0].options == tuple(quiz.options(first))


def test_feedback_for_a_right_answer_gives_the_explanation_and_source() -> None:
    question = _row("ns-lesion-children")
    verdict = model.feedback(question, question["answer"])
    assert verdict.right
    assert verdict.text.startswith(f"**Right.** {question['explanation']} *Source:* ")


def test_feedback_for_a_wrong_answer_names_the_answer_and_the_page() -> None:
    question = _row("eff-mn-final")
    verdict = model.feedback(question, _wrong(question))
    assert not verdict.right
    assert verdict.text.startswith("**Not quite.** The answer is “About the same”. ")
    assert (
        "Revisit: [Efficacy](efficacy?eff_disease=Membranous+nephropathy"
        "&eff_outcome=Remission)." in verdict.text
    )


def test_feedback_refuses_a_choice_that_is_not_an_option() -> None:
    with pytest.raises(ValueError, match="not an option"):
        model.feedback(_row("ns-lesion-children"), "Something else")


def test_no_summary_before_an_answer() -> None:
    answers = dict.fromkeys(QUESTIONS["id"], (None, True))
    assert model.summary(QUESTIONS, answers) is None
    assert model.summary(QUESTIONS, {}) is None


def test_summary_sentences_count_and_link_back() -> None:
    right, wrong = _row("ns-lesion-children"), _row("eff-mn-final")
    answers = {
        right["id"]: (right["answer"], False),
        wrong["id"]: (_wrong(wrong), True),
    }
    result = model.summary(QUESTIONS, answers)
    assert result is not None
    assert result.score == "**1 of 2** answered right."
    assert result.confident_errors == (
        f"**Sure but wrong**, the ones most worth a second look: “{wrong['question']}”"
    )
    assert result.lucky_guesses == "Right but unsure: 1. Worth revisiting too."
    number = QUESTIONS["id"].tolist().index(wrong["id"]) + 1
    assert result.revisit == (
        "**Pages to revisit**\n- **Efficacy**: 1 to revisit "
        f"([question {number}]({quiz.revisit_link(wrong)}))"
    )


def test_a_perfect_sure_session_has_nothing_to_revisit() -> None:
    question = _row("ns-lesion-children")
    result = model.summary(QUESTIONS, {question["id"]: (question["answer"], True)})
    assert result is not None
    assert result.score == "**1 of 1** answered right."
    assert result.confident_errors is result.lucky_guesses is result.revisit is None


def test_the_handout_marks_each_question_and_lists_sources_once() -> None:
    chosen = model.questions_on(QUESTIONS, ["efficacy"])
    wrong = _row("eff-mn-final")
    handout = model.handout(chosen, {wrong["id"]: (_wrong(wrong), True)})
    assert handout.title == model.HANDOUT_TITLE
    assert handout.view == "0 of 1 answered right; 1 sure but wrong. Pages: Efficacy"
    assert handout.numbers_title == "Questions and your answers"
    assert len(handout.numbers) == len(chosen)
    marks = dict(handout.numbers)
    number = chosen["id"].tolist().index(wrong["id"]) + 1
    assert marks[f"{number}. {wrong['question']}"] == "wrong (sure)"
    assert list(marks.values()).count("not answered") == len(chosen) - 1
    assert len(handout.sources) == len(set(handout.sources))
    assert set(handout.sources) == set(
        zip(chosen["source"], chosen["source_url"], strict=True)
    )
