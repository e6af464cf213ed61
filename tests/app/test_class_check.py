"""The live class check page, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.paths import APP_PATH
from dashboard.core.polls import PollStore
from tests.app.conftest import all_text

VIEW = "views/class_check.py"


@pytest.fixture
def store(poll_store: PollStore, monkeypatch: pytest.MonkeyPatch) -> PollStore:
    """The page's database is this test's empty store."""
    monkeypatch.setenv("DATABASE_URL", poll_store.url)
    return poll_store


def _page(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(VIEW).run()
    return at


def _answer_radios(at: AppTest) -> list:
    return [r for r in at.radio if r.key == "poll_choice"]


def _open_poll(store: PollStore):
    return store.create("mech-no-fkbp12", "Tacrolimus without FKBP-12?", ("a", "b"), 1)


def test_an_educator_starts_a_poll_and_gets_code_and_teacher_link(store) -> None:
    at = _page()
    assert not at.exception
    chosen = at.selectbox(key="poll_question").value
    at.button(key="poll_start").click().run()
    code = at.query_params["poll"]
    assert "teacher" not in at.query_params  # kept off the projected address bar
    private = [c.value for c in at.main.code if "teacher=" in c.value]
    token = private[0].rsplit("teacher=", 1)[1]
    assert f"## Join code: `{code}`" in all_text(at)
    view = store.view(code, token)
    assert view.question_id == chosen
    assert view.counts == (0,) * len(view.options)
    assert at.button(key="poll_reveal").disabled is False
    assert len(at.get("plotly_chart")) == 1
    assert "handout_class-check" in [b.key for b in at.get("download_button")]


def test_the_projected_link_never_contains_the_teacher_token(store) -> None:
    poll = _open_poll(store)
    at = _page({"poll": poll.code, "teacher": poll.teacher_token})
    assert "teacher" not in at.query_params
    at.run()  # the session remembers the token after it leaves the address
    assert at.button(key="poll_reveal").disabled is False
    sidebar_code = " ".join(m.value for m in at.sidebar.markdown)
    assert f"poll={poll.code}" in sidebar_code
    assert poll.teacher_token not in sidebar_code


def test_a_student_answers_once_and_waits_for_the_reveal(store) -> None:
    poll = _open_poll(store)
    at = _page({"join": poll.code.lower()})
    at.button(key="FormSubmitter:poll_answer_form-Send my answer").click().run()
    assert "Pick an answer first." in all_text(at)
    at.radio(key="poll_choice").set_value(0)
    at.button(key="FormSubmitter:poll_answer_form-Send my answer").click().run()
    assert not at.exception
    assert "Your answer: **a**" in all_text(at)
    assert "appear here when your teacher reveals" in all_text(at)
    assert len(at.get("plotly_chart")) == 0  # no results before the reveal
    assert not _answer_radios(at)  # and no second answer
    assert store.view(poll.code, poll.teacher_token).counts == (1, 0)
    store.reveal(poll.code, poll.teacher_token)
    at.run()
    assert len(at.get("plotly_chart")) == 1
    assert "The answer is **b**." in all_text(at)


def test_the_teacher_reveals_and_closes(store) -> None:
    poll = _open_poll(store)
    store.answer(poll.code, "s1", 1)
    at = _page({"poll": poll.code, "teacher": poll.teacher_token})
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
    ],
)
def test_bad_codes_get_a_message_and_the_join_box(store, params, message) -> None:
    at = _page(params)
    assert not at.exception
    assert any(message in e.value for e in at.error)
    assert at.text_input(key="poll_join_input") is not None


def test_a_wrong_teacher_token_cannot_see_counts_or_reveal(store) -> None:
    poll = _open_poll(store)
    store.answer(poll.code, "s1", 0)
    at = _page({"poll": poll.code, "teacher": "guessed"})
    assert any("not valid" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "poll_reveal"]
    assert len(at.get("plotly_chart")) == 0
    assert not store.view(poll.code).revealed


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


def test_the_teacher_screen_marks_the_answer_only_after_the_reveal(store) -> None:
    poll = _open_poll(store)
    store.answer(poll.code, "s1", 1)
    at = _page({"poll": poll.code, "teacher": poll.teacher_token})
    assert "Correct answer" not in at.get("plotly_chart")[0].proto.alt
    at.button(key="poll_reveal").click().run()
    assert "Correct answer: b." in at.get("plotly_chart")[0].proto.alt


def test_an_unusable_database_is_a_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    (tmp_path / "polls.db").mkdir()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'polls.db'}")
    at = _page()
    assert not at.exception
    assert any("cannot be used right now" in e.value for e in at.error)
    assert at.title[0].value == "Live class check"
