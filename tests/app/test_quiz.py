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


def _sure(at: AppTest, qid: str, attempt: str = "", suffix: str = ""):
    """The "How sure" control of ``qid`` (``suffix="_checked"``: its locked copy)."""
    key = f"quiz_{qid}{attempt}_sure{suffix}"
    return next(w for w in at.get("segmented_control") if w.key == key)


def _check(at: AppTest, qid: str, attempt: str = "") -> AppTest:
    return at.button(key=f"quiz_{qid}{attempt}_check").click().run()


def _feedback(at: AppTest) -> list[str]:
    return [e.value for e in (*at.success, *at.error)]


def test_no_feedback_before_check_and_no_default_confidence() -> None:
    at = open_page("views/quiz.py")
    assert not at.exception
    assert len(at.radio) == len(QUESTIONS)
    assert all(r.value is None for r in at.radio)
    sures = [w for w in at.get("segmented_control") if w.key.endswith("_sure")]
    assert len(sures) == len(QUESTIONS)
    assert all(w.value is None for w in sures)
    assert "Check an answer to see your summary." in all_text(at)
    at.radio(key="quiz_ns-lesion-children").set_value("Minimal change disease").run()
    _sure(at, "ns-lesion-children").set_value("sure").run()
    # Answer and rating chosen, but not checked: no verdict, nothing scored.
    assert _feedback(at) == []
    assert "Right." not in all_text(at)
    assert "Check an answer to see your summary." in all_text(at.run())


def test_check_says_what_is_missing() -> None:
    at = open_page("views/quiz.py")
    _check(at, "eff-mn-final")
    assert at.warning[0].value == (
        "Choose an answer and say how sure you are, then Check."
    )
    at.radio(key="quiz_eff-mn-final").set_value("About the same").run()
    assert at.warning[0].value == (
        "Say how sure you are (Sure or Unsure) first, then Check."
    )
    _check(at, "eff-mn-final")
    assert _feedback(at) == []
    _sure(at, "eff-mn-final").set_value("unsure").run()
    assert not at.warning  # nothing missing any more
    _check(at, "eff-mn-final")
    assert at.success[0].value.startswith("**Right.**")
    assert "Right but unsure: 1." in all_text(at)


def test_a_wrong_first_attempt_stays_wrong_after_a_right_retry() -> None:
    """Issue 21: an item cannot be scored right after its feedback was seen."""
    at = open_page("views/quiz.py")
    qid = "eff-mn-final"
    at.radio(key=f"quiz_{qid}").set_value("Clearly better").run()
    _sure(at, qid).set_value("sure").run()
    _check(at, qid)
    # Check reruns the question and the summary only.
    assert [r.key for r in at.radio] == [f"quiz_{qid}_checked"]
    text = all_text(at)
    assert "The answer is" not in text  # the verdict names it in its own words
    assert "the answer is “About the same”" in text
    assert "(efficacy?eff_disease=Membranous+nephropathy&eff_outcome=Remission)" in text
    assert "**0 of 1** right at the first attempt." in text
    assert "**Sure but wrong**" in text
    # Locked: the first answer and rating are shown, and cannot be changed.
    locked = at.radio(key=f"quiz_{qid}_checked")
    assert locked.value == "Clearly better"
    assert locked.disabled
    locked_sure = _sure(at, qid, suffix="_checked")
    assert locked_sure.value == "sure"
    assert locked_sure.disabled
    # Try again, now with the answer seen: right and Sure.
    at.button(key=f"quiz_{qid}_again").click().run()
    assert "First attempt: “Clearly better”, sure, not right." in all_text(at)
    at.radio(key=f"quiz_{qid}_retry1").set_value("About the same").run()
    _sure(at, qid, "_retry1").set_value("sure").run()
    _check(at, qid, "_retry1")
    text = all_text(at)
    assert at.success[0].value.startswith("**Right.**")
    assert "**0 of 1** right at the first attempt." in text
    assert "**Sure but wrong**" in text
    assert "Retries: 1 right of 1" in text
    # A full run draws the same.
    full = all_text(at.run())
    assert len(at.radio) == len(QUESTIONS)
    assert "**0 of 1** right at the first attempt." in full
    assert "Retries: 1 right of 1" in full
    assert len(at.success) == 1
    assert not at.error


def test_check_reruns_only_its_question_and_the_summary() -> None:
    at = open_page("views/quiz.py")
    at.radio(key="quiz_eff-mn-final").set_value("About the same").run()
    _sure(at, "eff-mn-final").set_value("sure").run()
    _check(at, "eff-mn-final")
    assert [r.key for r in at.radio] == ["quiz_eff-mn-final_checked"]
    text = all_text(at)
    assert "**1 of 1** right at the first attempt." in text
    assert "Right but unsure" not in text


def test_changing_the_pages_renumbers_and_recounts() -> None:
    at = open_page("views/quiz.py")
    at.radio(key="quiz_ns-lesion-children").set_value("Minimal change disease").run()
    _sure(at, "ns-lesion-children").set_value("sure").run()
    _check(at, "ns-lesion-children")
    at.run()
    assert "**1 of 1** right at the first attempt." in all_text(at)
    pages = next(w for w in at.get("button_group") if w.key == "quiz_pages")
    pages.set_value(["efficacy"]).run()
    assert at.radio[0].label.startswith("**1.** ")
    assert "Check an answer to see your summary." in all_text(at)
    # Back to all pages: the checked item is still locked and counted.
    pages = next(w for w in at.get("button_group") if w.key == "quiz_pages")
    pages.set_value(list(dict.fromkeys(QUESTIONS["page"]))).run()
    assert at.radio(key="quiz_ns-lesion-children_checked").disabled
    assert "**1 of 1** right at the first attempt." in all_text(at)


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
