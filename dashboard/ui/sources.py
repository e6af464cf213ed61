"""Show where numbers come from: an expander listing each figure's source and quote."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.core.tables import provenance_item
from dashboard.ui import lazy


def provenance(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    describe: Callable[[pd.Series], str],
    *,
    key: str,
    title: str = "Where these numbers come from",
) -> None:
    """An expander with one bullet per row: ``describe(row)``, source link, quote.

    The list is built only while the expander is open (:mod:`dashboard.ui.lazy`);
    ``frame`` may be a function that returns the rows, so that they too are
    gathered only then.
    """
    box = lazy.expander(title, key=key, icon=":material/menu_book:")
    if box is None:
        return
    if callable(frame):
        frame = frame()
    with box:
        lines = [
            provenance_item(
                describe(row),
                str(row["source"]),
                str(row["source_url"]),
                None if pd.isna(row.get("quote")) else str(row.get("quote")),
                read_at=row.get("read_at"),
                attribution=row.get("attribution"),
            )
            for _, row in frame.iterrows()
        ]
        st.markdown("\n".join(lines))
