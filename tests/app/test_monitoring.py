"""The monitoring page: harms, the plan, every simulator control, the case."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.paths import APP_PATH
from tests.app.conftest import all_text, open_page

VIEW = "views/monitoring.py"


@pytest.fixture
def mon() -> AppTest:
    return open_page(VIEW)


def _chart_ids(at: AppTest) -> list[str]:
    return [c.proto.id for c in at.get("plotly_chart")]


def test_page_shows_harms_plan_simulator_and_case(mon: AppTest) -> None:
    assert not mon.exception
    assert not mon.error
    ids = " ".join(_chart_ids(mon))
    for key in ("harms_forest", "monitoring_plan", "pk_curve"):
        assert key in ids
    text = all_text(mon)
    assert "Teaching model, not for dosing patients." in text
    assert "Dose-dependent and reversible?" in text
    assert "A monitoring case" in text


def test_default_typical_patient_numbers(mon: AppTest) -> None:
    text = all_text(mon)
    assert "With **2.00 mg every 12 h** (0.10 mg/kg for 20 kg)" in text
    assert "trough is **7.1 ng/mL**, within the 5-10 ng/mL band" in text
    metrics = {m.label: m.value for m in mon.metric}
    assert metrics["Trough (ng/mL)"] == "7.1"


def test_each_control_changes_the_result(mon: AppTest) -> None:
    def trough() -> str:
        return {m.label: m.value for m in mon.metric}["Trough (ng/mL)"]

    # A control reruns only the simulator's outputs (a fragment), and AppTest
    # then holds only what that run drew: a full run brings the controls back.
    start = trough()
    mon.slider(key="pk_dose").set_value(0.2).run()
    assert trough() == "14.3"
    mon.run().radio(key="pk_genotype").set_value("*1 carrier").run()
    expresser = trough()
    assert float(expresser) < 14.3
    mon.run().slider(key="pk_weight").set_value(40).run()
    assert trough() != expresser
    mon.run().get("segmented_control")[0].set_value(24).run()
    mon.run().slider(key="pk_days").set_value(7).run()
    assert not mon.exception
    assert trough() != start


def test_band_choice_changes_the_verdict(mon: AppTest) -> None:
    mon.selectbox(key="pk_band").set_value("TROUGH-05").run()  # 2-4 ng/mL
    assert "above the 2-4 ng/mL band" in all_text(mon)


@pytest.mark.parametrize(
    ("drug", "verb"),
    [
        ("azole", "raises"),
        ("voriconazole", "raises"),
        ("posaconazole", "raises"),
        ("diltiazem", "raises"),
        ("rifampicin", "lowers"),
        ("st-johns-wort", "lowers"),
        ("wuzhi", "raises"),
    ],
)
def test_starting_a_drug_is_described_in_words(mon: AppTest, drug, verb) -> None:
    mon.selectbox(key="pk_drug").set_value(drug).run()
    mon.slider(key="pk_start").set_value(5).run()
    _skip_prediction(mon)
    sentence = next(m.value for m in mon.markdown if m.value.startswith("Starting"))
    assert f"on day 5 {verb} the trough from **7.1**" in sentence
    assert any("Trough" in m.label and m.delta for m in mon.metric)
    onset = "builds up linearly" if drug in {"rifampicin", "st-johns-wort"} else ""
    assert onset in all_text(mon)


def _button(at: AppTest, label: str):
    return next(b for b in at.get("form_submit_button") if b.label == label)


def _skip_prediction(at: AppTest) -> None:
    """Press "Skip" in the prediction box, then run the whole page."""
    _button(at, "Skip: show me without predicting").click().run()
    at.run()


def _changed_parts(at: AppTest) -> tuple[bool, bool, bool]:
    """What gives the changed course away: its sentence, its delta, its curve."""
    sentence = any(m.value.startswith("Starting") for m in at.markdown)
    delta = any(m.delta for m in at.metric)
    curve = any(
        re.search(r'"name":\s*"with ', c.proto.spec)
        for c in at.get("plotly_chart")
        if "pk_curve" in c.proto.id
    )
    return sentence, delta, curve


def _changed_is_drawn(at: AppTest) -> bool:
    return any(_changed_parts(at))


def test_picking_a_drug_asks_for_a_prediction_before_the_change(
    mon: AppTest,
) -> None:
    mon.selectbox(key="pk_drug").set_value("azole").run()
    mon.run()
    assert not mon.exception
    # Predicting is the default path: the box is there, the answer is not.
    assert mon.toggle(key="pk_predict").value is True
    assert "Predict first." in all_text(mon)
    assert not _changed_is_drawn(mon)
    # Reveal without a number keeps it hidden.
    _button(mon, "Reveal").click().run()
    assert "Enter a number first, then reveal." in all_text(mon)
    mon.run()
    assert not _changed_is_drawn(mon)
    mon.number_input(key="pk_guess").set_value(5.0)
    _button(mon, "Reveal").click().run()
    assert "You predicted **5 ng/mL**; the model gives **" in all_text(mon)
    assert "Predict first." not in all_text(mon)  # the question goes at once
    mon.run()
    assert all(_changed_parts(mon))
    assert "You predicted **5 ng/mL**" in all_text(mon)
    # Another control keeps the answer shown; another drug asks again.
    mon.slider(key="pk_start").set_value(3).run()
    mon.run()
    assert _changed_is_drawn(mon)
    mon.selectbox(key="pk_drug").set_value("diltiazem").run()
    mon.run()
    assert not _changed_is_drawn(mon)
    assert "Predict first." in all_text(mon)


def test_prediction_can_be_skipped_or_switched_off(mon: AppTest) -> None:
    mon.selectbox(key="pk_drug").set_value("azole").run()
    mon.run()
    _skip_prediction(mon)
    assert _changed_is_drawn(mon)
    assert "You predicted" not in all_text(mon)
    mon.selectbox(key="pk_drug").set_value("rifampicin").run()
    mon.run()
    assert not _changed_is_drawn(mon)
    mon.toggle(key="pk_predict").set_value(False).run()
    mon.run()
    assert _changed_is_drawn(mon)
    assert "Predict first." not in all_text(mon)


def test_only_drugs_with_a_known_size_are_offered(mon: AppTest) -> None:
    options = mon.selectbox(key="pk_drug").options
    assert any(o.startswith("Posaconazole") for o in options)
    assert not any(o.startswith("Fluconazole") for o in options)
    assert not any(o.startswith("Grapefruit") for o in options)


def test_teaching_captions_label_the_model_values(mon: AppTest) -> None:
    text = all_text(mon)
    metrics = {m.label for m in mon.metric}
    assert "Model-apparent half-life (h)" in metrics
    assert "Half-life (h)" not in metrics
    assert "terminal half-life of tacrolimus is longer" in text
    assert "CPIC guideline (Birdwell 2015)" in text


def test_the_interaction_table_lists_drugs_not_simulated(mon: AppTest) -> None:
    mon.session_state["pk_interactions_table"] = True
    mon.run()
    assert not mon.exception
    text = all_text(mon)
    assert "**Fluconazole" in text
    assert "*Simulator:* not simulated (no usable factor)" in text
    assert "*Simulator:* clearance × 0.419, at once" in text  # voriconazole


def test_an_old_azole_link_falls_back_with_a_notice() -> None:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    at.query_params["pk_drug"] = (
        "Azole antifungal (fluconazole, voriconazole and others)"
    )
    at.run()
    at.switch_page(VIEW).run()
    assert not at.exception
    assert "trough is **7.1 ng/mL**" in all_text(at)
    assert any("pk_drug=" in t.value for t in at.toast)


def test_population_view(mon: AppTest) -> None:
    mon.get("segmented_control")[1].set_value("1,000 patients").run()
    assert not mon.exception
    assert "pk_population" in " ".join(_chart_ids(mon))
    text = all_text(mon)
    assert "clearance 43.8%" in text
    assert "Within-patient day-to-day variation" in text
    shares = re.search(
        r"Of \*\*1,000 simulated patients\*\* on this dose, \*\*(\d+)%\*\* have a "
        r"trough inside the 5-10 ng/mL band.*\*\*(\d+)%\*\* are below it and "
        r"\*\*(\d+)%\*\* above it",
        text,
    )
    assert shares is not None
    assert sum(int(g) for g in shares.groups()) == 100


def test_the_plan_comes_first_as_a_grid_and_as_cards(mon: AppTest) -> None:
    ids = _chart_ids(mon)
    plan = next(i for i, c in enumerate(ids) if "monitoring_plan" in c)
    harms = next(i for i, c in enumerate(ids) if "harms_forest" in c)
    assert plan == 0 < harms
    text = all_text(mon)
    assert "**Whole-blood trough level**" in text  # a phone card
    assert "**If** level outside the target band, **then** adjust the dose" in text
    assert '"Not listed": the sources give no check for that phase' in text
    assert text.index("What is monitored, and how often") < text.index(
        "Why levels differ"
    )


def test_case_feedback_scores_and_cites(mon: AppTest) -> None:
    # The case is built only once opened, and its label matches its data.
    assert not any(b.label == "Check my answers" for b in mon.get("form_submit_button"))
    labels = [e.label for e in mon.expander]
    assert any("9 results from week 2 to week 8" in label for label in labels)
    mon.session_state["mon_case_open"] = True
    mon.run()
    # Form widgets are sent together on submit, as in the browser.
    mon.radio(key="case_w4-potassium_flag").set_value("abnormal")
    mon.selectbox(key="case_w4-potassium_action").set_value(
        "stop potassium supplements or potassium-sparing diuretics"
    )
    mon.radio(key="case_w2-trough_flag").set_value("abnormal")
    _button(mon, "Check my answers").click().run()
    text = all_text(mon)
    assert "**2 of 18** right." in text
    # Two parts per result: the flag was right, the response was missing.
    assert (
        "**Week 2, tacrolimus trough 6.8 ng/mL**: **Flag** :red[✗]: it is normal, "
        "not abnormal. **Response** :red[✗] missing: the right one is *no change*."
    ) in text
    assert (
        "**Flag** :green[✓] (abnormal). **Response** :green[✓] (stop potassium"
    ) in text
    assert "*Threshold:* ≥ 5.5 mmol/L (hyperkalaemia)" in text
    assert "bestpractice.bmj.com/topics/en-us/3000318" in text


@pytest.mark.parametrize(
    "params",
    [
        {"pk_weight": "abc"},
        {"pk_dose": "9"},
        {"pk_drug": "grapefruit"},
        {"pk_interval": "7"},
        {"pk_start": "-3", "pk_days": "1000"},
    ],
)
def test_bad_url_values_fall_back(params) -> None:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(VIEW).run()
    assert not at.exception
    assert "trough is **7.1 ng/mL**" in all_text(at)


@pytest.mark.usefixtures("fresh_caches")
def test_a_broken_pk_table_disables_only_the_simulator(monkeypatch, tmp_path) -> None:
    import shutil

    from dashboard.core.paths import DATA_DIR
    from dashboard.ui import cached

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    table = data / "pk_parameters.csv"
    table.write_text(table.read_text().replace("\ncv-cl,", "\ncv_cl,", 1))
    monkeypatch.setattr(cached, "DATA_DIR", data)
    at = open_page(VIEW)
    assert not at.exception
    assert "pk_parameters.csv" in at.error[0].value
    assert "A monitoring case" in all_text(at)
