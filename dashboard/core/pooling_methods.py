"""The pieces of a pool: study effects, Mantel-Haenszel, τ² estimators, intervals.

What each function computes, with formulas and sources, is described in
:mod:`dashboard.core.pooling`, which puts these pieces together. Everything is
on the log scale (log risk ratio or log odds ratio, tacrolimus-based arm vs
comparator). Pure: no file access, no streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.meta_analysis import (
    CombineResults,
    combine_effects,
    effectsize_2proportions,
)

from dashboard.core.efficacy import Z_95

#: Ratio measures the pool supports, tacrolimus-based vs comparator.
MEASURES = ("RR", "OR")
#: ``fixed``: fixed effect; ``dl``: DerSimonian-Laird; ``pm``: Paule-Mandel.
METHODS = ("fixed", "dl", "pm")
#: Added to each cell of a study with a zero cell (inverse-variance only).
CONTINUITY = 0.5
_STATISTIC = {"RR": "risk-ratio", "OR": "odds-ratio"}
#: statsmodels' Paule-Mandel stops when ``|Q(τ²) − (k − 1)| < atol``. Its Newton
#: steps approach the root from below; a step that lands a rounding error past
#: it makes statsmodels return τ² = 0, which a tighter ``atol`` invites (seen on
#: the BCG log odds ratios at 1e-10). :func:`combine` retries with a looser one.
_PM_ATOL = (1e-6, 1e-4)

#: Flags a :class:`dashboard.core.pooling.PoolResult` may carry (the page model
#: words them).
SINGLE_STUDY = "single_study"
TWO_STUDIES = "two_studies"
DL_TRUNCATED = "dl_truncated"
MH_UNAVAILABLE = "mh_unavailable"
MH_NOT_ESTIMABLE = "mh_not_estimable"
HKSJ_NEEDS_RANDOM = "hksj_needs_random"
PM_FAILED = "pm_failed"


class UninformativeError(ValueError):
    """A study with no events, or only events, in both arms (no ratio)."""


@dataclass(frozen=True)
class Counts:
    """A two-arm table: events and patients analysed per arm.

    Raises
    ------
    ValueError
        If a total is not positive or events fall outside ``0…total``.
    """

    events_tac: int
    total_tac: int
    events_comparator: int
    total_comparator: int

    def __post_init__(self) -> None:
        for events, total in (
            (self.events_tac, self.total_tac),
            (self.events_comparator, self.total_comparator),
        ):
            if total <= 0 or not 0 <= events <= total:
                raise ValueError(f"need 0 <= events <= total > 0, got {events}/{total}")

    @property
    def cells(self) -> tuple[int, int, int, int]:
        """``a, b, c, d``: events and non-events, tacrolimus arm then comparator."""
        return (
            self.events_tac,
            self.total_tac - self.events_tac,
            self.events_comparator,
            self.total_comparator - self.events_comparator,
        )

    @property
    def zero_cell(self) -> bool:
        """True when any of the four cells is zero (continuity correction)."""
        return 0 in self.cells

    @property
    def uninformative(self) -> bool:
        """No events in both arms, or everyone with the event in both arms."""
        a, b, c, d = self.cells
        return (a == 0 and c == 0) or (b == 0 and d == 0)


@dataclass(frozen=True)
class Study:
    """One study on the log scale: ``log_ratio`` and its sampling ``variance``.

    ``counts`` is set when the effect came from counts (then Mantel-Haenszel is
    possible); ``corrected`` when 0.5 was added to its cells.
    """

    id: str
    log_ratio: float
    variance: float
    counts: Counts | None = None
    corrected: bool = False

    @property
    def estimate(self) -> Estimate:
        """The study's own ratio with its 95 % Wald interval."""
        return Estimate.normal(self.log_ratio, math.sqrt(self.variance))


