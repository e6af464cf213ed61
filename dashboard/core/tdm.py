"""Fit one patient's measured levels: maximum a posteriori (Bayesian) estimation.

A teaching model, not for dosing patients. It is the step therapeutic drug
monitoring tools take after a population model's first guess: use the levels
measured in *this* patient to estimate *their* clearance and volume.

Model
-----
The trough simulator's one-compartment model (:mod:`dashboard.core.pk`,
population model M1, children with nephrotic syndrome), with each patient's
apparent clearance and volume as the typical value times ``exp(η)``::

    CL/F_i = CL/F_typical · e^(η_CL),   η_CL ~ N(0, ω_CL²)
    V/F_i  = V/F_typical  · e^(η_V),    η_V  ~ N(0, ω_V²)
    ω = sqrt(ln(1 + CV²))            (CV 43.8 % and 99.4 %, as the simulator)

``ka`` stays at its typical value: levels drawn near the trough carry almost
no information about absorption, and leaving it free would let the fit trade
it against volume. Measured whole-blood levels follow the model with the
model's exponential residual error (CV 25.9 %, ``σ = sqrt(ln(1 + CV²))``),
which lumps assay error and day-to-day variation within a patient::

    ln C_measured = ln C_predicted(η) + ε,   ε ~ N(0, σ²)

Estimation
----------
The fit minimises the objective (−2 × the log posterior, up to a constant)::

    OFV(η) = Σ_j (ln C_j − ln Ĉ_j(η))² / σ²  +  η_CL²/ω_CL²  +  η_V²/ω_V²

with :func:`scipy.optimize.minimize` (BFGS). Its uncertainty is the Laplace
approximation: the posterior covariance of η is ``2 · H⁻¹``, ``H`` the
Hessian of the OFV at its minimum, from :func:`scipy.differentiate.hessian`.
With no level the estimate is the population's typical patient and the
uncertainty is the population's own spread; each level narrows it.

Units: time in hours from the first dose, concentration in ng/mL.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import differentiate, optimize

from dashboard.core.pk import (
    Parameters,
    PopulationModel,
    Regimen,
    simulate,
    typical_parameters,
)

#: The simulator's time step, h: levels are predicted at the nearest step.
STEP_H = 0.25


@dataclass(frozen=True)
class Level:
    """One measured whole-blood level.

    Parameters
    ----------
    time_h
        When the blood was drawn, hours after the first dose (> 0).
    conc
        The level, ng/mL (> 0).
    """

    time_h: float
    conc: float

    def __post_init__(self) -> None:
        if not (self.time_h > 0 and math.isfinite(self.time_h)):
            raise ValueError("a level's time must be after the first dose")
        if not (self.conc > 0 and math.isfinite(self.conc)):
            raise ValueError("a level must be a positive concentration")


@dataclass(frozen=True)
class Fit:
    """The MAP estimate and its uncertainty.

    Attributes
    ----------
    eta
        (η_CL, η_V) at the posterior mode.
    covariance
        2×2 posterior covariance of η (Laplace approximation).
    cl, v
        The patient's apparent clearance (L/h) and volume (L) at the mode.
    typical_cl, typical_v
        The population's typical values for this patient's weight and genotype.
    """

    eta: np.ndarray
    covariance: np.ndarray
    cl: float
    v: float
    typical_cl: float
    typical_v: float

    @property
    def cl_sd_log(self) -> float:
        """Posterior SD of ln CL/F (≈ its coefficient of variation when small)."""
        return float(math.sqrt(self.covariance[0, 0]))

    def cl_interval(self, z: float = 1.96) -> tuple[float, float]:
        """An approximate 95 % interval of CL/F (L/h), from the log scale."""
        half = z * self.cl_sd_log
        return self.cl * math.exp(-half), self.cl * math.exp(half)


def omegas(model: PopulationModel) -> np.ndarray:
    """(ω_CL, ω_V): SDs of η from the model's CVs."""
    return np.sqrt(np.log1p(np.array([model.cv_cl, model.cv_v]) ** 2))


def sigma(residual_cv: float) -> float:
    """The SD of the exponential residual error from its CV (0.259 for 25.9 %)."""
    if not residual_cv > 0:
        raise ValueError("the residual error must be positive")
    return math.sqrt(math.log1p(residual_cv**2))


