"""Which evidence rows the pooling sandbox may combine, and which pool a link opens.

Rules (issue 18), applied to the validated ``efficacy_evidence.csv``:

* Only **study rows** are pooled (``design_class`` ``rct`` or
  ``observational``). Published pooled rows (meta-analyses, Cochrane reviews)
  are shown beside the pool for comparison and never pooled again with their
  own trials.
* Rows pool together only with the same **disease**, **comparator family**
  (``comparator_class``), **outcome family** (``outcome_group``), **time
  window** (``timepoint_group``) and **direction** (``higher_is_better``: a
  relapse-free row is not pooled with a relapse row). Pooling across diseases
  would mix different questions, so the disease is part of the key too.
* A row needs **counts in both arms**, or a **risk or odds ratio with its 95 %
  interval** (already read tacrolimus-based vs comparator, ``*_tac``
  columns). Rows with a time point "not stated", single-arm rows, hazard
  ratios and ratios without an interval cannot be pooled; :func:`why_not_poolable`
  says why in words.
* **One row per study**: a study with two rows in one window (1 and 3 months)
  enters the pool once; by default its last row in the data's order (there, the
  longer follow-up).
* **Observational rows** are hidden unless the student includes them
  (``observational=True``); the page model then warns why that misleads.

A study is identified by its label and source address together (two studies
can share "Author unverified 2017"). Pure: no file access, no streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import pandas as pd

OBSERVATIONAL = "observational"
_STUDY_DESIGNS = ("rct", OBSERVATIONAL)
_RATIOS = ("RR", "OR")
#: Counts per arm, in the order of :class:`dashboard.core.pooling.Counts`.
COUNT_COLUMNS = ("events_tac", "total_tac", "events_comparator", "total_comparator")
_RATIO_COLUMNS = ("effect_tac", "ci_low_tac", "ci_high_tac")


@dataclass(frozen=True)
class PoolKey:
    """What rows must share to be pooled together."""

    disease: str
    comparator: str
    outcome: str
    window: str
    higher_is_better: bool

    @property
    def label(self) -> str:
        """The comparison in words, e.g. "remission vs cyclophosphamide, …"."""
        return f"{self.outcome} vs {self.comparator}, {self.disease}, {self.window}"


def pool_key(row: pd.Series) -> PoolKey:
    """The key of one evidence row."""
    return PoolKey(
        disease=str(row["disease_group"]),
        comparator=str(row["comparator_class"]),
        outcome=str(row["outcome_group"]),
        window=str(row["timepoint_group"]),
        higher_is_better=bool(row["higher_is_better"]),
    )


def has_counts(row: pd.Series) -> bool:
    """True when both arms have events and a positive total."""
    values = [row[c] for c in COUNT_COLUMNS]
    return all(pd.notna(v) for v in values) and min(values[1], values[3]) > 0


def has_ratio(row: pd.Series) -> bool:
    """True for an RR or OR with both 95 % limits (tacrolimus vs comparator)."""
    return measure_of(row) in _RATIOS and all(pd.notna(row[c]) for c in _RATIO_COLUMNS)


def measure_of(row: pd.Series) -> str:
    """The row's printed measure (``""`` when it has none)."""
    return "" if pd.isna(row["measure"]) else str(row["measure"])


def measures_of(row: pd.Series) -> tuple[str, ...]:
    """The ratio measures a poolable row can give: both from counts, else its own."""
    if has_counts(row):
        return _RATIOS
    return (measure_of(row),) if has_ratio(row) else ()


def why_not_poolable(row: pd.Series) -> str | None:
    """Why a row cannot enter any pool, in words; ``None`` if it can."""
    if row["design_class"] not in _STUDY_DESIGNS:
        return (
            "a published pooled estimate: shown beside the pool for comparison, "
            "never pooled again with its own trials"
        )
    if row["comparator_class"] == "none (single arm)":
        return "a single-arm study: no comparison group"
    if row["timepoint_group"] == "not stated":
        return "no time point given, so no time window to match"
    if has_counts(row) or has_ratio(row):
        return None
    if measure_of(row) == "HR":
        return "a hazard ratio, which does not combine with risk or odds ratios"
    if measure_of(row) in _RATIOS:
        return "a ratio without its 95% interval"
    return "no counts per arm and no risk or odds ratio with its interval"


