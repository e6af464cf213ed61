"""The Monitoring page's models: harms, plan, case, and the trough simulator."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from dashboard.charts.chart import Chart
from dashboard.core import datasets, efficacy, pk, pk_data, schemas
from dashboard.core.datasets import DataError
from dashboard.core.paths import DATA_DIR
from dashboard.models import monitoring as model
from dashboard.models import monitoring_simulator as simulator


def _data(name: str) -> pd.DataFrame:
    return datasets.load_dataset(schemas.SCHEMAS[name], DATA_DIR)


PARAMETERS = _data("pk_parameters")
DRUGS = _data("pk_interactions")
POPULATION = pk_data.population_model(PARAMETERS)
INTERACTIONS = pk_data.interactions(DRUGS)
REGIMEN = pk.Regimen(
    weight_kg=20.0,
    dose_mg_per_kg=0.1,
    interval_h=12.0,
    days=14,
    interaction_start_day=5.0,
)
BAND = (5.0, 10.0, "Chen 2010 RCT")
CASE = _data("monitoring_case")
THRESHOLDS = _data("monitoring_thresholds")


# -- harms and plan -------------------------------------------------------------


def test_harms_view_draws_ratios_with_lower_is_better() -> None:
    view = model.harms_view(_data("efficacy_evidence"))
    assert isinstance(view.chart, Chart)
    assert view.chart.title == "Harms: ratios, tacrolimus-based vs comparator"
    # Lower is better for harms: a ratio below 1 favours tacrolimus.
    assert "below 1 is favours tacrolimus" in view.chart.alt
    evidence = _data("efficacy_evidence")
    harms = evidence[evidence["outcome_group"] == "adverse events"]
    assert len(view.chart.table) == len(efficacy.forest_rows(harms, "adverse events"))
    lines = view.words.splitlines()
    assert lines
    assert all(line.startswith("- ") for line in lines)
    assert all(" vs " in line for line in lines)


def test_harms_in_words_name_their_caveats() -> None:
    evidence = _data("efficacy_evidence")
    rows = evidence[
        (evidence["outcome_group"] == "adverse events")
        & evidence["effect"].isna()
        & evidence["value_tac"].isna()
    ]
    view = model.harms_view(evidence)
    assert len(view.words.splitlines()) == len(rows)
    if rows["caveats"].notna().any():
        assert "⚠" in view.words


def test_plan_view_has_a_checklist_line_with_a_source_per_row() -> None:
    plan = _data("monitoring_plan")
    view = model.plan_view(plan)
    lines = view.checklist.splitlines()
    assert len(lines) == len(plan)
    assert all(line.startswith("- ☐ **") and "*Source:*" in line for line in lines)
    first = plan.sort_values("order").iloc[0]
    assert lines[0].startswith(f"- ☐ **{first['parameter']}**: if {first['finding']}")
    assert view.chart.title == "What to check, and when"
    assert len(view.chart.table) == len(plan)


def test_plan_cards_hold_what_the_grid_shows_on_hover() -> None:
    plan = _data("monitoring_plan")
    view = model.plan_view(plan)
    assert len(view.cards) == len(plan)
    for card, row in zip(
        view.cards, plan.sort_values("order").itertuples(), strict=True
    ):
        assert card.startswith(f"**{row.parameter}**")
        assert f"**If** {row.finding}, **then** {row.action}." in card
        for label in ("When starting", "After a change", "Once stable"):
            assert f"- *{label}:* " in card
    diarrhoea = next(c for c in view.cards if c.startswith("**Trough during diarrhoea"))
    # An empty phase says so, never a blank that could mean "not needed".
    assert "- *When starting:* not listed" in diarrhoea
    assert "- *After a change:* extra levels during each episode" in diarrhoea
    assert "not the same as" in view.legend


# -- the case -------------------------------------------------------------------


def test_case_view_groups_results_by_week() -> None:
    view = model.case_view(CASE, THRESHOLDS)
    weeks = [week for week, _ in view.weeks]
    assert weeks == sorted(set(CASE["week"]))
    assert sum(len(rows) for _, rows in view.weeks) == len(CASE)
    # The label is read from the data: results on weeks 2, 4, 6 and 8 run from
    # week 2 to week 8, which "over 4 weeks" misstated.
    assert view.title == (
        f"Work through the case: {len(CASE)} results "
        f"from week {min(weeks)} to week {max(weeks)}"
    )
    assert view.title == "Work through the case: 9 results from week 2 to week 8"
    assert list(view.actions) == sorted(set(CASE["action"]))
    assert "abnormal" in view.key.columns


def test_result_label() -> None:
    view = model.case_view(CASE, THRESHOLDS)
    row = next(r for _, rows in view.weeks for r in rows if r.id == "w4-potassium")
    assert model.result_label(row) == "Potassium: **5.8 mmol/L**"


def test_case_result_scores_and_cites() -> None:
    view = model.case_view(CASE, THRESHOLDS)
    answers = {
        "w4-potassium": (
            True,
            "stop potassium supplements or potassium-sparing diuretics",
        ),
        "w2-trough": (True, None),
    }
    result = model.case_result(view, THRESHOLDS, answers)
    assert result.score == f"**2 of {2 * len(CASE)}** right."
    lines = result.feedback.splitlines()
    assert len(lines) == len(CASE)
    potassium = next(line for line in lines if "potassium 5.8" in line)
    assert potassium.startswith("- :green[:material/check_circle:]")
    assert (
        "**Week 4, potassium 5.8 mmol/L**: **Flag** :green[✓] (abnormal). "
        "**Response** :green[✓] (stop potassium" in potassium
    )
    assert "*Threshold:* ≥ 5.5 mmol/L (hyperkalaemia)" in potassium
    assert "bestpractice.bmj.com/topics/en-us/3000318" in potassium
    trough = next(line for line in lines if "tacrolimus trough 6.8" in line)
    assert trough.startswith("- :red[:material/cancel:]")
    # Flag wrong and response missing: both halves say so, and name the answer.
    assert "**Flag** :red[✗]: it is normal, not abnormal." in trough
    assert "**Response** :red[✗] missing: the right one is *no change*." in trough


def test_case_feedback_names_the_missing_response_when_the_flag_was_right() -> None:
    view = model.case_view(CASE, THRESHOLDS)
    answers = {
        "w4-trough": (True, None),
        "w4-creatinine": (True, "no change"),
        "w8-wbc": (None, "no change"),
    }
    lines = model.case_result(view, THRESHOLDS, answers).feedback.splitlines()
    trough = next(line for line in lines if "tacrolimus trough 14.2" in line)
    assert trough.startswith("- :red[:material/cancel:]")
    assert "**Flag** :green[✓] (abnormal). **Response** :red[✗] missing: " in trough
    assert "the right one is *reduce the dose and recheck the level*." in trough
    creatinine = next(
        line for line in lines if "creatinine ratio to baseline 1.6" in line
    )
    assert "**Flag** :green[✓] (abnormal). **Response** :red[✗]: the right one" in (
        creatinine
    )
    assert "not *no change*." in creatinine
    wbc = next(line for line in lines if "white cell count" in line)
    assert "**Flag** :red[✗] missing: it is normal." in wbc
    assert "**Response** :green[✓] (no change)." in wbc


def test_a_perfect_case_scores_full_marks() -> None:
    view = model.case_view(CASE, THRESHOLDS)
    perfect = {
        str(r.id): (bool(r.abnormal), str(r.action))
        for r in view.key.itertuples(index=False)
    }
    result = model.case_result(view, THRESHOLDS, perfect)
    assert result.score == f"**{2 * len(CASE)} of {2 * len(CASE)}** right."
    assert ":red[" not in result.feedback


def test_case_view_refuses_a_case_with_an_unknown_threshold() -> None:
    broken = CASE.assign(threshold_id="missing-threshold")
    with pytest.raises(DataError, match="missing-threshold"):
        model.case_view(broken, THRESHOLDS)


# -- the trough simulator -------------------------------------------------------


def test_band_options_and_labels() -> None:
    targets = _data("tacrolimus_trough_targets")
    bands = simulator.band_options(targets)
    assert len(bands) == targets["trough_low"].notna().sum()
    low, high, where = bands["TROUGH-01"]
    assert (low, high) == (5.0, 10.0)
    assert simulator.band_label(bands["TROUGH-01"]) == f"5-10 ng/mL: {where}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4.9, "below"), (5.0, "within"), (10.0, "within"), (10.1, "above")],
)
def test_position_in_the_band(value: float, expected: str) -> None:
    assert simulator.position(value, BAND) == expected


def test_course_without_a_drug() -> None:
    course = simulator.course(POPULATION, REGIMEN, None)
    assert course.drug is None
    assert course.changed is None
    assert course.changed_sim is None
    assert round(course.base.trough, 1) == 7.1


def test_course_with_an_inhibitor_raises_the_trough() -> None:
    course = simulator.course(POPULATION, REGIMEN, INTERACTIONS["azole"])
    assert course.changed is not None
    assert course.changed_regimen is not None
    assert course.changed.trough > course.base.trough
    assert course.changed_regimen.interaction_start_day == 5.0


def test_course_refuses_inputs_outside_the_model() -> None:
    with pytest.raises(pk.RegimenError):
        simulator.course(
            POPULATION, dataclasses.replace(REGIMEN, weight_kg=500.0), None
        )


def test_numbers_sentence_gives_the_dose_and_the_verdict() -> None:
    course = simulator.course(POPULATION, REGIMEN, None)
    assert simulator.numbers_sentence(REGIMEN, course.base, BAND) == (
        "With **2.00 mg every 12 h** (0.10 mg/kg for 20 kg) the typical "
        "patient's trough is **7.1 ng/mL**, within the 5-10 ng/mL band."
    )
    narrow = (2.0, 4.0, "low band")
    assert "above the 2-4 ng/mL band" in simulator.numbers_sentence(
        REGIMEN, course.base, narrow
    )


@pytest.mark.parametrize(
    ("drug", "verb"), [("azole", "raises"), ("rifampicin", "lowers")]
)
def test_change_sentence(drug: str, verb: str) -> None:
    course = simulator.course(POPULATION, REGIMEN, INTERACTIONS[drug])
    assert course.changed is not None
    name = INTERACTIONS[drug].short_name
    text = simulator.change_sentence(course.base, course.changed, name, 5.0, BAND)
    change = (course.changed.trough - course.base.trough) / course.base.trough * 100
    assert text.startswith(
        f"Starting **{name}** on day 5 {verb} the trough from **7.1**"
    )
    assert f"({change:+.0f}%)" in text
    assert text.endswith(
        f"now {simulator.position(course.changed.trough, BAND)} the band."
    )


def test_prediction_sentence() -> None:
    assert simulator.prediction_sentence(12.0, 10.0) == (
        "You predicted **12 ng/mL**; the model gives **10.0 ng/mL** (+20% off)."
    )
    assert "(+0% off)" in simulator.prediction_sentence(3.0, 0.0)


def test_metrics_show_the_changed_course_with_its_change() -> None:
    course = simulator.course(POPULATION, REGIMEN, INTERACTIONS["azole"])
    assert course.changed is not None
    plain = simulator.metrics(course.base, None)
    assert [m.label for m in plain] == [
        "Trough (ng/mL)",
        "Peak (ng/mL)",
        "Model-apparent half-life (h)",
        "90% of steady state (model) after",
    ]
    assert plain[0].value == "7.1"
    assert plain[0].delta is None
    assert plain[3].value.endswith(" days")
    changed = simulator.metrics(course.base, course.changed)
    assert changed[0].value == f"{course.changed.trough:.1f}"
    expected = f"{course.changed.trough - course.base.trough:+.1f} ng/mL"
    assert changed[0].delta == expected


def test_curve_alt_names_trough_peak_band_and_change() -> None:
    course = simulator.course(POPULATION, REGIMEN, INTERACTIONS["azole"])
    assert course.changed is not None
    alt = simulator.curve_alt(course.base, None, BAND)
    assert f"trough {course.base.trough:.1f} and peak {course.base.peak:.1f}" in alt
    assert "target band 5-10 ng/mL shaded" in alt
    assert "Dashed" not in alt
    changed = simulator.curve_alt(course.base, course.changed, BAND)
    assert f"reaches a trough of {course.changed.trough:.1f} ng/mL" in changed


def test_curve_chart_hides_the_change_until_revealed() -> None:
    course = simulator.course(POPULATION, REGIMEN, INTERACTIONS["azole"])
    hidden = simulator.curve_chart(course, BAND, revealed=False)
    assert len(hidden.figure.data) == 1
    assert list(hidden.table.columns) == ["Hour", "Day", "baseline (ng/mL)"]
    assert "Dashed" not in hidden.alt
    shown = simulator.curve_chart(course, BAND, revealed=True)
    assert [t.name for t in shown.figure.data] == ["baseline", "with azole antifungal"]
    assert "with azole antifungal (ng/mL)" in shown.table.columns
    assert "Dashed changed scenario" in shown.alt
    assert shown.title == "Teaching model: the typical patient"


def test_curve_chart_without_a_drug_ignores_revealed() -> None:
    course = simulator.course(POPULATION, REGIMEN, None)
    chart = simulator.curve_chart(course, BAND, revealed=True)
    assert len(chart.figure.data) == 1


def test_simulator_handout_shows_the_view() -> None:
    course = simulator.course(POPULATION, REGIMEN, INTERACTIONS["rifampicin"])
    hidden = simulator.simulator_handout(
        course, BAND, revealed=False, parameters=PARAMETERS, interactions=DRUGS
    )
    assert hidden.view == "Typical patient under the teaching model; no other drug."
    numbers = dict(hidden.numbers)
    assert numbers["Dose"] == "2.00 mg every 12 h"
    assert numbers["Weight"] == "20 kg (0.10 mg/kg)"
    assert numbers["Trough (ng/mL)"] == "7.1"
    assert numbers["Target band (ng/mL)"] == "5-10"
    assert hidden.figure_png is not None
    assert hidden.figure_png.startswith(b"\x89PNG")
    assert len(hidden.sources) == len(set(hidden.sources))
    assert "not for dosing" in hidden.title
    shown = simulator.simulator_handout(
        course, BAND, revealed=True, parameters=PARAMETERS, interactions=DRUGS
    )
    assert shown.view == "Typical patient; rifampicin started on day 5."
    assert "Trough with rifampicin (ng/mL)" in dict(shown.numbers)


def test_source_rows_add_the_onset_sources() -> None:
    rows = simulator.source_rows(PARAMETERS, DRUGS)
    timed = DRUGS["time_course_url"].notna().sum()
    # Only the parameters the simulator and its captions use, not the rows of
    # the measured-levels lessons.
    used = len(pk_data.MODEL_FIELDS) + len(pk_data.REFERENCE_VALUES)
    assert len(rows) == used + len(DRUGS) + timed
    assert "prednisolone-f-max" not in set(rows["id"].dropna())
    onsets = rows[rows["drug"].astype("string").str.endswith(", time course")]
    assert len(onsets) == timed
    described = [simulator.describe_source(r) for _, r in rows.iterrows()]
    assert all(text.strip() for text in described)
    first = PARAMETERS.iloc[0]
    assert described[0].startswith(f"{first['meaning']}: {first['value']:g}")
