"""The Quiz page and the simulator's predict-then-reveal."""

from __future__ import annotations

from urllib.parse import unquote_plus

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core import datasets, quiz, schemas
from dashboard.core.paths import APP_PATH, DATA_DIR
from dashboard.core.site import page_by_slug
from tests.app.conftest import all_text, open_page

QUESTIONS = datasets.load_dataset(schemas.QUIZ_QUESTIONS, DATA_DIR)
#: Each distinct (page, view) a question links back to.
LINKS = sorted(
    {quiz.revisit_link(q) for _, q in QUESTIONS.iterrows() if pd.notna(q["view"])}
)


def test_quiz_round_with_feedback_and_summary() -> None:
    at = open_page("views/quiz.py")
    assert not at.exception
    assert len(at.radio) == len(QUESTIONS)
    assert "Answer a question to see your summary." in all_text(at)
    at.radio(key="quiz_ns-lesion-children").set_value("Minimal change disease").run()
    assert at.success[0].value.startswith("**Right.**")
    # Each question is a fragment: only it and the summary ran again.
    assert [r.key for r in at.radio] == ["quiz_ns-lesion-children"]
    assert "**1 of 1** answered right." in all_text(at)
    at.run()  # the whole page (AppTest shows only what the last run drew)
    assert len(at.radio) == len(QUESTIONS)
    at.radio(key="quiz_eff-mn-final").set_value("Clearly better").run()
    sure = next(
        w for w in at.get("segmented_control") if w.key == "quiz_eff-mn-final_sure"
    )
    sure.set_value("sure").run()
    text = all_text(at)
    assert "The answer is “About the same”" in text
    assert "**1 of 2** answered right." in text
    assert "**Sure but wrong**" in text
    assert "(efficacy?eff_disease=Membranous+nephropathy&eff_outcome=Remission)" in text
    # A full run of the page draws the same answers, feedback and summary.
    full = all_text(at.run())
    assert len(at.radio) == len(QUESTIONS)
    assert "**1 of 2** answered right." in full
    assert "**Sure but wrong**" in full
    assert len(at.success) == len(at.error) == 1


def test_confidence_reruns_only_its_question_and_the_summary() -> None:
    at = open_page("views/quiz.py")
    at.radio(key="quiz_eff-mn-final").set_value("About the same").run()
    assert "Right but unsure: 1." in all_text(at)
    sure = next(
        w for w in at.get("segmented_control") if w.key == "quiz_eff-mn-final_sure"
    )
    sure.set_value("sure").run()
    assert [r.key for r in at.radio] == ["quiz_eff-mn-final"]
    text = all_text(at)
    assert "**1 of 1** answered right." in text
    assert "Right but unsure" not in text


def test_changing_the_pages_renumbers_and_recounts() -> None:
    at = open_page("views/quiz.py")
    at.radio(key="quiz_ns-lesion-children").set_value("Minimal change disease").run()
    at.run()
    pages = next(w for w in at.get("button_group") if w.key == "quiz_pages")
    pages.set_value(["efficacy"]).run()
    assert at.radio[0].label.startswith("**1.** ")
    assert "Answer a question to see your summary." in all_text(at)


def test_quiz_page_filter() -> None:
    at = open_page("views/quiz.py")
    pages = next(w for w in at.get("button_group") if w.key == "quiz_pages")
    pages.set_value(["mechanism"]).run()
    assert not at.exception
    assert len(at.radio) == (QUESTIONS["page"] == "mechanism").sum()


@pytest.mark.parametrize("link", LINKS)
def test_each_link_back_opens_its_view_without_a_notice(link: str) -> None:
    """Every value in a view is one the page accepts: no "not used" toast."""
    slug, _, query = link.partition("?")
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        at.query_params[key] = unquote_plus(value)
    at.run()
    at.switch_page(page_by_slug(slug).view_path).run()
    assert not at.exception
    assert not at.toast, [t.value for t in at.toast]


def test_predict_then_reveal_hides_the_change_until_a_guess() -> None:
    at = open_page("views/monitoring.py")
    at.selectbox(key="pk_drug").set_value("azole").run()
    at.toggle(key="pk_predict").set_value(True).run()
    text = all_text(at)
    assert "Make a prediction, then reveal" in text
    assert "Starting **azole antifungal**" not in text
    at.number_input(key="pk_guess").set_value(9.0)
    at.get("form_submit_button")[0].click().run()
    text = all_text(at)
    assert (
        "You predicted **9 ng/mL**; the model gives **13.8 ng/mL** (-35% off)." in text
    )
    assert "Starting **azole antifungal** on day 5 raises" in text
