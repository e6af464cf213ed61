"""The measured-levels mode's models: virtual patients, entered levels, the fit.

Teaching model only. The fit's accuracy is checked on virtual patients drawn
from the model itself: its clearance error must shrink as levels are added.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from dashboard.core import datasets, pk, pk_data, schemas, tdm
from dashboard.core.datasets import DataError
from dashboard.core.paths import DATA_DIR
from dashboard.models import monitoring_tdm as model
from dashboard.models import monitoring_tdm_fit as fitting


def _data(name: str) -> pd.DataFrame:
    return datasets.load_dataset(schemas.SCHEMAS[name], DATA_DIR)


PARAMETERS = _data("pk_parameters")
POPULATION = pk_data.population_model(PARAMETERS)
VALUES = model.lesson_values(PARAMETERS)
INTERACTIONS = pk_data.interactions(_data("pk_interactions"))
BAND = (5.0, 7.0)


def _virtual(seed: int = 3, **kwargs) -> model.Virtual:
    return model.virtual_patient(
        POPULATION, VALUES, seed=seed, interactions=INTERACTIONS, **kwargs
    )


# -- the lessons' numbers -------------------------------------------------------


def test_lesson_values_come_from_their_rows() -> None:
    rows = dict(zip(PARAMETERS["id"], PARAMETERS["value"], strict=True))
    assert VALUES.residual_cv == pytest.approx(rows["residual-error"] / 100)
    assert VALUES.prednisolone_f_max == pytest.approx(rows["prednisolone-f-max"] / 100)
    assert VALUES.capsule_mg == rows["capsule-smallest"]


def test_a_missing_row_is_named() -> None:
    short = PARAMETERS[PARAMETERS["id"] != "capsule-smallest"]
    with pytest.raises(DataError, match="capsule-smallest"):
        model.lesson_values(short)


def test_prednisolone_lowers_bioavailability_by_at_most_its_maximum() -> None:
    assert model.prednisolone_f(VALUES, 0) == 1.0
    half = model.prednisolone_f(VALUES, VALUES.prednisolone_dose50)
    assert half == pytest.approx(1 - VALUES.prednisolone_f_max / 2)
    assert model.prednisolone_f(VALUES, 1e6) == pytest.approx(
        1 - VALUES.prednisolone_f_max, abs=1e-3
    )


# -- virtual patients -----------------------------------------------------------


def test_a_virtual_patient_is_the_same_for_the_same_seed() -> None:
    assert _virtual(5) == _virtual(5)
    assert _virtual(5).patient.levels != _virtual(6).patient.levels


def test_another_occasion_redraws_the_noise_not_the_patient() -> None:
    first, second = _virtual(5), _virtual(5, occasion=1)
    assert first.truth == second.truth
    assert first.patient.levels != second.patient.levels


def test_the_dose_is_a_whole_number_of_capsules() -> None:
    for seed in range(1, 30):
        dose = _virtual(seed).patient.dose_mg
        assert dose / VALUES.capsule_mg == pytest.approx(
            round(dose / VALUES.capsule_mg)
        )


def _concs(virtual: model.Virtual) -> np.ndarray:
    return np.array([lv.conc for lv in virtual.patient.levels])


def test_each_lesson_changes_the_levels_it_should() -> None:
    planned = _concs(_virtual(7))
    late = _concs(_virtual(7, lesson="late"))
    assert late[1] > 2 * planned[1]  # near the peak, not the trough
    assert np.allclose(np.delete(late, 1), np.delete(planned, 1), atol=0.051)
    inducer = _concs(_virtual(7, lesson="inducer"))
    assert np.allclose(inducer[:2], planned[:2], atol=0.051)
    assert np.all(inducer[2:] < planned[2:])
    steroid = _concs(_virtual(7, lesson="steroid"))
    assert np.all(steroid < planned)
    blood = _concs(_virtual(7, lesson="haematocrit"))
    ratio = model.HAEMATOCRIT_AFTER / model.HAEMATOCRIT_BEFORE
    assert np.allclose(blood[2:], planned[2:] * ratio, atol=0.051)


def test_the_recorded_times_stay_the_planned_troughs() -> None:
    late = _virtual(7, lesson="late")
    assert [lv.time_h for lv in late.patient.levels] == list(model.PLANNED_H)
    assert late.truth.true_times_h[1] == model.PLANNED_H[1] + model.LATE_H


def test_the_fit_is_told_about_rifampicin_only_when_asked() -> None:
    assert _virtual(7, lesson="inducer").patient.interaction is pk.NO_INTERACTION
    told = _virtual(7, lesson="inducer", told=True).patient
    assert told.interaction == INTERACTIONS["rifampicin"]
    assert told.interaction_start_day == model.INDUCER_DAY


def test_an_unknown_lesson_is_refused() -> None:
    with pytest.raises(ValueError, match="lesson"):
        _virtual(lesson="nonsense")


# -- entered levels: every bad entry gets its own message -----------------------


def _entered(entries: list[model.Entry], **kwargs):
    form = {"weight_kg": 20.0, "expresser": False, "dose_mg": 2.0, "interval_h": 12.0}
    form.update(kwargs)
    return model.entered_patient(entries=entries, **form)


def test_good_entries_become_a_patient_with_levels_in_time_order() -> None:
    patient, problems = _entered(
        [model.Entry(5, 0, 6.2), model.Entry(None, None, None), model.Entry(3, 0, 5.1)]
    )
    assert problems == []
    assert [lv.time_h for lv in patient.levels] == [48.0, 96.0]
    assert patient.regimen.dose_mg == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (model.Entry(1, 0, 5.0), "before the first dose"),
        (model.Entry(3, 0, -2.0), "above 0"),
        (model.Entry(3, 0, 0.0), "above 0"),
        (model.Entry(3, 0, 500.0), "at most 100"),
        (model.Entry(3, None, 5.0), "give the day, the hours"),
        (model.Entry(None, 2, 5.0), "give the day, the hours"),
        (model.Entry(40, 0, 5.0), "1 to 28"),
        (model.Entry(0, 5, 5.0), "1 to 28"),
        (model.Entry(3, 30, 5.0), "0 to 24"),
    ],
)
def test_a_bad_level_gets_a_clear_message(entry: model.Entry, message: str) -> None:
    patient, problems = _entered([entry])
    assert patient is None
    assert len(problems) == 1
    assert message in problems[0]
    assert problems[0].startswith("Level 1")


def test_more_levels_than_the_form_takes_are_refused() -> None:
    entries = [model.Entry(day, 0, 5.0) for day in range(2, 8)]
    patient, problems = _entered(entries)
    assert patient is None
    assert any("at most 4 levels" in p for p in problems)


def test_two_levels_at_one_time_are_refused() -> None:
    patient, problems = _entered([model.Entry(3, 0, 5.0), model.Entry(3, 0, 6.0)])
    assert patient is None
    assert "same time" in problems[0]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("weight_kg", None, "weight"),
        ("weight_kg", 0.5, "weight"),
        ("dose_mg", None, "dose"),
        ("dose_mg", 0.0, "dose"),
    ],
)
def test_a_bad_patient_gets_a_clear_message(field, value, message) -> None:
    patient, problems = _entered([model.Entry(3, 0, 5.0)], **{field: value})
    assert patient is None
    assert message in problems[0]


# -- the analysis ---------------------------------------------------------------


def test_the_band_narrows_as_levels_are_added() -> None:
    virtual = _virtual(4)
    analysis = fitting.analyse(POPULATION, virtual.patient, 4, BAND, VALUES)
    widths = [math.log(s.high / s.low) for s in analysis.steps]
    assert len(widths) == 5
    assert widths[-1] < widths[1] < widths[0]

    def spread(band: np.ndarray) -> float:  # troughs: never zero
        return float(np.mean(np.log(band[2] / band[0])))

    assert spread(analysis.individual) < spread(analysis.population)


def test_with_no_level_the_fit_is_the_typical_patient() -> None:
    analysis = fitting.analyse(POPULATION, _virtual(4).patient, 0, BAND, VALUES)
    assert analysis.fit.cl == pytest.approx(analysis.fit.typical_cl)
    assert "no level" in fitting.fit_sentence(analysis).lower()


def test_the_proposed_dose_is_rounded_and_reaches_the_target() -> None:
    analysis = fitting.analyse(POPULATION, _virtual(9).patient, 4, BAND, VALUES)
    p = analysis.proposal
    assert p.dose_mg / VALUES.capsule_mg == pytest.approx(round(p.dose_mg / 0.5))
    assert abs(p.dose_mg - p.exact_mg) <= VALUES.capsule_mg / 2 + 1e-9
    # Linear in dose: the exact dose would give the target exactly.
    assert p.trough == pytest.approx(analysis.target * p.dose_mg / p.exact_mg, rel=1e-6)
    assert p.trough_low <= p.trough <= p.trough_high
    assert p.auc == pytest.approx(p.dose_mg / analysis.fit.cl * 1000)
    assert "Teaching estimate, not a dose." in fitting.proposal_sentence(analysis, 0.5)


def test_the_fit_of_many_levels_finds_the_hidden_clearance() -> None:
    # Noise-free virtual levels, at the trough and 2 h after a dose, with a tiny
    # residual error: the fit recovers the truth within 2 %.
    truth = _virtual(12).truth
    patient = _virtual(12).patient
    times = [48.0, 50.0, 96.0, 168.0]
    concs = tdm.predict(POPULATION, patient.regimen, times, np.array(truth.eta))
    exact = dataclasses.replace(
        patient,
        levels=tuple(tdm.Level(t, float(c)) for t, c in zip(times, concs, strict=True)),
    )
    tight = dataclasses.replace(VALUES, residual_cv=0.001)
    analysis = fitting.analyse(POPULATION, exact, 4, BAND, tight)
    assert analysis.fit.cl == pytest.approx(truth.cl, rel=0.02)


def test_clearance_error_shrinks_as_levels_are_added() -> None:
    errors = {0: [], 1: [], 2: [], 4: []}
    for seed in range(1, 61):
        virtual = _virtual(seed)
        regimen = virtual.patient.regimen
        for count in errors:
            found = tdm.fit(
                POPULATION, regimen, virtual.patient.levels[:count], VALUES.residual_cv
            )
            errors[count].append(abs(math.log(found.cl / virtual.truth.cl)))
    medians = {count: float(np.median(e)) for count, e in errors.items()}
    assert medians[4] < medians[1] < medians[0]
    assert medians[2] < medians[0]


def test_the_truth_and_the_lessons_are_said_in_numbers() -> None:
    for lesson in model.LESSONS:
        virtual = _virtual(8, lesson=lesson)
        analysis = fitting.analyse(POPULATION, virtual.patient, 4, BAND, VALUES)
        truth = fitting.truth_sentence(POPULATION, virtual, analysis)
        assert f"{virtual.truth.cl:.1f} L/h" in truth
        said = fitting.lesson_sentence(virtual, analysis, VALUES)
        assert (said is None) == (lesson == "planned")


def test_late_level_read_as_a_trough_lowers_the_clearance_estimate() -> None:
    lower = 0
    for seed in range(1, 21):
        planned = _virtual(seed)
        late = _virtual(seed, lesson="late")
        a = fitting.analyse(POPULATION, planned.patient, 2, BAND, VALUES)
        b = fitting.analyse(POPULATION, late.patient, 2, BAND, VALUES)
        lower += b.fit.cl < a.fit.cl
    assert lower == 20


def test_a_haematocrit_fall_leads_the_fit_to_propose_more() -> None:
    planned = fitting.analyse(POPULATION, _virtual(5).patient, 4, BAND, VALUES)
    anaemic = fitting.analyse(
        POPULATION, _virtual(5, lesson="haematocrit").patient, 4, BAND, VALUES
    )
    assert anaemic.proposal.exact_mg > planned.proposal.exact_mg


def test_cpic_sentence_caps_the_start_at_the_daily_maximum() -> None:
    ref = pk_data.reference_values(PARAMETERS)
    seed = next(s for s in range(1, 50) if _virtual(s).patient.expresser)
    analysis = fitting.analyse(POPULATION, _virtual(seed).patient, 4, BAND, VALUES)
    text = fitting.cpic_sentence(analysis, ref, model.START_MG_PER_KG)
    cap = ref.cpic_max_mg_per_kg_day * analysis.patient.weight_kg / 2
    assert f"-{cap:.1f} mg every 12 h" in text
    assert "Teaching estimate, not a dose." in text


def test_guess_sentence_says_how_far_and_which_way() -> None:
    analysis = fitting.analyse(POPULATION, _virtual(9).patient, 4, BAND, VALUES)
    dose = analysis.proposal.dose_mg
    assert "is the fit's proposal" in fitting.guess_sentence(analysis, dose)
    assert "above" in fitting.guess_sentence(analysis, dose + 1)
    assert "below" in fitting.guess_sentence(analysis, max(dose - 0.5, 0.1))


def test_every_source_row_is_found() -> None:
    rows = model.source_rows(
        PARAMETERS, _data("pk_interactions"), _data("monitoring_plan")
    )
    wanted = sum(len(ids) for ids in model.SOURCE_IDS.values())
    assert len(rows) == wanted
    assert all(model.describe_source(row) for _, row in rows.iterrows())
