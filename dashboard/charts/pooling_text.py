"""Words of the pooling sandbox's forest plot: its labels, alt text and data table.

Every label is wrapped at spaces only, so a row id is never split across two
lines, and to :data:`~dashboard.charts.efficacy_labels.LABEL_CHARS`
characters, which fit a 390 px phone. Used by :mod:`dashboard.charts.pooling`.
Pure: no Streamlit.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pandas as pd

from dashboard.charts.efficacy_labels import LABEL_CHARS, MEASURE_NAMES, number


@dataclass(frozen=True)
class Pooled:
    """The pooled result as the chart draws it.

    ``label`` names the method ("random effects (DerSimonian-Laird)");
    ``prediction`` is the 95 % prediction interval, or ``None``.
    """

    ratio: float
    low: float
    high: float
    label: str
    prediction: tuple[float, float] | None = None


def wrap(text: str, width: int) -> str:
    """``text`` wrapped at spaces only (a row id is never split), ``<br>``-joined."""
    lines = textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)
    return "<br>".join(lines) or text


def ratio_text(measure: str, ratio: float, low: float, high: float) -> str:
    """``"RR 1.31 [0.99–1.73]"``."""
    return f"{measure} {number(ratio)} [{number(low)}–{number(high)}]"


def _has_ratio(row: pd.Series) -> bool:
    return all(pd.notna(row[c]) for c in ("ratio", "low", "high"))


def study_text(row: pd.Series, measure: str) -> str:
    """A study's label: study, time point and id, then its ratio and weight.

    Left-out rows say so; rows without the measure say why (``note``).
    """
    design = " (observational)" if row["design"] == "observational" else ""
    head = wrap(f"{row['label']} · {row['id']}{design}", LABEL_CHARS)
    if not _has_ratio(row):
        return (
            f"{head}<br><i>{wrap('not pooled: ' + str(row['note']), LABEL_CHARS)}</i>"
        )
    ratio = ratio_text(measure, row["ratio"], row["low"], row["high"])
    if not row["pooled"]:
        return f"{head}<br><i>left out · {ratio}</i>"
    weight = f"weight {row['weight']:.0f}%" if pd.notna(row["weight"]) else ""
    tail = f"<b>{ratio}</b>" + (f" · {weight}" if weight else "")
    return f"{head}<br>{tail}"


def pooled_text(pooled: Pooled, measure: str, k: int) -> str:
    """The pooled row's label: method, number of studies and the ratio."""
    if k == 1:
        head = wrap(f"Pooled: {pooled.label}", LABEL_CHARS)
    else:
        head = wrap(f"Pooled, {pooled.label}, {k} studies", LABEL_CHARS)
    ratio = ratio_text(measure, pooled.ratio, pooled.low, pooled.high)
    return f"<b>{head}<br>{ratio}</b>"


def prediction_text(prediction: tuple[float, float]) -> str:
    """The prediction bar's label."""
    return (
        f"95% prediction interval {number(prediction[0])}–{number(prediction[1])}"
        "<br><i>where a new, similar study would fall</i>"
    )


def alt_text(studies: pd.DataFrame, pooled: Pooled | None, measure: str) -> str:
    """The figure in words: every study, its state, the pool and the prediction."""
    parts = []
    for _, r in studies.iterrows():
        if not _has_ratio(r):
            parts.append(f"{r['label']} ({r['id']}): not pooled, {r['note']}")
            continue
        state = (
            f"in the pool, weight {r['weight']:.0f}%"
            if r["pooled"] and pd.notna(r["weight"])
            else "left out"
        )
        parts.append(
            f"{r['label']} ({r['id']}): {measure} {r['ratio']:.2f} "
            f"(95% CI {r['low']:.2f} to {r['high']:.2f}), {state}"
        )
    text = (
        f"Forest plot of the student's pool, {MEASURE_NAMES[measure]} on a log scale. "
    )
    text += "; ".join(parts) + ". "
    if pooled is None:
        return text + "The pool is empty: no pooled result."
    text += (
        f"Pooled {measure} {pooled.ratio:.2f} (95% CI {pooled.low:.2f} to "
        f"{pooled.high:.2f}; {pooled.label})."
    )
    if pooled.prediction is not None:
        text += (
            f" 95% prediction interval {pooled.prediction[0]:.2f} to "
            f"{pooled.prediction[1]:.2f}."
        )
    return text


def data_table(
    studies: pd.DataFrame, pooled: Pooled | None, measure: str
) -> pd.DataFrame:
    """The numbers drawn: one line per study, then the pool and its prediction."""
    rows = []
    for _, r in studies.iterrows():
        rows.append(
            {
                "Row": r["label"],
                "Row id": r["id"],
                "Design": r["design"],
                "In the pool": "yes" if r["pooled"] else "no",
                "Tacrolimus events/total": _counts(r["events_tac"], r["total_tac"]),
                "Comparator events/total": _counts(
                    r["events_comparator"], r["total_comparator"]
                ),
                measure: _round(r["ratio"]),
                "95% CI low": _round(r["low"]),
                "95% CI high": _round(r["high"]),
                "Weight (%)": _round(r["weight"], 1),
                "Note": r["note"] or "",
            }
        )
    if pooled is not None:
        rows.append(
            {
                "Row": f"Pooled ({pooled.label})",
                "Row id": ", ".join(studies.loc[studies["pooled"], "id"]),
                "Design": "pooled result",
                "In the pool": "",
                "Tacrolimus events/total": "",
                "Comparator events/total": "",
                measure: _round(pooled.ratio),
                "95% CI low": _round(pooled.low),
                "95% CI high": _round(pooled.high),
                "Weight (%)": 100.0,
                "Note": "",
            }
        )
        if pooled.prediction is not None:
            rows.append(
                {
                    **rows[-1],
                    "Row": "95% prediction interval",
                    "Design": "prediction interval",
                    measure: None,
                    "95% CI low": _round(pooled.prediction[0]),
                    "95% CI high": _round(pooled.prediction[1]),
                    "Weight (%)": None,
                    "Note": "interval for a new, similar study",
                }
            )
    return pd.DataFrame(rows)


def _counts(events: object, total: object) -> str:
    if pd.isna(events) or pd.isna(total):
        return "not reported"
    return f"{int(events)}/{int(total)}"


def _round(value: object, digits: int = 2) -> float | None:
    if value is None or pd.isna(value):
        return None
    return round(float(value), digits)