def predict(
    model: PopulationModel,
    regimen: Regimen,
    times_h: Sequence[float],
    eta: np.ndarray,
) -> np.ndarray:
    """Predicted levels (ng/mL) at ``times_h`` for patients with ``eta``.

    ``eta`` has shape (2,) for one patient or (2, n) for n at once; the
    result has shape (len(times_h),) or (n, len(times_h)).
    """
    typical = typical_parameters(model, regimen)
    eta = np.asarray(eta, dtype=float)
    eta_cl, eta_v = eta[0], eta[1]
    # Simulate only as far as the last level (whole days, within the regimen).
    last_day = math.ceil(max(times_h, default=0.0) / 24 + 1e-9)
    regimen = replace(regimen, days=max(1, min(regimen.days, last_day)))
    params = Parameters(
        ka=typical.ka,
        v=typical.v * np.exp(np.atleast_1d(eta_v)),
        cl=typical.cl * np.exp(np.atleast_1d(eta_cl)),
    )
    course = simulate(regimen, params, step_h=STEP_H)
    index = np.rint(np.asarray(times_h) / STEP_H).astype(int)
    index = np.clip(index, 0, course.times_h.size - 1)
    found = course.conc[:, index]
    return found[0] if eta.ndim == 1 else found


def objective(
    eta: np.ndarray,
    model: PopulationModel,
    regimen: Regimen,
    levels: Sequence[Level],
    residual_cv: float,
) -> float:
    """OFV(η): −2 × log posterior, up to a constant (see the module docstring)."""
    prior = float(np.sum((np.asarray(eta) / omegas(model)) ** 2))
    if not levels:
        return prior
    predicted = predict(model, regimen, [lv.time_h for lv in levels], eta)
    measured = np.array([lv.conc for lv in levels])
    residual = np.log(measured) - np.log(np.maximum(predicted, 1e-9))
    return prior + float(np.sum((residual / sigma(residual_cv)) ** 2))


def _ofv_many(
    etas: np.ndarray,
    model: PopulationModel,
    regimen: Regimen,
    levels: Sequence[Level],
    residual_cv: float,
) -> np.ndarray:
    """:func:`objective` for the columns of ``etas`` (shape (2, n)) at once."""
    prior = np.sum((etas / omegas(model)[:, None]) ** 2, axis=0)
    if not levels:
        return prior
    predicted = predict(model, regimen, [lv.time_h for lv in levels], etas)
    measured = np.array([lv.conc for lv in levels])
    residual = np.log(measured)[None, :] - np.log(np.maximum(predicted, 1e-9))
    return prior + np.sum((residual / sigma(residual_cv)) ** 2, axis=1)


def fit(
    model: PopulationModel,
    regimen: Regimen,
    levels: Sequence[Level],
    residual_cv: float,
) -> Fit:
    """The patient's MAP clearance and volume from ``levels``, with uncertainty.

    Levels drawn after the end of ``regimen.days`` are read at its last step;
    make the regimen long enough to hold them.
    """

    def ofv(eta: np.ndarray) -> float:
        return objective(eta, model, regimen, levels, residual_cv)

    best = optimize.minimize(ofv, x0=np.zeros(2), method="BFGS")
    eta = np.asarray(best.x, dtype=float)

    def ofv_columns(points: np.ndarray) -> np.ndarray:
        # scipy.differentiate asks for many points at once, shape (2, ...):
        # one simulation of all of them (pk.simulate takes arrays of patients).
        flat = points.reshape(2, -1)
        return _ofv_many(flat, model, regimen, levels, residual_cv).reshape(
            points.shape[1:]
        )

    hessian = differentiate.hessian(ofv_columns, eta, initial_step=0.05).ddf
    covariance = 2.0 * np.linalg.inv(hessian)
    typical = typical_parameters(model, regimen)
    return Fit(
        eta=eta,
        covariance=covariance,
        cl=float(typical.cl[0] * math.exp(eta[0])),
        v=float(typical.v[0] * math.exp(eta[1])),
        typical_cl=float(typical.cl[0]),
        typical_v=float(typical.v[0]),
    )
