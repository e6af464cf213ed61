"""The live class check page, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core import identity, polls
from dashboard.core.paths import APP_PATH, DATA_DIR
from dashboard.core.polls import PollStore
from dashboard.core.site import page_by_slug
from dashboard.models import class_check as model
from dashboard.sections.class_check import PEEK
from dashboard.ui import keys
from tests.app.conftest import all_text

VIEW = "views/class_check.py"
PIN = "katze42"


@pytest.fixture
def store(poll_store: PollStore, monkeypatch: pytest.MonkeyPatch) -> PollStore:
    """The page's database is this test's empty store."""
    monkeypatch.setenv("DATABASE_URL", poll_store.url)
    return poll_store


@pytest.fixture
def sent_cookies(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Cookies "the browser sent" when a session connected (AppTest has none)."""
    jar: dict[str, str] = {}
    monkeypatch.setattr("dashboard.ui.cookies.sent_cookie", jar.get)
    return jar


def _page(
    params: dict[str, str] | None = None, tokens: dict[str, str] | None = None
) -> AppTest:
    """The class check page in a new session; ``tokens``: teacher tokens it holds."""
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if tokens:
        at.session_state[keys.POLL_TOKENS] = dict(tokens)
    at.run()
    at.switch_page(VIEW).run()
    return at


def _teacher(poll) -> AppTest:
    return _page({"poll": poll.code}, {poll.code: poll.teacher_token})


def _picked_question(at: AppTest) -> str:
    """The question the start form has picked (its radio is keyed per topic)."""
    topic = at.selectbox(key="poll_topic").value
    return at.radio(key=f"{keys.POLL_QUESTION}_{topic}").value


def _answer_radios(at: AppTest) -> list:
    return [r for r in at.radio if r.key == "poll_choice"]


def _open_poll(store: PollStore, **kwargs):
    return store.create(
        "mech-no-fkbp12", "Tacrolimus without FKBP-12?", ("a", "b"), 1, **kwargs
    )


def _send(at: AppTest, choice: int, sure: str | None = "Sure") -> AppTest:
    """Answer with ``choice`` (and, in round 1, how sure) and press send."""
    at.radio(key="poll_choice").set_value(choice)
    confidence = [r for r in at.radio if r.key == keys.POLL_SURE]
    if confidence and sure is not None:
        confidence[0].set_value(sure)
    return at.button(key=keys.POLL_SEND).click().run()


def _cookies_written(at: AppTest) -> dict[str, str]:
    """The cookies the page asked the browser to keep, by name."""
    if keys.COOKIES_TO_WRITE not in at.session_state:
        return {}
    return {
        name: value
        for name, (value, _) in at.session_state[keys.COOKIES_TO_WRITE].items()
    }


def _start(at: AppTest, pin: str = PIN) -> AppTest:
    at.text_input(key=keys.POLL_PIN_NEW).input(pin)
    return at.button(key="poll_start").click().run()


# -- starting a poll, and where the teacher token goes (M3) ------------------------
def test_an_educator_starts_a_poll_and_the_token_stays_off_the_address(
    store,
) -> None:
    at = _page()
    assert not at.exception
    chosen = _picked_question(at)
    _start(at)
    code = at.query_params["poll"]
    assert dict(at.query_params) == {"poll": code}  # nothing else in the address
    token = at.session_state[keys.POLL_TOKENS][code]
    assert f"## Join code: `{code}`" in all_text(at)
    view = store.view(code, token)
    assert view.question_id == chosen
    assert view.counts == (0,) * len(view.options)
    assert view.has_pin
    # The token is nowhere on the page, and the browser is asked to keep it
    # in a cookie (with the browser's identity, issued for starting a poll).
    page_text = all_text(at) + " ".join(c.value for c in at.code)
    page_text += " ".join(m.value for m in at.sidebar.markdown)
    assert token not in page_text
    written = _cookies_written(at)
    assert written[f"cc_teacher_{code}"] == token
    assert identity.default_signer().verify(written[identity.COOKIE])
    assert at.button(key="poll_reveal").disabled is False
    assert "0 answers" in all_text(at)
    assert len(at.get("plotly_chart")) == 0  # nothing to see before the reveal
    assert "handout_class-check" in [b.key for b in at.get("download_button")]


@pytest.mark.parametrize(
    ("pin", "message"),
    [("", "Choose a teacher PIN of 6"), ("123456", "too easy to guess")],
)
def test_a_poll_needs_a_pin_that_is_not_obvious(store, pin, message) -> None:
    at = _start(_page(), pin)
    assert not at.exception
    assert any(message in e.value for e in at.error)
    assert "poll" not in at.query_params
    with store._connect() as db:
        assert store._execute(db, "SELECT COUNT(*) FROM polls").fetchone()[0] == 0


