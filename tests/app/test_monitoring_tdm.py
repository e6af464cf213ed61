"""The monitoring page's measured-levels mode, headless (AppTest).

Predict then reveal, the lessons, links that reopen a view, entered levels
with bad values, and a broken parameter table: every case ends without a
traceback and with the rest of the page still there.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.paths import APP_PATH
from dashboard.models.monitoring_tdm import LESSONS
from dashboard.ui import keys
from tests.app.conftest import all_text, open_page

VIEW = "views/monitoring.py"


def _open(**params: str) -> AppTest:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(VIEW).run()
    assert not at.exception
    return at


def _chart_ids(at: AppTest) -> str:
    return " ".join(c.proto.id for c in at.get("plotly_chart"))


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _reveal(at: AppTest, guess: float | None = None) -> AppTest:
    if guess is not None:
        at.number_input(key=keys.TDM_GUESS).set_value(guess)
    _button(at, "Show the fit" if guess is not None else "Skip the guess").click()
    at.run()
    assert not at.exception
    return at


def test_the_fit_stays_hidden_until_the_student_guesses() -> None:
    at = open_page(VIEW)
    text = all_text(at)
    assert "Measured levels: fit this patient" in text
    assert "**Patient 1:**" in text
    assert "Guess the dose first." in text
    assert "tdm_course" in _chart_ids(at)
    assert "tdm_clearance" not in _chart_ids(at)
    assert "the fit proposes" not in text


def test_revealing_shows_the_fit_the_dose_and_how_far_the_guess_was() -> None:
    at = _reveal(open_page(VIEW), guess=4.0)
    text = all_text(at)
    assert "From 4 levels, this patient's clearance is estimated at" in text
    assert "Teaching estimate, not a dose." in text
    assert "Your guess, 4 mg," in text
    assert "**Revealed:** this virtual patient's true clearance is" in text
    assert "tdm_clearance" in _chart_ids(at)
    table = at.dataframe[-1].value
    assert list(table["Levels"]) == [0, 1, 2, 3, 4]
    widths = list(table["Width (%)"])
    assert widths[-1] < widths[0]


def test_fewer_levels_asks_again_and_widens_the_estimate() -> None:
    at = _reveal(open_page(VIEW))
    at.slider(key=keys.TDM_USED).set_value(1).run()
    assert "Guess the dose first." in all_text(at)
    at = _reveal(at)
    assert "From 1 level, this patient's clearance" in all_text(at)


@pytest.mark.parametrize(
    ("lesson", "said"),
    [
        ("late", "drawn 2 h after the morning dose"),
        ("inducer", "Rifampicin was started on day 6"),
        ("steroid", "The patient took prednisolone 40 mg a day"),
        ("haematocrit", "Haematocrit fell from 40% to 30%"),
    ],
)
def test_a_link_reopens_a_lesson(lesson: str, said: str) -> None:
    # A bound select box carries its option's label in the link.
    at = _reveal(_open(tdm_lesson=LESSONS[lesson].label, tdm_patient="12"))
    text = all_text(at)
    assert "**Patient 12:**" in text
    assert said in text


def test_the_inducer_lesson_can_tell_the_fit() -> None:
    at = _open(tdm_lesson=LESSONS["inducer"].label, tdm_told="true")
    assert at.toggle(key=keys.TDM_TOLD).value is True
    assert "The fit knows about it" in all_text(_reveal(at))


def test_another_occasion_redraws_the_levels() -> None:
    at = open_page(VIEW)
    before = next(m.value for m in at.markdown if "**Patient 1:**" in m.value)
    _button(at, "Draw these levels again on other days").click()
    at.run()
    after = next(m.value for m in at.markdown if "**Patient 1:**" in m.value)
    assert before != after
    assert "One level is not a verdict" in all_text(at)


@pytest.mark.parametrize(
    "params",
    [
        {"tdm_lesson": "bogus"},
        {"tdm_patient": "abc"},
        {"tdm_patient": "-4"},
        {"tdm_used": "99"},
        {"tdm_mode": "nonsense"},
        {"tdm_band": "TROUGH-99"},
    ],
)
def test_bad_links_fall_back_without_a_traceback(params: dict[str, str]) -> None:
    at = _open(**params)
    text = all_text(at)
    assert "Measured levels: fit this patient" in text
    assert "Guess the dose first." in text
    assert "A monitoring case" in text


def _enter_mode(at: AppTest) -> AppTest:
    at.segmented_control(key=keys.TDM_MODE).set_value("Levels I enter").run()
    assert not at.exception
    return at


def _inputs(at: AppTest) -> dict[str, object]:
    return {n.label: n for n in at.number_input}


def test_entered_levels_are_fitted() -> None:
    at = _enter_mode(open_page(VIEW))
    assert "Enter the patient and at least one level" in all_text(at)
    boxes = _inputs(at)
    boxes["Day of level 1"].set_value(4)
    boxes["Hours after that day's first dose, level 1"].set_value(0.0)
    boxes["Level 1 (ng/mL)"].set_value(9.5)
    _button(at, "Fit these levels").click()
    at.run()
    assert not at.exception
    assert "Guess the dose first." in all_text(at)
    assert "From 1 level" in all_text(_reveal(at))


@pytest.mark.parametrize(
    ("day", "hours", "conc", "message"),
    [
        (1, 0.0, 5.0, "drawn before the first dose"),
        (4, 0.0, -3.0, "a level must be above 0"),
        (4, 0.0, 900.0, "at most 100 ng/mL"),
        (4, None, 5.0, "give the day, the hours after the dose and the level"),
    ],
)
def test_bad_entries_get_a_message_and_keep_the_last_fit(
    day, hours, conc, message
) -> None:
    at = _enter_mode(open_page(VIEW))
    boxes = _inputs(at)
    boxes["Day of level 1"].set_value(day)
    if hours is not None:
        boxes["Hours after that day's first dose, level 1"].set_value(hours)
    boxes["Level 1 (ng/mL)"].set_value(conc)
    _button(at, "Fit these levels").click()
    at.run()
    assert not at.exception
    assert any(message in e.value for e in at.error)
    assert "A monitoring case" in all_text(at)


@pytest.mark.usefixtures("fresh_caches")
def test_a_missing_lesson_row_disables_only_this_section(tmp_path, monkeypatch) -> None:
    import shutil

    from dashboard.core.paths import DATA_DIR
    from dashboard.ui import cached

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    table = data / "pk_parameters.csv"
    lines = [
        line
        for line in table.read_text().splitlines(keepends=True)
        if not line.startswith("capsule-smallest,")
    ]
    table.write_text("".join(lines))
    monkeypatch.setattr(cached, "DATA_DIR", data)
    at = open_page(VIEW)
    assert not at.exception
    assert any("capsule-smallest" in e.value for e in at.error)
    text = all_text(at)
    assert "trough is **7.1 ng/mL**" in text  # the simulator still runs
    assert "A monitoring case" in text
