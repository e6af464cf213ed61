"""Arithmetic behind the efficacy page: intervals, absolute effects, plain wording.

* :func:`wilson_interval`: 95 % Wilson score interval for a proportion
  (Newcombe RG, Stat Med 1998;17:857-872, method 3), which behaves well for
  small arms and proportions near 0 or 1, unlike the Wald interval.
* :func:`risk_with_ratio`: the risk in the tacrolimus arm implied by a
  comparator (baseline) risk and a risk ratio or odds ratio, as summary-of-
  findings tables compute it (per 1000: ``1000 × risk``).
* :func:`certainty_statement`: GRADE-style plain wording (high: "results in",
  moderate: "probably", low: "may", very low: "very uncertain").
* :func:`forest_rows`: ratio rows oriented to one outcome family.

Ratios in the data are already "tacrolimus-based vs comparator" (columns
``effect_tac``, ``ci_low_tac``, ``ci_high_tac``): the curation inverted the rows
that named the comparator first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

Z_95 = 1.959963984540054
RATIO_MEASURES = ("RR", "OR", "HR")

#: Outcome family → whether more of it is good.
GROUP_HIGHER_IS_BETTER = {
    "remission": True,
    "complete remission": True,
    "relapse": False,
    "adverse events": False,
    "kidney outcomes": False,
    "other": True,
}


def wilson_interval(
    events: int, total: int, z: float = Z_95
) -> tuple[float, float, float]:
    """Proportion and its Wilson score interval, all as fractions (0-1).

    Raises
    ------
    ValueError
        If ``total`` is not positive or ``events`` is outside ``0…total``.
    """
    if total <= 0 or not 0 <= events <= total:
        raise ValueError(
            f"need 0 <= events <= total and total > 0, got {events}/{total}"
        )
    p = events / total
    denominator = 1 + z**2 / total
    centre = (p + z**2 / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z**2 / (4 * total**2)) / denominator
    return p, max(0.0, centre - half), min(1.0, centre + half)


def risk_with_ratio(baseline: float, ratio: float, measure: str) -> float:
    """Tacrolimus-arm risk (0-1) from a comparator risk (0-1) and a ratio.

    ``RR``: ``baseline × RR``, capped at 1. ``OR``: through odds,
    ``o = baseline / (1 − baseline) × OR`` and risk ``o / (1 + o)``. A hazard
    ratio is treated as a risk ratio, an approximation that holds for rare
    events and short follow-up; callers should say so.
    """
    if not 0 <= baseline <= 1:
        raise ValueError("baseline risk must be between 0 and 1")
    if ratio <= 0:
        raise ValueError("a ratio must be positive")
    if measure == "OR":
        if baseline == 1:
            return 1.0
        odds = baseline / (1 - baseline) * ratio
        return odds / (1 + odds)
    if measure in ("RR", "HR"):
        return min(1.0, baseline * ratio)
    raise ValueError(f"no absolute effect for measure {measure!r}")


@dataclass(frozen=True)
class AbsoluteEffect:
    """A summary-of-findings style row, per 1000 people."""

    comparator_per_1000: float
    tacrolimus_per_1000: float
    low_per_1000: float | None
    high_per_1000: float | None

    @property
    def difference(self) -> float:
        """Tacrolimus minus comparator, per 1000."""
        return self.tacrolimus_per_1000 - self.comparator_per_1000


def absolute_effect(
    baseline_per_1000: float,
    ratio: float,
    low: float | None,
    high: float | None,
    measure: str,
) -> AbsoluteEffect:
    """Per-1000 risks under a comparator risk, with the ratio's 95 % range."""
    base = baseline_per_1000 / 1000

    def per_1000(value: float | None) -> float | None:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        return 1000 * risk_with_ratio(base, value, measure)

    return AbsoluteEffect(
        comparator_per_1000=baseline_per_1000,
        tacrolimus_per_1000=1000 * risk_with_ratio(base, ratio, measure),
        low_per_1000=per_1000(low),
        high_per_1000=per_1000(high),
    )