def test_an_old_private_link_still_works_and_leaves_the_address(store) -> None:
    poll = _open_poll(store)
    at = _page({"poll": poll.code, "teacher": poll.teacher_token})
    assert "teacher" not in at.query_params
    at.run()  # the session remembers the token after it leaves the address
    assert at.button(key="poll_reveal").disabled is False
    sidebar_code = " ".join(m.value for m in at.sidebar.markdown)
    assert f"poll={poll.code}" in sidebar_code
    assert poll.teacher_token not in sidebar_code


# -- M1: a tab that lost its session takes control again ---------------------------
def test_after_a_restart_the_teachers_browser_takes_control_by_itself(
    store, sent_cookies
) -> None:
    poll = _open_poll(store, pin=PIN)
    store.answer(poll.code, "s1", 1)
    # A new session (the server restarted): no token in it, the cookie is sent.
    sent_cookies[f"cc_teacher_{poll.code}"] = poll.teacher_token
    at = _page({"poll": poll.code})
    assert not at.error
    assert at.button(key="poll_reveal").disabled is False
    assert "## 1 answer" in all_text(at)  # nothing lost
    at.button(key="poll_reveal").click().run()
    assert store.view(poll.code).revealed


def test_on_another_browser_the_pin_gives_control_back(store) -> None:
    poll = _open_poll(store, pin=PIN)
    store.answer(poll.code, "s1", 1)
    at = _page({"poll": poll.code})
    assert not [b for b in at.button if b.key == "poll_reveal"]
    assert "type your teacher PIN" in all_text(at)
    assert len(at.get("plotly_chart")) == 0  # no counts before the PIN
    at.text_input(key=keys.POLL_PIN_INPUT).input("katze43")
    at.button(key=keys.POLL_PIN_BUTTON).click().run()
    assert any("not right for this poll (4 more tries" in e.value for e in at.error)
    at.text_input(key=keys.POLL_PIN_INPUT).input(PIN)
    at.button(key=keys.POLL_PIN_BUTTON).click().run()
    assert not at.exception
    assert at.button(key="poll_reveal").disabled is False
    assert "## 1 answer" in all_text(at)
    at.button(key="poll_reveal").click().run()
    assert store.view(poll.code).revealed


def test_pin_tries_are_limited_per_poll_across_browsers(store) -> None:
    poll = _open_poll(store, pin=PIN)
    for tries in (3, 2):  # two browsers guess; together they use up the minute
        at = _page({"poll": poll.code})
        for _ in range(tries):
            at.text_input(key=keys.POLL_PIN_INPUT).input("wrong-pin")
            at.button(key=keys.POLL_PIN_BUTTON).click().run()
    at.text_input(key=keys.POLL_PIN_INPUT).input(PIN)
    at.button(key=keys.POLL_PIN_BUTTON).click().run()
    assert any("Too many PIN tries for this poll" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "poll_reveal"]


def test_a_wrong_teacher_token_cannot_see_counts_or_reveal(store) -> None:
    poll = _open_poll(store)
    store.answer(poll.code, "s1", 0)
    at = _page({"poll": poll.code, "teacher": "guessed"})
    assert any("not valid" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "poll_reveal"]
    assert len(at.get("plotly_chart")) == 0
    assert not store.view(poll.code).revealed
    assert "without a teacher PIN" in all_text(at)


# -- students --------------------------------------------------------------------
def test_a_student_answers_once_and_waits_for_the_reveal(store) -> None:
    poll = _open_poll(store)
    at = _page({"join": poll.code.lower()})
    at.button(key=keys.POLL_SEND).click().run()
    assert "Pick an answer first." in all_text(at)
    _send(at, 0)
    assert not at.exception
    assert "Your answer: **a**" in all_text(at)
    assert "appear here when your teacher reveals" in all_text(at)
    assert len(at.get("plotly_chart")) == 0  # no results before the reveal
    assert not _answer_radios(at)  # and no second answer
    assert store.view(poll.code, poll.teacher_token).counts == (1, 0)
    store.reveal(poll.code, poll.teacher_token)
    at.run()
    # A phone's light results: a line and a bar per option, no chart library.
    assert len(at.get("plotly_chart")) == 0
    assert [b.proto.text for b in at.get("progress")] == [
        "a: **1** of 1 (100%) · your answer",
        "✓ Correct: b: **0** of 1 (0%)",
    ]
    assert "The answer is **b**." in all_text(at)


