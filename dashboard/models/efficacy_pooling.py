"""The pooling sandbox's model: a student's pool, its numbers and sentences.

:func:`pool_view` takes the validated ``efficacy_evidence.csv``, a
:class:`~dashboard.models.efficacy_pooling_rows.PoolSelection` (which rows
are pooled, from :mod:`dashboard.models.efficacy_pooling_rows`) and
:class:`PoolOptions` (measure, method, Hartung-Knapp), and returns a
:class:`PoolView`: the study table for the forest plot, the pooled result
(:mod:`dashboard.core.pooling`, statsmodels checked against metafor), every
sentence with a number, the leave-one-out table, the published pooled rows
shown beside the pool (never pooled), and per-1000 absolute effects.

Every pooled number names the row ids it rests on (``PoolView.ids``, the
headline, the leave-one-out table's ``Row ids``, each per-1000 row's ``ids``).
The tables (published pools, leave-one-out, per 1000) are built in
:mod:`dashboard.models.efficacy_pooling_tables`.

A teaching sandbox, not a systematic review, and not clinical advice. Pure: no
file access, no streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.core import efficacy, pooling
from dashboard.core.schemas import CAVEATS
from dashboard.models import efficacy_pooling_tables as tables
from dashboard.models.efficacy_pooling_rows import (
    COUNT_COLUMNS,
    OBSERVATIONAL,
    PoolSelection,
    has_counts,
    measure_of,
)

METHOD_LABELS = {
    "fixed": "fixed effect",
    "dl": "random effects (DerSimonian-Laird)",
    "pm": "random effects (Paule-Mandel)",
}
MEASURE_NAMES = {"RR": "risk ratio", "OR": "odds ratio"}
#: How the sandbox computes, for the page's "Method" note.
METHOD_NOTE = (
    "Ratios are pooled on the log scale, tacrolimus-based vs comparator. "
    "**Zero cells:** 0.5 is added to every cell of a study with a zero cell; a "
    "study with no events (or only events) in both arms says nothing about a "
    "ratio and is left out. **Fixed effect:** Mantel-Haenszel when every study "
    "has counts, otherwise inverse variance. **Random effects:** τ² by "
    "DerSimonian-Laird or Paule-Mandel; the Hartung-Knapp option uses a t "
    "distribution with k − 1 degrees of freedom. **Prediction interval:** "
    "Higgins' t with k − 2 degrees of freedom, so it needs 3 studies. "
    "Statistics from statsmodels, checked against metafor's published results. "
    "A teaching sandbox, not a systematic review, and not clinical advice."
)
OBSERVATIONAL_WARNING = (
    "**Observational rows are in this pool.** In a cohort, doctors chose who "
    "got tacrolimus, so the groups can differ in ways that change the outcome "
    "(confounding by indication). Pooling such rows with randomised trials "
    "adds that bias to the estimate, and the extra patients make the interval "
    "narrower: the pool looks more certain without being less biased."
)


@dataclass(frozen=True)
class PoolOptions:
    """How to pool: ``measure`` RR or OR, ``method`` fixed/dl/pm, ``hksj``.

    Raises
    ------
    ValueError
        For an unknown measure or method.
    """

    measure: str = "RR"
    method: str = "dl"
    hksj: bool = False

    def __post_init__(self) -> None:
        if self.measure not in pooling.MEASURES or self.method not in pooling.METHODS:
            raise ValueError(f"unknown options {self}")


@dataclass(frozen=True)
class PoolView:
    """Everything the sandbox shows for one selection and options.

    Parameters
    ----------
    studies
        One row per shown study: ``id``, ``study``, ``label``, ``design``,
        counts, ``ratio``/``low``/``high`` (its own 95 % interval, ``NaN`` when
        it cannot give the measure), ``weight`` (% in the estimate shown, NaN
        when not pooled), ``pooled``, ``corrected`` (0.5 added), ``note``.
    result
        The pool, or ``None`` when it is empty.
    headline, heterogeneity, prediction
        Markdown sentences (empty pool: only the headline, saying so).
    notices
        Warnings and caveats, Markdown, most important first.
    comparisons
        Published pooled rows on the same question (never pooled).
    leave_one_out
        The pool without each study in turn (empty for fewer than 2).
    absolute
        Per-1000 effects of the pooled ratio at sourced comparator risks.
    ids
        The pooled row ids, which every pooled number rests on.
    """

    selection: PoolSelection
    options: PoolOptions
    studies: pd.DataFrame
    result: pooling.PoolResult | None
    headline: str
    heterogeneity: str
    prediction: str
    notices: tuple[str, ...]
    comparisons: pd.DataFrame
    leave_one_out: pd.DataFrame
    absolute: tuple[tables.AbsoluteRow, ...]
    ids: tuple[str, ...]


def pool_view(
    evidence: pd.DataFrame, selection: PoolSelection, options: PoolOptions
) -> PoolView:
    """Pool the selected rows and build every number and sentence around it."""
    shown = _rows(evidence, selection.pooled + selection.left_out)
    studies, usable, skipped = _studies(shown, selection, options.measure)
    notices = list(_selection_notices(shown, selection, skipped))
    result = None
    if usable:
        result = pooling.pool(
            usable, measure=options.measure, method=options.method, hksj=options.hksj
        )
        studies["weight"] = studies["id"].map(result.weights).astype(float)
        notices += _result_notices(result, shown, options)
    comparisons = tables.comparisons(evidence, selection)
    notices += tables.comparison_notices(comparisons)
    return PoolView(
        selection=selection,
        options=options,
        studies=studies,
        result=result,
        headline=_headline(result, shown, options),
        heterogeneity=_heterogeneity(result),
        prediction=_prediction(result),
        notices=tuple(notices),
        comparisons=comparisons,
        leave_one_out=tables.leave_one_out_table(
            usable, result, shown, method=options.method, hksj=options.hksj
        ),
        absolute=tables.absolute_rows(result, shown, comparisons, selection),
        ids=result.ids if result else (),
    )


def _rows(evidence: pd.DataFrame, ids: tuple[str, ...]) -> pd.DataFrame:
    rows = evidence[evidence["id"].isin(ids)]
    return rows.set_index("id", drop=False).loc[list(ids)]


def _studies(
    shown: pd.DataFrame, selection: PoolSelection, measure: str
) -> tuple[pd.DataFrame, list[pooling.Study], dict[str, str]]:
    table, usable, skipped = [], [], {}
    for row_id, row in shown.sort_index(
        key=lambda s: s.map(list(selection.group.ids).index)
    ).iterrows():
        study, note = _study(row, measure)
        pooled = row_id in selection.pooled
        if study is None:
            skipped[row_id] = note
        elif pooled:
            usable.append(study)
        estimate = study.estimate if study else None
        table.append(
            {
                "id": row_id,
                "study": row["study"],
                "label": f"{row['study']}, {_timepoint(row)}",
                "design": row["design_class"],
                "evidence_base": row["evidence_base"],
                "events_tac": row["events_tac"],
                "total_tac": row["total_tac"],
                "events_comparator": row["events_comparator"],
                "total_comparator": row["total_comparator"],
                "ratio": estimate.ratio if estimate else float("nan"),
                "low": estimate.low if estimate else float("nan"),
                "high": estimate.high if estimate else float("nan"),
                "weight": float("nan"),
                "pooled": pooled and study is not None,
                "corrected": bool(study and study.corrected),
                "note": note,
            }
        )
    return pd.DataFrame(table), usable, skipped


def _study(row: pd.Series, measure: str) -> tuple[pooling.Study | None, str]:
    """The row as a study for ``measure``, or ``None`` and why not."""
    if has_counts(row):
        counts = pooling.Counts(
            *(int(row[c]) for c in COUNT_COLUMNS)  # type: ignore[arg-type]
        )
        try:
            study = pooling.study_from_counts(row["id"], counts, measure)
        except pooling.UninformativeError:
            return None, "no events (or only events) in both arms: no ratio"
        return study, "0.5 added to each cell (zero cell)" if study.corrected else ""
    if measure_of(row) != measure:
        return None, f"reported only as {measure_of(row)}, not {measure}"
    study = pooling.study_from_ratio(
        row["id"], row["effect_tac"], row["ci_low_tac"], row["ci_high_tac"]
    )
    return study, "ratio and interval as reported (no counts)"


def _timepoint(row: pd.Series) -> str:
    return "time not stated" if pd.isna(row["timepoint"]) else str(row["timepoint"])


def _selection_notices(
    shown: pd.DataFrame, selection: PoolSelection, skipped: dict[str, str]
) -> list[str]:
    notices = []
    pooled = shown.loc[list(selection.pooled)]
    if (pooled["design_class"] == OBSERVATIONAL).any():
        notices.append(OBSERVATIONAL_WARNING)
    hidden = selection.group.observational_ids - set(shown["id"])
    if hidden:
        notices.append(
            f"{len(hidden)} observational row(s) on this comparison are hidden "
            f"({', '.join(sorted(hidden))}): the pool is limited to randomised trials."
        )
    for row_id, why in skipped.items():
        notices.append(f"{row_id} is not pooled: {why}.")
    for row_id, row in pooled.iterrows():
        words = efficacy.caveat_words(row["caveats"], CAVEATS)
        if words:
            notices.append(f"Caveats of {row_id}: {'; '.join(words)}.")
    return notices


def _result_notices(
    result: pooling.PoolResult, shown: pd.DataFrame, options: PoolOptions
) -> list[str]:
    notices = []
    flags = result.flags
    if pooling.SINGLE_STUDY in flags:
        notices.append(
            "**One study only:** nothing is combined. The result is that "
            "study's own estimate; τ² needs 2 studies and a prediction "
            "interval 3."
        )
    if pooling.TWO_STUDIES in flags:
        notices.append(
            "**Two studies only:** τ² rests on a single comparison between them "
            "(1 degree of freedom). It can jump from 0 to large when one result "
            "changes, so read τ², I² and the random-effects interval as fragile."
        )
    if pooling.DL_TRUNCATED in flags and options.method == "dl":
        notices.append(
            "τ² came out below 0 and is set to 0: the random-effects result "
            "equals the inverse-variance fixed effect."
        )
    if pooling.PM_FAILED in flags:
        notices.append(
            "Paule-Mandel did not settle on these studies; τ² is the "
            "DerSimonian-Laird estimate instead."
        )
    if pooling.HKSJ_NEEDS_RANDOM in flags:
        notices.append("Hartung-Knapp applies to random effects only; not used.")
    if options.method == "fixed" and result.fixed_kind == "inverse variance":
        why = (
            "a row has no counts"
            if pooling.MH_UNAVAILABLE in flags
            else "the counts leave it undefined"
        )
        notices.append(f"Fixed effect by inverse variance, not Mantel-Haenszel: {why}.")
    corrected = [i for i in result.ids if _corrected(shown.loc[i], options.measure)]
    if corrected:
        notices.append(
            f"0.5 added to every cell of {', '.join(corrected)} (a zero cell)."
        )
    cni = [i for i in result.ids if tables.has_caveat(shown.loc[i], "cni_pooled")]
    if cni:
        notices.append(
            f"**{', '.join(cni)} {CAVEATS['cni_pooled']}**: the pooled result "
            "is not about tacrolimus alone."
        )
    return notices


def _corrected(row: pd.Series, measure: str) -> bool:
    study, _ = _study(row, measure)
    return bool(study and study.corrected)


def _headline(
    result: pooling.PoolResult | None, shown: pd.DataFrame, options: PoolOptions
) -> str:
    if result is None:
        return (
            "**The pool is empty:** no shown row can be pooled as it stands. "
            "Bring a study back (or include observational rows) to pool."
        )
    estimate = result.shown
    method = METHOD_LABELS[options.method]
    if options.method != "fixed" and result.random is None:
        method = "one study, no pooling"
    elif options.method == "fixed":
        method = f"fixed effect, {result.fixed_kind}"
    elif options.hksj:
        method += ", Hartung-Knapp"
    rows = shown.loc[list(result.ids)]
    patients = int(
        sum(
            (r["total_tac"] + r["total_comparator"])
            if has_counts(r)
            else (r["participants"] if pd.notna(r["participants"]) else 0)
            for _, r in rows.iterrows()
        )
    )
    verdict = (
        "the interval includes 1, so the pool cannot tell the regimens apart"
        if estimate.crosses_one
        else "the interval excludes 1"
    )
    return (
        f"**Pooled {MEASURE_NAMES[options.measure]} {estimate.ratio:.2f}** "
        f"(95% CI {estimate.low:.2f} to {estimate.high:.2f}; {method}), "
        f"tacrolimus-based vs {_comparator(rows)}, from {result.k} "
        f"{'study' if result.k == 1 else 'studies'} ({patients} patients; rows "
        f"{', '.join(result.ids)}): {verdict}."
    )


def _comparator(rows: pd.DataFrame) -> str:
    return str(rows.iloc[0]["comparator_class"])


def _heterogeneity(result: pooling.PoolResult | None) -> str:
    if result is None:
        return ""
    if result.tau2 is None:
        return "One study: no heterogeneity to measure."
    return (
        f"Heterogeneity: τ² = {result.tau2:.3f} (log scale), I² = {result.i2:.0f}%, "
        f"Q = {result.q:.2f} on {result.k - 1} df (p = {result.q_p:.2f})."
    )


def _prediction(result: pooling.PoolResult | None) -> str:
    if result is None:
        return ""
    if result.prediction is None:
        return (
            f"No prediction interval: with {result.k} "
            f"{'study' if result.k == 1 else 'studies'} there are no degrees of "
            "freedom left for it (it needs 3)."
        )
    low, high = result.prediction
    text = (
        f"95% prediction interval {low:.2f} to {high:.2f}: where the "
        f"{MEASURE_NAMES[result.measure]} of a new, similar study would be "
        "expected to fall."
    )
    if result.method == "fixed":
        text += (
            " A fixed effect assumes one true effect shared by every study, so it "
            "predicts no spread; this interval is the random-effects model's, "
            "shown for comparison."
        )
    return text
