"""Show where numbers come from: an expander listing each figure's source and quote."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.core.tables import provenance_item


def provenance(
    frame: pd.DataFrame,
    describe: Callable[[pd.Series], str],
    *,
    title: str = "Where these numbers come from",
) -> None:
    """An expander with one bullet per row: ``describe(row)``, source link, quote."""
    with st.expander(title, icon=":material/menu_book:"):
        lines = [
            provenance_item(
                describe(row),
                str(row["source"]),
                str(row["source_url"]),
                None if pd.isna(row.get("quote")) else str(row.get("quote")),
            )
            for _, row in frame.iterrows()
        ]
        st.markdown("\n".join(lines))
