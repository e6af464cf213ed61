"""The Quiz page and the simulator's predict-then-reveal."""

from __future__ import annotations

from tests.app.conftest import all_text, open_page


def test_quiz_round_with_feedback_and_summary() -> None:
    at = open_page("views/quiz.py")
    assert not at.exception
    assert len(at.radio) == 13
    assert "Answer a question to see your summary." in all_text(at)
    at.radio(key="quiz_ns-lesion-children").set_value("Minimal change disease").run()
    assert at.success[0].value.startswith("**Right.**")
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


def test_quiz_page_filter() -> None:
    at = open_page("views/quiz.py")
    pages = next(w for w in at.get("button_group") if w.key == "quiz_pages")
    pages.set_value(["mechanism"]).run()
    assert not at.exception
    assert len(at.radio) == 4


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
