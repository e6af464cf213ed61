"""Class sessions and two-round polls on the class check page (AppTest).

An educator starts a session (one join code), students stay on one page and
see each question as it opens, round 2 after discussion, and both rounds at
the reveal; an educator writes a question of their own (shown as plain text,
never added to the bank); a browser starts only a few sessions a minute.
On SQLite and PostgreSQL.
"""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core import poll_text
from dashboard.core.paths import DATA_DIR
from dashboard.core.polls import PollStore
from dashboard.sections import class_check_session
from dashboard.ui import keys
from tests.app.conftest import all_text
from tests.app.test_class_check import PIN, _answer_radios, _page, _send, _start

HOSTILE = "Which is it? <b>bold</b> [click](https://evil.example) www.evil.example"


@pytest.fixture
def store(poll_store: PollStore, monkeypatch: pytest.MonkeyPatch) -> PollStore:
    monkeypatch.setenv("DATABASE_URL", poll_store.url)
    return poll_store


def _start_session(at: AppTest, pin: str = PIN) -> AppTest:
    at.text_input(key=keys.POLL_PIN_NEW).input(pin)
    return at.button(key=keys.POLL_SESSION_START).click().run()


def _educator(store: PollStore) -> tuple[AppTest, str, str]:
    """An educator's page with a new session: (page, session code, token)."""
    at = _start_session(_page())
    assert not at.exception
    code = at.query_params["session"]
    return at, code, at.session_state[keys.POLL_TOKENS][code]


def _plain(at: AppTest) -> str:
    """The page's Markdown as a reader sees it (backslash escapes removed)."""
    return all_text(at).replace("\\", "").replace(poll_text.WORD_JOINER, "")


def test_a_session_keeps_one_code_while_questions_follow_each_other(store) -> None:
    teacher, code, token = _educator(store)
    assert dict(teacher.query_params) == {"session": code}
    assert f"## Join code: `{code}`" in all_text(teacher)
    first = store.session_state(code).current
    assert first is not None
    # A student joins with the session's code and answers the first question.
    student = _page({"join": code})
    assert _answer_radios(student)
    _send(student, 0)
    assert "Your answer: " in all_text(student)
    # The educator adds a bank question to the list, then opens it.
    teacher.run()
    teacher.selectbox(key=keys.POLL_ADD_TOPIC).set_value("efficacy").run()
    teacher.button(key=keys.POLL_ADD_QUEUE).click().run()
    assert store.session(code, token).queued == 1
    assert store.session_state(code).current == first  # still the first
    teacher.run()
    teacher.button(key=keys.POLL_NEXT).click().run()
    second = store.session_state(code).current
    assert second != first
    # The student's page (same tab, same address) shows the new question.
    student.run()
    assert dict(student.query_params) == {"join": code}
    assert _answer_radios(student)
    bank = pd.read_csv(DATA_DIR / "quiz_questions.csv").set_index("id")
    prompt = store.view(second).prompt
    assert prompt in bank[bank["page"] == "efficacy"]["question"].tolist()
    # The list names both questions with their counts.
    teacher.run()
    table = next(m.value for m in teacher.markdown if "| # |" in m.value)
    assert "1 / –" in table  # the first question's one answer, no round 2
    assert "(on screen)" in table


def test_two_rounds_then_the_reveal_shows_both_and_the_shift(store) -> None:
    teacher, code, token = _educator(store)
    poll = store.session_state(code).current
    view = store.view(poll, token)
    right = view.correct
    wrong = (right + 1) % len(view.options)
    students = [_page({"join": code}) for _ in range(3)]
    # Round 1: two wrong and sure, one right and unsure.
    for student, choice, sure in zip(
        students, (wrong, wrong, right), ("Sure", "Sure", "Unsure"), strict=True
    ):
        _send(student, choice, sure)
    teacher.run()
    assert "## 3 answers" in all_text(teacher)
    teacher.button(key=keys.POLL_ROUND_TWO).click().run()
    assert store.view(poll).round == 2
    assert "## 0 answers" in all_text(teacher)  # the count of round 2
    assert "Round 2 is open" in all_text(teacher)
    # Round 2: each student's page shows their first answer and a new form.
    students[0].run()
    assert "Your answer in round 1:" in all_text(students[0])
    assert "**Round 2.**" in all_text(students[0])
    assert not [r for r in students[0].radio if r.key == keys.POLL_SURE]
    for student, choice in zip(students, (right, wrong, wrong), strict=True):
        student.run()
        _send(student, choice, None)
        assert "Your answer in round 2:" in all_text(student)
    # Nothing reached the students before the reveal.
    assert not students[0].get("progress")
    teacher.run()
    teacher.button(key=keys.POLL_REVEAL).click().run()
    chart = teacher.get("plotly_chart")[0].proto
    assert "two-round class poll, 3 answers in round 1 and 3 in round 2" in chart.alt
    text = all_text(teacher)
    assert "1 of 3 in round 1 (33%), 1 of 3 in round 2 (33%)" in text
    assert (
        "1 student switched **to** the right answer, 1 student switched **away**"
        in (text)
    )
    assert "2 of 3 answers (67%) were wrong and marked sure" in text
    students[0].run()
    light = [b.proto.text for b in students[0].get("progress")]
    assert len(light) == 2 * len(view.options)
    assert "You were right." in all_text(students[0])
    students[1].run()
    assert "The answer is" in all_text(students[1])