def study_identity(row: pd.Series) -> tuple[str, str]:
    """Label and source address: rows sharing both come from one study."""
    return str(row["study"]), str(row["source_url"])


@dataclass(frozen=True)
class PoolGroup:
    """The rows that may be pooled together, in the data's order."""

    key: PoolKey
    ids: tuple[str, ...]
    observational_ids: frozenset[str]

    @property
    def randomised_ids(self) -> tuple[str, ...]:
        """The group's randomised rows."""
        return tuple(i for i in self.ids if i not in self.observational_ids)

    def shown(self, observational: bool) -> tuple[str, ...]:
        """The rows the forest plot shows: all, or the randomised ones only."""
        return self.ids if observational else self.randomised_ids


def poolable_groups(evidence: pd.DataFrame) -> tuple[PoolGroup, ...]:
    """Every group with at least one poolable row, in order of first appearance."""
    members: dict[PoolKey, list[str]] = {}
    observational: set[str] = set()
    for _, row in evidence.iterrows():
        if why_not_poolable(row) is None:
            members.setdefault(pool_key(row), []).append(str(row["id"]))
            if row["design_class"] == OBSERVATIONAL:
                observational.add(str(row["id"]))
    return tuple(
        PoolGroup(key, tuple(ids), frozenset(observational & set(ids)))
        for key, ids in members.items()
    )


@dataclass(frozen=True)
class PoolSelection:
    """The pool a student built: a group, the rows pooled and those left out.

    ``pooled`` and ``left_out`` together are the rows shown (``group.shown``),
    each in the data's order; a link stores ``pooled`` and ``left_out``.
    """

    group: PoolGroup
    pooled: tuple[str, ...]
    left_out: tuple[str, ...]
    observational: bool


def default_group(groups: Sequence[PoolGroup]) -> PoolGroup:
    """The group with the most randomised rows, then the most rows, then first.

    Raises
    ------
    ValueError
        If no group has a randomised row.
    """
    ranked = [g for g in groups if g.randomised_ids]
    if not ranked:
        raise ValueError("no poolable randomised rows in the evidence")
    return max(ranked, key=lambda g: (len(g.randomised_ids), len(g.ids)))


def selection_for(
    evidence: pd.DataFrame,
    group: PoolGroup,
    *,
    observational: bool = False,
    pooled: Iterable[str] | None = None,
) -> PoolSelection:
    """A selection of ``group``: ``pooled`` rows in (all by default), one per study.

    Rows of ``pooled`` that are not shown (observational rows while
    ``observational`` is off) are dropped; of two rows of one study, the later
    in the data's order stays pooled.
    """
    shown = group.shown(observational)
    wanted = set(shown if pooled is None else pooled) & set(shown)
    chosen = _one_per_study(evidence, [i for i in shown if i in wanted])
    return PoolSelection(
        group=group,
        pooled=tuple(i for i in shown if i in chosen),
        left_out=tuple(i for i in shown if i not in chosen),
        observational=observational,
    )


def default_selection(
    evidence: pd.DataFrame, *, observational: bool = False
) -> PoolSelection:
    """The pool the page opens with (see :func:`default_group`)."""
    group = default_group(poolable_groups(evidence))
    return selection_for(evidence, group, observational=observational)


def toggle(
    evidence: pd.DataFrame, selection: PoolSelection, row_id: str
) -> PoolSelection:
    """Leave ``row_id`` out, or bring it back (a click on the forest plot).

    Bringing back a row of a study whose other row is pooled swaps them.

    Raises
    ------
    ValueError
        If ``row_id`` is not shown in ``selection``.
    """
    if row_id in selection.pooled:
        pooled = set(selection.pooled) - {row_id}
    elif row_id in selection.left_out:
        study = study_identity(_row(evidence, row_id))
        pooled = {
            i for i in selection.pooled if study_identity(_row(evidence, i)) != study
        } | {row_id}
    else:
        raise ValueError(f"{row_id} is not shown in this pool")
    shown = selection.group.shown(selection.observational)
    return replace(
        selection,
        pooled=tuple(i for i in shown if i in pooled),
        left_out=tuple(i for i in shown if i not in pooled),
    )


