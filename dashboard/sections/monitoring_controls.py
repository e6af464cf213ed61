"""The trough simulator's controls, and how the outputs read them back.

A teaching model only. The controls are one fragment (``CONTROLS``) and
what they drive another (``OUTPUTS``, in
:mod:`dashboard.sections.monitoring_simulator`): moving a control reruns only
the outputs (its callback asks for them by key, ``st.rerun([OUTPUTS])``);
choosing another drug reruns both, because it switches the start-day slider
on or off, and it asks for a new prediction. The controls are stacked in one
column, drawn beside the curve on wide screens.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from dashboard.core import pk
from dashboard.models import monitoring_simulator as model
from dashboard.models.monitoring_simulator import Band
from dashboard.sections import monitoring_predict as predict
from dashboard.ui import cached, keys, url_state

GENOTYPES = {
    "*3/*3": "CYP3A5 *3/*3 (non-expresser)",
    "*1 carrier": "CYP3A5 *1 carrier (expresser)",
}
VIEWS = ("Typical patient", "1,000 patients")
DRUG_HELP = (
    "Only drugs whose effect on tacrolimus is known as a usable size are offered. "
    "The table under the chart lists the others, with what is known about them."
)


@cached.shared
def band_options() -> dict[str, Band]:
    """Target trough bands by row id, built once for every session."""
    return model.band_options(cached.dataset("tacrolimus_trough_targets"))


#: Fragment keys: a control's callback reruns the outputs (and the controls).
CONTROLS = "pk_controls"
OUTPUTS = "pk_outputs"


def _rerun(*scope: str) -> None:
    """Callback of a control: rerun the fragments ``scope`` (or the page).

    Before either fragment has been drawn in this session Streamlit does not
    know their keys; then the whole page runs.
    """
    try:
        st.rerun(list(scope))
    except StreamlitAPIException:
        st.rerun()


def rerun_outputs() -> None:
    """Callback of a control: rerun what the controls drive."""
    _rerun(OUTPUTS)


def _rerun_all() -> None:
    _rerun(CONTROLS, OUTPUTS)


def _drug_changed() -> None:
    """Another drug: ask for a new prediction, then rerun both fragments."""
    st.session_state.pop(predict.REVEALED, None)
    st.session_state.pop(predict.FEEDBACK, None)
    _rerun_all()


#: Each control's value when the session has none (as the widgets' defaults).
DEFAULTS = {
    keys.PK_WEIGHT: 20,
    keys.PK_DOSE: 0.10,
    keys.PK_INTERVAL: 12,
    keys.PK_GENOTYPE: next(iter(GENOTYPES)),
    keys.PK_DAYS: 14,
    keys.PK_DRUG: "none",
    keys.PK_START: 5,
    keys.PK_VIEW: VIEWS[0],
}


def chosen(interactions: dict[str, pk.Interaction]) -> tuple[pk.Regimen, str, str, str]:
    """The controls' values as the session holds them: (regimen, band, drug, view).

    The controls fragment runs first on a full run, so the values are there;
    a value the session lacks (or a required control left empty by a cut link)
    falls back to the control's default.
    """
    state = st.session_state

    def value(key: str) -> object:
        found = state.get(key)
        return DEFAULTS[key] if found is None else found

    bands = band_options()
    band = state.get(keys.PK_BAND)
    band = band if band in bands else next(iter(bands))
    drug = value(keys.PK_DRUG)
    drug = drug if drug in interactions else "none"
    days = int(value(keys.PK_DAYS))
    regimen = pk.Regimen(
        weight_kg=float(value(keys.PK_WEIGHT)),
        dose_mg_per_kg=float(value(keys.PK_DOSE)),
        interval_h=float(value(keys.PK_INTERVAL)),
        expresser=value(keys.PK_GENOTYPE) == "*1 carrier",
        days=days,
        interaction_start_day=float(min(int(value(keys.PK_START)), days)),
    )
    view = value(keys.PK_VIEW)
    return regimen, band, drug, view if view in VIEWS else VIEWS[0]


def inputs(interactions: dict[str, pk.Interaction]) -> tuple[pk.Regimen, str, str, str]:
    """Controls; returns (baseline regimen, band id, drug id, view)."""
    bands = band_options()
    weight = st.slider(
        "Body weight (kg)",
        5,
        100,
        DEFAULTS[keys.PK_WEIGHT],
        key=keys.PK_WEIGHT,
        on_change=rerun_outputs,
        bind="query-params",
    )
    dose = st.slider(
        "Dose (mg/kg per dose)",
        0.0,
        0.30,
        DEFAULTS[keys.PK_DOSE],
        step=0.01,
        key=keys.PK_DOSE,
        on_change=rerun_outputs,
        bind="query-params",
        format="%.2f",
    )
    interval = st.segmented_control(
        "Dosing interval",
        (12, 24),
        default=DEFAULTS[keys.PK_INTERVAL],
        required=True,
        format_func=url_state.label(keys.PK_INTERVAL, lambda h: f"every {h} h"),
        key=keys.PK_INTERVAL,
        on_change=rerun_outputs,
        bind="query-params",
    )
    interval = url_state.required(
        interval, keys.PK_INTERVAL, DEFAULTS[keys.PK_INTERVAL]
    )
    genotype = st.radio(
        "CYP3A5 genotype",
        tuple(GENOTYPES),
        format_func=url_state.label(keys.PK_GENOTYPE, GENOTYPES.get),
        key=keys.PK_GENOTYPE,
        on_change=rerun_outputs,
        bind="query-params",
    )
    band = st.selectbox(
        "Target trough band (from trial protocols)",
        tuple(bands),
        format_func=url_state.label(keys.PK_BAND, lambda b: model.band_label(bands[b])),
        key=keys.PK_BAND,
        on_change=rerun_outputs,
        bind="query-params",
    )
    days = st.slider(
        "Days shown",
        3,
        28,
        DEFAULTS[keys.PK_DAYS],
        key=keys.PK_DAYS,
        on_change=rerun_outputs,
        bind="query-params",
    )
    drug = st.selectbox(
        "Compare: start another drug",
        ("none", *interactions),
        format_func=url_state.label(
            keys.PK_DRUG,
            lambda d: "No change" if d == "none" else interactions[d].name,
        ),
        key=keys.PK_DRUG,
        on_change=_drug_changed,
        bind="query-params",
        help=DRUG_HELP,
    )
    start = st.slider(
        "…starting on day",
        0,
        28,
        DEFAULTS[keys.PK_START],
        key=keys.PK_START,
        on_change=rerun_outputs,
        bind="query-params",
        disabled=drug == "none",
    )
    st.toggle(
        predict.SWITCH,
        value=True,
        key=keys.PK_PREDICT,
        on_change=rerun_outputs,
    )
    view = st.segmented_control(
        "Show",
        VIEWS,
        default=DEFAULTS[keys.PK_VIEW],
        required=True,
        key=keys.PK_VIEW,
        on_change=rerun_outputs,
        bind="query-params",
    )
    view = url_state.required(view, keys.PK_VIEW, VIEWS[0])
    regimen = pk.Regimen(
        weight_kg=float(weight),
        dose_mg_per_kg=float(dose),
        interval_h=float(interval),
        expresser=genotype == "*1 carrier",
        days=int(days),
        interaction_start_day=float(min(start, days)),
    )
    return regimen, band, drug, view
