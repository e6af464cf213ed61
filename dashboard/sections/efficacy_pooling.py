"""The pooling sandbox on the Efficacy page: one fragment, bound to the URL.

A student picks a question (a group of rows that may be pooled,
:func:`dashboard.models.efficacy_pooling_rows.poolable_groups`), a measure and
a method, and leaves studies out by clicking them on the forest plot, or,
without a mouse, with the studies' checkboxes. Everything is one
fragment (:data:`keys.POOL_FRAGMENT`): a control or a click reruns only it,
and the pooled diamond, the numbers and the per-1000 panel are redrawn
together.

State lives in the session under the keys of :mod:`dashboard.ui.keys`:

* the question and the observational switch are widgets, the pooled rows a
  session value (each study's checkbox is drawn from it); the link carries
  them in three parameters of its own
  (:mod:`dashboard.models.efficacy_pooling_link`), written after every run
  and read when the section first runs in a session, so that a link with
  unknown or incompatible rows opens the default pool with a notice;
* measure, method and Hartung-Knapp are bound to the URL by Streamlit
  (``bind="query-params"``).

A click on a study point arrives as the chart's selection on the next run.
Every click changes the figure (the study turns grey or back), and a figure
with another spec is a new chart widget in Streamlit, whose selection starts
empty; so a selection seen at the start of a run is always a new click.

What the sandbox shows, and the results shared by all sessions, are in
:mod:`dashboard.sections.efficacy_pooling_results`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.core.content import ContentDoc
from dashboard.models import efficacy_pooling_link as link
from dashboard.models import efficacy_pooling_rows as rows
from dashboard.sections import efficacy_pooling_results as results
from dashboard.ui import cached, fragments, keys, markdown, url_state

MEASURES = {"RR": "Risk ratio", "OR": "Odds ratio"}
METHODS = {
    "fixed": "Fixed effect",
    "dl": "Random effects, DerSimonian-Laird",
    "pm": "Random effects, Paule-Mandel",
}
DEFAULT_MEASURE, DEFAULT_METHOD = "RR", "dl"
EVIDENCE = results.EVIDENCE


def sandbox(doc: ContentDoc | None) -> None:
    """The section's text, then the sandbox (a fragment)."""
    if doc is not None:
        markdown.section(doc)
    pool()


@fragments.section("the pooling sandbox", key=keys.POOL_FRAGMENT)
def pool() -> None:
    """Controls, the forest plot with its pooled diamond, numbers and tables."""
    evidence = cached.dataset(EVIDENCE)
    groups = results.groups()
    _open_link(evidence)
    clicked = link.after_click(
        evidence,
        _selection(evidence, groups),
        link.clicked_row(st.session_state.get(keys.POOL_FOREST)),
    )
    if clicked is not None:
        _hold(clicked)
    _link_notices()
    _controls(groups)
    selection = _selection(evidence, groups)
    _write_link(evidence, selection)
    drawn = results.drawn(
        link.group_id(selection.group),
        selection.pooled,
        selection.observational,
        *_options(),
    )
    results.show_results(drawn)


# --- state ---------------------------------------------------------------------------


def _selection(
    evidence: pd.DataFrame, groups: tuple[rows.PoolGroup, ...]
) -> rows.PoolSelection:
    """The selection the session holds (the widgets' values)."""
    state = st.session_state
    return link.current(
        evidence,
        groups,
        state.get(keys.POOL_GROUP),
        bool(state.get(keys.POOL_OBSERVATIONAL, False)),
        state.get(keys.POOL_POOLED) or (),
    )


def _previous(observational: bool | None = None) -> rows.PoolSelection:
    """The selection as last drawn (for a callback, before the widgets' new value)."""
    state = st.session_state
    shown = state.get(keys.POOL_OBSERVATIONAL, False)
    return link.current(
        cached.dataset(EVIDENCE),
        results.groups(),
        state.get(keys.POOL_GROUP),
        bool(shown if observational is None else observational),
        state.get(keys.POOL_POOLED) or (),
    )


def _hold(selection: rows.PoolSelection) -> None:
    """Make ``selection`` the session's (before the widgets are drawn)."""
    state = st.session_state
    state[keys.POOL_GROUP] = link.group_id(selection.group)
    state[keys.POOL_OBSERVATIONAL] = selection.observational
    state[keys.POOL_POOLED] = selection.pooled
    state.pop(keys.POOL_NOTICES, None)


def _open_link(evidence: pd.DataFrame) -> None:
    """On the section's first run in a session, take the pool the link names."""
    if keys.POOL_GROUP in st.session_state:
        return
    params = st.query_params
    selection, notices = link.from_link(
        evidence,
        params.get(keys.POOL_IN),
        params.get(keys.POOL_OUT),
        params.get(keys.POOL_OBS),
    )
    _hold(selection)
    if notices:
        st.session_state[keys.POOL_NOTICES] = notices


