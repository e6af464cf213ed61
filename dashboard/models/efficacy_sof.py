"""Summary-of-findings tables (GRADE style) for the comparisons the rows support.

One table per disease for tacrolimus-based treatment against
cyclophosphamide, rituximab or steroids alone (:data:`COMPARATORS`), built
only from **randomised evidence** in ``efficacy_evidence.csv``
(``evidence_base == "randomised"``: trials and pools of trials) that gives a
risk or odds ratio with both 95 % limits, or counts in both arms of a trial.
Every other row on the comparison is listed with the reason it is not used.

**One line per outcome and time window** (per named outcome for adverse
events, kidney outcomes and "other"), taken from the best row available, in
this order: a Cochrane summary-of-findings row (it carries GRADE certainty and
the comparator risk), another published pool of randomised trials, a single
trial with counts (its risk ratio computed here from the counts, with
:func:`dashboard.core.pooling.study_from_counts`). Other rows on the same
outcome are named under "also".

**Absolute effects per 1000** apply the line's ratio
(:func:`dashboard.core.efficacy.absolute_effect`) to the lowest and the
highest **sourced comparator risk** on the same outcome and time window: a
summary-of-findings row's comparator risk per 1000, or a trial's comparator
arm (events over patients, or its percentage). Each baseline names its row.
With one sourced risk the table says so and shows one; with none it shows
none: no baseline is invented. Figures are computed here and can differ from a
source's own per-1000 figures by rounding.

**Certainty** is the source's GRADE rating where it gives one; the rows read
do not record the reasons for downgrading, and the table says so rather than
guess. Unrated rows are "not rated". Plain-language statements follow GRADE
as the per-1000 panel does (:func:`dashboard.core.efficacy.
certainty_statement`).

How a table is shown (Markdown, cards, the icon array) is in
:mod:`dashboard.models.efficacy_sof_display`. A teaching summary, not a
guideline and not clinical advice. Pure: no file access, no streamlit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from dashboard.charts.efficacy_labels import short_outcome
from dashboard.core import efficacy, pooling
from dashboard.core.schemas import CAVEATS, DISEASE_GROUPS
from dashboard.models.efficacy_pooling_rows import COUNT_COLUMNS, has_counts

#: The comparators that get a table (issue 18), in order.
COMPARATORS = ("cyclophosphamide", "rituximab", "steroids alone")
#: Outcome families whose rows measure different things: one line per outcome.
_MIXED = frozenset({"adverse events", "kidney outcomes", "other"})
_RATIOS = ("RR", "OR")
#: GRADE's symbols for each certainty.
SYMBOLS = {"high": "⊕⊕⊕⊕", "moderate": "⊕⊕⊕◯", "low": "⊕⊕◯◯", "very low": "⊕◯◯◯"}
NO_REASONS = "reasons for downgrading not recorded in the rows read"
#: Marks a risk ratio computed here from a trial's counts.
COMPUTED = " †"
_PARTICIPANTS = re.compile(r"participants \(studies\) = ([\d,]+) \((\d+)\)")
WORDING = (
    "Wording follows GRADE: high certainty “results in”, moderate “probably”, "
    "low “may”, very low “very uncertain”; “little or no difference” whenever "
    "the 95% interval includes 1, a simplification. Per-1000 figures are "
    "computed here from the relative effect and can differ from a source's "
    "own by rounding. Certainty is the source's GRADE rating; the rows read "
    "do not record the reasons for downgrading. † Risk ratio computed here from "
    "the trial's counts (Wald interval on the log scale). A teaching summary, "
    "not clinical advice."
)


@dataclass(frozen=True)
class Baseline:
    """A sourced comparator risk per 1000 and the row it comes from."""

    per_1000: float
    row_id: str
    source: str


@dataclass(frozen=True)
class AtBaseline:
    """A line's ratio applied to one baseline: the effect, a table cell, a sentence."""

    baseline: Baseline
    effect: efficacy.AbsoluteEffect
    cell: str
    words: str


@dataclass(frozen=True)
class SofLine:
    """One outcome of a summary-of-findings table.

    ``row_id`` is the row the relative effect comes from; ``ids`` every row
    the line rests on (its own, its baselines', the others on the outcome).
    """

    row_id: str
    outcome: str
    timepoint: str
    higher_is_better: bool
    evidence: str
    relative: str
    measure: str
    ratio: float
    low: float
    high: float
    certainty: str | None
    certainty_words: str
    statement: str
    lower: AtBaseline | None
    higher: AtBaseline | None
    baseline_note: str
    caveats: str
    also: tuple[str, ...]
    ids: tuple[str, ...]


@dataclass(frozen=True)
class SofTable:
    """Tacrolimus-based treatment against one comparator in one disease."""

    id: str
    title: str
    disease: str
    comparator: str
    lines: tuple[SofLine, ...]
    excluded: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]


