"""Cached loaders: the only place where Streamlit's caches wrap core functions.

Everything here is loaded or built once and then shared by every session
(``st.cache_resource``), read-only: validated datasets and content, Plotly
figures, derived view data, and the poll store (which holds only a database
URL; every call opens its own connection). ``st.cache_data`` would unpickle a
fresh copy on every call instead, about 0.1-0.3 ms per data frame and 12 ms
per figure, which a lecture hall of reruns cannot afford (``make load-bench``).

Shared means nobody may change what they get: pandas 3 copies on write, so
filtering or assigning to a derived frame never touches the cached one, and
``tests/app/test_shared_caches.py`` checks after every page that the cached
data still equal a fresh load.

Data loaders return validated data or raise the core's ``DataError``; views
catch it through :mod:`dashboard.ui.errors`. Content loaders never raise for a
broken file: :func:`page_docs` gives each page its usable sections and its
broken files (shown in their sections by :mod:`dashboard.ui.page`), and
:func:`references` is empty when ``references.csv`` is broken. Those two
results, broken or not, are kept for the life of the process (content is
parsed once, not per rerun): restart the server after fixing a file.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from dashboard.charts import epidemiology
from dashboard.charts.chart import Chart
from dashboard.core import content, datasets, efficacy, pk, pk_data, polls, schemas
from dashboard.core.paths import CONTENT_DIR, DATA_DIR, DEFAULT_POLLS_DB
from dashboard.core.site import PAGE_SLUGS
from dashboard.patches import plotly_json

#: Frozen dataclasses of plain values (numbers, strings, tuples and each other),
#: hashed by their ``repr``. Streamlit hashes a dataclass through
#: ``dataclasses.asdict``, a deep copy on every call: with py-spy, 15 % of the
#: trough simulator's CPU per dose move went to hashing its ``Regimen``.
#: ``tests/unit/test_cached_keys.py`` checks that every field is a plain value,
#: so that the ``repr`` holds the whole value.
VALUE_TYPES: tuple[type, ...] = (
    pk.Regimen,
    pk.Interaction,
    pk.PopulationModel,
    efficacy.EvidenceFilter,
)
_VALUE_HASH: dict[Any, Callable[[Any], Any]] = dict.fromkeys(VALUE_TYPES, repr)


def shared(func: Callable[..., Any]) -> Callable[..., Any]:
    """Compute ``func`` once per distinct (small, hashable) input for all sessions.

    For derived view data (filtered rows, figures, alt texts, tables) keyed by
    a page's control values. Results are shared, not copied: callers must not
    change them. Figures inside should be passed through :func:`freeze`.
    """
    return st.cache_resource(
        show_spinner=False, max_entries=256, hash_funcs=_VALUE_HASH
    )(func)


class SharedFigure(go.Figure):
    """A figure that is never changed once built, so its dict is made only once.

    ``st.plotly_chart`` calls ``to_dict()`` on every run, which deep-copies the
    whole figure (about 1 ms for a small one); a shared figure hands out the
    same dict each time. Copies made with ``go.Figure(fig)`` are ordinary
    figures again.
    """

    def to_dict(self) -> dict:
        """The figure as a dict, computed on the first call and reused."""
        frozen = self.__dict__.get("_frozen_dict")
        if frozen is None:
            frozen = super().to_dict()
            self.__dict__["_frozen_dict"] = frozen
            plotly_json.remember(frozen)
        return frozen


def freeze(fig: go.Figure) -> SharedFigure:
    """Mark ``fig`` as shared and never to be changed again (see SharedFigure)."""
    fig.__class__ = SharedFigure
    return fig


_ARROW: OrderedDict[int, tuple[pd.DataFrame, pa.Table | pd.DataFrame]] = OrderedDict()
_ARROW_LOCK = threading.Lock()
_ARROW_LIMIT = 512


def arrow_table(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """``frame`` as an Arrow table, converted once per shared frame.

    ``st.dataframe`` converts a pandas frame to Arrow on every run (with
    py-spy, 12-15 % of the efficacy section's CPU per filter move); given an
    Arrow table it only writes it out. Frames from the shared caches are the
    same object on every run, so their conversion is remembered by identity
    (holding the frame, so that its id cannot be reused; the oldest 512 are
    dropped). A frame Arrow cannot type (mixed objects in a column) is
    returned as it is, for Streamlit's own conversion.
    """
    with _ARROW_LOCK:
        entry = _ARROW.get(id(frame))
        if entry is not None and entry[0] is frame:
            _ARROW.move_to_end(id(frame))
            return entry[1]
    try:
        table: pa.Table | pd.DataFrame = pa.Table.from_pandas(
            frame, preserve_index=False
        )
    except (pa.ArrowException, TypeError, ValueError):
        table = frame
    with _ARROW_LOCK:
        _ARROW[id(frame)] = (frame, table)
        while len(_ARROW) > _ARROW_LIMIT:
            _ARROW.popitem(last=False)
    return table


@st.cache_resource(show_spinner=False)
def dataset(name: str) -> pd.DataFrame:
    """The validated dataset ``content/data/<name>.csv``."""
    return datasets.load_dataset(schemas.SCHEMAS[name], DATA_DIR)


@dataclasses.dataclass(frozen=True)
class ReferenceLinks:
    """Reference id → (short label, URL/PMID/DOI), or why there are none.

    ``problem`` is the ``DataError`` of a broken ``references.csv``; ``links``
    is then empty and citations show their ids without links.
    """

    links: dict[str, tuple[str, str]]
    problem: datasets.DataError | None = None


@st.cache_resource(show_spinner=False)
def reference_links() -> ReferenceLinks:
    """The reference table for inline citations, or its problem (read once).

    ``references.csv`` is shared by every page, so a broken copy must not
    take any page's text away: it is reported once per page
    (:func:`dashboard.ui.page.open_page`) and citations lose their links.
    """
    try:
        frame = dataset("references")
    except datasets.DataError as error:
        return ReferenceLinks({}, error)
    return ReferenceLinks(
        {
            str(row.id): (str(row.short), str(row.source_url))
            for row in frame.itertuples(index=False)
        }
    )


def references() -> dict[str, tuple[str, str]]:
    """Reference id → (short label, URL/PMID/DOI); empty if the file is broken."""
    return reference_links().links


@st.cache_resource(show_spinner=False)
def page_docs(page: str) -> content.PageContent:
    """``page``'s sections and broken files, read once per process and shared.

    Reads only ``page``'s own folder, each file on its own
    (:func:`dashboard.core.content.load_page`): a broken file is a
    ``ContentProblem`` for its section, never an exception for the page. If
    ``references.csv`` is broken, the sections' ``sources`` are not checked
    against it (its own message says so), rather than losing the text; that
    state is kept for the process as this result is, and cleared with it.
    """
    links = reference_links()
    return content.load_page(
        CONTENT_DIR,
        page,
        known_pages=PAGE_SLUGS,
        known_sources=links.links.keys() if links.problem is None else None,
    )


_STATIC_CHARTS = {
    "histology": ("ns_histology_by_age", epidemiology.histology_chart),
    "mcd_share": ("ns_histology_by_age", epidemiology.mcd_share_chart),
    "steroid_course": ("ns_steroid_course", epidemiology.steroid_course_chart),
    "complications": ("ns_complications", epidemiology.complications_chart),
}


@st.cache_resource(show_spinner=False)
def static_chart(kind: str) -> Chart:
    """A chart built once from one dataset (its figure frozen), for all sessions."""
    name, build = _STATIC_CHARTS[kind]
    chart = build(dataset(name))
    freeze(chart.figure)
    return chart


@st.cache_resource(show_spinner=False)
def pk_interactions() -> dict[str, pk.Interaction]:
    """The interacting drugs the simulator offers, by id (built once, shared).

    Turning the rows into ``Interaction`` objects costs about 2 ms, too much
    for every run of the monitoring page.
    """
    return pk_data.interactions(dataset("pk_interactions"))


def polls_url() -> str:
    """``DATABASE_URL`` if set, else the SQLite file in ``.data/``."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_POLLS_DB}"


@st.cache_resource(show_spinner=False)
def poll_store(url: str) -> polls.PollStore:
    """One store per database URL (creates the tables on first use)."""
    return polls.PollStore(url)