def test_the_teacher_reveals_and_closes(store) -> None:
    poll = _open_poll(store)
    store.answer(poll.code, "s1", 1)
    at = _teacher(poll)
    at.button(key="poll_reveal").click().run()
    assert store.view(poll.code).counts == (0, 1)
    assert store.view(poll.code).revealed
    assert "**Why:**" in all_text(at)
    at.button(key="poll_close").click().run()
    assert store.view(poll.code).closed
    assert at.button(key="poll_close").disabled


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"join": "O0PS!"}, "A join code is 6 letters"),
        ({"join": "ZZZZZZ"}, "No poll has the code ZZZZZZ"),
        ({"poll": "ZZZZZZ", "teacher": "x"}, "No poll has the code ZZZZZZ"),
        ({"poll": "ZZZZZZ"}, "No poll has the code ZZZZZZ"),
    ],
)
def test_bad_codes_get_a_message_and_the_join_box(store, params, message) -> None:
    at = _page(params)
    assert not at.exception
    assert any(message in e.value for e in at.error)
    assert at.text_input(key="poll_join_input") is not None


def test_a_closed_poll_says_so_to_a_student_who_has_not_answered(store) -> None:
    poll = _open_poll(store)
    store.close(poll.code, poll.teacher_token)
    at = _page({"join": poll.code})
    assert "This poll is closed." in all_text(at)
    assert not _answer_radios(at)


def test_a_typed_join_code_opens_the_poll(store) -> None:
    poll = _open_poll(store)
    at = _page()
    at.text_input(key="poll_join_input").input(f" {poll.code[:3]}-{poll.code[3:]} ")
    at.button(key="poll_join_button").click().run()
    assert at.query_params["join"] == poll.code
    assert "Tacrolimus without FKBP-12?" in all_text(at)


def test_the_projected_screen_shows_only_the_count_until_the_reveal(store) -> None:
    """Issue 21: the teacher's page is projected; no distribution before the reveal."""
    poll = _open_poll(store)
    for student, choice in (("s1", 1), ("s2", 1), ("s3", 0)):
        store.answer(poll.code, student, choice)
    at = _teacher(poll)
    assert "## 3 answers" in all_text(at)
    assert len(at.get("plotly_chart")) == 0
    assert len(at.get("progress")) == 0
    assert "%" not in all_text(at)
    assert "hidden from the room until you reveal" in all_text(at)
    at.button(key="poll_reveal").click().run()
    assert "Correct answer: b." in at.get("plotly_chart")[0].proto.alt
    assert "a: 1; b: 2." in at.get("plotly_chart")[0].proto.alt


def test_the_teacher_may_peek_on_their_own_device_but_never_when_presenting(
    store,
) -> None:
    poll = _open_poll(store)
    store.answer(poll.code, "s1", 1)
    at = _teacher(poll)
    peek = at.toggle(key=PEEK)
    assert peek.value is False  # off by default
    peek.set_value(True).run()
    assert [b.proto.text for b in at.get("progress")] == [
        "a: **0** of 1 (0%)",
        "b: **1** of 1 (100%)",  # the right answer is not marked before the reveal
    ]
    assert len(at.get("plotly_chart")) == 0
    # The same session turns presenter mode on: the peek goes, and its switch.
    at.toggle(key=keys.PRESENTER_SWITCH).set_value(True).run()
    assert at.query_params["present"] == "true"
    assert not [t for t in at.toggle if t.key == PEEK]
    assert len(at.get("progress")) == 0
    assert "## 1 answer" in all_text(at)


def test_starting_a_poll_in_presenter_mode_keeps_presenter_mode(store) -> None:
    """The page configuration reads ``present`` from the address: keep it there."""
    at = _page({"present": "true"})
    _start(at)
    code = at.query_params["poll"]
    assert dict(at.query_params) == {"poll": code, "present": "true"}
    assert not [t for t in at.toggle if t.key == PEEK]


def test_the_question_picker_lists_full_questions_by_topic(store) -> None:
    at = _page()
    bank = model.bank_by_id(pd.read_csv(DATA_DIR / "quiz_questions.csv"))
    topic = at.selectbox(key="poll_topic")
    assert topic.options == [page_by_slug(p).title for p in model.topics(bank)]
    topic.set_value("efficacy").run()
    radio = at.radio(key="poll_question_efficacy")
    wanted = bank[bank["page"] == "efficacy"]["question"].tolist()
    assert radio.options == wanted  # full texts, never cut short
    radio.set_value(bank.index[bank["page"] == "efficacy"][2]).run()
    _start(at)
    code = at.query_params["poll"]
    assert store.view(code).prompt == wanted[2]


def test_the_join_box_hint_is_not_a_code(store) -> None:
    at = _page()
    hint = at.text_input(key=keys.POLL_JOIN_INPUT).placeholder
    assert hint == model.JOIN_PLACEHOLDER
    assert not re.fullmatch(r"[A-Z0-9]{6}", hint)


def test_an_unusable_database_is_a_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    (tmp_path / "polls.db").mkdir()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'polls.db'}")
    at = _page()
    assert not at.exception
    assert any("cannot be used right now" in e.value for e in at.error)
    assert any("tries again every 2 s" in e.value for e in at.error)
    assert at.title[0].value == "Live class check"


