"""Two-round polls and class sessions in the class check's models (no Streamlit)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.charts import poll_rounds
from dashboard.core.polls import PollView
from dashboard.core.polls_sessions import SessionView
from dashboard.models import class_check as model
from dashboard.models import class_check_rounds as rounds
from dashboard.models import class_check_sessions as sessions

OPTIONS = ("FKBP-12", "Cyclophilin", "mTOR")


def _view(**changes) -> PollView:
    """A revealed two-round poll: 10 answers then 10, correct option 0."""
    base = {
        "code": "K7QM2X",
        "question_id": "mech-binding",
        "prompt": "Tacrolimus binds?",
        "options": OPTIONS,
        "revealed": True,
        "closed": False,
        "counts": (4, 5, 1),
        "correct": 0,
        "round": 2,
        "counts2": (7, 2, 1),
        "sure": (3, 4, 1),
        # switches[a][b]: chose a in round 1, b in round 2 (9 in both rounds)
        "switches": ((3, 1, 0), (4, 1, 0), (0, 0, 0)),
    }
    return PollView(**{**base, **changes})


def test_the_shift_counts_switches_to_and_away_from_the_right_answer() -> None:
    moved = rounds.shift(_view())
    assert moved == rounds.Shift(
        to_right=4, away=1, both=9, sure_wrong=5, first_total=10
    )
    assert moved.sure_wrong_share == 0.5


def test_the_reveal_says_it_in_words_with_every_number() -> None:
    right, changed, confident = rounds.shift_lines(_view())
    assert right == (
        "**Right answers:** 4 of 10 in round 1 (40%), 7 of 10 in round 2 (70%)."
    )
    assert changed == (
        "**Changed their mind** (of 9 students who answered both rounds): "
        "4 students switched **to** the right answer, 1 student switched "
        "**away** from it."
    )
    assert confident == (
        "**Confidently wrong in round 1:** 5 of 10 answers (50%) were wrong "
        "and marked sure."
    )


def test_a_one_round_poll_has_its_confident_errors_too() -> None:
    view = _view(round=1, counts2=None, switches=None)
    assert rounds.confident_line(view) == (
        "**Confidently wrong:** 5 of 10 answers (50%) were wrong and marked sure."
    )
    with pytest.raises(ValueError, match="no second round"):
        rounds.shift(view)


def test_hidden_counts_give_no_shift() -> None:
    hidden = _view(counts=None, counts2=None, sure=None, switches=None, correct=None)
    with pytest.raises(ValueError, match="no second round"):
        rounds.shift(hidden)
    with pytest.raises(ValueError, match="not visible"):
        rounds.confidently_wrong(hidden)


def test_the_rounds_chart_shows_both_rounds_with_labels_above_the_bars() -> None:
    chart = model.results_chart(_view())
    assert [trace.name for trace in chart.figure.data] == list(rounds.ROUND_NAMES)
    assert chart.figure.data[0].marker.pattern.shape == "/"  # not colour alone
    labels = [a.text for a in chart.figure.layout.annotations]
    assert labels[0].startswith("✓ FKBP-12")
    assert "round 1: 4 (40%); round 2: 7 (70%)" in labels[0].replace("<br>", " ")
    assert all(a.xref == "paper" and a.x == 0 for a in chart.figure.layout.annotations)
    assert chart.table["Round 1"].tolist() == [4, 5, 1]
    assert chart.table["Correct"].tolist() == ["✓", "", ""]
    assert chart.alt.endswith("Correct answer: FKBP-12.")
    unrevealed = model.results_chart(_view(revealed=False))
    assert "Correct" not in unrevealed.table
    assert not any("✓" in a.text for a in unrevealed.figure.layout.annotations)


def test_chart_labels_cannot_carry_html() -> None:
    chart = model.results_chart(_view(options=('<a href="x">y</a>', "b", "c")))
    assert "<a" not in chart.figure.layout.annotations[0].text
    single = model.results_chart(
        _view(options=("<b>x</b>", "b", "c"), round=1, counts2=None, switches=None)
    )
    assert "<b>" not in str(single.figure.data[0].y)
    with pytest.raises(ValueError, match="one count per option"):
        poll_rounds.rounds_chart(("a",), (1, 2), (1,), None)


def test_student_rows_per_round_and_untrusted_options_escaped() -> None:
    view = _view(options=("**a**", "b", "c"))
    first = model.result_rows(view, round_no=1)
    last = model.result_rows(view, choice=0)
    assert first[0].text == "✓ Correct: \\*\\*a\\*\\*: **4** of 10 (40%)"
    assert last[0].text == "✓ Correct: \\*\\*a\\*\\*: **7** of 10 (70%) · your answer"
    assert model.your_answer(view, 0) == "Your answer: **\\*\\*a\\*\\***"
    assert rounds.first_answer_line(view, 1) == "Your answer in round 1: **b**"


def test_the_sessions_list_names_each_poll_and_its_results() -> None:
    polls = [
        _view(position=1, session="ABCDEF"),
        _view(
            code="K7QM2Y",
            position=2,
            session="ABCDEF",
            prompt="<b>Own</b> one",
            own=True,
            revealed=False,
            round=1,
            counts=(1, 1, 0),
            counts2=None,
            switches=None,
            sure=(0, 1, 0),
        ),
        _view(code="K7QM2Z", position=3, queued=True, revealed=False, round=1),
    ]
    table = sessions.poll_table(polls, "K7QM2Y")
    lines = table.splitlines()
    assert lines[0] == "| " + " | ".join(sessions.TABLE_COLUMNS) + " |"
    assert lines[2] == (
        "| 1 | Tacrolimus binds? | revealed | 10 / 10 | 40% → 70% | 5 |"
    )
    assert lines[3] == (
        "| 2 | \\<b\\>Own\\</b\\> one (own) | open (on screen) | 2 / – | 50% | 1 |"
    )
    assert "| 3 |" in lines[4]
    assert "waiting" in lines[4]
    heading = sessions.session_heading(
        SessionView("ABCDEF", "K7QM2Y", 3, 1, True, True)
    )
    assert heading == "Session `ABCDEF`: 3 questions, 1 waiting."


def test_an_own_question_explains_itself_without_links() -> None:
    view = _view(own=True, explanation="See [x](http://e.x)", source="Notes <i>")
    text = sessions.own_explanation(view)
    assert "**Why:** See \\[x\\](http\u2060\\:\u2060//e.x)" in text
    assert "Notes \\<i\\>" in text
    assert sessions.OWN_NOTE in text
    assert sessions.own_explanation(_view()) is None


def test_bank_choices_follow_the_topic() -> None:
    bank = pd.DataFrame(
        {"id": ["a", "b", "c"], "page": ["mechanism", "efficacy", "mechanism"]}
    ).set_index("id", drop=False)
    assert sessions.bank_choices(bank, "mechanism") == ("a", "c")


def test_a_phone_names_both_rounds_counts() -> None:
    assert rounds.both_counts(_view()) == "10 answers in round 1, 10 in round 2"
    one = _view(counts=(1, 0, 0), counts2=(0, 0, 0))
    assert rounds.both_counts(one) == "1 answer in round 1, 0 in round 2"
