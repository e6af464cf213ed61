"""The trough simulator against closed-form pharmacokinetics."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from dashboard.core import datasets, pk_data, schemas
from dashboard.core.paths import DATA_DIR
from dashboard.core.pk import (
    NO_INTERACTION,
    Interaction,
    Parameters,
    PopulationModel,
    Regimen,
    RegimenError,
    check_regimen,
    interaction_factors,
    percentiles,
    sampled_parameters,
    simulate,
    steady_state_trough,
    summarise,
    typical_parameters,
    with_interaction,
)

MODEL = pk_data.population_model(datasets.load_dataset(schemas.PK_PARAMETERS, DATA_DIR))
INTERACTIONS = pk_data.interactions(
    datasets.load_dataset(schemas.PK_INTERACTIONS, DATA_DIR)
)
BASE = Regimen(weight_kg=20, dose_mg_per_kg=0.1, interval_h=12, days=14)


def trough(regimen: Regimen) -> float:
    params = typical_parameters(MODEL, regimen)
    return summarise(simulate(regimen, params), regimen, params).trough


def test_parameters_come_from_the_sourced_table() -> None:
    assert MODEL.ka == 5.21
    assert MODEL.cl_per_70kg == 30.9
    assert MODEL.v_per_70kg == 411
    assert MODEL.cv_cl == pytest.approx(0.438)


def test_single_dose_matches_the_bateman_function() -> None:
    regimen = replace(BASE, days=1, interval_h=24)
    params = typical_parameters(MODEL, regimen)
    sim = simulate(regimen, params)
    k = params.cl[0] / params.v[0]
    ka, v, dose = params.ka[0], params.v[0], regimen.dose_mg
    t = sim.times_h
    expected = 1000 * dose * ka / (v * (ka - k)) * (np.exp(-k * t) - np.exp(-ka * t))
    np.testing.assert_allclose(sim.conc[0], expected, rtol=1e-9, atol=1e-12)


def test_repeated_doses_are_the_sum_of_single_doses() -> None:
    params = typical_parameters(MODEL, BASE)
    sim = simulate(BASE, params)
    k = params.cl[0] / params.v[0]
    ka, v, dose = params.ka[0], params.v[0], BASE.dose_mg
    superposed = np.zeros_like(sim.times_h)
    for start in sim.dose_times_h:
        t = sim.times_h - start
        after = t >= 0
        superposed[after] += (
            1000
            * dose
            * ka
            / (v * (ka - k))
            * (np.exp(-k * t[after]) - np.exp(-ka * t[after]))
        )
    np.testing.assert_allclose(sim.conc[0], superposed, rtol=1e-9, atol=1e-12)


def test_accumulates_to_the_closed_form_steady_state() -> None:
    params = typical_parameters(MODEL, BASE)
    sim = simulate(BASE, params)
    expected = steady_state_trough(BASE, params)[0]
    summary = summarise(sim, BASE, params)
    assert summary.trough == pytest.approx(expected, rel=1e-6)
    k = params.cl[0] / params.v[0]
    # Troughs approach steady state as 1 − e^(−k·n·τ)
    troughs = sim.conc[0][np.searchsorted(sim.times_h, sim.dose_times_h[1:6])]
    for n, value in enumerate(troughs, start=1):
        assert value == pytest.approx(expected * (1 - math.exp(-k * n * 12)), rel=1e-3)
    assert summary.time_to_90_percent_h == pytest.approx(math.log(10) / k)
    assert summary.half_life_h == pytest.approx(math.log(2) / k)


def test_dose_proportionality_and_zero_dose() -> None:
    assert trough(replace(BASE, dose_mg_per_kg=0.2)) == pytest.approx(2 * trough(BASE))
    zero = replace(BASE, dose_mg_per_kg=0.0)
    assert simulate(zero, typical_parameters(MODEL, zero)).conc.max() == 0.0


def test_cyp3a5_expressers_have_lower_troughs_by_the_clearance_factor() -> None:
    normal = typical_parameters(MODEL, BASE)
    expresser = typical_parameters(MODEL, replace(BASE, expresser=True))
    assert expresser.cl[0] / normal.cl[0] == pytest.approx(1.60)
    assert trough(replace(BASE, expresser=True)) < trough(BASE) / 1.6 * 1.2


@pytest.mark.parametrize(
    ("drug", "direction"), [("azole", 1), ("diltiazem", 1), ("rifampicin", -1)]
)
def test_interactions_move_the_trough_the_right_way(drug: str, direction: int) -> None:
    changed = with_interaction(BASE, INTERACTIONS[drug], 0.0)
    assert math.copysign(1, trough(changed) - trough(BASE)) == direction


def test_azole_from_the_start_matches_lower_clearance() -> None:
    azole = with_interaction(BASE, INTERACTIONS["azole"], 0.0)
    params = typical_parameters(MODEL, BASE)
    lowered = Parameters(ka=params.ka, v=params.v, cl=params.cl * 0.657)
    expected = steady_state_trough(BASE, lowered)[0]
    assert trough(azole) == pytest.approx(expected, rel=1e-6)


def test_rifampicin_lowers_exposure_by_clearance_and_bioavailability() -> None:
    # Induction builds over 14 days; by day 28 the new steady state is reached.
    long = replace(BASE, days=28)
    rif = with_interaction(long, INTERACTIONS["rifampicin"], 0.0)
    params = typical_parameters(MODEL, long)
    sim_base = simulate(long, params)
    sim_rif = simulate(rif, params)
    # Average concentration at steady state ∝ F/CL: the ratio is 0.486 / 1.467.
    last = sim_base.times_h >= (long.days - 1) * 24
    ratio = sim_rif.conc[0][last].mean() / sim_base.conc[0][last].mean()
    assert ratio == pytest.approx(0.486 / 1.467, rel=0.02)


def test_interaction_started_midway_leaves_earlier_days_unchanged() -> None:
    params = typical_parameters(MODEL, BASE)
    base = simulate(BASE, params)
    later = simulate(with_interaction(BASE, INTERACTIONS["azole"], 5.0), params)
    before = base.times_h <= 5 * 24
    np.testing.assert_allclose(later.conc[0][before], base.conc[0][before])
    assert later.conc[0][-1] > base.conc[0][-1]


def test_heavier_patients_reach_higher_troughs_on_the_same_mg_per_kg() -> None:
    # CL grows with WT^0.75 while the dose grows with WT.
    assert trough(replace(BASE, weight_kg=60)) > trough(BASE)


def test_population_is_centred_on_the_typical_patient() -> None:
    params = sampled_parameters(MODEL, BASE, 2000, seed=1)
    assert np.median(params.cl) == pytest.approx(
        typical_parameters(MODEL, BASE).cl[0], rel=0.05
    )
    sim = simulate(BASE, params, step_h=0.5)
    bands = percentiles(sim)
    assert bands.shape == (5, sim.times_h.size)
    assert (np.diff(bands, axis=0) >= 0).all()  # 5th ≤ 25th ≤ … ≤ 95th
    again = sampled_parameters(MODEL, BASE, 2000, seed=1)
    np.testing.assert_array_equal(params.cl, again.cl)  # reproducible


@pytest.mark.parametrize(
    "changes",
    [
        {"weight_kg": 0.5},
        {"weight_kg": float("nan")},
        {"dose_mg_per_kg": -0.1},
        {"dose_mg_per_kg": 3},
        {"days": 0},
        {"interval_h": 2},
        {"interaction": Interaction("bad", cl_factor=0)},
        {"interaction": Interaction("bad", cl_factor_expresser=0)},
        {"interaction": Interaction("bad", onset_days=-1)},
    ],
)
def test_bad_inputs_are_refused_with_a_message(changes: dict) -> None:
    with pytest.raises(RegimenError, match="must"):
        check_regimen(replace(BASE, **changes))


def test_interval_must_fit_the_grid() -> None:
    with pytest.raises(RegimenError, match="multiple"):
        simulate(replace(BASE, interval_h=12.1), typical_parameters(MODEL, BASE))


def test_no_interaction_is_the_identity() -> None:
    assert NO_INTERACTION.cl_factor == NO_INTERACTION.f_factor == 1.0
    assert PopulationModel().ka == MODEL.ka


# --- Interactions: genotype-specific factors and the onset ramp (B6) ---------


def test_short_name_drops_the_detail_in_brackets() -> None:
    assert Interaction("Azole antifungal (paediatric NS)").short_name == (
        "azole antifungal"
    )
    assert Interaction("Rifampicin").short_name == "rifampicin"


def test_expresser_factor_applies_only_to_expressers() -> None:
    drug = Interaction("d", cl_factor=0.7, cl_factor_expresser=0.8)
    assert drug.clearance_factor(expresser=False) == 0.7
    assert drug.clearance_factor(expresser=True) == 0.8
    assert Interaction("d", cl_factor=0.7).clearance_factor(expresser=True) == 0.7


def test_diltiazem_uses_the_genotype_specific_factor() -> None:
    expresser = replace(BASE, expresser=True)
    for regimen, factor in ((BASE, 0.695), (expresser, 0.8)):
        drug = with_interaction(regimen, INTERACTIONS["diltiazem"], 0.0)
        params = typical_parameters(MODEL, regimen)
        lowered = Parameters(ka=params.ka, v=params.v, cl=params.cl * factor)
        expected = steady_state_trough(regimen, lowered)[0]
        assert trough(drug) == pytest.approx(expected, rel=1e-6)


def test_onset_ramps_the_factors_linearly() -> None:
    drug = Interaction("inducer", cl_factor=2.0, f_factor=0.5, onset_days=10)
    regimen = with_interaction(BASE, drug, 2.0)
    assert interaction_factors(regimen, 1 * 24) == (1.0, 1.0)  # before the start
    assert interaction_factors(regimen, 2 * 24) == (1.0, 1.0)  # at the start
    cl, f = interaction_factors(regimen, 7 * 24)  # half-way through the onset
    assert cl == pytest.approx(1.5)
    assert f == pytest.approx(0.75)
    assert interaction_factors(regimen, 12 * 24) == (2.0, 0.5)  # full
    assert interaction_factors(regimen, 30 * 24) == (2.0, 0.5)
    assert interaction_factors(BASE, 5 * 24) == (1.0, 1.0)  # no drug


def test_zero_onset_acts_at_once() -> None:
    regimen = with_interaction(BASE, Interaction("x", cl_factor=0.5), 3.0)
    assert interaction_factors(regimen, 3 * 24) == (0.5, 1.0)


def test_ramped_inducer_lies_between_no_drug_and_full_effect() -> None:
    long = replace(BASE, days=28)
    params = typical_parameters(MODEL, long)
    slow = INTERACTIONS["rifampicin"]
    assert slow.onset_days == 14
    at_once = replace(slow, onset_days=0.0)
    base = simulate(long, params).conc[0]
    ramped = simulate(with_interaction(long, slow, 0.0), params).conc[0]
    instant = simulate(with_interaction(long, at_once, 0.0), params).conc[0]
    times = np.arange(base.size) * 0.25
    # During the ramp the level sits between the two; after it, it joins the
    # full-effect curve (within a few model half-lives).
    during = (times > 24) & (times < 10 * 24)
    assert (ramped[during] < base[during]).all()
    assert (ramped[during] > instant[during]).all()
    late = times > 20 * 24
    np.testing.assert_allclose(ramped[late], instant[late], rtol=1e-3)


def test_ramp_leaves_days_before_the_start_unchanged() -> None:
    params = typical_parameters(MODEL, BASE)
    base = simulate(BASE, params)
    later = simulate(with_interaction(BASE, INTERACTIONS["rifampicin"], 5.0), params)
    before = base.times_h <= 5 * 24
    np.testing.assert_allclose(later.conc[0][before], base.conc[0][before])
    assert later.conc[0][-1] < base.conc[0][-1]


def test_summary_uses_the_clearance_factor_in_force_at_the_last_dose() -> None:
    drug = Interaction("inducer", cl_factor=2.0, onset_days=20)
    regimen = with_interaction(BASE, drug, 0.0)  # 14 days shown: 13.5/20 of it
    params = typical_parameters(MODEL, regimen)
    sim = simulate(regimen, params)
    k = params.cl[0] / params.v[0]
    share = sim.dose_times_h[-1] / 24 / 20
    summary = summarise(sim, regimen, params)
    assert summary.half_life_h == pytest.approx(math.log(2) / (k * (1 + share)))


def test_population_view_runs_with_a_ramped_interaction() -> None:
    regimen = with_interaction(BASE, INTERACTIONS["st-johns-wort"], 2.0)
    params = sampled_parameters(MODEL, regimen, 200, seed=3)
    sim = simulate(regimen, params, step_h=0.5)
    assert sim.conc.shape == (200, sim.times_h.size)
    assert np.isfinite(sim.conc).all()


def test_model_half_life_is_shorter_than_the_label_half_lives() -> None:
    """The model-apparent value is not the terminal half-life (review A4)."""
    reference = pk_data.reference_values(
        datasets.load_dataset(schemas.PK_PARAMETERS, DATA_DIR)
    )
    params = typical_parameters(MODEL, replace(BASE, weight_kg=25))
    regimen = replace(BASE, weight_kg=25)
    summary = summarise(simulate(regimen, params), regimen, params)
    assert summary.half_life_h < reference.label_half_life_child_h
    assert summary.half_life_h < reference.label_half_life_volunteers_h
    assert summary.time_to_90_percent_h / 24 < reference.label_steady_state_days
