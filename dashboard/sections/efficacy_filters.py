"""The Efficacy page's filters: compact, bound to the URL, one rerun each.

The filters are one fragment (:data:`FILTERS`), everything they change
another (:data:`EVIDENCE`, in :mod:`dashboard.sections.efficacy`). A filter's
callback reruns only the evidence (``st.rerun([EVIDENCE])``); the disease's
callback also reruns the filters, because it sets the comparator to that
disease's single default
(:func:`dashboard.models.efficacy_verdict.default_comparator`). "All" stays a
comparator option, and old links with ``eff_comparator=All`` still work.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from dashboard.core.efficacy import ALL, EvidenceFilter
from dashboard.core.schemas import COMPARATORS, DISEASE_GROUPS, OUTCOME_GROUPS
from dashboard.models.efficacy_verdict import default_comparator
from dashboard.ui import keys, presenter, url_state

DESIGN_WORDS = {
    "rct": "Randomised trial",
    "meta-analysis": "Meta-analysis or review",
    "observational": "Observational",
}
TIMEPOINTS = ("up to 6 months", "12 months or more", "final follow-up", "not stated")


def _all_or(value: str) -> str:
    return "All" if value == ALL else value[0].upper() + value[1:]


#: Fragment keys: a filter's callback reruns the evidence, not the filters.
FILTERS = "eff_filters"
EVIDENCE = "eff_evidence"
#: Each filter's value when the session has none (as the widgets' defaults).
DEFAULTS = {
    keys.EFF_DISEASE: DISEASE_GROUPS[0],
    keys.EFF_COMPARATOR: default_comparator(DISEASE_GROUPS[0]),
    keys.EFF_TIMEPOINT: ALL,
    keys.EFF_OUTCOME: "remission",
    keys.EFF_DESIGNS: (),
}


def _rerun_evidence() -> None:
    """Callback of a filter: rerun the evidence it drives (or, at first, the page).

    The filters themselves are not sent again: none depends on another.
    Before both fragments have been drawn in this session Streamlit does not
    know their keys; then the whole page runs.
    """
    try:
        st.rerun([EVIDENCE])
    except StreamlitAPIException:
        st.rerun()


def _disease_changed() -> None:
    """Callback of the disease filter: open on that disease's single comparator.

    Reruns the filters too, so the comparator box shows the new choice.
    """
    disease = st.session_state.get(keys.EFF_DISEASE) or DEFAULTS[keys.EFF_DISEASE]
    st.session_state[keys.EFF_COMPARATOR] = default_comparator(str(disease))
    try:
        st.rerun([FILTERS, EVIDENCE])
    except StreamlitAPIException:
        st.rerun()


def chosen_filter() -> EvidenceFilter:
    """The filters as the session holds them (a missing value: its default)."""
    state = st.session_state

    def value(key: str) -> object:
        found = state.get(key)
        return DEFAULTS[key] if found is None else found

    disease = str(value(keys.EFF_DISEASE))
    comparator = state.get(keys.EFF_COMPARATOR)
    return EvidenceFilter(
        disease=disease,
        comparator=default_comparator(disease) if comparator is None else comparator,
        designs=tuple(value(keys.EFF_DESIGNS)),
        outcome=str(value(keys.EFF_OUTCOME)),
        timepoint=str(value(keys.EFF_TIMEPOINT)),
    )


def filters() -> EvidenceFilter:
    """The filter controls, compact, all bound to the URL.

    Two rows: disease, comparator, follow-up and designs, then the outcome.
    In presenter mode one row (disease, comparator, outcome) with follow-up
    and designs folded below it, so the verdict and the forest plot fit the
    first screen of a projector. The comparator opens on the disease's single
    most studied comparator
    (:func:`dashboard.models.efficacy_verdict.default_comparator`); "All"
    stays an option, and an old link with ``eff_comparator=All`` still works.
    """
    presenting = presenter.is_on()
    top = st.columns([3, 3, 6] if presenting else [3, 3, 2, 2])
    if presenting:
        more = st.expander("More filters: follow-up and study designs")
        rest = more.columns(2)
    else:
        rest = top[2:]
    disease = top[0].selectbox(
        "Disease",
        (ALL, *DISEASE_GROUPS),
        index=1,
        format_func=url_state.label(keys.EFF_DISEASE, _all_or),
        key=keys.EFF_DISEASE,
        on_change=_disease_changed,
        bind="query-params",
    )
    options = (ALL, *COMPARATORS)
    comparator = top[1].selectbox(
        "Compared with",
        options,
        # a link that names only a disease opens on that disease's comparator
        index=options.index(default_comparator(disease)),
        format_func=url_state.label(keys.EFF_COMPARATOR, _all_or),
        key=keys.EFF_COMPARATOR,
        on_change=_rerun_evidence,
        bind="query-params",
    )
    timepoint = rest[0].selectbox(
        "Follow-up",
        (ALL, *TIMEPOINTS),
        format_func=url_state.label(keys.EFF_TIMEPOINT, _all_or),
        key=keys.EFF_TIMEPOINT,
        on_change=_rerun_evidence,
        bind="query-params",
    )
    designs = rest[1].multiselect(
        "Study designs",
        tuple(DESIGN_WORDS),
        format_func=url_state.label(keys.EFF_DESIGNS, DESIGN_WORDS.get),
        key=keys.EFF_DESIGNS,
        on_change=_rerun_evidence,
        bind="query-params",
        placeholder="All designs",
    )
    outcome = (top[2] if presenting else st).segmented_control(
        "Outcome",
        OUTCOME_GROUPS[:-1],
        default=DEFAULTS[keys.EFF_OUTCOME],
        required=True,
        format_func=url_state.label(keys.EFF_OUTCOME, str.capitalize),
        key=keys.EFF_OUTCOME,
        on_change=_rerun_evidence,
        bind="query-params",
    )
    outcome = url_state.required(outcome, keys.EFF_OUTCOME, DEFAULTS[keys.EFF_OUTCOME])
    return EvidenceFilter(
        disease=disease,
        comparator=comparator,
        designs=tuple(designs),
        outcome=outcome,
        timepoint=timepoint,
    )
