"""Tacrolimus trough simulator: a teaching model, not for dosing patients.

Model
-----
One compartment with first-order absorption and first-order elimination, on
*apparent* oral parameters and whole-blood concentrations (population model M1:
children with nephrotic syndrome, Br J Clin Pharmacol 2018;84:1748-1756,
PMID 29637588)::

    ka   = 5.21 /h
    V/F  = 411 L × (WT/70)
    CL/F = 30.9 L/h × (WT/70)^0.75 × 1.60 if CYP3A5 expresser (*1 carrier)

Between events the amounts in the gut ``G`` and the body ``A`` follow the exact
solution of ``dG/dt = −ka·G``, ``dA/dt = ka·G − k·A`` with ``k = CL/V``::

    G(t+h) = G·e^(−ka·h)
    A(t+h) = A·e^(−k·h) + G·ka/(ka−k)·(e^(−k·h) − e^(−ka·h))

so results are exact at every grid point (no integration error) and clearance
or bioavailability may change mid-course (an interacting drug started on day
5). A dose ``D`` (mg) adds ``F_rel·D`` to ``G``; ``F_rel`` is 1 without an
interacting drug. Concentration ``C = A/V`` in mg/L × 1000 = ng/mL.

Interacting drugs
-----------------
An interaction multiplies CL/F by ``cl_factor`` (or by ``cl_factor_expresser``
for CYP3A5 expressers, when the source gives a separate value) and the
bioavailability of each dose by ``f_factor``. Its effect does not have to start
at once: with ``onset_days > 0`` both multipliers move *linearly* from 1 to
their full value over ``onset_days`` after the start day::

    fraction(t) = min(1, (t − start) / onset)      (0 before the start)
    factor(t)   = 1 + (full − 1) · fraction(t)

The factor is held constant within each grid step (taken at the start of the
step), so the exact step solution above still applies. The linear ramp is an
assumption of this teaching model: enzyme induction (rifampicin, St John's
wort) builds up over days to weeks as new enzyme is made, and the sources give
only the time to the full effect, not its shape. Inhibitors without a sourced
onset act from the start day. Stopping a drug (and the equally slow wearing
off of induction) is not simulated.

Variability
-----------
Between-subject variability is log-normal with the model's reported CVs (CL/F
43.8 %, V/F 99.4 %, ka 79.1 %), ``ω = sqrt(ln(1 + CV²))``. The model's residual
error (25.9 %) is left out. In tacrolimus population models it lumps together
assay error and the *within-patient*, occasion-to-occasion variation (food,
dose timing, missed doses, diarrhoea, interacting drugs), so leaving it out
means the simulator shows each patient's curve as perfectly repeatable, which
real patients are not.

Half-life
---------
``k = CL/V`` here is the *model-apparent* elimination rate of a one-compartment
model fitted to sparse troughs. ``ln 2 / k`` is not the terminal half-life of
tacrolimus, which product labels put at well over half a day; the time to
steady state in patients is correspondingly longer than the model suggests.

Units: time in hours, dose in mg, volume in L, clearance in L/h, concentration
in ng/mL, weight in kg.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np


@dataclass(frozen=True)
class PopulationModel:
    """Typical values and variability of the population model (70 kg reference)."""

    ka: float = 5.21
    v_per_70kg: float = 411.0
    cl_per_70kg: float = 30.9
    cl_weight_exponent: float = 0.75
    cyp3a5_expresser_factor: float = 1.60
    cv_cl: float = 0.438
    cv_v: float = 0.994
    cv_ka: float = 0.791


@dataclass(frozen=True)
class Interaction:
    """An interacting drug as multipliers on clearance and on bioavailability.

    Parameters
    ----------
    name
        As shown to students: a short name, optionally followed by `` (detail)``.
    cl_factor
        Full multiplier on CL/F (CYP3A5 non-expressers, or everyone).
    f_factor
        Full multiplier on the bioavailability of each dose.
    cl_factor_expresser
        Multiplier on CL/F for CYP3A5 expressers, if the source gives one.
    onset_days
        Days over which both multipliers ramp linearly to full size (0: at once).
    """

    name: str
    cl_factor: float = 1.0
    f_factor: float = 1.0
    cl_factor_expresser: float | None = None
    onset_days: float = 0.0

    @property
    def short_name(self) -> str:
        """The name without its detail in brackets, in lower case."""
        return self.name.split(" (")[0].lower()

    def clearance_factor(self, expresser: bool) -> float:
        """The full multiplier on CL/F for this genotype."""
        if expresser and self.cl_factor_expresser is not None:
            return self.cl_factor_expresser
        return self.cl_factor

    def fraction(self, days_since_start: float) -> float:
        """Share of the full effect present ``days_since_start`` after the start."""
        if days_since_start < 0:
            return 0.0
        if self.onset_days <= 0:
            return 1.0
        return min(1.0, days_since_start / self.onset_days)


NO_INTERACTION = Interaction("none")


@dataclass(frozen=True)
class Regimen:
    """What the student sets.

    Parameters
    ----------
    weight_kg
        Body weight, kg (2-150).
    dose_mg_per_kg
        Dose per administration, mg/kg (0-0.5).
    interval_h
        Dosing interval, hours (8, 12 or 24).
    expresser
        CYP3A5 expresser (*1/*1 or *1/*3) rather than *3/*3.
    days
        Length of the simulation, days (1-60).
    interaction
        Interacting drug, started at ``interaction_start_day`` (day 0 = from the start).
    """

    weight_kg: float = 20.0
    dose_mg_per_kg: float = 0.05
    interval_h: float = 12.0
    expresser: bool = False
    days: int = 14
    interaction: Interaction = NO_INTERACTION
    interaction_start_day: float = 0.0

    @property
    def dose_mg(self) -> float:
        """Dose per administration, mg."""
        return self.dose_mg_per_kg * self.weight_kg


class RegimenError(ValueError):
    """An input outside the model's range; the message is for the student."""


LIMITS = {
    "weight_kg": (2.0, 150.0),
    "dose_mg_per_kg": (0.0, 0.5),
    "interval_h": (6.0, 48.0),
    "days": (1, 60),
    "interaction_start_day": (0.0, 60.0),
}


def check_regimen(regimen: Regimen) -> None:
    """Raise :class:`RegimenError` naming every input outside the model's range."""
    problems = []
    for name, (low, high) in LIMITS.items():
        value = getattr(regimen, name)
        if (
            not isinstance(value, int | float)
            or math.isnan(value)
            or not low <= value <= high
        ):
            problems.append(
                f"{name.replace('_', ' ')} must be between {low:g} and {high:g}"
            )
    drug = regimen.interaction
    factors = (drug.cl_factor, drug.f_factor, drug.clearance_factor(True))
    if any(not factor > 0 for factor in factors):
        problems.append("interaction factors must be positive")
    if not drug.onset_days >= 0:
        problems.append("interaction onset must be 0 days or more")
    if problems:
        raise RegimenError("; ".join(problems) + ".")


@dataclass(frozen=True)
class Parameters:
    """Individual parameters (arrays over patients, or scalars)."""

    ka: np.ndarray
    v: np.ndarray
    cl: np.ndarray


def typical_parameters(model: PopulationModel, regimen: Regimen) -> Parameters:
    """The typical patient's ka (1/h), V/F (L) and CL/F (L/h) for the inputs."""
    scale = regimen.weight_kg / 70
    cl = model.cl_per_70kg * scale**model.cl_weight_exponent
    if regimen.expresser:
        cl *= model.cyp3a5_expresser_factor
    return Parameters(
        ka=np.array([model.ka]),
        v=np.array([model.v_per_70kg * scale]),
        cl=np.array([cl]),
    )


def sampled_parameters(
    model: PopulationModel, regimen: Regimen, n: int, *, seed: int = 2024
) -> Parameters:
    """``n`` patients drawn with log-normal between-subject variability."""
    typical = typical_parameters(model, regimen)
    rng = np.random.default_rng(seed)

    def draw(value: np.ndarray, cv: float) -> np.ndarray:
        omega = math.sqrt(math.log(1 + cv**2))
        return value * np.exp(rng.normal(0.0, omega, n))

    return Parameters(
        ka=draw(typical.ka, model.cv_ka),
        v=draw(typical.v, model.cv_v),
        cl=draw(typical.cl, model.cv_cl),
    )


@dataclass(frozen=True)
class Simulation:
    """Concentrations on a time grid: ``conc`` has shape (patients, times)."""

    times_h: np.ndarray
    conc: np.ndarray
    dose_times_h: np.ndarray


def interaction_factors(regimen: Regimen, time_h: float) -> tuple[float, float]:
    """Multipliers on (CL/F, F) in force at ``time_h`` (1, 1 without a drug)."""
    drug = regimen.interaction
    if drug is NO_INTERACTION:
        return 1.0, 1.0
    share = drug.fraction(time_h / 24 - regimen.interaction_start_day)
    full_cl = drug.clearance_factor(regimen.expresser)
    return 1 + (full_cl - 1) * share, 1 + (drug.f_factor - 1) * share


def simulate(
    regimen: Regimen,
    params: Parameters,
    *,
    step_h: float = 0.25,
) -> Simulation:
    """Concentration-time curves (ng/mL) for every patient in ``params``.

    Doses fall on grid points (the interval must be a multiple of ``step_h``).
    The interaction starts at the first grid point at or after its start day;
    its multipliers (see :func:`interaction_factors`) are taken at the start
    of each step and held for that step.
    """
    check_regimen(regimen)
    steps_per_dose = round(regimen.interval_h / step_h)
    if not math.isclose(steps_per_dose * step_h, regimen.interval_h):
        raise RegimenError("the dosing interval must be a multiple of the time step")
    n_steps = round(regimen.days * 24 / step_h)
    times = np.arange(n_steps + 1) * step_h
    start_step = math.ceil(regimen.interaction_start_day * 24 / step_h - 1e-9)

    ka, v = params.ka, params.v
    coefficients: dict[float, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def step_coefficients(cl_factor: float):
        if cl_factor not in coefficients:
            k = params.cl * cl_factor / v
            a = np.exp(-ka * step_h)
            b = np.exp(-k * step_h)
            # ka/(ka−k)·(b − a), with the limit h·ka·e^(−k·h) when ka = k.
            gap = ka - k
            safe = np.where(np.abs(gap) < 1e-9, 1.0, gap)
            c = np.where(np.abs(gap) < 1e-9, step_h * ka * b, ka / safe * (b - a))
            coefficients[cl_factor] = (a, b, c)
        return coefficients[cl_factor]

    gut = np.zeros(np.broadcast(ka, v, params.cl).shape)
    body = np.zeros_like(gut)
    # Time-major storage: each step writes one contiguous row.
    amounts = np.empty((n_steps + 1, gut.size))
    amounts[0] = 0.0
    dose_times = []
    for step in range(n_steps):
        if step >= start_step:
            cl_factor, f_rel = interaction_factors(regimen, step * step_h)
        else:
            cl_factor, f_rel = 1.0, 1.0
        if step % steps_per_dose == 0:
            gut += f_rel * regimen.dose_mg
            dose_times.append(step * step_h)
        a, b, c = step_coefficients(cl_factor)
        body *= b
        body += c * gut
        gut *= a
        amounts[step + 1] = body
    conc = (amounts / np.reshape(v, (1, -1))).T * 1000.0
    return Simulation(times_h=times, conc=conc, dose_times_h=np.array(dose_times))


def steady_state_trough(regimen: Regimen, params: Parameters) -> np.ndarray:
    """Closed-form steady-state trough (ng/mL) without an interaction.

    ``C = D·ka/(V·(ka−k)) · (e^(−kτ)/(1−e^(−kτ)) − e^(−ka·τ)/(1−e^(−ka·τ)))``.
    """
    k = params.cl / params.v
    tau = regimen.interval_h
    scale = regimen.dose_mg * params.ka / (params.v * (params.ka - k))
    return (
        1000
        * scale
        * (
            np.exp(-k * tau) / (1 - np.exp(-k * tau))
            - np.exp(-params.ka * tau) / (1 - np.exp(-params.ka * tau))
        )
    )


@dataclass(frozen=True)
class Summary:
    """Numbers the page shows for one curve (ng/mL, hours).

    ``half_life_h`` and ``time_to_90_percent_h`` are *model-apparent*: they
    follow from ``k = CL/V`` of the one-compartment model, not from the
    terminal half-life of tacrolimus (see the module notes).
    """

    trough: float
    peak: float
    half_life_h: float
    time_to_90_percent_h: float


def summarise(
    sim: Simulation, regimen: Regimen, params: Parameters, row: int = 0
) -> Summary:
    """Trough and peak over the last dosing interval; model-apparent half-life.

    The trough is the concentration just before the last dose; the approach
    to steady state is governed by ``k`` (elimination is slower than
    absorption here): 90 % of steady state after ``ln 10 / k`` hours. With an
    interacting drug, ``k`` uses the clearance multiplier in force at the last
    dose (part of it while the effect is still building up).
    """
    last_dose = sim.dose_times_h[-1]
    window = (sim.times_h >= last_dose - regimen.interval_h) & (
        sim.times_h <= last_dose
    )
    conc = sim.conc[row]
    k = float(np.atleast_1d(params.cl)[row] / np.atleast_1d(params.v)[row])
    if regimen.interaction_start_day * 24 < last_dose:
        k *= interaction_factors(regimen, last_dose)[0]
    return Summary(
        trough=float(conc[np.searchsorted(sim.times_h, last_dose)]),
        peak=float(conc[window].max()),
        half_life_h=math.log(2) / k,
        time_to_90_percent_h=math.log(10) / k,
    )


def percentiles(
    sim: Simulation, levels: tuple[int, ...] = (5, 25, 50, 75, 95)
) -> np.ndarray:
    """Concentration percentiles over patients at each time: shape (levels, times)."""
    return np.percentile(sim.conc, levels, axis=0)


def with_interaction(
    regimen: Regimen, interaction: Interaction, start_day: float
) -> Regimen:
    """The same regimen with an interacting drug from ``start_day``."""
    return replace(regimen, interaction=interaction, interaction_start_day=start_day)
