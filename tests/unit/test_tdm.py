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