# -- M4: identities the server issued --------------------------------------------
def test_a_reloaded_browser_is_known_by_its_signed_cookie(store, sent_cookies) -> None:
    poll = _open_poll(store)
    first = _page({"join": poll.code})
    _send(first, 0)
    issued = _cookies_written(first)[identity.COOKIE]
    sent_cookies[identity.COOKIE] = issued  # the reload sends it back
    again = _page({"join": poll.code})
    assert "Your answer: **a**" in all_text(again)
    assert not _answer_radios(again)
    assert identity.COOKIE not in _cookies_written(again)


def test_a_forged_identity_cookie_is_just_a_new_browser(store, sent_cookies) -> None:
    poll = _open_poll(store)
    first = _page({"join": poll.code})
    _send(first, 0)
    real = identity.default_signer().verify(_cookies_written(first)[identity.COOKIE])
    # A script copies the shape with another id, or sends the XSRF cookie's.
    version, _, issued, signature = real.token.split(".")
    for forged in (
        f"{version}.{identity.Signer(b'x' * 32).issue().id}.{issued}.{signature}",
        "2|00000000|" + "ab" * 16 + "|1700000000",
    ):
        sent_cookies[identity.COOKIE] = forged
        at = _page({"join": poll.code})
        assert _answer_radios(at)  # a new browser, not the real one
        assert at.session_state[keys.POLL_BROWSER] != real.id
    assert store.view(poll.code, poll.teacher_token).counts == (1, 0)


def test_too_many_new_browsers_from_one_address_are_told_to_wait(
    store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(polls, "NEW_BROWSERS_BURST", 2)
    poll = _open_poll(store)
    for _ in range(2):
        assert _answer_radios(_page({"join": poll.code}))
    at = _page({"join": poll.code})
    assert not at.exception
    assert any("Many new browsers have joined" in e.value for e in at.error)
    assert not _answer_radios(at)


def test_the_teacher_is_warned_when_answers_outnumber_opened_pages(store) -> None:
    poll = _open_poll(store)
    at = _page({"join": poll.code})
    _send(at, 1)
    teacher = _teacher(poll)
    assert "## 1 answer" in all_text(teacher)
    assert "1 browser opened the question" in all_text(teacher)
    assert not teacher.warning
    for student in ("script-1", "script-2"):  # answers that skipped the page
        store.answer(poll.code, student, 0)
    teacher.run()
    assert any("More answers (3) than browsers" in w.value for w in teacher.warning)


# -- M5: starting polls ------------------------------------------------------------
def test_a_browser_cannot_start_polls_back_to_back(store) -> None:
    at = _start(_page())
    first = at.query_params["poll"]
    at.query_params.clear()
    at.run()
    _start(at)
    assert any("Wait 10 s before starting another" in e.value for e in at.error)
    with store._connect() as db:
        assert store._execute(db, "SELECT COUNT(*) FROM polls").fetchone()[0] == 1
    assert store.view(first).code == first


# -- L5: after the reveal ----------------------------------------------------------
def test_after_the_reveal_a_newcomer_sees_the_results_not_a_form(store) -> None:
    poll = _open_poll(store)
    store.answer(poll.code, "s1", 1)
    store.reveal(poll.code, poll.teacher_token)
    at = _page({"join": poll.code})
    assert not _answer_radios(at)
    assert "the counts show what the class thought" in all_text(at)
    assert len(at.get("plotly_chart")) == 0
    assert len(at.get("progress")) == 2


def test_a_form_still_open_at_the_reveal_is_refused_plainly(store) -> None:
    poll = _open_poll(store)
    at = _page({"join": poll.code})
    store.reveal(poll.code, poll.teacher_token)
    _send(at, 1)
    assert not at.exception
    assert "The results are out, so this poll takes no more answers" in all_text(at)
    assert not _answer_radios(at)
    assert store.view(poll.code).counts == (0, 0)
    assert len(at.get("plotly_chart")) == 0
    assert len(at.get("progress")) == 2


# -- L6: guesses ---------------------------------------------------------------------
def test_a_tab_that_guesses_join_codes_is_slowed_down(store) -> None:
    poll = _open_poll(store)
    at = _page({"join": "ZZZZZA"})
    for guess in "BCDEFGHJK":  # ten unknown codes in all
        at.query_params["join"] = f"ZZZZZ{guess}"
        at.run()
    assert any("No poll has the code" in e.value for e in at.error)
    at.query_params["join"] = poll.code  # even a real code waits now
    at.run()
    assert any("Too many wrong join codes from this tab" in e.value for e in at.error)
    assert not _answer_radios(at)
    other_tab = _page({"join": poll.code})
    assert _answer_radios(other_tab)
