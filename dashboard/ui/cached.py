"""Cached loaders: the only place where ``st.cache_data`` wraps core functions.

Each loader returns validated data or raises the core's ``DataError`` /
``ContentError``; views catch those through :mod:`dashboard.ui.errors`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.core import content, datasets, schemas
from dashboard.core.paths import CONTENT_DIR, DATA_DIR
from dashboard.core.site import PAGE_SLUGS


@st.cache_data(show_spinner=False)
def dataset(name: str) -> pd.DataFrame:
    """The validated dataset ``content/data/<name>.csv``."""
    return datasets.load_dataset(schemas.SCHEMAS[name], DATA_DIR)


@st.cache_data(show_spinner=False)
def references() -> dict[str, tuple[str, str]]:
    """Reference id → (short label, URL/PMID/DOI), for inline citations."""
    frame = dataset("references")
    return {
        str(row.id): (str(row.short), str(row.source_url))
        for row in frame.itertuples(index=False)
    }


@st.cache_data(show_spinner=False)
def page_docs(page: str) -> dict[str, content.ContentDoc]:
    """Validated content sections of ``page``, keyed by section slug."""
    docs = content.load_all(
        CONTENT_DIR, known_pages=PAGE_SLUGS, known_sources=references().keys()
    )
    return content.docs_for_page(docs, page)
