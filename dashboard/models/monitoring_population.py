"""The trough simulator's population view: 1,000 simulated patients and the band.

How many of the simulated patients end inside the target trough band (and
below and above it), and the percentile ribbons the chart draws. Pure: never
imports streamlit. A teaching model, not for dosing patients: between-patient
variability only, with the CVs of the population model
(:mod:`dashboard.core.pk`); concentrations in ng/mL, times in hours.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from dashboard.core import pk
from dashboard.models.monitoring_simulator import Band, position

__all__ = [
    "Population",
    "Shares",
    "band_shares",
    "population",
    "position",
    "shares_sentence",
]


@dataclasses.dataclass(frozen=True)
class Population:
    """``n`` simulated patients on one regimen (between-patient variability only).

    ``times_h`` (hours) and ``bands`` (the 5th, 25th, 50th, 75th and 95th
    percentiles at each time, ng/mL) draw the ribbons; ``last_troughs`` holds
    each patient's trough just before the last dose (ng/mL), on
    ``last_dose_day``.
    """

    n: int
    times_h: np.ndarray
    bands: np.ndarray
    last_troughs: np.ndarray
    last_dose_day: float


def population(
    model: pk.PopulationModel,
    regimen: pk.Regimen,
    n: int,
    *,
    seed: int = 2024,
    step_h: float = 0.5,
) -> Population:
    """Simulate ``n`` patients from ``model`` on ``regimen`` (with its drug, if any).

    The same seed draws the same patients, so the view with and without a
    drug compares the same 1,000 children.
    """
    params = pk.sampled_parameters(model, regimen, n, seed=seed)
    sim = pk.simulate(regimen, params, step_h=step_h)
    last = float(sim.dose_times_h[-1])
    index = int(np.searchsorted(sim.times_h, last))
    return Population(
        n, sim.times_h, pk.percentiles(sim), sim.conc[:, index], last / 24
    )


@dataclasses.dataclass(frozen=True)
class Shares:
    """Whole percentages of patients below, within and above a band (sum 100)."""

    below: int
    within: int
    above: int


def band_shares(troughs: np.ndarray, band: Band) -> Shares:
    """How many of ``troughs`` (ng/mL) lie below, within and above ``band``, in %.

    Within means low ≤ trough ≤ high, as :func:`position` says. Rounded by the
    largest remainder, so the three always add up to 100.
    """
    values = np.asarray(troughs, dtype=float)
    if values.size == 0:
        raise ValueError("no troughs to count")
    low, high, _ = band
    counts = np.array(
        [
            (values < low).sum(),
            ((values >= low) & (values <= high)).sum(),
            (values > high).sum(),
        ]
    )
    exact = 100 * counts / values.size
    whole = np.floor(exact).astype(int)
    for i in np.argsort(-(exact - whole), kind="stable")[: 100 - whole.sum()]:
        whole[i] += 1
    return Shares(*(int(w) for w in whole))


def shares_sentence(population: Population, band: Band) -> str:
    """The % of simulated patients whose last trough is in, below and above ``band``."""
    shares = band_shares(population.last_troughs, band)
    return (
        f"Of **{population.n:,} simulated patients** on this dose, "
        f"**{shares.within}%** have a trough inside the {band[0]:g}-{band[1]:g} "
        "ng/mL band just before "
        f"the last dose (day {population.last_dose_day:g}); **{shares.below}%** are "
        f"below it and **{shares.above}%** above it. Teaching model, not clinical "
        "advice."
    )
