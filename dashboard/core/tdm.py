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

with :func:`scipy.optimize.minimize` (BFGS; L-BFGS-B with each η within ±6
if BFGS strays past that). Its uncertainty is the Laplace
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
    NO_INTERACTION,
    Parameters,
    PopulationModel,
    Regimen,
    simulate,
    steady_state_trough,
    typical_parameters,
)

#: The simulator's time step, h: levels are predicted at the nearest step.
STEP_H = 0.25
#: The fit's bound on each η (e^6 ≈ 400 times the typical value).
ETA_LIMIT = 6.0
#: Step of the OFV's central-difference gradient, and the four points around η.
_H = 1e-5
_GRADIENT_STEPS = np.array([[0.0, _H, -_H, 0.0, 0.0], [0.0, 0.0, 0.0, _H, -_H]])


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
    result has shape (len(times_h),) or (n, len(times_h)). A level at a dose
    time is the pre-dose trough (the dose at that moment is not yet in it),
    as in :func:`dashboard.core.pk.simulate`. Without an interacting drug the
    sum over doses is in closed form (:func:`_closed_form`); with one, the
    factors change over time and the course is simulated.
    """
    # A stray optimiser step can ask for η far outside any patient; clipped,
    # the levels stay finite and the OFV says how far off the step is.
    eta = np.clip(np.asarray(eta, dtype=float), -30.0, 30.0)
    typical = typical_parameters(model, regimen)
    cl = typical.cl[0] * np.exp(np.atleast_1d(eta[0]))
    v = typical.v[0] * np.exp(np.atleast_1d(eta[1]))
    if regimen.interaction is NO_INTERACTION and np.all(
        np.abs(typical.ka[0] - cl / v) > 1e-6
    ):
        found = _closed_form(regimen, typical.ka[0], cl, v, np.asarray(times_h))
    else:
        found = _simulated(regimen, typical.ka[0], cl, v, times_h)
    return found[0] if eta.ndim == 1 else found


def _closed_form(
    regimen: Regimen, ka: float, cl: np.ndarray, v: np.ndarray, times: np.ndarray
) -> np.ndarray:
    """Σ over the doses before each time of the one-dose curve, summed exactly.

    For ``m`` doses every ``τ`` hours before time ``t`` (the last at
    ``t_m = (m − 1)τ``)::

        C(t) = 1000 · D·ka / (V·(ka − k)) · (S(k) − S(ka)),
        S(r) = e^(−r·(t − t_m)) · (1 − e^(−r·m·τ)) / (1 − e^(−r·τ))

    the geometric sum of ``e^(−r·(t − iτ))``, written so no term overflows.
    Doses stop at the end of ``regimen.days``, as in the simulation.
    """
    tau = regimen.interval_h
    last_dose = max(0, math.ceil(regimen.days * 24 / tau - 1e-9) - 1)
    given = np.minimum(np.ceil(times / tau - 1e-9), last_dose + 1)  # doses before t
    given = np.maximum(given, 0)
    since_last = times - (given - 1) * tau
    k = (cl / v)[:, None]
    m = given[None, :]

    def sums(rate: np.ndarray | float) -> np.ndarray:
        rate = np.broadcast_to(rate, k.shape)
        return (
            np.exp(-rate * since_last[None, :])
            * -np.expm1(-rate * m * tau)
            / -np.expm1(-rate * tau)
        )

    scale = regimen.dose_mg * ka / (v[:, None] * (ka - k))
    conc = 1000.0 * scale * (sums(k) - sums(ka))
    return np.where(m > 0, conc, 0.0)


def _simulated(
    regimen: Regimen,
    ka: float,
    cl: np.ndarray,
    v: np.ndarray,
    times_h: Sequence[float],
) -> np.ndarray:
    """The same levels from :func:`dashboard.core.pk.simulate` (any regimen)."""
    # Simulate only as far as the last level (whole days, within the regimen).
    last_day = math.ceil(max(times_h, default=0.0) / 24 + 1e-9)
    regimen = replace(regimen, days=max(1, min(regimen.days, last_day)))
    course = simulate(regimen, Parameters(ka=np.array([ka]), v=v, cl=cl), step_h=STEP_H)
    index = np.rint(np.asarray(times_h) / STEP_H).astype(int)
    index = np.clip(index, 0, course.times_h.size - 1)
    return course.conc[:, index]


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


def _positive(hessian: np.ndarray, model: PopulationModel) -> np.ndarray:
    """The Hessian made symmetric, with every curvature at least the prior's.

    A numerical Hessian can come out slightly asymmetric, or flat or negative
    along a direction the levels do not inform (volume, from troughs alone).
    The prior alone curves the OFV by ``2/ω²``; no direction may be flatter
    than the flattest prior direction, so the posterior is never wider than
    the population.
    """
    symmetric = (hessian + hessian.T) / 2
    values, vectors = np.linalg.eigh(symmetric)
    floor = 2.0 / float(np.max(omegas(model))) ** 2
    return (vectors * np.maximum(values, floor)) @ vectors.T


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
    typical = typical_parameters(model, regimen)
    if not levels:  # the posterior is the prior itself
        return Fit(
            eta=np.zeros(2),
            covariance=np.diag(omegas(model) ** 2),
            cl=float(typical.cl[0]),
            v=float(typical.v[0]),
            typical_cl=float(typical.cl[0]),
            typical_v=float(typical.v[0]),
        )

    def ofv_and_gradient(eta: np.ndarray) -> tuple[float, np.ndarray]:
        # The OFV and its central-difference gradient from one vectorised
        # evaluation of five points (one closed-form sum for all of them).
        points = eta[:, None] + _GRADIENT_STEPS
        values = _ofv_many(points, model, regimen, levels, residual_cv)
        gradient = (values[1::2] - values[2::2]) / (2 * _H)
        return float(values[0]), gradient

    best = optimize.minimize(ofv_and_gradient, x0=np.zeros(2), jac=True, method="BFGS")
    eta = np.asarray(best.x, dtype=float)
    if not (np.all(np.isfinite(eta)) and np.all(np.abs(eta) <= ETA_LIMIT)):
        # A wild first step (a very small residual error): bounded at η = ±6,
        # far outside the population, which keeps every step finite.
        best = optimize.minimize(
            ofv_and_gradient,
            x0=np.zeros(2),
            jac=True,
            method="L-BFGS-B",
            bounds=[(-ETA_LIMIT, ETA_LIMIT)] * 2,
        )
        eta = np.asarray(best.x, dtype=float)

    def ofv_columns(points: np.ndarray) -> np.ndarray:
        # scipy.differentiate asks for many points at once, shape (2, ...):
        # one simulation of all of them (pk.simulate takes arrays of patients).
        flat = points.reshape(2, -1)
        return _ofv_many(flat, model, regimen, levels, residual_cv).reshape(
            points.shape[1:]
        )

    hessian = differentiate.hessian(
        ofv_columns, eta, initial_step=0.05, order=4, maxiter=4
    ).ddf
    covariance = 2.0 * np.linalg.inv(_positive(hessian, model))
    return Fit(
        eta=eta,
        covariance=covariance,
        cl=float(typical.cl[0] * math.exp(eta[0])),
        v=float(typical.v[0] * math.exp(eta[1])),
        typical_cl=float(typical.cl[0]),
        typical_v=float(typical.v[0]),
    )


def draws(fit: Fit | None, model: PopulationModel, n: int, *, seed: int) -> np.ndarray:
    """``n`` draws of η (shape (2, n)): the posterior of ``fit``, or the prior.

    The posterior is the Laplace approximation, a normal distribution around
    the mode with the fit's covariance; without a fit the draws are the
    population's own spread (η ~ N(0, diag(ω²))). Seeded, so a page shows the
    same band on every rerun.
    """
    rng = np.random.default_rng(seed)
    if fit is None:
        return rng.normal(0.0, 1.0, (2, n)) * omegas(model)[:, None]
    return rng.multivariate_normal(fit.eta, fit.covariance, n).T


def band(
    model: PopulationModel,
    regimen: Regimen,
    times_h: np.ndarray,
    etas: np.ndarray,
    percentiles: tuple[float, float, float] = (5, 50, 95),
) -> np.ndarray:
    """Percentiles over ``etas`` of the level at each time: shape (3, times)."""
    return np.percentile(predict(model, regimen, times_h, etas), percentiles, axis=0)


def auc_interval(dose_mg: float, cl: float) -> float:
    """Steady-state AUC over one dosing interval, ng·h/mL: ``F·D / CL × 1000``.

    ``cl`` is the apparent clearance CL/F (L/h), so F is already in it; mg per
    L/h is mg·h/L, and × 1000 gives ng·h/mL.
    """
    return dose_mg / cl * 1000.0


@dataclass(frozen=True)
class Proposal:
    """A dose that brings the fitted patient's steady-state trough to a target.

    A teaching estimate, not a dose. Doses in mg per administration; troughs
    in ng/mL (the fit's median and its 5th-95th percentile); AUC in ng·h/mL.
    """

    exact_mg: float
    dose_mg: float
    trough: float
    trough_low: float
    trough_high: float
    auc: float
    current_trough: float


def steady_troughs(
    model: PopulationModel, regimen: Regimen, etas: np.ndarray, dose_mg: float
) -> np.ndarray:
    """Steady-state troughs (ng/mL) of patients ``etas`` on ``dose_mg`` per dose.

    An interacting drug in ``regimen`` counts at its full effect (the level it
    settles at); its onset is over by then.
    """
    typical = typical_parameters(model, regimen)
    drug = regimen.interaction
    cl_factor = drug.clearance_factor(regimen.expresser)
    params = Parameters(
        ka=typical.ka,
        v=typical.v[0] * np.exp(np.atleast_1d(etas[1])),
        cl=typical.cl[0] * np.exp(np.atleast_1d(etas[0])) * cl_factor,
    )
    per_kg = dose_mg * drug.f_factor / regimen.weight_kg
    return steady_state_trough(replace(regimen, dose_mg_per_kg=per_kg), params)


def propose(
    model: PopulationModel,
    regimen: Regimen,
    found: Fit,
    target: float,
    *,
    step_mg: float,
    draws_n: int = 400,
) -> Proposal:
    """The dose (rounded to ``step_mg``, at least one step) for a ``target`` trough.

    The model is linear in dose, so the exact dose is the current dose times
    target / the fitted steady-state trough; it is then rounded to the nearest
    step the capsules allow. The trough interval comes from posterior draws.
    """
    if not (target > 0 and step_mg > 0):
        raise ValueError("the target and the capsule step must be positive")
    mode = found.eta[:, None]
    current = float(steady_troughs(model, regimen, mode, regimen.dose_mg)[0])
    exact = regimen.dose_mg * target / current
    dose = max(step_mg, round(exact / step_mg) * step_mg)
    trough = float(steady_troughs(model, regimen, mode, dose)[0])
    spread = steady_troughs(model, regimen, draws(found, model, draws_n, seed=7), dose)
    low, high = np.percentile(spread, [5, 95])
    drug = regimen.interaction
    cl_now = found.cl * drug.clearance_factor(regimen.expresser) / drug.f_factor
    return Proposal(
        exact_mg=exact,
        dose_mg=dose,
        trough=trough,
        trough_low=float(low),
        trough_high=float(high),
        auc=auc_interval(dose, cl_now),
        current_trough=current,
    )
