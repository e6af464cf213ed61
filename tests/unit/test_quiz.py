"""The question bank and the session summary."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.core import datasets, quiz, schemas
from dashboard.core.paths import DATA_DIR
from dashboard.core.site import PAGE_SLUGS
from dashboard.ui import keys

QUESTIONS = datasets.load_dataset(schemas.QUIZ_QUESTIONS, DATA_DIR)
TEACHING_PAGES = {"nephrotic-syndrome", "mechanism", "efficacy", "monitoring"}


def test_every_teaching_page_has_questions() -> None:
    assert set(QUESTIONS["page"]) >= TEACHING_PAGES
    assert set(QUESTIONS["page"]) <= PAGE_SLUGS


@pytest.mark.parametrize("qid", QUESTIONS["id"].tolist())
def test_answer_is_one_of_the_options(qid: str) -> None:
    question = QUESTIONS.set_index("id").loc[qid].copy()
    question["id"] = qid
    assert question["answer"] in quiz.options(question)
    assert len(quiz.options(question)) >= 3


def _widget_keys() -> set[str]:
    return {v for k, v in vars(keys).items() if k.isupper() and isinstance(v, str)}


@pytest.mark.parametrize("qid", QUESTIONS["id"].tolist())
def test_links_open_a_real_page_with_known_controls(qid: str) -> None:
    question = QUESTIONS.set_index("id").loc[qid]
    link = quiz.revisit_link(question)
    page, _, query = link.partition("?")
    assert page == question["page"]
    for pair in filter(None, query.split("&")):
        assert pair.split("=")[0] in _widget_keys(), pair


def _all_sourced_text(source_url: str) -> str:
    parts = []
    for schema in schemas.SCHEMAS.values():
        if schema.name == "quiz_questions":
            continue
        frame = datasets.load_dataset(schema, DATA_DIR)
        rows = frame[frame["source_url"] == source_url]
        parts.extend(
            " ".join(str(v) for v in row if pd.notna(v)) for row in rows.values
        )
    return " ".join(parts)


@pytest.mark.parametrize("qid", QUESTIONS["id"].tolist())
def test_numbers_in_explanations_come_from_rows_with_the_same_source(qid: str) -> None:
    """Each figure is in the row's own quote or in a data row citing the same work."""
    question = QUESTIONS.set_index("id").loc[qid]
    own = "" if pd.isna(question["quote"]) else str(question["quote"])
    behind = own + " " + _all_sourced_text(question["source_url"])
    # Standalone figures only: not names such as FKBP-12 or CD20, nor "step 3".
    figures = re.findall(
        r"(?<![\w-])(?<!step )\d+(?:\.\d+)?(?![\w-])", str(question["explanation"])
    )
    for number in figures:
        assert re.search(rf"(?<![\d.]){re.escape(number)}(?!\d)", behind), (qid, number)


def test_rows_checked_since_december_2026_keep_their_quote() -> None:
    recent = QUESTIONS[QUESTIONS["checked"].str.slice(0, 7) >= "2026-12"]
    assert len(recent) >= 6
    missing = recent[recent["quote"].isna()]["id"].tolist()
    assert missing == []


# The answer's length against its distractors: tests/repo/test_repo_data.py.


def test_the_right_answer_is_not_always_in_one_place() -> None:
    places = [quiz.options(q).index(q["answer"]) for _, q in QUESTIONS.iterrows()]
    assert max(places.count(p) for p in set(places)) <= 0.6 * len(places)


def test_summary_counts_confident_errors_and_pages() -> None:
    first, second, third = QUESTIONS.iloc[0], QUESTIONS.iloc[1], QUESTIONS.iloc[-1]
    wrong = next(o for o in quiz.options(second) if o != second["answer"])
    result = quiz.summarise(
        QUESTIONS,
        {
            first["id"]: (first["answer"], False),
            second["id"]: (wrong, True),
            third["id"]: (None, True),
            "no-such-question": ("x", True),
        },
    )
    assert result.answered == 2
    assert result.right == 1
    assert result.confident_errors == (second["id"],)
    assert result.lucky_guesses == (first["id"],)
    assert result.revisit == {second["page"]: [second["id"]]}


def test_unrated_answers_are_neither_confident_errors_nor_lucky_guesses() -> None:
    first, second = QUESTIONS.iloc[0], QUESTIONS.iloc[1]
    wrong = next(o for o in quiz.options(second) if o != second["answer"])
    result = quiz.summarise(
        QUESTIONS,
        {first["id"]: (first["answer"], None), second["id"]: (wrong, None)},
    )
    assert (result.answered, result.right) == (2, 1)
    assert result.confident_errors == result.lucky_guesses == ()
    assert result.revisit == {second["page"]: [second["id"]]}


def test_is_right() -> None:
    question = QUESTIONS.iloc[0]
    assert quiz.is_right(question, question["answer"])
    assert not quiz.is_right(question, None)
    assert not quiz.is_right(question, "something else")
