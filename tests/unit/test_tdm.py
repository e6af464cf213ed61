"""The measured-levels fit (MAP) of dashboard.core.tdm, checked independently.

The optimiser's answer is checked against a brute-force grid search of the
same objective; its uncertainty against the prior it must equal with no
level; its direction against what a level says (a higher level than the
typical patient's means a lower clearance).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.core import tdm
from dashboard.core.pk import PopulationModel, Regimen

MODEL = PopulationModel()
REGIMEN = Regimen(weight_kg=20, dose_mg_per_kg=0.05, interval_h=12, days=14)
RESIDUAL = 0.259  # pk_parameters.csv, residual-error (tests/repo checks the row)
TROUGH_DAY_4 = 96.0  # just before the ninth dose


def _levels(eta: np.ndarray, times: list[float]) -> list[tdm.Level]:
    measured = tdm.predict(MODEL, REGIMEN, times, eta)
    return [tdm.Level(t, float(c)) for t, c in zip(times, measured, strict=True)]


def test_with_no_level_the_fit_is_the_population() -> None:
    found = tdm.fit(MODEL, REGIMEN, [], RESIDUAL)
    assert np.allclose(found.eta, 0.0)
    expected = np.diag(tdm.omegas(MODEL) ** 2)
    assert np.allclose(found.covariance, expected, rtol=0.02, atol=1e-4)
    assert found.cl == pytest.approx(found.typical_cl)


def test_the_optimum_is_the_grid_searchs_optimum() -> None:
    levels = _levels(np.array([0.5, -0.3]), [TROUGH_DAY_4, 100.0])
    found = tdm.fit(MODEL, REGIMEN, levels, RESIDUAL)
    grid = np.linspace(-1.5, 1.5, 121)  # steps of 0.025
    a, b = np.meshgrid(grid, grid, indexing="ij")
    values = tdm._ofv_many(
        np.vstack([a.ravel(), b.ravel()]), MODEL, REGIMEN, levels, RESIDUAL
    )
    best = np.array([a.ravel()[values.argmin()], b.ravel()[values.argmin()]])
    assert np.all(np.abs(found.eta - best) <= 0.05)
    assert tdm.objective(found.eta, MODEL, REGIMEN, levels, RESIDUAL) <= values.min()


def test_a_high_level_means_a_lower_clearance_and_a_low_one_a_higher() -> None:
    typical = tdm.predict(MODEL, REGIMEN, [TROUGH_DAY_4], np.zeros(2))[0]
    high = tdm.fit(MODEL, REGIMEN, [tdm.Level(TROUGH_DAY_4, 2 * typical)], RESIDUAL)
    low = tdm.fit(MODEL, REGIMEN, [tdm.Level(TROUGH_DAY_4, typical / 2)], RESIDUAL)
    assert high.cl < high.typical_cl < low.cl


def test_levels_at_different_times_narrow_the_estimate() -> None:
    truth = np.array([0.4, 0.2])
    one = tdm.fit(MODEL, REGIMEN, _levels(truth, [TROUGH_DAY_4]), RESIDUAL)
    two = tdm.fit(MODEL, REGIMEN, _levels(truth, [TROUGH_DAY_4, 98.0]), RESIDUAL)
    prior = tdm.omegas(MODEL)[0]
    assert two.cl_sd_log < one.cl_sd_log < prior
    low, high = two.cl_interval()
    assert low < two.cl < high


def test_one_trough_is_not_a_verdict() -> None:
    # With the model's 25.9 % residual error, one trough that says "clearance
    # is 65 % above typical" moves the estimate only part of the way there.
    truth = np.array([0.5, 0.0])
    found = tdm.fit(MODEL, REGIMEN, _levels(truth, [TROUGH_DAY_4]), RESIDUAL)
    assert 0 < found.eta[0] < truth[0]


@pytest.mark.parametrize(
    ("time_h", "conc"), [(0.0, 5.0), (-1.0, 5.0), (12.0, 0.0), (12.0, math.nan)]
)
def test_a_level_must_be_after_the_first_dose_and_positive(
    time_h: float, conc: float
) -> None:
    with pytest.raises(ValueError, match="level"):
        tdm.Level(time_h, conc)


def test_the_residual_error_must_be_positive() -> None:
    with pytest.raises(ValueError, match="residual"):
        tdm.sigma(0.0)


@pytest.mark.parametrize("interval", [12.0, 24.0])
def test_the_closed_form_sum_equals_the_step_simulation(interval: float) -> None:
    regimen = Regimen(weight_kg=33, dose_mg_per_kg=0.07, interval_h=interval, days=6)
    etas = np.array([[0.0, 0.6, -0.8], [0.0, -1.2, 0.9]])
    times = [0.25, 2.0, 12.0, 47.75, 48.0, 50.5, 143.75]
    typical = tdm.typical_parameters(MODEL, regimen)
    cl = typical.cl[0] * np.exp(etas[0])
    v = typical.v[0] * np.exp(etas[1])
    closed = tdm._closed_form(regimen, typical.ka[0], cl, v, np.array(times))
    stepped = tdm._simulated(regimen, typical.ka[0], cl, v, times)
    assert np.allclose(closed, stepped, rtol=1e-9, atol=1e-12)


def test_a_level_at_a_dose_time_is_the_trough_before_it() -> None:
    before, at = tdm.predict(
        MODEL, REGIMEN, [TROUGH_DAY_4 - 1e-6, TROUGH_DAY_4], np.zeros(2)
    )
    assert at == pytest.approx(before, rel=1e-5)


def test_noiseless_levels_give_back_the_true_clearance_within_2_percent() -> None:
    rng = np.random.default_rng(3)
    times = [2.0, 6.0, 48.0, TROUGH_DAY_4]  # two early levels inform the volume
    for _ in range(10):
        truth = rng.normal(0.0, 1.0, 2) * tdm.omegas(MODEL)
        found = tdm.fit(MODEL, REGIMEN, _levels(truth, times), residual_cv=0.001)
        true_cl = found.typical_cl * math.exp(truth[0])
        assert found.cl == pytest.approx(true_cl, rel=0.02)


def test_posterior_draws_centre_on_the_fit_and_prior_draws_on_zero() -> None:
    found = tdm.fit(
        MODEL, REGIMEN, _levels(np.array([0.5, 0.1]), [TROUGH_DAY_4]), RESIDUAL
    )
    posterior = tdm.draws(found, MODEL, 4000, seed=1)
    prior = tdm.draws(None, MODEL, 4000, seed=1)
    assert np.allclose(posterior.mean(axis=1), found.eta, atol=0.03)
    assert np.allclose(prior.std(axis=1), tdm.omegas(MODEL), rtol=0.05)
    assert np.array_equal(
        tdm.draws(found, MODEL, 10, seed=2), tdm.draws(found, MODEL, 10, seed=2)
    )


def test_no_direction_of_the_posterior_is_wider_than_the_population() -> None:
    flat = np.array([[1e-6, 0.0], [0.0, -3.0]])  # flat and negative curvature
    covariance = 2.0 * np.linalg.inv(tdm._positive(flat, MODEL))
    assert np.all(
        np.linalg.eigvalsh(covariance) <= np.max(tdm.omegas(MODEL)) ** 2 + 1e-12
    )
    assert np.allclose(covariance, covariance.T)


def test_the_proposal_is_linear_in_dose_and_rounded_to_the_step() -> None:
    found = tdm.fit(
        MODEL, REGIMEN, _levels(np.array([0.3, 0.0]), [TROUGH_DAY_4]), RESIDUAL
    )
    proposal = tdm.propose(MODEL, REGIMEN, found, 6.0, step_mg=0.5)
    assert proposal.exact_mg == pytest.approx(
        REGIMEN.dose_mg * 6.0 / proposal.current_trough
    )
    assert proposal.dose_mg % 0.5 == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(ValueError, match="positive"):
        tdm.propose(MODEL, REGIMEN, found, 0.0, step_mg=0.5)


def test_auc_is_dose_over_clearance() -> None:
    assert tdm.auc_interval(2.0, 10.0) == pytest.approx(200.0)  # 2 mg / 10 L/h
