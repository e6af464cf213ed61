"""The class check's model: what each view says, the chart and the handout."""

from __future__ import annotations

import re

import pytest

from dashboard.core import datasets, quiz, schemas
from dashboard.core.paths import DATA_DIR
from dashboard.core.polls import PollUnavailableError, PollView
from dashboard.models import class_check as model
from dashboard.models import class_check_export as export
from dashboard.ui import keys

BANK = model.bank_by_id(datasets.load_dataset(schemas.QUIZ_QUESTIONS, DATA_DIR))
QID = "mech-no-fkbp12"


def _view(**changes) -> PollView:
    fields = {
        "code": "K7QM2X",
        "question_id": QID,
        "prompt": "Tacrolimus without FKBP-12?",
        "options": ("a", "b", "c"),
        "revealed": False,
        "closed": False,
        "counts": (2, 1, 0),
        "correct": 1,
        "opened": 3,
        "has_pin": True,
    }
    return PollView(**(fields | changes))


def test_the_bank_is_indexed_by_id_and_labels_name_the_page() -> None:
    assert BANK.loc[QID, "id"] == QID
    label = model.question_label(BANK, QID)
    assert label == f"Mechanism: {BANK.loc[QID, 'question']}"


def test_a_new_poll_asks_the_banks_question_with_its_answer() -> None:
    asked = model.new_poll(BANK, QID)
    row = BANK.loc[QID]
    assert asked.question_id == QID
    assert asked.prompt == row["question"]
    assert asked.options == tuple(quiz.options(row))
    assert asked.options[asked.correct] == row["answer"]
    with pytest.raises(ValueError, match="no question"):
        model.new_poll(BANK, "no-such-question")


def test_too_many_guesses_names_what_was_guessed() -> None:
    assert model.too_many_guesses("join", 12) == (
        "Too many wrong join codes from this tab. Wait 12 s and try again."
    )
    assert "teacher PINs or keys" in model.too_many_guesses("teacher", 3)
    with pytest.raises(ValueError, match="unknown kind"):
        model.too_many_guesses("other", 3)


def test_addresses_and_the_cookie_name() -> None:
    assert model.JOIN_PARAM == keys.POLL_JOIN
    page = "http://localhost:8501/class-check"
    assert model.join_address(page, "K7QM2X") == f"{page}?join=K7QM2X"
    assert model.join_instructions(page, "K7QM2X") == (
        f"Students open **{page}?join=K7QM2X**, or this page and type the code."
    )
    assert model.students_answer_at(page, "K7QM2X") == (
        f"Students: open **{page}?join=K7QM2X** to answer."
    )
    assert model.join_code_heading("K7QM2X") == "## Join code: `K7QM2X`"
    assert model.poll_code_caption("K7QM2X").startswith("Poll `K7QM2X`: it takes no")
    assert model.options_list(_view()) == "- a\n- b\n- c"
    assert model.teacher_cookie("K7QM2X") == "cc_teacher_K7QM2X"


def test_control_help_depends_on_the_pin() -> None:
    assert "type the PIN you chose" in model.control_help(True)
    assert "only this browser can control it" in model.control_help(False)
    for has_pin in (True, False):
        assert model.control_help(has_pin).startswith(
            "This browser keeps the poll's teacher key in a cookie"
        )


def test_counted_uses_the_singular_for_one() -> None:
    assert model.counted(1, "answer") == "1 answer"
    assert model.counted(0, "answer") == "0 answers"
    assert model.counted(3, "browser") == "3 browsers"


def test_the_teachers_status_counts_answers_and_opened_questions() -> None:
    assert model.answer_count(_view()) == "3 answers"
    assert model.answer_count(_view(counts=(0, 1, 0))) == "1 answer"
    status = model.status(_view(), teacher=True)
    assert status.caption == (
        "Poll open. 3 browsers opened the question. Updates every 2 s."
    )
    assert status.warning is None
    revealed = model.status(_view(revealed=True, closed=True), teacher=True)
    assert revealed.caption.startswith("Poll closed, results shown to the class. ")


def test_more_answers_than_opens_is_a_warning() -> None:
    status = model.status(_view(counts=(2, 1, 0), opened=1), teacher=True)
    assert status.warning is not None
    assert status.warning.startswith(
        "More answers (3) than browsers that opened the question (1)"
    )


def test_a_students_status_has_no_counts() -> None:
    assert model.status(_view(revealed=True), teacher=False).caption == (
        "Poll open, results shown to the class."
    )
    assert model.waiting_status(_view()) == "Poll open."
    assert model.waiting_status(_view(closed=True)) == "Poll closed."


def test_the_answer_is_marked_only_after_the_reveal() -> None:
    assert model.shown_answer(_view()) is None
    assert model.shown_answer(_view(revealed=True)) == 1
    hidden = model.results_chart(_view())
    shown = model.results_chart(_view(revealed=True))
    assert "Correct" not in hidden.alt
    assert shown.alt.endswith("Correct answer: b.")
    assert shown.title == "3 answers"
    with pytest.raises(ValueError, match="not visible"):
        model.results_chart(_view(counts=None))