def resolve_pool(
    evidence: pd.DataFrame,
    pooled_ids: Sequence[str],
    left_out_ids: Sequence[str] = (),
    *,
    observational: bool = False,
) -> tuple[PoolSelection, tuple[str, ...]]:
    """The selection a link names, and notices about what it could not use.

    ``pooled_ids`` are the rows in the pool; ``left_out_ids`` rows shown but
    left out (they let a link name an empty pool). Unknown ids, rows that can
    never be pooled, or rows from more than one group open the default pool
    with a notice naming them. Observational rows named while ``observational``
    is off are left out of the pool with a notice; a pool that ends up empty
    stays empty (the page says so). No ids at all: the default pool, silently.
    """
    named = list(dict.fromkeys([*pooled_ids, *left_out_ids]))
    if not named:
        return default_selection(evidence, observational=observational), ()
    known = set(evidence["id"])
    unknown = [i for i in named if i not in known]
    if unknown:
        return _fallback(evidence, observational, f"Unknown rows {_ids(unknown)}")
    rows = {i: _row(evidence, i) for i in named}
    refused = [i for i in named if why_not_poolable(rows[i]) is not None]
    if refused:
        reasons = "; ".join(f"{i}: {why_not_poolable(rows[i])}" for i in refused)
        return _fallback(
            evidence, observational, f"Rows that cannot be pooled ({reasons})"
        )
    keys = {pool_key(rows[i]) for i in named}
    if len(keys) > 1:
        return _fallback(
            evidence,
            observational,
            f"Rows {_ids(named)} cannot be pooled together: they differ in "
            "disease, comparator, outcome, time window or direction",
        )
    group = next(g for g in poolable_groups(evidence) if g.key in keys)
    notices: list[str] = []
    hidden = [i for i in named if i in group.observational_ids and not observational]
    if hidden:
        notices.append(
            f"Observational rows {_ids(hidden)} are left out while the pool is "
            "limited to randomised trials."
        )
    pooled = [i for i in dict.fromkeys(pooled_ids) if i not in hidden]
    selection = selection_for(
        evidence, group, observational=observational, pooled=pooled
    )
    doubled = [i for i in pooled if i not in selection.pooled]
    if doubled:
        notices.append(
            f"Rows {_ids(doubled)} come from a study already in the pool, which "
            "enters a pool once; they are left out."
        )
    return selection, tuple(notices)


def excluded_rows(evidence: pd.DataFrame, key: PoolKey) -> pd.DataFrame:
    """Rows on the same question (disease, comparator, outcome) not in the pool.

    Columns ``id``, ``study``, ``reason`` (in words), in the data's order.
    """
    same = evidence[
        (evidence["disease_group"] == key.disease)
        & (evidence["comparator_class"] == key.comparator)
        & (evidence["outcome_group"] == key.outcome)
    ]
    out = []
    for _, row in same.iterrows():
        reason = why_not_poolable(row)
        if reason is None and row["timepoint_group"] != key.window:
            reason = f"a different time window ({row['timepoint_group']})"
        elif reason is None and bool(row["higher_is_better"]) != key.higher_is_better:
            reason = "its outcome runs the other way (e.g. relapse-free vs relapse)"
        if reason is not None:
            out.append({"id": row["id"], "study": row["study"], "reason": reason})
    return pd.DataFrame(out, columns=["id", "study", "reason"])


def _one_per_study(evidence: pd.DataFrame, ids: Sequence[str]) -> set[str]:
    last: dict[tuple[str, str], str] = {}
    for i in ids:
        last[study_identity(_row(evidence, i))] = i
    return set(last.values())


def _fallback(
    evidence: pd.DataFrame, observational: bool, problem: str
) -> tuple[PoolSelection, tuple[str, ...]]:
    return default_selection(evidence, observational=observational), (
        f"{problem}: the link's pool was ignored and the default pool opened.",
    )


def _ids(ids: Iterable[str]) -> str:
    return ", ".join(ids)


def _row(evidence: pd.DataFrame, row_id: str) -> pd.Series:
    return evidence[evidence["id"] == row_id].iloc[0]
