"""Measured-levels mode of the trough simulator: a teaching model only.

Widgets and layout over :mod:`dashboard.models.monitoring_tdm` (the patient)
and :mod:`dashboard.models.monitoring_tdm_fit` (the fit and its words). One
fragment: a moved control reruns this section alone.

Predict, then reveal: the student sees the population's band and the
measured levels, guesses the dose, and only then sees the fit, the dose it
proposes and how far the guess was. A new patient, lesson or set of levels
asks again.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.charts import tdm as tdm_charts
from dashboard.charts.chart import Chart
from dashboard.core import pk, pk_data
from dashboard.models import monitoring_tdm as model
from dashboard.models import monitoring_tdm_fit as fitting
from dashboard.sections import monitoring_controls as panel
from dashboard.sections import monitoring_tdm_entry as entry
from dashboard.ui import cached, fragments, keys, url_state
from dashboard.ui.charts import show
from dashboard.ui.sources import provenance

MODES = ("A virtual patient", "Levels I enter")
#: Virtual patients offered (each number is another draw from the model).
PATIENTS = 50
BANNER = (
    "**Teaching model, not for dosing patients.** The fit uses a published "
    "population model of children with nephrotic syndrome; the dose it proposes "
    "is a teaching estimate, not a dose. Real dosing is set by clinicians."
)
#: The guess the fit was revealed with (the guess box's own key is a widget's).
GUESSED = "tdm_guessed"
#: Default target band: the trough band of the trial in steroid-dependent or
#: frequently relapsing nephrotic syndrome (tacrolimus_trough_targets.csv).
DEFAULT_BAND = "TROUGH-03"


@cached.shared
def _model() -> pk.PopulationModel:
    return pk_data.population_model(cached.dataset("pk_parameters"))


@cached.shared
def _values() -> model.LessonValues:
    return model.lesson_values(cached.dataset("pk_parameters"))


@cached.shared
def _virtual(seed: int, lesson: str, occasion: int, told: bool) -> model.Virtual:
    return model.virtual_patient(
        _model(),
        _values(),
        seed=seed,
        lesson=lesson,
        occasion=occasion,
        told=told,
        interactions=cached.pk_interactions(),
    )


@cached.shared
def _analysis(
    patient: model.Patient, used: int, band: tuple[float, float]
) -> fitting.Analysis:
    return fitting.analyse(_model(), patient, used, band, _values())


@cached.shared
def _charts(
    patient: model.Patient,
    used: int,
    band: tuple[float, float],
    revealed: bool,
    true_cl: float | None,
) -> tuple[Chart, Chart | None]:
    analysis = _analysis(patient, used, band)
    levels = [(lv.time_h, lv.conc) for lv in patient.levels]
    course = tdm_charts.course_chart(
        analysis.times_h,
        analysis.population,
        analysis.individual if revealed else None,
        levels=levels,
        used=used,
        band=band,
        alt=fitting.analysis_alt(analysis, revealed=revealed),
    )
    cached.freeze(course.figure)
    if not revealed:
        return course, None
    fit = analysis.fit
    clearance = tdm_charts.clearance_chart(
        typical_cl=fit.typical_cl,
        omega_cl=analysis.omega_cl,
        cl=fit.cl,
        sd_log=fit.cl_sd_log,
        true_cl=true_cl,
    )
    cached.freeze(clearance.figure)
    return course, clearance


@fragments.section("the measured-levels fit", key="tdm")
def section() -> None:
    """Levels in (a virtual patient or the student's), the fit, the dose."""
    st.warning(BANNER, icon=":material/medication:")
    st.caption(fitting.new_patient_sentence(_values()))
    mode = st.segmented_control(
        "Levels from",
        MODES,
        default=MODES[0],
        required=True,
        key=keys.TDM_MODE,
        bind="query-params",
    )
    mode = url_state.required(mode, keys.TDM_MODE, MODES[0])
    virtual = None
    if mode == MODES[0]:
        virtual = _virtual_controls()
        patient = virtual.patient
    else:
        patient = entry.form(_values())
        if patient is None:
            return
    bands = panel.band_options()
    band_id = st.selectbox(
        "Target trough band (from trial protocols)",
        tuple(bands),
        index=tuple(bands).index(DEFAULT_BAND) if DEFAULT_BAND in bands else 0,
        format_func=url_state.label(keys.TDM_BAND, lambda b: _band_label(bands[b])),
        key=keys.TDM_BAND,
        bind="query-params",
    )
    band = bands.get(band_id) or next(iter(bands.values()))
    used = _levels_used(patient)
    _fit(patient, used, (band[0], band[1]), virtual)


def _band_label(band: tuple[float, float, str]) -> str:
    return f"{band[0]:g}-{band[1]:g} ng/mL: {band[2]}"


def _virtual_controls() -> model.Virtual:
    """Which virtual patient, what happened to them, and which occasion."""
    left, right = st.columns(2)
    seed = left.slider(
        "Virtual patient",
        1,
        PATIENTS,
        1,
        key=keys.TDM_PATIENT,
        bind="query-params",
        help="Each number is another patient, drawn from the population model.",
    )
    lesson = right.selectbox(
        "What happened between the levels",
        tuple(model.LESSONS),
        format_func=url_state.label(keys.TDM_LESSON, lambda i: model.LESSONS[i].label),
        key=keys.TDM_LESSON,
        bind="query-params",
    )
    # Always drawn (a link may carry it), switched on only for rifampicin.
    told = st.toggle(
        "Tell the fit about rifampicin",
        key=keys.TDM_TOLD,
        bind="query-params",
        disabled=lesson != "inducer",
    )
    told = bool(told) and lesson == "inducer"
    occasion = int(st.session_state.get(keys.TDM_OCCASION) or 0)
    virtual = _virtual(int(seed or 1), lesson or "planned", occasion, bool(told))
    patient = virtual.patient
    genotype = "expresser" if patient.expresser else "non-expresser"
    st.markdown(
        f"**Patient {virtual.seed}:** {patient.weight_kg:g} kg, CYP3A5 {genotype}, "
        f"tacrolimus {patient.dose_mg:g} mg every {patient.interval_h:g} h since "
        "day 1. Troughs measured before the morning dose on days 3, 5, 8 and 12: "
        + ", ".join(f"{lv.conc:g}" for lv in patient.levels)
        + " ng/mL."
    )
    st.button(
        "Draw these levels again on other days",
        icon=":material/replay:",
        on_click=_next_occasion,
        help="The same patient, another set of days: within-patient variation.",
    )
    st.caption(fitting.occasion_sentence(_values()))
    return virtual


def _next_occasion() -> None:
    st.session_state[keys.TDM_OCCASION] = (
        int(st.session_state.get(keys.TDM_OCCASION) or 0) + 1
    )


def _levels_used(patient: model.Patient) -> int:
    count = len(patient.levels)
    if count == 0:
        st.info("No level entered: the fit is the population's typical patient.")
        return 0
    if count == 1:
        return 1
    return int(
        st.slider(
            "Levels the fit uses (add them one at a time)",
            0,
            count,
            count,
            key=keys.TDM_USED,
            bind="query-params",
        )
    )


def _identity(patient: model.Patient, used: int, band: tuple[float, float]) -> str:
    """What the guess was made for: a new patient or choice asks again."""
    return repr((patient, used, band))


def _fit(
    patient: model.Patient,
    used: int,
    band: tuple[float, float],
    virtual: model.Virtual | None,
) -> None:
    values = _values()
    identity = _identity(patient, used, band)
    revealed = st.session_state.get(keys.TDM_REVEALED) == identity
    truth = virtual.truth.cl if (virtual is not None and revealed) else None
    course, clearance = _charts(patient, used, band, revealed, truth)
    if not revealed:
        _predict(patient, identity)
        show(course, key="tdm_course")
        return
    analysis = _analysis(patient, used, band)
    _numbers(analysis)
    st.markdown(fitting.fit_sentence(analysis))
    show(course, key="tdm_course")
    guess = st.session_state.get(GUESSED)
    if guess:
        st.info(
            fitting.guess_sentence(analysis, float(guess)), icon=":material/target:"
        )
    st.markdown(fitting.proposal_sentence(analysis, values.capsule_mg))
    if virtual is not None:
        lesson = fitting.lesson_sentence(virtual, analysis, values)
        if lesson:
            st.markdown(lesson)
        st.markdown(fitting.truth_sentence(_model(), virtual, analysis))
    if clearance is not None:
        show(clearance, key="tdm_clearance")
    st.markdown(
        "**How the estimate narrowed as levels were added** (clearance in L/h; "
        "width of the 95 % interval as a share of the estimate)"
    )
    st.dataframe(pd.DataFrame(fitting.narrowing_rows(analysis)), hide_index=True)
    st.caption(
        fitting.cpic_sentence(
            analysis,
            pk_data.reference_values(cached.dataset("pk_parameters")),
            model.START_MG_PER_KG,
        )
    )
    _sources()


def _predict(patient: model.Patient, identity: str) -> None:
    """Ask for the student's dose before the fit is shown."""
    with st.form("tdm_predict", border=True):
        st.markdown(
            "**Guess the dose first.** From the levels and the population's band, what "
            f"dose every {patient.interval_h:g} h would bring the trough to the "
            "middle of the target band?"
        )
        st.number_input(
            "Your dose (mg each time)",
            min_value=0.0,
            max_value=50.0,
            value=None,
            step=0.5,
            key=keys.TDM_GUESS,
        )
        left, right = st.columns(2)
        left.form_submit_button(
            "Show the fit", type="primary", on_click=_reveal, args=(identity, True)
        )
        right.form_submit_button(
            "Skip the guess", on_click=_reveal, args=(identity, False)
        )


def _reveal(identity: str, keep_guess: bool) -> None:
    """Callback of the prediction form: show the fit, keeping the guess or not."""
    state = st.session_state
    state[GUESSED] = state.get(keys.TDM_GUESS) if keep_guess else None
    state[keys.TDM_REVEALED] = identity


def _numbers(analysis: fitting.Analysis) -> None:
    p = analysis.proposal
    step = analysis.steps[-1]
    columns = st.columns(2)
    columns[0].metric(
        "Clearance, fitted (L/h)",
        f"{analysis.fit.cl:.1f}",
        help=f"95 % interval {step.low:.1f}-{step.high:.1f} L/h.",
    )
    columns[1].metric(
        "Proposed dose (mg)",
        f"{p.dose_mg:g}",
        help="Rounded to the smallest capsule. A teaching estimate, not a dose.",
    )
    columns = st.columns(2)
    columns[0].metric("Predicted trough (ng/mL)", f"{p.trough:.1f}")
    columns[1].metric("AUC over one interval (ng·h/mL)", f"{p.auc:.0f}")


def _sources() -> None:
    provenance(
        lambda: model.source_rows(
            cached.dataset("pk_parameters"),
            cached.dataset("pk_interactions"),
            cached.dataset("monitoring_plan"),
        ),
        key="tdm_sources",
        describe=model.describe_source,
        title="Where the fit's and the lessons' numbers come from",
    )