def test_a_students_answer_and_verdict() -> None:
    assert model.your_answer(_view(), 2) == "Your answer: **c**"
    revealed = _view(revealed=True)
    assert model.verdict(revealed, 1) == model.Verdict(True, "You were right.")
    assert model.verdict(revealed, 0) == model.Verdict(False, "The answer is **b**.")
    with pytest.raises(ValueError, match="not revealed"):
        model.verdict(_view(), 1)


def test_the_explanation_links_to_the_page_that_explains_it() -> None:
    row = BANK.loc[QID]
    assert model.explanation(BANK, QID) == (
        f"**Why:** {row['explanation']} "
        f"[Open the page that explains it](/{quiz.revisit_link(row)})"
    )
    assert model.explanation(BANK, "gone") is None


def test_outage_messages_say_they_retry_and_what_is_kept() -> None:
    error = PollUnavailableError("The poll database cannot be used right now.")
    assert model.panel_error(error).endswith(
        "This panel tries again every 2 s by itself."
    )
    assert model.outage(error) == (
        "The poll database cannot be used right now. This page tries again "
        "every 2 s by itself; nothing already stored is lost."
    )
    assert model.kept_answer("b").startswith("Your answer (**b**) is kept in this tab.")
    assert model.not_counted("a", ValueError("This poll is closed.")) == (
        "Your answer (a) could not be counted. This poll is closed."
    )


def test_the_handout_lists_the_counts_and_marks_the_answer_once_revealed() -> None:
    hidden = export.handout(_view(), BANK)
    assert hidden.title == "Live class check"
    assert (
        hidden.view
        == "Tacrolimus without FKBP-12? (3 answers; answer not yet revealed.)"
    )
    assert hidden.numbers == [("a", "2"), ("b", "1"), ("c", "0")]
    assert hidden.numbers_title == "Answers from the class"
    row = BANK.loc[QID]
    assert hidden.sources == [(row["source"], row["source_url"])]
    shown = export.handout(_view(revealed=True), BANK)
    assert shown.numbers[1] == ("b  ✓ correct", "1")
    assert shown.view.endswith("(3 answers; answer revealed.)")
    assert export.handout(_view(question_id="gone"), BANK).sources == []


def test_an_unreadable_poll_gives_a_handout_that_says_so() -> None:
    handout = export.unreadable_handout("K7QM2X", PollUnavailableError("Down."))
    assert handout.view == "Poll K7QM2X: the answers could not be read. Down."
    assert handout.numbers == []


def test_the_projected_lines_carry_no_count_per_option() -> None:
    """Issue 21: before the reveal the teacher's lines give nothing away."""
    view = _view(counts=(11, 7, 4), opened=23)
    shown = [model.answer_count(view), model.status(view, teacher=True).caption]
    shown.append(model.HIDDEN_UNTIL_REVEAL)
    assert shown[0] == "22 answers"
    for line in shown:
        assert "%" not in line
        numbers = set(re.findall(r"\d+", line))
        assert not numbers & {"11", "7", "4"}, line


def test_light_results_mark_the_answer_by_text_once_revealed() -> None:
    hidden = model.result_rows(_view())
    assert [r.text for r in hidden] == [
        "a: **2** of 3 (67%)",
        "b: **1** of 3 (33%)",
        "c: **0** of 3 (0%)",
    ]
    assert [r.share for r in hidden] == pytest.approx([2 / 3, 1 / 3, 0])
    assert not any(r.correct for r in hidden)
    shown = model.result_rows(_view(revealed=True), choice=0)
    assert shown[0].text == "a: **2** of 3 (67%) · your answer"
    assert shown[1].text == "✓ Correct: b: **1** of 3 (33%)"
    assert [r.correct for r in shown] == [False, True, False]
    empty = model.result_rows(_view(counts=(0, 0, 0)))
    assert [r.share for r in empty] == [0.0, 0.0, 0.0]
    assert empty[0].text == "a: **0** of 0 (0%)"
    with pytest.raises(ValueError, match="not visible"):
        model.result_rows(_view(counts=None))


def test_the_picker_groups_full_questions_by_page_in_bank_order() -> None:
    topics = model.topics(BANK)
    assert set(topics) == set(BANK["page"])
    assert topics[0] == BANK["page"].iloc[0]
    assert model.topic_label("mechanism") == "Mechanism"
    ids = [q for t in topics for q in model.questions_on(BANK, t)]
    assert sorted(ids) == sorted(BANK.index)  # every question, once
    on_mechanism = model.questions_on(BANK, "mechanism")
    assert QID in on_mechanism
    assert all(BANK.loc[q, "page"] == "mechanism" for q in on_mechanism)
    assert model.question_text(BANK, QID) == BANK.loc[QID, "question"]


def test_the_join_placeholder_does_not_look_like_a_code() -> None:
    hint = model.JOIN_PLACEHOLDER
    assert len(hint) > 6
    assert " " in hint
