"""The pooling sandbox's state: which pool a link names, and how a click changes it.

A link stores the pool in three query parameters, whose names the caller
gives (:mod:`dashboard.ui.keys`):

* the pooled row ids, comma-separated (:data:`IN`);
* the rows shown but left out, comma-separated (:data:`OUT`), so that a link
  can name an empty pool and its question;
* ``true`` when observational rows are shown (:data:`OBSERVATIONAL`).

Comma-separated values rather than repeated parameters: a repeated key keeps
only its last value when a page copies its address from
``st.query_params.to_dict()``. The default pool has no parameters at all.

Everything in a link is untrusted. At most :data:`MAX_IDS` ids are read, and
an id must look like one of the data's ids (:data:`ID_PATTERN`); anything else
is named in the notice only as inline code
(:func:`dashboard.core.urls.shown`), never as Markdown. Rows the sandbox
cannot use open the default pool with :func:`~dashboard.models.
efficacy_pooling_rows.resolve_pool`'s notice.

The state changes (a click on the forest plot or on a study's checkbox, the
observational switch, "RCTs only") are pure functions of the
current :class:`~dashboard.models.efficacy_pooling_rows.PoolSelection`. Pure:
no file access, no streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from dashboard.core.urls import shown
from dashboard.models.efficacy_pooling_rows import (
    PoolGroup,
    PoolSelection,
    default_selection,
    poolable_groups,
    resolve_pool,
    selection_for,
    toggle,
)

#: The link's parts, as keys of :func:`link_values` (the caller names the
#: query parameters).
IN, OUT, OBSERVATIONAL = "in", "out", "observational"
#: How many ids a link may name, and what an id looks like.
MAX_IDS = 40
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,59}")
_TRUE = "true"


def group_id(group: PoolGroup) -> str:
    """A stable name for ``group``: its first row id (ids are unique)."""
    return group.ids[0]


def group_label(group: PoolGroup) -> str:
    """The group in words, with how many randomised and observational rows it has.

    e.g. "Remission vs cyclophosphamide · membranous nephropathy · up to 6
    months (1 RCT, 4 observational)".
    """
    key = group.key
    randomised = len(group.randomised_ids)
    observational = len(group.observational_ids)
    parts = [f"{randomised} RCT" if randomised == 1 else f"{randomised} RCTs"]
    if observational:
        parts.append(f"{observational} observational")
    outcome = key.outcome[:1].upper() + key.outcome[1:]
    if not key.higher_is_better and key.outcome == "remission":
        outcome += " (lower is better)"
    return (
        f"{outcome} vs {key.comparator} · {key.disease} · {key.window} "
        f"({', '.join(parts)})"
    )


def group_of(groups: Sequence[PoolGroup], name: str | None) -> PoolGroup | None:
    """The group called ``name`` (:func:`group_id`), or ``None``."""
    return next((g for g in groups if group_id(g) == name), None)


def parse_ids(text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(ids, refused)`` from a comma-separated link value.

    ``refused`` holds values that cannot be ids (wrong characters, too long),
    and a note when the link names more than :data:`MAX_IDS` ids; both as
    inline code, safe for a Markdown notice.
    """
    if not text:
        return (), ()
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    refused = [shown(p) for p in parts[:MAX_IDS] if not ID_PATTERN.fullmatch(p)]
    if len(parts) > MAX_IDS:
        refused.append(f"{len(parts) - MAX_IDS} more ids past the first {MAX_IDS}")
    ids = tuple(dict.fromkeys(p for p in parts[:MAX_IDS] if ID_PATTERN.fullmatch(p)))
    return ids, tuple(refused)


