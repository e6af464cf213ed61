"""Monitoring page sections: harms from the evidence, the plan and the case."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.charts import efficacy as charts
from dashboard.core import efficacy
from dashboard.core.content import ContentDoc
from dashboard.core.schemas import CAVEATS
from dashboard.ui import cached, efficacy_sections, markdown


def harms(doc: ContentDoc | None) -> None:
    """Pooled and per-trial harms, direction normalised, sources one click away."""
    if doc is not None:
        markdown.section(doc)
    evidence = cached.dataset("efficacy_evidence")
    rows = evidence[evidence["outcome_group"] == "adverse events"]
    ratios = efficacy.forest_rows(rows, "adverse events")
    event = st.plotly_chart(
        charts.forest_figure(
            ratios,
            higher_is_better=False,
            title="Harms: ratios, tacrolimus-based vs comparator",
        ),
        width="stretch",
        theme=None,
        config={"displaylogo": False},
        alt=charts.forest_alt_text(ratios, higher_is_better=False),
        key="harms_forest",
        on_select="rerun",
        selection_mode="points",
    )
    points = getattr(getattr(event, "selection", None), "points", None) or []
    if points and points[0].get("customdata"):
        efficacy_sections.source_dialog(str(points[0]["customdata"][0]))
    words = rows[rows["effect"].isna() & rows["value_tac"].isna()]
    if not words.empty:
        st.markdown("**Reported in words only** (no numbers in the source excerpt):")
        st.markdown("\n".join(_statement(r) for _, r in words.iterrows()))
    st.caption(
        "Click a marker, or pick a row in the Efficacy page's table, to read "
        "its source and exact words."
    )


def _statement(row: pd.Series) -> str:
    caveats = efficacy.caveat_words(row["caveats"], CAVEATS)
    note = f" ⚠ *{'; '.join(caveats)}*" if caveats else ""
    return (
        f"- {row['outcome'][0].upper()}{row['outcome'][1:]} "
        f"({row['study']}, vs {row['comparator_class']}).{note}"
    )
