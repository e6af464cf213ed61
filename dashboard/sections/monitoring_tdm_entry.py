"""The form for a student's own patient and levels (measured-levels mode).

A teaching model only. Everything typed is checked by
:func:`dashboard.models.monitoring_tdm.entered_patient`; a problem is shown
as a message under the form and the rest of the page keeps working. The last
accepted patient is kept in the session, so a mistyped resubmission loses
nothing already entered.
"""

from __future__ import annotations

import streamlit as st

from dashboard.models import monitoring_tdm as model
from dashboard.ui import keys

GENOTYPES = ("CYP3A5 *3/*3 (non-expresser)", "CYP3A5 *1 carrier (expresser)")


def form(values: model.LessonValues) -> model.Patient | None:
    """The form; returns the accepted patient (this run's or the last one)."""
    with st.form(keys.TDM_FORM, border=True):
        st.markdown(
            "**Your patient.** Doses are taken as given at the same time every "
            "12 or 24 hours from day 1. Leave a level's row empty to skip it."
        )
        left, right = st.columns(2)
        weight = left.number_input(
            "Body weight (kg)", min_value=0.0, max_value=200.0, value=20.0, step=1.0
        )
        genotype = right.selectbox("CYP3A5 genotype", GENOTYPES)
        left, right = st.columns(2)
        dose = left.number_input(
            "Dose each time (mg)",
            min_value=0.0,
            max_value=100.0,
            value=2.0,
            step=values.capsule_mg,
        )
        interval = right.selectbox("Every", (12, 24), format_func=lambda h: f"{h} h")
        entries = []
        for number in range(1, model.MAX_LEVELS + 1):
            st.markdown(f"Level {number}")
            day, hours, conc = st.columns(3)
            entries.append(
                model.Entry(
                    day=day.number_input(
                        f"Day of level {number}",
                        min_value=0,
                        max_value=60,
                        value=None,
                        step=1,
                        placeholder="day",
                    ),
                    hours=hours.number_input(
                        f"Hours after that day's first dose, level {number}",
                        min_value=0.0,
                        max_value=48.0,
                        value=None,
                        step=0.5,
                        placeholder="hours",
                    ),
                    conc=conc.number_input(
                        f"Level {number} (ng/mL)",
                        min_value=-1000.0,
                        max_value=10000.0,
                        value=None,
                        step=0.1,
                        placeholder="ng/mL",
                    ),
                )
            )
        submitted = st.form_submit_button("Fit these levels", type="primary")
    if submitted:
        patient, problems = model.entered_patient(
            weight_kg=weight,
            expresser=genotype == GENOTYPES[1],
            dose_mg=dose,
            interval_h=float(interval),
            entries=entries,
        )
        if problems:
            st.error(
                "The fit cannot use these entries yet:\n\n"
                + "\n".join(f"- {p}" for p in problems),
                icon=":material/error:",
            )
            kept = st.session_state.get(keys.TDM_ENTERED)
            if kept is not None:
                st.caption("Showing the last levels the fit accepted.")
            return kept
        st.session_state[keys.TDM_ENTERED] = patient
        return patient
    kept = st.session_state.get(keys.TDM_ENTERED)
    if kept is None:
        st.info(
            'Enter the patient and at least one level, then press "Fit these levels".',
            icon=":material/edit_note:",
        )
    return kept
