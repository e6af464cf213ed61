"""Cached loaders: the only place where ``st.cache_data`` wraps core functions.

Also the one shared resource, the poll store (``st.cache_resource``), which
holds only a database URL: every call opens its own connection.

Each loader returns validated data or raises the core's ``DataError`` /
``ContentError``; views catch those through :mod:`dashboard.ui.errors`.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts import epidemiology
from dashboard.core import content, datasets, pk, pk_data, polls, schemas
from dashboard.core.paths import CONTENT_DIR, DATA_DIR, DEFAULT_POLLS_DB
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


_STATIC_FIGURES = {
    "histology": (
        "ns_histology_by_age",
        epidemiology.histology_cohorts_figure,
        epidemiology.histology_alt_text,
    ),
    "mcd_share": (
        "ns_histology_by_age",
        epidemiology.mcd_share_figure,
        epidemiology.mcd_share_alt_text,
    ),
    "steroid_course": (
        "ns_steroid_course",
        epidemiology.steroid_course_figure,
        epidemiology.steroid_course_alt_text,
    ),
    "complications": (
        "ns_complications",
        epidemiology.complications_figure,
        epidemiology.complications_alt_text,
    ),
}


@st.cache_data(show_spinner=False)
def static_figure(kind: str) -> tuple[go.Figure, str]:
    """A figure that depends only on one dataset, with its alt text, built once."""
    name, build, describe = _STATIC_FIGURES[kind]
    frame = dataset(name)
    return build(frame), describe(frame)


@st.cache_data(show_spinner=False, max_entries=64)
def population_bands(
    regimen: pk.Regimen, n: int = 1000
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bands of ``n`` simulated patients (cached per regimen)."""
    model = pk_data.population_model(dataset("pk_parameters"))
    params = pk.sampled_parameters(model, regimen, n)
    sim = pk.simulate(regimen, params, step_h=0.5)
    return sim.times_h, pk.percentiles(sim)


def polls_url() -> str:
    """``DATABASE_URL`` if set, else the SQLite file in ``.data/``."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_POLLS_DB}"


@st.cache_resource(show_spinner=False)
def poll_store(url: str) -> polls.PollStore:
    """One store per database URL (creates the tables on first use)."""
    return polls.PollStore(url)