def test_an_educators_own_question_is_plain_text_and_never_in_the_bank(
    store,
) -> None:
    teacher, code, _token = _educator(store)
    before = class_check_session.bank().copy()
    teacher.text_area(key=keys.POLL_OWN_STEM).input(HOSTILE)
    teacher.text_input(key=f"{keys.POLL_OWN_OPTION}_1").input("**Loud** answer")
    teacher.text_input(key=f"{keys.POLL_OWN_OPTION}_2").input("Quiet answer")
    teacher.radio(key=keys.POLL_OWN_CORRECT).set_value(1)
    teacher.text_area(key=keys.POLL_OWN_EXPLANATION).input("See [here](http://x.y).")
    teacher.text_input(key=keys.POLL_OWN_SOURCE).input("Lecture notes, week 3")
    teacher.button(key=keys.POLL_OWN_OPEN).click().run()
    assert not teacher.exception
    poll = store.session_state(code).current
    assert store.view(poll).own
    student = _page({"join": code})
    page = all_text(student)
    # Shown escaped: no HTML tag, link or bold survives as markup.
    assert poll_text.plain_markdown(HOSTILE) in page
    assert "\\<b\\>bold\\</b\\>" in page
    assert "\\[click\\](https" in page
    assert "www.evil" not in page  # a word joiner breaks the autolink
    assert next(r for r in student.radio if r.key == keys.POLL_CHOICE).options == [
        "\\*\\*Loud\\*\\* answer",
        "Quiet answer",
    ]
    assert HOSTILE in _plain(student)
    _send(student, 1)
    teacher.run()
    teacher.button(key=keys.POLL_REVEAL).click().run()
    student.run()
    assert "You were right." in all_text(student)
    assert poll_text.plain_markdown("See [here](http://x.y).") in all_text(student)
    assert "Lecture notes, week 3" in all_text(student)
    # Never in the shared bank, which is unchanged.
    after = class_check_session.bank()
    assert after.equals(before)
    assert HOSTILE not in set(after["question"])
    on_disk = pd.read_csv(DATA_DIR / "quiz_questions.csv")
    assert HOSTILE not in set(on_disk["question"])


def test_an_unusable_own_question_is_refused_in_its_form(store) -> None:
    teacher, code, _ = _educator(store)
    teacher.text_area(key=keys.POLL_OWN_STEM).input("Only one option?")
    teacher.text_input(key=f"{keys.POLL_OWN_OPTION}_1").input("Yes")
    teacher.button(key=keys.POLL_OWN_OPEN).click().run()
    assert any("Give 2 to 5 options" in e.value for e in teacher.error)
    assert store.session(code).polls == 1


def test_a_browser_starts_a_few_sessions_a_minute_at_most(store) -> None:
    at = _page()
    for _ in range(3):
        _start_session(at)
        assert not at.error, [e.value for e in at.error]
        at.query_params.clear()
        at.run()
    _start_session(at)
    assert any("sessions in the last minute" in e.value for e in at.error)
    assert "session" not in at.query_params


def test_another_browser_takes_control_of_the_session_with_the_pin(store) -> None:
    _, code, _ = _educator(store)
    other = _page({"session": code})
    assert not [b for b in other.button if b.key == keys.POLL_REVEAL]
    assert "type your teacher PIN" in all_text(other)
    other.text_input(key=keys.POLL_PIN_INPUT).input(PIN)
    other.button(key=keys.POLL_PIN_BUTTON).click().run()
    assert not other.exception
    assert other.button(key=keys.POLL_REVEAL).disabled is False
    other.button(key=keys.POLL_REVEAL).click().run()
    assert store.view(store.session_state(code).current).revealed


def test_an_unknown_session_is_a_message_and_the_join_box(store) -> None:
    at = _page({"session": "ZZZZZZ"})
    assert any("No session has the code ZZZZZZ" in e.value for e in at.error)
    assert at.text_input(key=keys.POLL_JOIN_INPUT) is not None


def test_a_one_poll_start_still_works_from_the_compact_form(store) -> None:
    at = _start(_page())
    code = at.query_params["poll"]
    assert store.view(code).session is None
    assert poll_text.plain_markdown("x") == "x"


def test_a_virtual_patients_decision_is_polled_and_the_case_follows_the_room(
    store,
) -> None:
    from urllib.parse import parse_qs, urlsplit

    from dashboard.models import cases as engine

    case = next(c for c in engine.load_cases()[0] if c.id == "child-frns")
    state = engine.choose(case, engine.start(case), "meets")
    teacher, code, token = _educator(store)
    teacher.selectbox(key=keys.POLL_CASE).set_value("child-frns").run()
    link = f"http://localhost/cases?vp_at={engine.encode(state)}"
    teacher.text_input(key=keys.POLL_CASE_AT).input(link).run()
    here = engine.node(case, state)
    assert f"Will ask: {case.title} — {here.title}" in all_text(teacher)
    teacher.button(key=keys.POLL_CASE_OPEN).click().run()
    assert not teacher.exception
    poll = store.session_state(code).current
    view = store.view(poll, token)
    assert view.question_id == f"case:child-frns:{engine.encode(state)}"
    # Two students pick the last option, one the first; the room decides.
    for choice in (len(view.options) - 1, len(view.options) - 1, 0):
        _send(_page({"join": code}), choice, "Sure")
    teacher.run()
    teacher.button(key=keys.POLL_REVEAL).click().run()
    follow = [m.value for m in teacher.markdown if "room's choice" in m.value]
    assert follow, all_text(teacher)
    href = follow[0].split("](")[1].split(")")[0]
    after = engine.choose(case, state, case.node(state.node_id).choices[-1].id)
    assert parse_qs(urlsplit(href).query)["vp_at"] == [engine.encode(after)]