_VERBS = {
    "high": "results in",
    "moderate": "probably results in",
    "low": "may result in",
}


def certainty_statement(
    *,
    certainty: str | None,
    low: float | None,
    high: float | None,
    effect: float,
    outcome: str,
    comparator: str,
) -> str:
    """A GRADE-style sentence for a ratio (tacrolimus-based vs ``comparator``).

    The change is "little or no difference" when the 95 % interval includes 1
    (or is unknown), otherwise "more" or "less". This simplifies GRADE's
    guidance, which also weighs how large an effect matters; the page says so.
    """
    crosses = low is None or high is None or low <= 1 <= high
    change = (
        "little or no difference in" if crosses else "more" if effect > 1 else "less"
    )
    if not certainty:
        compared = (
            f"{change} {outcome} compared with {comparator}"
            if crosses
            else f"{change} {outcome} than {comparator}"
        )
        return (
            f"Tacrolimus-based treatment was associated with {compared}; the source "
            "gives no certainty rating."
        )
    if certainty == "very low":
        return (
            f"We are very uncertain whether tacrolimus-based treatment changes "
            f"{outcome} compared with {comparator}."
        )
    return (
        f"Compared with {comparator}, tacrolimus-based treatment {_VERBS[certainty]} "
        f"{change} {outcome}."
    )


def forest_rows(evidence: pd.DataFrame, outcome_group: str) -> pd.DataFrame:
    """Ratio rows of one outcome family, oriented to that family's convention.

    A row whose outcome runs the other way (relapse-free survival in the
    relapse family) is turned round when it is an odds ratio, which is exact:
    the odds ratio of the complementary event is the reciprocal. Other such
    rows are left out (column ``converted`` marks turned rows).
    """
    better = GROUP_HIGHER_IS_BETTER[outcome_group]
    rows = evidence[
        (evidence["outcome_group"] == outcome_group)
        & evidence["measure"].isin(RATIO_MEASURES)
        & evidence["effect_tac"].notna()
    ].copy()
    rows["converted"] = False
    flip = rows["higher_is_better"].astype(bool) != better
    odds = rows["measure"] == "OR"
    rows = rows[~flip | odds].copy()
    turn = rows["higher_is_better"].astype(bool) != better
    for column in ("effect_tac", "ci_low_tac", "ci_high_tac"):
        rows.loc[turn, column] = 1 / rows.loc[turn, column]
    rows.loc[turn, ["ci_low_tac", "ci_high_tac"]] = rows.loc[
        turn, ["ci_high_tac", "ci_low_tac"]
    ].to_numpy()
    rows.loc[turn, "converted"] = True
    return rows


ALL = "all"


@dataclass(frozen=True)
class EvidenceFilter:
    """What the student picked; ``ALL`` (or an empty tuple) means no restriction."""

    disease: str = ALL
    comparator: str = ALL
    designs: tuple[str, ...] = ()
    outcome: str = "remission"
    timepoint: str = ALL


def filter_evidence(evidence: pd.DataFrame, chosen: EvidenceFilter) -> pd.DataFrame:
    """Rows matching every choice, in the data's order."""
    keep = evidence["outcome_group"] == chosen.outcome
    if chosen.disease != ALL:
        keep &= evidence["disease_group"] == chosen.disease
    if chosen.comparator != ALL:
        keep &= evidence["comparator_class"] == chosen.comparator
    if chosen.designs:
        keep &= evidence["design_class"].isin(chosen.designs)
    if chosen.timepoint != ALL:
        keep &= evidence["timepoint_group"] == chosen.timepoint
    return evidence[keep]


def caveat_words(codes: object, meanings: dict[str, str]) -> list[str]:
    """The plain words for a ';'-separated caveat code list (empty if none)."""
    if not isinstance(codes, str) or not codes:
        return []
    return [meanings[c] for c in codes.split(";") if c in meanings]
