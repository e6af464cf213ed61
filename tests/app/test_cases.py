"""The Virtual patients page, headless (AppTest): play, links, broken files."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.paths import APP_PATH, CONTENT_DIR
from dashboard.models import cases as engine
from dashboard.ui import cached, keys
from tests.app.conftest import all_text, open_page

VIEW = "views/cases.py"
CASES, PROBLEMS = engine.load_cases()
BY_ID = {case.id: case for case in CASES}


def _open(**params: str) -> AppTest:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(VIEW).run()
    assert not at.exception
    return at


def _decide(at: AppTest, choice: str) -> None:
    picker = next(r for r in at.radio if r.key and r.key.startswith("vp_pick"))
    picker.set_value(choice)
    next(b for b in at.button if b.label == "Decide").click()
    at.run()
    assert not at.exception


def test_both_cases_load_without_problems() -> None:
    assert PROBLEMS == ()
    assert {"child-frns", "adult-mn"} <= set(BY_ID)


@pytest.mark.parametrize("case_id", ["child-frns", "adult-mn"])
def test_the_recommended_path_plays_to_a_full_score(case_id: str) -> None:
    case = BY_ID[case_id]
    at = _open(vp=case.title)
    assert at.radio(key=keys.VP_CASE).value == case_id
    steps = engine.recommended_path(case).steps
    assert len(steps) >= 6
    for step in steps:
        _decide(at, step.choice)
        assert "Recommended." in all_text(at)
    text = all_text(at)
    assert "Debrief" in text
    report = engine.debrief(case, engine.recommended_path(case))
    assert f"{report.score} of {report.possible}" in [m.value for m in at.metric]
    assert "Every decision was the recommended one." in text
    assert at.query_params[keys.VP_AT] == engine.encode(engine.recommended_path(case))


def test_a_poor_choice_is_graded_with_the_better_one_and_a_link() -> None:
    case = BY_ID["child-frns"]
    node = case.node(case.start)
    poor = next(ch for ch in node.choices if ch.grade == "not recommended")
    at = _open(vp=case.title)
    _decide(at, poor.id)
    text = all_text(at)
    assert "Not recommended." in text
    assert "**Recommended:**" in text
    assert "**Why.**" in text
    said = engine.feedback(case, engine.choose(case, engine.start(case), poor.id))
    assert f"]({said.link.href})" in text


def test_a_link_reopens_the_same_decision() -> None:
    case = BY_ID["adult-mn"]
    state = engine.start(case)
    for step in engine.recommended_path(case).steps[:3]:
        state = engine.choose(case, state, step.choice)
    at = _open(vp=case.title, vp_at=engine.encode(state))
    view = engine.node(case, state)
    assert f"### {view.title}" in [m.value for m in at.markdown]
    assert "Decisions made: 3" in " ".join(
        str(p.proto.text) for p in at.get("progress")
    )


def test_back_one_decision_and_start_again() -> None:
    case = BY_ID["child-frns"]
    at = _open(vp=case.title)
    first = engine.recommended_path(case).steps
    _decide(at, first[0].choice)
    _decide(at, first[1].choice)
    next(b for b in at.button if b.label == "Back one decision").click()
    at.run()
    assert at.query_params[keys.VP_AT] == engine.encode(
        engine.choose(case, engine.start(case), first[0].choice)
    )
    next(b for b in at.button if b.label == "Start this case again").click()
    at.run()
    assert keys.VP_AT not in at.query_params
    assert f"### {case.node(case.start).title}" in [m.value for m in at.markdown]


@pytest.mark.parametrize("value", ["zz-0000", "nonsense!", "eb-99999999999999999999"])
def test_an_unreadable_position_opens_the_start_with_a_notice(value: str) -> None:
    at = _open(vp=BY_ID["adult-mn"].title, vp_at=value)
    assert any("opens at the start" in i.value for i in at.info)
    first = BY_ID["adult-mn"].node(BY_ID["adult-mn"].start)
    assert f"### {first.title}" in [m.value for m in at.markdown]


def test_an_unknown_case_falls_back_to_the_first() -> None:
    at = _open(vp="A case that does not exist")
    assert not at.exception
    assert at.radio(key=keys.VP_CASE).value in BY_ID


@pytest.mark.usefixtures("fresh_caches")
def test_a_broken_case_file_leaves_out_that_case_only(tmp_path, monkeypatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    broken = content / "cases" / "adult-mn.yaml"
    broken.write_text(broken.read_text().replace("start: ", "start: nowhere-", 1))
    monkeypatch.setattr(cached, "CONTENT_DIR", content)
    at = open_page(VIEW)
    assert not at.exception
    messages = [e.value for e in at.error]
    assert any(
        "cases/adult-mn.yaml" in m and "cannot be shown" in m and "start" in m
        for m in messages
    )
    assert at.radio(key=keys.VP_CASE).options == [BY_ID["child-frns"].title]
    assert "Decide" in [b.label for b in at.button]


@pytest.mark.usefixtures("fresh_caches")
def test_a_third_case_is_added_as_a_file_alone(tmp_path, monkeypatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    source = (content / "cases" / "child-frns.yaml").read_text()
    third = source.replace("id: child-frns", "id: third-case", 1).replace(
        'title: "Noor:', 'title: "Sam:', 1
    )
    (content / "cases" / "third-case.yaml").write_text(third)
    monkeypatch.setattr(cached, "CONTENT_DIR", content)
    at = open_page(VIEW)
    assert not at.exception
    assert not at.error
    titles = at.radio(key=keys.VP_CASE).options
    assert len(titles) == 3
    assert titles[-1].startswith("Sam:")  # after the course's own two
    at.radio(key=keys.VP_CASE).set_value("third-case").run()
    assert at.radio(key=keys.VP_CASE).value == "third-case"
    assert "Decide" in [b.label for b in at.button]
