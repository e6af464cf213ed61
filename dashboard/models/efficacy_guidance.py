"""The Efficacy page's regimens and guidance: trough targets, guidelines, trials.

Built from the validated ``tacrolimus_trough_targets.csv`` (targets in ng/mL
as the protocols gave them), ``guidance_timeline.csv`` (one row per guideline)
and ``alternative_trials.csv`` (landmark trials of rituximab, voclosporin and
belimumab, which did not test tacrolimus). Pure: nothing here reads a file or
imports streamlit.
"""

from __future__ import annotations

import pandas as pd

from dashboard.charts import guidance as charts
from dashboard.core.tables import markdown_table, short_citation, source_markdown


def trough_table(targets: pd.DataFrame) -> str:
    """The trough targets (ng/mL) the protocols used, as a Markdown table.

    Parameters
    ----------
    targets
        The validated ``tacrolimus_trough_targets.csv``; rows without a target
        are left out.
    """
    frame = targets[targets["trough_low"].notna()]
    return markdown_table(
        (
            {
                "Disease": r.disease_group,
                "Target (ng/mL)": f"{r.trough_low:g}-{r.trough_high:g}",
                "As given": r.schedule,
                "Kind": r.kind,
                "Source": source_markdown(short_citation(r.source), r.source_url),
            }
            for r in frame.itertuples(index=False)
        ),
        ["Disease", "Target (ng/mL)", "As given", "Kind", "Source"],
        raw_columns=("Source",),
    )


def guidelines_in_order(timeline: pd.DataFrame) -> pd.DataFrame:
    """The guidelines in the timeline's order (column ``order``), for the sources."""
    return timeline.sort_values("order")


def guideline_line(row: pd.Series) -> str:
    """One guideline in words: ``KDIGO 2021: <headline>``."""
    return f"{row['body']} {row['year']}: {row['headline']}"


def trials_markdown(trials: pd.DataFrame) -> str:
    """The alternative trials as a Markdown table with a source link per trial.

    Parameters
    ----------
    trials
        The validated ``alternative_trials.csv``.
    """
    table = charts.trials_table(trials)
    links = [
        source_markdown(short_citation(str(r.source)), str(r.source_url))
        for r in trials.itertuples(index=False)
    ]
    columns = [*table.columns, "Source"]
    return markdown_table(
        (
            {**row, "Source": link}
            for row, link in zip(table.to_dict("records"), links, strict=True)
        ),
        columns,
        raw_columns=("Source",),
    )


def trial_line(row: pd.Series) -> str:
    """One trial's result in words: trial, outcome, time point, figures."""
    return (
        f"{row['trial']}, {row['outcome']} at {row['timepoint']}: "
        f"{charts.trial_result(row)}"
    )
