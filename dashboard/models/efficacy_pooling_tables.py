"""The pooling sandbox's tables: published pools beside it, leave-one-out, per 1000.

Built by :func:`dashboard.models.efficacy_pooling.pool_view` from a pooled
result (:mod:`dashboard.core.pooling`) and the validated
``efficacy_evidence.csv``. Every line names the row ids it rests on.

* :func:`comparisons`: published pooled rows (meta-analyses, Cochrane) on the
  same disease, comparator, outcome family and direction, same time window
  first. Shown for comparison, never pooled.
* :func:`leave_one_out_table`: the pool without each study in turn, first the
  whole pool.
* :func:`absolute_rows`: the pooled ratio applied to comparator risks per 1000:
  the pooled trials' own (their comparator arms' events over patients, all
  pooled rows with counts), then each published row's sourced comparator risk
  on the same question and time window. A risk ratio applied to a high
  comparator risk can pass 1000 per 1000;
  :func:`dashboard.core.efficacy.risk_with_ratio` caps it and the sentence
  says so.

Pure: no file access, no streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.core import efficacy, pooling
from dashboard.core.schemas import CAVEATS
from dashboard.models.efficacy import absolute_words, row_outcome
from dashboard.models.efficacy_pooling_rows import PoolSelection, has_counts


@dataclass(frozen=True)
class AbsoluteRow:
    """The pooled ratio at one comparator risk, per 1000 people.

    ``ids`` are the rows behind both the ratio and the comparator risk.
    """

    label: str
    effect: efficacy.AbsoluteEffect
    words: str
    ids: tuple[str, ...]


def has_caveat(row: pd.Series, code: str) -> bool:
    """True when the row's ``;``-separated caveat codes include ``code``."""
    return isinstance(row["caveats"], str) and code in row["caveats"].split(";")


def comparisons(evidence: pd.DataFrame, selection: PoolSelection) -> pd.DataFrame:
    """Published pooled rows on the pool's question, same time window first.

    Columns: ``id``, ``study``, ``outcome``, ``timepoint``, ``same_window``,
    ``measure``, ``ratio``/``low``/``high`` (tacrolimus-based vs comparator),
    ``certainty``, ``per1000_comparator``, ``caveats`` (words), ``cni_pooled``.
    """
    key = selection.group.key
    rows = evidence[
        (evidence["design_class"] == "meta-analysis")
        & (evidence["disease_group"] == key.disease)
        & (evidence["comparator_class"] == key.comparator)
        & (evidence["outcome_group"] == key.outcome)
        & (evidence["higher_is_better"].astype(bool) == key.higher_is_better)
        & evidence["measure"].isin(efficacy.RATIO_MEASURES)
        & evidence["effect_tac"].notna()
    ]
    table = pd.DataFrame(
        {
            "id": rows["id"],
            "study": rows["study"],
            "outcome": rows["outcome"],
            "timepoint": rows["timepoint"],
            "same_window": rows["timepoint_group"] == key.window,
            "measure": rows["measure"],
            "ratio": rows["effect_tac"],
            "low": rows["ci_low_tac"],
            "high": rows["ci_high_tac"],
            "certainty": rows["certainty"],
            "per1000_comparator": rows["per1000_comparator"],
            "caveats": [
                "; ".join(efficacy.caveat_words(c, CAVEATS)) for c in rows["caveats"]
            ],
            "cni_pooled": [has_caveat(r, "cni_pooled") for _, r in rows.iterrows()],
        }
    )
    return table.sort_values("same_window", ascending=False, kind="stable").reset_index(
        drop=True
    )


def comparison_notices(comparisons: pd.DataFrame) -> list[str]:
    """The calcineurin-inhibitor caveat of published rows that pool both drugs."""
    cni = comparisons[comparisons["cni_pooled"]]
    if cni.empty:
        return []
    return [
        f"Published estimates {', '.join(cni['id'])} "
        f"{CAVEATS['cni_pooled']}: they answer a wider question than this pool."
    ]


