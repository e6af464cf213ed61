"""The pooling sandbox's forest plot and display tables, built from a :class:`PoolView`.

:func:`forest` turns the page model's study table and pooled result
(:func:`dashboard.models.efficacy_pooling.pool_view`) into the figure of
:mod:`dashboard.charts.pooling`: its title names the question pooled, the
pooled row names the method. The section draws it; the pooling benchmark
(:mod:`dashboard.tools.bench_pooling`) times it with the model, as the work a
click on the plot costs. :func:`leave_one_out_table` and
:func:`published_table` round and name the view's tables for the page. Pure:
no file access, no streamlit.
"""

from __future__ import annotations

import pandas as pd

from dashboard.charts import pooling as charts
from dashboard.charts.chart import Chart
from dashboard.models.efficacy_pooling import METHOD_LABELS, PoolView

#: Short method names for the pooled row's label.
SHORT_METHODS = {
    "fixed": "fixed effect",
    "dl": "random effects (DL)",
    "pm": "random effects (PM)",
}


def title(view: PoolView) -> str:
    """The figure's title: the question pooled."""
    key = view.selection.group.key
    outcome = key.outcome[:1].upper() + key.outcome[1:]
    return f"{outcome} vs {key.comparator}: {key.disease}, {key.window}"


def method_label(view: PoolView) -> str:
    """How the shown estimate was made, short: "random effects (DL), Hartung-Knapp"."""
    result = view.result
    if result is None:
        return METHOD_LABELS[view.options.method]
    if result.k == 1:
        return "one study, nothing combined"
    if view.options.method == "fixed":
        kind = "MH" if result.fixed_kind == "Mantel-Haenszel" else "IV"
        return f"fixed effect ({kind})"
    label = SHORT_METHODS[view.options.method]
    return label + (", Hartung-Knapp" if view.options.hksj else "")


def forest(view: PoolView) -> Chart:
    """The sandbox's forest plot for ``view`` (studies, diamond, prediction bar).

    Raises
    ------
    ValueError
        If the view shows no study (a group always has at least one).
    """
    result = view.result
    pooled = None
    if result is not None:
        shown = result.shown
        pooled = charts.Pooled(
            ratio=shown.ratio,
            low=shown.low,
            high=shown.high,
            label=method_label(view),
            prediction=result.prediction,
        )
    return charts.pool_forest_chart(
        view.studies,
        pooled,
        measure=view.options.measure,
        higher_is_better=view.selection.group.key.higher_is_better,
        title=title(view),
    )


def continuity_line(view: PoolView) -> str:
    """What the continuity correction did to this pool, in one sentence."""
    corrected = view.studies.loc[
        view.studies["corrected"] & view.studies["pooled"], "id"
    ].tolist()
    rule = "a study with a zero cell gets 0.5 added to each of its four cells"
    if corrected:
        return f"Zero cells: {rule}; here {', '.join(corrected)}."
    return f"Zero cells: {rule}; no study in this pool has one."


def leave_one_out_table(view: PoolView) -> pd.DataFrame:
    """The leave-one-out table as shown: ratios to 2 decimals, τ² to 3, I² whole."""
    out = view.leave_one_out.copy()
    for column in ("Ratio", "95% CI low", "95% CI high"):
        out[column] = out[column].astype(float).round(2)
    out["τ²"] = out["τ²"].astype(float).round(3)
    out["I² (%)"] = out["I² (%)"].astype(float).round(0)
    return out


def published_table(view: PoolView) -> pd.DataFrame:
    """The published pooled rows on the pool's question, named for the page."""
    table = view.comparisons
    return pd.DataFrame(
        {
            "Row id": table["id"],
            "Source": table["study"],
            "Outcome": table["outcome"],
            "Time point": table["timepoint"],
            "Same window": table["same_window"].map({True: "yes", False: "no"}),
            "Measure": table["measure"],
            "Ratio": table["ratio"].round(2),
            "95% CI low": table["low"].round(2),
            "95% CI high": table["high"].round(2),
            "Certainty": table["certainty"].fillna("not rated"),
            "Caveats": table["caveats"],
        }
    )
