"""Predict, then reveal: the trough simulator asks before it shows a drug's effect.

Predict–Observe–Explain: when the student picks an interacting drug, the
page asks for the new trough *before* it draws the changed curve, its trough
or the sentence that says how far the drug moves it. Only after "Reveal"
(with a number entered) or an explicit "Skip" does the change appear, with
how far the prediction was. Predicting is the default path; the simulator's
"Predict first" switch turns it off for the session.

The answer stays revealed for that drug while the student moves the other
controls; picking another drug asks again. The model sentence about the
prediction is kept only for the inputs it was made on.
"""

from __future__ import annotations

import streamlit as st

from dashboard.core import pk
from dashboard.models import monitoring_simulator as model
from dashboard.ui import keys

#: Session keys (:mod:`dashboard.ui.keys`): the drug whose change is revealed,
#: the feedback on the prediction, and the flag Reveal sets without a number.
REVEALED = keys.PK_REVEALED
FEEDBACK = keys.PK_PREDICTION_FEEDBACK
MISSING = keys.PK_PREDICTION_MISSING
#: Label of the switch that makes predicting the default path (on by default).
SWITCH = "Predict first, then reveal"


def predicting() -> bool:
    """Whether the student predicts before a drug's effect is shown (default on)."""
    return bool(st.session_state.get(keys.PK_PREDICT, True))


def revealed(
    drug_id: str, drug_name: str, regimen: pk.Regimen, changed: pk.Summary
) -> bool:
    """Ask for the prediction unless this drug's change is already revealed.

    Draws the question (a form with the guess, Reveal and Skip) while the
    answer is hidden, and the feedback on the prediction once it is shown.
    Returns whether the changed course may be drawn. The buttons' callbacks
    record the answer before the run, so the run that reveals no longer
    draws the question.
    """
    state = st.session_state
    if not predicting():
        return True
    if state.get(REVEALED) == drug_id:
        feedback = state.get(FEEDBACK)
        if feedback and feedback[0] == (drug_id, regimen):
            st.success(feedback[1], icon=":material/visibility:")
        return True
    day = f"{regimen.interaction_start_day:g}"
    with st.form("pk_predict_form", border=True):
        st.markdown(
            f"**Predict first.** {drug_name.capitalize()} starts on day {day}. "
            f"What will the typical patient's trough be on day {regimen.days:g}, "
            "just before the last dose? Make a prediction, then reveal the "
            "model's answer."
        )
        st.number_input(
            f"Your prediction: the trough with {drug_name} (ng/mL)",
            min_value=0.0,
            max_value=500.0,
            value=None,
            step=0.5,
            key=keys.PK_GUESS,
        )
        reveal, skip = st.columns(2)
        reveal.form_submit_button(
            "Reveal",
            type="primary",
            on_click=_reveal,
            args=(drug_id, regimen, changed.trough),
        )
        skip.form_submit_button(
            "Skip: show me without predicting", on_click=_skip, args=(drug_id,)
        )
    if state.pop(MISSING, False):
        st.warning("Enter a number first, then reveal.", icon=":material/edit_note:")
    return False


def _reveal(drug_id: str, regimen: pk.Regimen, trough: float) -> None:
    """Reveal's callback: keep the guess's feedback, or ask for a number."""
    guess = st.session_state.get(keys.PK_GUESS)
    if guess is None:
        st.session_state[MISSING] = True
        return
    st.session_state[REVEALED] = drug_id
    st.session_state[FEEDBACK] = (
        (drug_id, regimen),
        model.prediction_sentence(float(guess), trough),
    )


def _skip(drug_id: str) -> None:
    """Skip's callback: show the change without a prediction."""
    st.session_state[REVEALED] = drug_id
    st.session_state[FEEDBACK] = None