def leave_one_out_table(
    usable: list[pooling.Study],
    result: pooling.PoolResult | None,
    shown: pd.DataFrame,
    *,
    method: str,
    hksj: bool,
) -> pd.DataFrame:
    """The pool (first line, "none" left out), then without each study in turn.

    ``usable`` are the studies of ``result`` (same order); ``shown`` the
    evidence rows indexed by id. Empty (with its columns) for fewer than 2.
    Ratios follow the method's estimate; ``Row ids`` are those pooled.
    """
    columns = [
        "Left out",
        "Study",
        "Studies",
        "Ratio",
        "95% CI low",
        "95% CI high",
        "τ²",
        "I² (%)",
        "Includes 1",
        "Row ids",
    ]
    if result is None or result.k < 2:
        return pd.DataFrame(columns=columns)
    rows = [_loo_row("none", "all studies", result)]
    for left, res in pooling.leave_one_out(
        usable, measure=result.measure, method=method, hksj=hksj
    ):
        rows.append(_loo_row(left, str(shown.loc[left, "study"]), res))
    return pd.DataFrame(rows, columns=columns)


def _loo_row(left: str, study: str, res: pooling.PoolResult) -> list[object]:
    estimate = res.shown
    return [
        left,
        study,
        res.k,
        estimate.ratio,
        estimate.low,
        estimate.high,
        res.tau2,
        res.i2,
        estimate.crosses_one,
        ", ".join(res.ids),
    ]


def absolute_rows(
    result: pooling.PoolResult | None,
    shown: pd.DataFrame,
    comparisons: pd.DataFrame,
    selection: PoolSelection,
) -> tuple[AbsoluteRow, ...]:
    """The pooled ratio per 1000 at each comparator risk (module docstring).

    ``shown`` are the evidence rows indexed by id, ``comparisons`` the table
    of :func:`comparisons`. Empty for an empty pool.
    """
    if result is None:
        return ()
    estimate = result.shown
    rows = shown.loc[list(result.ids)]
    outcome = row_outcome(rows.iloc[0], selection.group.key.outcome)
    counted = rows[[has_counts(r) for _, r in rows.iterrows()]]
    baselines = []
    if not counted.empty:
        events = int(counted["events_comparator"].sum())
        total = int(counted["total_comparator"].sum())
        baselines.append(
            (
                f"Comparator risk of the pooled trials ({events}/{total} = "
                f"{1000 * events / total:.0f} per 1000)",
                1000 * events / total,
                tuple(counted["id"]),
            )
        )
    sourced = comparisons[
        comparisons["per1000_comparator"].notna() & comparisons["same_window"]
    ]
    for _, row in sourced.iterrows():
        baselines.append(
            (
                f"Comparator risk in {row['study']} ({row['id']}): "
                f"{row['per1000_comparator']:.0f} per 1000",
                float(row["per1000_comparator"]),
                (row["id"],),
            )
        )
    out = []
    for label, per_1000, ids in baselines:
        if not 0 < per_1000 < 1000:
            continue
        effect = efficacy.absolute_effect(
            per_1000, estimate.ratio, estimate.low, estimate.high, result.measure
        )
        out.append(
            AbsoluteRow(
                label=label,
                effect=effect,
                words=absolute_words(effect, outcome) + _capped(effect),
                ids=tuple(dict.fromkeys((*result.ids, *ids))),
            )
        )
    return tuple(out)


def _capped(effect: efficacy.AbsoluteEffect) -> str:
    """A warning when a risk ratio pushed a risk to 1000 per 1000 (capped)."""
    values = (effect.tacrolimus_per_1000, effect.high_per_1000 or 0.0)
    if max(values) < 1000:
        return ""
    return (
        " A risk cannot pass 1000 per 1000: at this comparator risk the ratio "
        "reaches the cap, so the figures are capped there."
    )
