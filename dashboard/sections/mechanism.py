"""Mechanism page sections: step-through, comparison, further reading, questions.

Everything shown that is not a widget comes from :mod:`dashboard.models.mechanism`.
The step-through and the questions are fragments
(:func:`dashboard.ui.fragments.section`): stepping, switching the drug or
answering a question reruns that section alone.
"""

from __future__ import annotations

import streamlit as st

from dashboard.core import mechanism
from dashboard.core.content import ContentDoc
from dashboard.models import mechanism as model
from dashboard.ui import cached, fragments, handout, keys, markdown, state, url_state
from dashboard.ui.charts import show


def _step_to(delta: int) -> None:
    # A link with an empty value leaves a required control at None.
    lane = st.session_state.get(keys.MECH_LANE) or "tcell"
    step = mechanism.clamp_step(
        lane, int(st.session_state.get(keys.MECH_STEP) or 1) + delta
    )
    state.set_values(
        **{keys.MECH_STEP: step, keys.MECH_DRUG: mechanism.drug_default(lane, step)}
    )


def go_to(lane: str, step: int) -> None:
    """Open ``lane`` at ``step`` with the drug shown as the story there has it."""
    state.set_values(
        **{
            keys.MECH_LANE: lane,
            keys.MECH_STEP: step,
            keys.MECH_DRUG: mechanism.drug_default(lane, step),
        }
    )


@cached.shared
def _step_view(lane: str, step: int, drug: bool) -> model.StepView:
    """One step's diagram, heading and evidence line, built once for all sessions."""
    view = model.step_view(cached.dataset("mechanism_steps"), lane, step, drug)
    cached.freeze(view.chart.figure)
    return view


@fragments.section("the step-through")
def step_through(docs: dict[str, ContentDoc]) -> None:
    """Lane and step controls, the diagram, and the narration with its evidence."""
    controls = st.columns([2, 3, 1.3, 1.3, 2.4], vertical_alignment="bottom")
    with controls[0]:
        lane = st.segmented_control(
            "Where",
            options=list(mechanism.LANES),
            format_func=url_state.label(keys.MECH_LANE, model.LANE_NAMES.get),
            required=True,
            key=keys.MECH_LANE,
            bind="query-params",
            **state.initial(keys.MECH_LANE, "default", "tcell"),
        )
    lane = url_state.required(lane, keys.MECH_LANE, "tcell")
    spec = mechanism.LANE_SPECS[lane]
    with controls[1]:
        step = st.segmented_control(
            "Step",
            options=list(range(1, spec.steps + 1)),
            required=True,
            key=keys.MECH_STEP,
            bind="query-params",
            **state.initial(keys.MECH_STEP, "default", 1),
        )
    step = mechanism.clamp_step(lane, int(url_state.required(step, keys.MECH_STEP, 1)))
    controls[2].button(
        "Back",
        icon=":material/arrow_back:",
        on_click=_step_to,
        args=(-1,),
        disabled=step == 1,
        shortcut="Left",
        key=keys.MECH_PREV,
        width="stretch",
        help="Previous step (← key)",
    )
    controls[3].button(
        "Next",
        icon=":material/arrow_forward:",
        on_click=_step_to,
        args=(1,),
        disabled=step == spec.steps,
        shortcut="Right",
        key=keys.MECH_NEXT,
        type="primary",
        width="stretch",
        help="Next step (→ key)",
    )
    with controls[4]:
        drug = st.toggle(
            "Tacrolimus present",
            key=keys.MECH_DRUG,
            bind="query-params",
            help="Show the same step with and without the drug.",
            **state.initial(keys.MECH_DRUG, "value", False),
        )
    view = _step_view(lane, step, bool(drug))
    show(view.chart, key="mechanism_diagram")
    doc = docs.get(f"{lane}-{step}")
    with st.container(border=True):
        if view.heading is not None:
            st.markdown(view.heading)
            markdown.small_print(view.evidence)
        if doc is not None:
            markdown.body(doc)
            markdown.sources_footer(doc)
    handout.offer(
        "mechanism",
        lambda: model.step_handout(
            cached.dataset("mechanism_steps"),
            view.diagram,
            doc,
            references=handout.references,
        ),
    )


@cached.shared
def _comparison_table() -> str:
    return model.comparison_table(cached.dataset("mechanism_comparison"))


def comparison(doc: ContentDoc) -> None:
    """Where each regimen met on the efficacy page acts, as a table."""
    markdown.section(doc)
    st.markdown(_comparison_table())


@cached.shared
def _identifier_list() -> str:
    """Identifiers in public databases as a Markdown list of links (built once)."""
    return model.identifier_list(cached.dataset("mechanism_identifiers"))


def further_reading(doc: ContentDoc) -> None:
    """Identifiers in public databases, as links."""
    markdown.section(doc)
    st.markdown(_identifier_list())


@cached.shared
def _questions() -> list[model.Question]:
    return model.questions(cached.dataset("quiz_questions"))


@fragments.section("the questions")
def check_yourself(doc: ContentDoc) -> None:
    """Short questions answered in place, each pointing back to its step.

    A question's "Show me step" button sets the step-through's controls and
    reruns the whole page, since the step-through is a fragment of its own.
    """
    markdown.section(doc)
    for q in _questions():
        with st.container(border=True):
            answer = st.radio(
                q.question, q.options, index=None, key=f"{keys.QUIZ_PREFIX}{q.id}"
            )
            if answer is None:
                continue
            right, text = model.answer_feedback(q, answer)
            if right:
                st.success(text, icon=":material/check_circle:")
            else:
                st.error(text, icon=":material/cancel:")
            if q.goto is not None and st.button(
                model.goto_label(q),
                key=f"{keys.QUIZ_PREFIX}{q.id}_goto",
                on_click=go_to,
                args=q.goto,
                icon=":material/replay:",
            ):
                st.rerun()