def _write_link(evidence: pd.DataFrame, selection: rows.PoolSelection) -> None:
    """Put the pool into the address (only the parameters that changed)."""
    values = link.link_values(evidence, selection)
    params = st.query_params
    for part, name in (
        (link.IN, keys.POOL_IN),
        (link.OUT, keys.POOL_OUT),
        (link.OBSERVATIONAL, keys.POOL_OBS),
    ):
        wanted = values.get(part)
        if wanted is None and name in params:
            del params[name]
        elif wanted is not None and params.get(name) != wanted:
            params[name] = wanted


def _options() -> tuple[str, str, bool]:
    state = st.session_state
    measure = state.get(keys.POOL_MEASURE) or DEFAULT_MEASURE
    method = state.get(keys.POOL_METHOD) or DEFAULT_METHOD
    return (
        measure if measure in MEASURES else DEFAULT_MEASURE,
        method if method in METHODS else DEFAULT_METHOD,
        bool(state.get(keys.POOL_HKSJ, False)),
    )


# --- callbacks (each runs before the fragment's rerun) --------------------------------


def _group_changed() -> None:
    state = st.session_state
    group = link.group_of(results.groups(), state.get(keys.POOL_GROUP))
    if group is None:
        return
    observational = bool(state.get(keys.POOL_OBSERVATIONAL, False))
    _hold(link.for_group(cached.dataset(EVIDENCE), group, observational))


def _observational_changed() -> None:
    on = bool(st.session_state.get(keys.POOL_OBSERVATIONAL, False))
    previous = _previous(observational=not on)
    _hold(link.with_observational(cached.dataset(EVIDENCE), previous, on))


def _study_toggled(row_id: str) -> None:
    """A study's checkbox: the same as a click on its point in the plot."""
    after = link.after_click(cached.dataset(EVIDENCE), _previous(), row_id)
    if after is not None:
        _hold(after)


def _randomised_only() -> None:
    _hold(link.randomised_only(cached.dataset(EVIDENCE), _previous()))


def _all_shown() -> None:
    previous = _previous()
    _hold(
        link.for_group(cached.dataset(EVIDENCE), previous.group, previous.observational)
    )


# --- drawing -------------------------------------------------------------------------


def _link_notices() -> None:
    notices = st.session_state.get(keys.POOL_NOTICES)
    if notices:
        st.warning("\n\n".join(notices), icon=":material/link_off:")


def _controls(groups: tuple[rows.PoolGroup, ...]) -> None:
    """The question, the measure and method, and the studies in the pool."""
    labels = {link.group_id(g): link.group_label(g) for g in groups}
    st.selectbox(
        "Question to pool",
        list(labels),
        format_func=labels.get,
        key=keys.POOL_GROUP,
        on_change=_group_changed,
        help="Rows pool together only with the same disease, comparator, "
        "outcome, time window and direction.",
    )
    how = st.columns([2, 3, 3], vertical_alignment="bottom")
    measure = how[0].segmented_control(
        "Measure",
        tuple(MEASURES),
        default=DEFAULT_MEASURE,
        required=True,
        format_func=url_state.label(keys.POOL_MEASURE, MEASURES.get),
        key=keys.POOL_MEASURE,
        bind="query-params",
    )
    url_state.required(measure, keys.POOL_MEASURE, DEFAULT_MEASURE)
    how[1].selectbox(
        "Method",
        tuple(METHODS),
        index=tuple(METHODS).index(DEFAULT_METHOD),
        format_func=url_state.label(keys.POOL_METHOD, METHODS.get),
        key=keys.POOL_METHOD,
        bind="query-params",
        help="Fixed effect: one true effect shared by every study "
        "(Mantel-Haenszel when all have counts, else inverse variance). Random "
        "effects: the true effect varies between studies, by τ² "
        "(DerSimonian-Laird or Paule-Mandel).",
    )
    with how[2]:
        st.toggle(
            "Observational studies",
            key=keys.POOL_OBSERVATIONAL,
            on_change=_observational_changed,
            help="Off: randomised trials only. On: cohorts too, with a warning.",
        )
        st.toggle(
            "Hartung-Knapp",
            key=keys.POOL_HKSJ,
            bind="query-params",
            help="Random effects only: a wider, t-based interval that allows for "
            "the uncertainty in τ².",
        )
    _studies(groups)


def _studies(groups: tuple[rows.PoolGroup, ...]) -> None:
    """One checkbox per study shown: the keyboard's way to click the plot."""
    state = st.session_state
    group = link.group_of(groups, state.get(keys.POOL_GROUP))
    if group is None:
        return
    pooled = set(state.get(keys.POOL_POOLED) or ())
    names = results.labels()
    st.markdown("**Studies in the pool** (the same as clicking a study on the plot)")
    box = st.container(horizontal=True, gap="medium", key="pool-studies")
    for row_id in group.shown(bool(state.get(keys.POOL_OBSERVATIONAL))):
        key = f"{keys.POOL_STUDY_PREFIX}{row_id}"
        state[key] = row_id in pooled
        box.checkbox(
            names.get(row_id, row_id),
            key=key,
            on_change=_study_toggled,
            args=(row_id,),
        )
    buttons = st.container(horizontal=True, gap="small")
    buttons.button("RCTs only", key=keys.POOL_RCTS_ONLY, on_click=_randomised_only)
    buttons.button("Every study", key=keys.POOL_ALL_SHOWN, on_click=_all_shown)
