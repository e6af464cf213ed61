"""Pooling ratios across studies: fixed and random effects, heterogeneity, prediction.

Everything is computed on the log scale (log risk ratio or log odds ratio,
tacrolimus-based arm vs comparator) and turned back into ratios for display.
The statistics come from a kept library, statsmodels (verified against
metafor's documented results in ``tests/unit/test_pooling.py``):

* **Study effects from counts**: ``statsmodels.stats.meta_analysis.
  effectsize_2proportions`` (log RR variance ``(1-p1)/(p1 n1) + (1-p0)/(p0 n0)``,
  log OR variance ``1/a + 1/b + 1/c + 1/d``). **Continuity correction**: a
  study with a zero cell (no events, or everyone with the event, in an arm)
  gets 0.5 added to each of its four cells for its ratio and variance. A study
  with no events in both arms, or with everyone having the event in both arms,
  says nothing about a ratio and is left out (:func:`study_from_counts`
  raises :class:`UninformativeError`), as metafor's ``rma.mh`` does for double
  zeros (``drop00=TRUE``). statsmodels adds a float correction to the events
  of every study it is given, so the correction is passed only for a study
  with a zero cell.
* **Study effects from a ratio and its 95 % interval** (rows without counts):
  ``log ratio`` as printed and ``SE = (ln U − ln L) / (2 × 1.96)``, which
  assumes the interval was symmetric on the log scale (Wald).
* **Fixed effect**: inverse variance (``combine_effects``), or, when every
  study has counts, Mantel-Haenszel. The MH odds ratio and its
  Robins-Breslow-Greenland standard error come from ``statsmodels.stats.
  contingency_tables.StratifiedTable``; statsmodels gives the MH risk ratio
  (``riskratio_pooled``) but no standard error for it, and no kept Python
  library we found does, so ``pooling_methods._mh_log_rr_se`` writes out the
  Greenland-Robins (1985) variance, validated against metafor's documented
  ``rma.mh(measure="RR")`` result on the BCG trials. MH uses the raw counts
  (no continuity correction), as metafor's ``rma.mh`` does.
* **Random effects**: ``combine_effects(method_re="dl")`` (DerSimonian-Laird)
  or ``method_re="pm"`` (Paule-Mandel, iterated to ``|Q(τ²) − (k−1)| < 1e-6``;
  statsmodels returns τ² = 0 when a step lands a rounding error past the root,
  which is detected and retried, see ``pooling_methods.combine``).
  statsmodels has no REML for ``combine_effects``; the issue accepts
  Paule-Mandel. statsmodels does not truncate a negative DL estimate, so when
  ``Q < k − 1`` τ² is set to 0 here and the random-effects mean equals the
  inverse-variance fixed effect (metafor truncates the same way).
* **Hartung-Knapp-Sidik-Jonkman** (optional, random effects only): the
  variance ``Σ w_i (y_i − μ)² / ((k − 1) Σ w_i)`` (statsmodels' ``var_hksj_re``)
  with a t distribution on ``k − 1`` degrees of freedom, as metafor's
  ``test="knha"`` (no truncation of the scale at 1).
* **Heterogeneity**: Cochran's ``Q`` from the inverse-variance fixed effect,
  its chi-square p-value on ``k − 1`` df, and Higgins' ``I² = max(0, (Q − df)
  / Q)`` in percent (Higgins & Thompson 2002), the same whichever τ²
  estimator is chosen.
* **Prediction interval** (Higgins, Thompson & Spiegelhalter, J R Stat Soc A
  2009;172:137-159): ``μ ± t_{k−2, 0.975} × sqrt(τ² +
  SE(μ)²)``, with the random-effects mean and its standard (not HKSJ) SE. It is
  undefined for fewer than 3 studies (no degrees of freedom left).

The study-level pieces, Mantel-Haenszel and the τ² calls live in
:mod:`dashboard.core.pooling_methods`; this module pools and leaves out, and
re-exports what callers need. Pure: no file access, no streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from dashboard.core.pooling_methods import (
    CONTINUITY,
    DL_TRUNCATED,
    HKSJ_NEEDS_RANDOM,
    MEASURES,
    METHODS,
    MH_NOT_ESTIMABLE,
    MH_UNAVAILABLE,
    PM_FAILED,
    SINGLE_STUDY,
    TWO_STUDIES,
    Counts,
    Estimate,
    Study,
    UninformativeError,
    combine,
    mantel_haenszel,
    prediction_interval,
    study_from_counts,
    study_from_ratio,
)

__all__ = [
    "CONTINUITY",
    "DL_TRUNCATED",
    "HKSJ_NEEDS_RANDOM",
    "MEASURES",
    "METHODS",
    "MH_NOT_ESTIMABLE",
    "MH_UNAVAILABLE",
    "PM_FAILED",
    "SINGLE_STUDY",
    "TWO_STUDIES",
    "Counts",
    "Estimate",
    "PoolResult",
    "Study",
    "UninformativeError",
    "leave_one_out",
    "pool",
    "prediction_interval",
    "study_from_counts",
    "study_from_ratio",
]


@dataclass(frozen=True)
class PoolResult:
    """One pool: estimates, heterogeneity and the ids it rests on.

    Parameters
    ----------
    ids
        The pooled studies' ids, in the order given.
    measure, method, hksj
        What was asked for (``method`` in :data:`METHODS`).
    fixed, fixed_kind
        The fixed effect and how it was computed ("Mantel-Haenszel" or
        "inverse variance").
    random
        The random-effects mean (DL or PM τ²; HKSJ interval if asked), or
        ``None`` for a single study.
    tau2, i2, q, q_p
        Between-study variance (log scale), I² in percent, Cochran's Q and its
        p-value (``None`` for a single study).
    prediction
        The 95 % prediction interval as ratios, ``None`` for fewer than 3.
    weights
        Study id → percent weight in the estimate shown.
    flags
        Conditions the page must explain (module constants).
    """

    ids: tuple[str, ...]
    measure: str
    method: str
    hksj: bool
    fixed: Estimate
    fixed_kind: str
    random: Estimate | None
    tau2: float | None
    i2: float | None
    q: float | None
    q_p: float | None
    prediction: tuple[float, float] | None
    weights: dict[str, float]
    flags: frozenset[str]

    @property
    def k(self) -> int:
        """The number of studies pooled."""
        return len(self.ids)

    @property
    def shown(self) -> Estimate:
        """The estimate the method asks for (the fixed effect for one study)."""
        if self.method == "fixed" or self.random is None:
            return self.fixed
        return self.random


def pool(
    studies: Sequence[Study], *, measure: str, method: str = "dl", hksj: bool = False
) -> PoolResult:
    """Pool ``studies`` (at least one) with one method.

    Raises
    ------
    ValueError
        If ``studies`` is empty or ``measure``/``method`` is unknown.
    """
    if measure not in MEASURES or method not in METHODS:
        raise ValueError(f"unknown measure {measure!r} or method {method!r}")
    if not studies:
        raise ValueError("nothing to pool")
    ids = tuple(s.id for s in studies)
    flags: set[str] = set()
    if hksj and method == "fixed":
        flags.add(HKSJ_NEEDS_RANDOM)
    fixed_iv, iv_weights = studies[0].estimate, {ids[0]: 100.0}
    if len(studies) == 1:
        flags.add(SINGLE_STUDY)
        fixed, kind, mh_weights = mantel_haenszel(studies, measure, flags)
        return PoolResult(
            ids=ids,
            measure=measure,
            method=method,
            hksj=hksj,
            fixed=fixed or fixed_iv,
            fixed_kind=kind,
            random=None,
            tau2=None,
            i2=None,
            q=None,
            q_p=None,
            prediction=None,
            weights=mh_weights or iv_weights,
            flags=frozenset(flags),
        )
    if len(studies) == 2:
        flags.add(TWO_STUDIES)
    effects = np.array([s.log_ratio for s in studies])
    variances = np.array([s.variance for s in studies])
    res = combine(effects, variances, method, flags)
    fixed_iv = Estimate.normal(float(res.mean_effect_fe), float(res.sd_eff_w_fe))
    iv_weights = dict(zip(ids, 100 * res.weights_rel_fe, strict=True))
    tau2 = float(res.tau2)
    if tau2 < 0:  # DL's moment estimate below 0: truncate, RE = FE
        flags.add(DL_TRUNCATED)
        tau2 = 0.0
        mean, se, var_hksj = fixed_iv.log_ratio, fixed_iv.se, res.var_hksj_fe
        re_weights = iv_weights
    else:
        mean, se, var_hksj = res.mean_effect_re, res.sd_eff_w_re, res.var_hksj_re
        re_weights = dict(zip(ids, 100 * res.weights_rel_re, strict=True))
    mean, se = float(mean), float(se)
    if hksj and method != "fixed":
        random = Estimate.student(mean, math.sqrt(float(var_hksj)), len(ids) - 1)
    else:
        random = Estimate.normal(mean, se)
    fixed_mh, kind, mh_weights = mantel_haenszel(studies, measure, flags)
    q = float(res.q)
    df = len(ids) - 1
    return PoolResult(
        ids=ids,
        measure=measure,
        method=method,
        hksj=hksj,
        fixed=fixed_mh or fixed_iv,
        fixed_kind=kind,
        random=random,
        tau2=tau2,
        i2=100 * max(0.0, (q - df) / q) if q > 0 else 0.0,
        q=q,
        q_p=float(stats.chi2.sf(q, df)),
        prediction=_prediction(mean, se, tau2, len(ids)),
        weights=(mh_weights or iv_weights) if method == "fixed" else re_weights,
        flags=frozenset(flags),
    )


def leave_one_out(
    studies: Sequence[Study], *, measure: str, method: str = "dl", hksj: bool = False
) -> tuple[tuple[str, PoolResult], ...]:
    """The pool again without each study in turn: ``(left-out id, result)``.

    Empty for fewer than two studies (nothing would be left to pool).
    """
    if len(studies) < 2:
        return ()
    return tuple(
        (
            left.id,
            pool(
                [s for s in studies if s is not left],
                measure=measure,
                method=method,
                hksj=hksj,
            ),
        )
        for left in studies
    )


def _prediction(
    mean: float, se: float, tau2: float, k: int
) -> tuple[float, float] | None:
    interval = prediction_interval(mean, se, tau2, k)
    if interval is None:
        return None
    return math.exp(interval[0]), math.exp(interval[1])