def sof_tables(evidence: pd.DataFrame) -> tuple[SofTable, ...]:
    """Every table the rows support, by comparator then disease (data order)."""
    tables = []
    for comparator in COMPARATORS:
        for disease in DISEASE_GROUPS:
            table = _table(evidence, disease, comparator)
            if table is not None:
                tables.append(table)
    return tuple(tables)


def table_id(disease: str, comparator: str) -> str:
    """A short, URL-safe name: "membranous-nephropathy-vs-cyclophosphamide"."""
    return re.sub(r"[^a-z0-9]+", "-", f"{disease} vs {comparator}".lower()).strip("-")


# --- which rows ----------------------------------------------------------------------


def why_not_used(row: pd.Series) -> str | None:
    """Why a row on the comparison is not in its table, in words; ``None`` if it is."""
    if row["evidence_base"] != "randomised":
        return f"{row['evidence_base']} evidence: the tables use randomised evidence"
    if row["design_class"] not in ("rct", "meta-analysis"):
        return "not a trial or a pool of trials"
    if _ratio_row(row) or (row["design_class"] == "rct" and has_counts(row)):
        return None
    measure = _measure(row)
    if measure in _RATIOS:
        return "a ratio without both 95% limits in the copy read"
    if measure:
        return f"reported as {measure}, not a risk or odds ratio"
    return "no ratio with its interval and no counts in both arms"


def _ratio_row(row: pd.Series) -> bool:
    return _measure(row) in _RATIOS and all(
        pd.notna(row[c]) for c in ("effect_tac", "ci_low_tac", "ci_high_tac")
    )


def _measure(row: pd.Series) -> str:
    return "" if pd.isna(row["measure"]) else str(row["measure"])


def _key(row: pd.Series) -> tuple[str, bool, str, str]:
    family = str(row["outcome_group"])
    named = short_outcome(row["outcome"]) if family in _MIXED else ""
    return family, bool(row["higher_is_better"]), str(row["timepoint_group"]), named


def _rank(row: pd.Series) -> tuple[int, int]:
    """Lower is better: graded summary-of-findings rows, pools, trials; then size."""
    graded = pd.notna(row["certainty"]) and pd.notna(row["per1000_comparator"])
    kind = 0 if graded else 1 if row["design_class"] == "meta-analysis" else 2
    size = _participants(row) or 0
    return kind, -size


def _participants(row: pd.Series) -> int | None:
    found = _PARTICIPANTS.search(str(row["population"]))
    if found:
        return int(found.group(1).replace(",", ""))
    if row["design_class"] == "rct" and has_counts(row):
        return int(row["total_tac"]) + int(row["total_comparator"])
    return None if pd.isna(row["participants"]) else int(row["participants"])


def _table(evidence: pd.DataFrame, disease: str, comparator: str) -> SofTable | None:
    rows = evidence[
        (evidence["disease_group"] == disease)
        & (evidence["comparator_class"] == comparator)
    ]
    used = rows[[why_not_used(r) is None for _, r in rows.iterrows()]]
    if used.empty:
        return None
    by_key: dict[tuple, list[pd.Series]] = {}
    for _, row in used.iterrows():
        by_key.setdefault(_key(row), []).append(row)
    lines = []
    for key, members in by_key.items():
        best = min(members, key=_rank)
        others = tuple(str(r["id"]) for r in members if r["id"] != best["id"])
        lines.append(_line(best, others, _baselines(used, key), comparator))
    excluded = tuple(
        (str(r["id"]), str(why_not_used(r)))
        for _, r in rows.iterrows()
        if why_not_used(r) is not None
    )
    return SofTable(
        id=table_id(disease, comparator),
        title=f"Tacrolimus-based treatment vs {comparator}: {disease}",
        disease=disease,
        comparator=comparator,
        lines=tuple(lines),
        excluded=excluded,
        notes=_notes(used),
    )


def _notes(used: pd.DataFrame) -> tuple[str, ...]:
    notes = []
    for code in ("cni_pooled", "multitarget", "sequential"):
        ids = [
            str(r["id"])
            for _, r in used.iterrows()
            if isinstance(r["caveats"], str) and code in r["caveats"].split(";")
        ]
        if ids:
            notes.append(f"Rows {', '.join(ids)}: {CAVEATS[code]}.")
    return tuple(notes)


# --- baselines and effects -----------------------------------------------------------