def study_from_counts(study_id: str, counts: Counts, measure: str) -> Study:
    """A study's log RR or log OR from its counts (see the module notes).

    Raises
    ------
    UninformativeError
        If the study has no events (or only events) in both arms.
    ValueError
        If ``measure`` is not RR or OR.
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    if counts.uninformative:
        raise UninformativeError(f"{study_id}: no ratio when both arms are all or none")
    effect, variance = effectsize_2proportions(
        np.float64(counts.events_tac),
        np.float64(counts.total_tac),
        np.float64(counts.events_comparator),
        np.float64(counts.total_comparator),
        statistic=_STATISTIC[measure],
        # Only for a zero cell: statsmodels adds a float correction to the
        # events of every study it is given, zero cell or not.
        zero_correction=CONTINUITY if counts.zero_cell else None,
    )
    return Study(
        id=study_id,
        log_ratio=float(effect),
        variance=float(variance),
        counts=counts,
        corrected=counts.zero_cell,
    )


def study_from_ratio(study_id: str, ratio: float, low: float, high: float) -> Study:
    """A study from a printed ratio and its 95 % interval.

    ``SE = (ln high − ln low) / (2 × 1.96)``.

    Raises
    ------
    ValueError
        If the ratio or a limit is not positive, or ``low`` is not below ``high``.
    """
    if min(ratio, low, high) <= 0 or not low < high:
        raise ValueError(f"{study_id}: need 0 < low < high and a positive ratio")
    se = (math.log(high) - math.log(low)) / (2 * Z_95)
    return Study(id=study_id, log_ratio=math.log(ratio), variance=se**2)


@dataclass(frozen=True)
class Estimate:
    """A log ratio, its standard error and its 95 % interval (log scale)."""

    log_ratio: float
    se: float
    log_low: float
    log_high: float

    @classmethod
    def normal(cls, log_ratio: float, se: float) -> Estimate:
        """A Wald interval: ``log_ratio ± 1.96 × se``."""
        return cls(log_ratio, se, log_ratio - Z_95 * se, log_ratio + Z_95 * se)

    @classmethod
    def student(cls, log_ratio: float, se: float, df: int) -> Estimate:
        """An interval on ``t`` with ``df`` degrees of freedom (HKSJ)."""
        crit = float(stats.t.isf(0.025, df))
        return cls(log_ratio, se, log_ratio - crit * se, log_ratio + crit * se)

    @property
    def ratio(self) -> float:
        """The ratio (``exp`` of the log ratio)."""
        return math.exp(self.log_ratio)

    @property
    def low(self) -> float:
        """Lower 95 % limit as a ratio."""
        return math.exp(self.log_low)

    @property
    def high(self) -> float:
        """Upper 95 % limit as a ratio."""
        return math.exp(self.log_high)

    @property
    def crosses_one(self) -> bool:
        """True when the 95 % interval includes a ratio of 1 (no difference)."""
        return self.log_low <= 0 <= self.log_high


def combine(
    effects: np.ndarray, variances: np.ndarray, method: str, flags: set[str]
) -> CombineResults:
    """Run ``combine_effects`` with DL, or with PM guarded (see ``_PM_ATOL``).

    If PM still returns 0 where its root is positive, the DL result is used and
    :data:`PM_FAILED` is added to ``flags``.
    """
    if method == "pm":
        df = len(effects) - 1
        for atol in _PM_ATOL:
            res = combine_effects(
                effects, variances, method_re="pm", atol=atol, maxiter=100
            )
            # Q at τ² = 0 above k − 1 means the PM root is positive.
            if res.tau2 > 0 or res.q <= df:
                return res
        flags.add(PM_FAILED)
    # A negative DL τ² (truncated by the caller) can make statsmodels take the
    # square root of a negative variance; that value is not used.
    with np.errstate(invalid="ignore"):
        return combine_effects(effects, variances, method_re="dl")


def prediction_interval(
    mean: float, se: float, tau2: float, k: int
) -> tuple[float, float] | None:
    """Higgins' 95 % prediction interval on the log scale, ``None`` if ``k < 3``.

    ``mean ± t_{k−2, 0.975} × sqrt(tau2 + se²)``.
    """
    if k < 3:
        return None
    half = float(stats.t.isf(0.025, k - 2)) * math.sqrt(tau2 + se**2)
    return mean - half, mean + half


def mantel_haenszel(
    studies: Sequence[Study], measure: str, flags: set[str]
) -> tuple[Estimate | None, str, dict[str, float] | None]:
    """The Mantel-Haenszel fixed effect, or ``None`` (then inverse variance)."""
    if any(s.counts is None for s in studies):
        flags.add(MH_UNAVAILABLE)
        return None, "inverse variance", None
    tables = np.dstack(
        [np.array(s.counts.cells, dtype=float).reshape(2, 2) for s in studies]  # type: ignore[union-attr]
    )
    a, b, c, d = tables[0, 0], tables[0, 1], tables[1, 0], tables[1, 1]
    n = a + b + c + d
    if measure == "OR":
        weights = b * c / n
        numerator, denominator = np.sum(a * d / n), np.sum(weights)
    else:
        weights = c * (a + b) / n
        numerator, denominator = np.sum(a * (c + d) / n), np.sum(weights)
    if numerator <= 0 or denominator <= 0:
        flags.add(MH_NOT_ESTIMABLE)
        return None, "inverse variance", None
    table = StratifiedTable(tables)
    if measure == "OR":
        log_ratio = float(table.logodds_pooled)
        se = float(table.logodds_pooled_se)
    else:
        log_ratio = math.log(float(table.riskratio_pooled))
        se = _mh_log_rr_se(a, b, c, d)
    percent = 100 * weights / weights.sum()
    return (
        Estimate.normal(log_ratio, se),
        "Mantel-Haenszel",
        dict(zip((s.id for s in studies), percent, strict=True)),
    )


def _mh_log_rr_se(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> float:
    """Greenland-Robins (1985) standard error of the MH log risk ratio.

    ``Var = Σ (n1 n0 m1 − a c N) / N² ÷ [(Σ a n0 / N)(Σ c n1 / N)]`` with
    ``n1 = a + b``, ``n0 = c + d``, ``m1 = a + c`` and ``N = n1 + n0`` per study
    (Greenland S, Robins JM. Biometrics 1985;41:55-68).
    """
    n1, n0 = a + b, c + d
    n = n1 + n0
    numerator = np.sum((n1 * n0 * (a + c) - a * c * n) / n**2)
    return math.sqrt(numerator / (np.sum(a * n0 / n) * np.sum(c * n1 / n)))