def from_link(
    evidence: pd.DataFrame,
    pooled: str | None,
    left_out: str | None,
    observational: str | None,
) -> tuple[PoolSelection, tuple[str, ...]]:
    """The pool a link names, and notices about what it could not use.

    No pool values at all open the default pool silently. Values that cannot
    be ids, unknown rows, rows that cannot be pooled, or rows of more than one
    question open the default pool with a notice.
    """
    notices: list[str] = []
    show_observational = str(observational).lower() == _TRUE
    if observational not in (None, "") and str(observational).lower() not in (
        _TRUE,
        "false",
    ):
        notices.append(
            f"The link's observational switch {shown(str(observational))} is "
            "not true or false: observational rows are hidden."
        )
    pooled_ids, bad_in = parse_ids(pooled)
    left_ids, bad_out = parse_ids(left_out)
    refused = bad_in + bad_out
    if refused:
        notices.append(
            f"Values in the link that are not row ids ({', '.join(refused)}): "
            "the link's pool was ignored and the default pool opened."
        )
        return default_selection(evidence, observational=show_observational), tuple(
            notices
        )
    selection, more = resolve_pool(
        evidence, pooled_ids, left_ids, observational=show_observational
    )
    return selection, (*notices, *more)


def link_values(evidence: pd.DataFrame, selection: PoolSelection) -> dict[str, str]:
    """The link's parts for ``selection`` (:data:`IN`, :data:`OUT`, ...).

    Empty for the default pool; otherwise the pooled ids (if any), the
    left-out ids (if any) and the observational switch (if on).
    """
    if selection == default_selection(evidence):
        return {}
    values = {}
    if selection.pooled:
        values[IN] = ",".join(selection.pooled)
    if selection.left_out:
        values[OUT] = ",".join(selection.left_out)
    if selection.observational:
        values[OBSERVATIONAL] = _TRUE
    return values


def current(
    evidence: pd.DataFrame,
    groups: Sequence[PoolGroup],
    name: str | None,
    observational: bool,
    pooled: Iterable[str],
) -> PoolSelection:
    """The selection a session holds: group ``name``, its switch and pooled rows.

    An unknown group name gives the default pool.
    """
    group = group_of(groups, name)
    if group is None:
        return default_selection(evidence, observational=observational)
    return selection_for(
        evidence, group, observational=observational, pooled=list(pooled)
    )


def for_group(
    evidence: pd.DataFrame, group: PoolGroup, observational: bool
) -> PoolSelection:
    """A newly picked group: every shown row pooled (one row per study)."""
    return selection_for(evidence, group, observational=observational)


def after_click(
    evidence: pd.DataFrame, selection: PoolSelection, row_id: str | None
) -> PoolSelection | None:
    """The pool after a click on ``row_id``'s point; ``None`` if it changes nothing.

    A click on a pooled study leaves it out; on a left-out one brings it back
    (swapping it with the other row of its study, if that one is pooled).
    """
    if row_id is None:
        return None
    try:
        return toggle(evidence, selection, row_id)
    except ValueError:
        return None


def with_observational(
    evidence: pd.DataFrame, selection: PoolSelection, on: bool
) -> PoolSelection:
    """The observational switch: on pools the group's observational rows too.

    Off hides them again and keeps the randomised rows as they were.
    """
    group = selection.group
    pooled = list(selection.pooled)
    if on:
        pooled += [i for i in group.ids if i in group.observational_ids]
    return selection_for(evidence, group, observational=on, pooled=pooled)


def randomised_only(evidence: pd.DataFrame, selection: PoolSelection) -> PoolSelection:
    """Every shown randomised row pooled, every observational row left out."""
    return selection_for(
        evidence,
        selection.group,
        observational=selection.observational,
        pooled=selection.group.randomised_ids,
    )


def clicked_row(event: Any) -> str | None:
    """The row id of the first clicked point in a Plotly selection event, if any.

    Points carry their row id first in ``customdata``; the pooled diamond and
    the prediction bar carry none, so a click on them changes nothing.
    """
    selection = _get(event, "selection")
    points = _get(selection, "points") or []
    for point in points:
        custom = _get(point, "customdata")
        if isinstance(custom, list | tuple) and custom and isinstance(custom[0], str):
            return custom[0]
    return None


def _get(value: Any, name: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(name)
    return getattr(value, name, None)


def group_options(evidence: pd.DataFrame) -> dict[str, str]:
    """Group name → label, in the data's order (the group picker's options)."""
    return {group_id(g): group_label(g) for g in poolable_groups(evidence)}