def _baselines(used: pd.DataFrame, key: tuple) -> tuple[Baseline, ...]:
    """Sourced comparator risks on the line's outcome and window, lowest first."""
    found = []
    for _, row in used.iterrows():
        if _key(row) != key:
            continue
        if pd.notna(row["per1000_comparator"]):
            found.append(
                Baseline(
                    float(row["per1000_comparator"]),
                    str(row["id"]),
                    f"comparator risk in {row['study']}",
                )
            )
        elif has_counts(row):
            events, total = int(row["events_comparator"]), int(row["total_comparator"])
            found.append(
                Baseline(
                    1000 * events / total,
                    str(row["id"]),
                    f"comparator arm of {row['study']} ({events}/{total})",
                )
            )
        elif pd.notna(row["pct_comparator"]):
            found.append(
                Baseline(
                    10 * float(row["pct_comparator"]),
                    str(row["id"]),
                    f"comparator arm of {row['study']} ({row['pct_comparator']:g}%)",
                )
            )
    usable = [b for b in found if 0 < b.per_1000 < 1000]
    return tuple(sorted(usable, key=lambda b: (b.per_1000, b.row_id)))


def _at(
    baseline: Baseline, ratio: float, low: float, high: float, measure: str, what: str
) -> AtBaseline:
    effect = efficacy.absolute_effect(baseline.per_1000, ratio, low, high, measure)
    diff = effect.difference
    change = f"{abs(diff):.0f} {'more' if diff >= 0 else 'fewer'}"
    cell = (
        f"{baseline.per_1000:.0f} → **{effect.tacrolimus_per_1000:.0f}** per 1000 "
        f"({effect.low_per_1000:.0f} to {effect.high_per_1000:.0f}): {change}"
    )
    words = (
        f"At a comparator risk of {baseline.per_1000:.0f} per 1000 "
        f"({baseline.source}, {baseline.row_id}): {effect.tacrolimus_per_1000:.0f} "
        f"per 1000 with tacrolimus-based treatment ({effect.low_per_1000:.0f} to "
        f"{effect.high_per_1000:.0f}), {change} per 1000 with {what}."
    )
    return AtBaseline(baseline, effect, cell, words)


def _relative(row: pd.Series) -> tuple[str, float, float, float, str]:
    """(measure, ratio, low, high, how) for the line's row."""
    if _ratio_row(row):
        return (
            str(row["measure"]),
            float(row["effect_tac"]),
            float(row["ci_low_tac"]),
            float(row["ci_high_tac"]),
            "",
        )
    counts = pooling.Counts(*(int(row[c]) for c in COUNT_COLUMNS))
    estimate = pooling.study_from_counts(str(row["id"]), counts, "RR").estimate
    return "RR", estimate.ratio, estimate.low, estimate.high, COMPUTED


def _evidence(row: pd.Series) -> str:
    found = _PARTICIPANTS.search(str(row["population"]))
    if found:
        studies = int(found.group(2))
        return (
            f"{found.group(1)} participants, {studies} "
            f"{'study' if studies == 1 else 'studies'}"
        )
    if row["design_class"] == "rct":
        return f"1 trial, {_participants(row)} analysed"
    n = _participants(row)
    return (
        f"{n} participants; studies not given in the row"
        if n
        else "participants and studies not given in the row"
    )


def _line(
    row: pd.Series,
    also: tuple[str, ...],
    baselines: tuple[Baseline, ...],
    comparator: str,
) -> SofLine:
    measure, ratio, low, high, how = _relative(row)
    outcome = short_outcome(row["outcome"]).removeprefix("adverse events: ")
    certainty = None if pd.isna(row["certainty"]) else str(row["certainty"])
    if certainty is None:
        certainty_words = "not rated by the source"
    else:
        certainty_words = f"{SYMBOLS[certainty]} {certainty}"
    lower = higher = None
    if baselines:
        lower = _at(baselines[0], ratio, low, high, measure, outcome)
    if len(baselines) > 1:
        higher = _at(baselines[-1], ratio, low, high, measure, outcome)
    if len(baselines) > 1:
        note = "Lowest and highest sourced comparator risks on this outcome and window."
    elif baselines:
        note = (
            "Only one sourced comparator risk on this outcome and window, so only "
            "one baseline is shown; none is invented."
        )
    else:
        note = "No sourced comparator risk on this outcome and window: no per-1000."
    ids = (str(row["id"]), *(b.row_id for b in baselines), *also)
    return SofLine(
        row_id=str(row["id"]),
        outcome=outcome,
        timepoint=str(row["timepoint"]) if pd.notna(row["timepoint"]) else "not stated",
        higher_is_better=bool(row["higher_is_better"]),
        evidence=_evidence(row),
        relative=f"{measure} {ratio:.2f} ({low:.2f} to {high:.2f}){how}",
        measure=measure,
        ratio=ratio,
        low=low,
        high=high,
        certainty=certainty,
        certainty_words=certainty_words,
        statement=efficacy.certainty_statement(
            certainty=certainty,
            low=low,
            high=high,
            effect=ratio,
            outcome=outcome,
            comparator=comparator,
        ),
        lower=lower,
        higher=higher,
        baseline_note=note,
        caveats="; ".join(efficacy.caveat_words(row["caveats"], CAVEATS)),
        also=also,
        ids=tuple(dict.fromkeys(ids)),
    )
