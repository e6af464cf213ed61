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
from dashboard.models import retrieval as retrieval_model
from dashboard.sections import retrieval
from dashboard.ui import (
    cached,
    fragments,
    handout,
    keys,
    markdown,
    presenter,
    responsive,
    state,
    url_state,
)
from dashboard.ui.charts import show_both_forms


def _lane_now() -> mechanism.Lane:
    # A link with an empty value leaves a required control at None.
    lane = st.session_state.get(keys.MECH_LANE)
    return lane if lane in mechanism.LANES else "tcell"


def _step_to(delta: int) -> None:
    """Back (-1) or Next (+1) along the walk: T-cell steps 1-4, podocyte steps 1-4.

    The drug switch is left as the student set it.
    """
    lane, step = mechanism.walk_neighbour(
        _lane_now(), int(st.session_state.get(keys.MECH_STEP) or 1), delta
    )
    state.set_values(**{keys.MECH_LANE: lane, keys.MECH_STEP: step})


def _lane_chosen() -> None:
    """A lane picked by hand opens at its first step."""
    state.set_values(**{keys.MECH_STEP: 1})


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
    """One step's diagrams, heading, caption and evidence, built once for all."""
    view = model.step_view(cached.dataset("mechanism_steps"), lane, step, drug)
    cached.freeze(view.chart.figure)
    cached.freeze(view.narrow_chart.figure)
    return view


def _controls() -> tuple[str, int, bool]:
    """The lane, step and drug controls with Back and Next, in one compact row."""
    controls = st.columns([2, 3, 1.3, 1.3, 2.4], vertical_alignment="bottom")
    # On a projector the options speak for themselves; the labels stay for
    # screen readers, and the diagram keeps the first screen.
    labels = "collapsed" if presenter.is_on() else "visible"
    with controls[0]:
        lane = st.segmented_control(
            "Where",
            options=list(mechanism.LANES),
            label_visibility=labels,
            format_func=url_state.label(keys.MECH_LANE, model.LANE_NAMES.get),
            required=True,
            key=keys.MECH_LANE,
            bind="query-params",
            on_change=_lane_chosen,
            **state.initial(keys.MECH_LANE, "default", "tcell"),
        )
    lane = url_state.required(lane, keys.MECH_LANE, "tcell")
    spec = mechanism.LANE_SPECS[lane]
    with controls[1]:
        step = st.segmented_control(
            "Step",
            options=list(range(1, spec.steps + 1)),
            label_visibility=labels,
            required=True,
            key=keys.MECH_STEP,
            bind="query-params",
            **state.initial(keys.MECH_STEP, "default", 1),
        )
    step = mechanism.clamp_step(lane, int(url_state.required(step, keys.MECH_STEP, 1)))
    place = mechanism.walk_index(lane, step)
    controls[2].button(
        # No arrow icon: the shortcut's own key (←, →) is drawn on the button.
        "Back",
        on_click=_step_to,
        args=(-1,),
        disabled=place == 0,
        shortcut="Left",
        key=keys.MECH_PREV,
        width="stretch",
        help="Previous step (← key)",
    )
    controls[3].button(
        "Next",
        on_click=_step_to,
        args=(1,),
        disabled=place == len(mechanism.WALK) - 1,
        shortcut="Right",
        key=keys.MECH_NEXT,
        type="primary",
        width="stretch",
        help="Next step (→ key); after the T cell's last step, the podocyte's first",
    )
    with controls[4]:
        drug = st.toggle(
            "Tacrolimus present",
            key=keys.MECH_DRUG,
            bind="query-params",
            help="Show the same step with and without the drug.",
            **state.initial(keys.MECH_DRUG, "value", False),
        )
    return lane, step, bool(drug)


def _show_diagram(view: model.StepView) -> None:
    """The diagram in both forms (CSS shows the one that fits), one data table."""
    show_both_forms(
        view.chart,
        view.narrow_chart.figure,
        key="mechanism_diagram",
        narrow_key="mechanism_diagram_narrow",
        place="mech-diagram",
    )


@fragments.section("the step-through")
def step_through(docs: dict[str, ContentDoc]) -> None:
    """Controls, the step's heading and caption, the diagram, then the narration.

    The heading, the one-sentence caption and the diagram come first, so that
    with the controls they fill a projector's first screen; the narration and
    its evidence follow. The diagram is sent in both forms and the browser
    shows the one that fits the screen (:mod:`dashboard.ui.responsive`).
    """
    lane, step, drug = _controls()
    view = _step_view(lane, step, drug)
    # One block, so the caption sits close under its heading.
    st.markdown(
        "\n\n".join(
            part
            for part in (view.heading, f"*{view.progress}.* {view.caption}")
            if part is not None
        )
    )
    _show_diagram(view)
    doc = docs.get(f"{lane}-{step}")
    ending = docs.get("conclusion") if view.last else None
    if ending is not None:
        with st.container(border=True, key="mech-conclusion"):
            st.markdown(f"**{ending.title}**")
            markdown.body(ending)
    with st.container(border=True):
        if view.evidence is not None:
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


@cached.shared
def _comparison_cards() -> str:
    return model.comparison_cards(cached.dataset("mechanism_comparison"))


def comparison(doc: ContentDoc) -> None:
    """Where each regimen met on the efficacy page acts: a table, or cards on phones."""
    markdown.section(doc)
    with responsive.wide_only("mech-comparison"):
        st.markdown(_comparison_table())
    with responsive.narrow_only("mech-comparison"):
        st.markdown(_comparison_cards())


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

    Each is a check item (:mod:`dashboard.sections.retrieval`), marked as the
    Quiz page marks it: no default answer or confidence, feedback only after
    Check, the first attempt scored. A question's "Show me step" button sets
    the step-through's controls and reruns the whole page, since the
    step-through is a fragment of its own.
    """
    markdown.section(doc)
    for q in _questions():
        item = retrieval_model.CheckItem(
            id=q.id,
            label=q.question,
            options=q.options,
            answer=q.answer,
            explanation=q.explanation,
        )
        goto = (
            None
            if q.goto is None
            else retrieval.Goto(model.goto_label(q), go_to, tuple(q.goto))
        )
        # The Quiz page's keys: an item checked here arrives checked there,
        # since its first attempt (and its feedback) has been seen.
        retrieval.check_item(item, key_prefix=keys.QUIZ_PREFIX, goto=goto)
