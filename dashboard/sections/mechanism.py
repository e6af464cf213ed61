"""Mechanism page sections: step-through, comparison, further reading, quiz."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.charts.mechanism import (
    mechanism_alt_text,
    mechanism_figure,
    mechanism_table,
)
from dashboard.core import mechanism
from dashboard.core.content import ContentDoc
from dashboard.core.handout import Handout
from dashboard.core.tables import markdown_table, short_citation, source_markdown
from dashboard.ui import cached, handout, keys, markdown, state, url_state
from dashboard.ui.charts import chart

LANE_NAMES = {"tcell": "T cell", "podocyte": "Podocyte"}
EVIDENCE_WORDS = {
    "human": "Shown in people",
    "human and animal": "Shown in people and in animals",
    "animal and cell": "Shown in animals and cultured cells; inferred for people",
    "structural": "Shown in crystal structures of the proteins",
    "biochemical": "Shown in cells and purified proteins",
}


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


def step_through(docs: dict[str, ContentDoc]) -> None:
    """Lane and step controls, the diagram, and the narration with its evidence."""
    controls = st.columns([2, 3, 1.3, 1.3, 2.4], vertical_alignment="bottom")
    with controls[0]:
        lane = st.segmented_control(
            "Where",
            options=list(mechanism.LANES),
            format_func=url_state.label(keys.MECH_LANE, LANE_NAMES.get),
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
    view = mechanism.diagram_state(lane, step, bool(drug))
    chart(
        cached.shared_figure(mechanism_figure, view),
        alt=mechanism_alt_text(view),
        key="mechanism_diagram",
        data=mechanism_table(view),
    )
    _narration(docs, lane, step)
    handout.offer("mechanism", lambda: _mechanism_handout(docs, view))


def _mechanism_handout(docs: dict[str, ContentDoc], view) -> Handout:
    steps = cached.dataset("mechanism_steps")
    row = steps[(steps["lane"] == view.lane) & (steps["step"] == view.step)].iloc[0]
    doc = docs.get(f"{view.lane}-{view.step}")
    spec = mechanism.LANE_SPECS[view.lane]
    shown = [
        (e.label.replace("<br>", " "), view.elements[e.key])
        for e in spec.elements
        if view.elements[e.key] != "hidden"
    ]
    return Handout(
        title=f"How tacrolimus works: {spec.title.lower()}",
        view=f"Step {view.step} of {spec.steps}: {row['title']}; "
        f"{'with' if view.drug else 'without'} tacrolimus. "
        f"{EVIDENCE_WORDS[row['evidence']]}.",
        numbers=shown,
        numbers_title="State of each molecule at this step",
        sources=handout.rows(
            [
                (row["source"], row["source_url"]),
                *handout.references(doc.sources if doc else []),
            ]
        ),
    )


@cached.shared
def _step_heading(lane: str, step: int) -> tuple[str, str] | None:
    """The step's heading and its evidence line with the key source (shared)."""
    steps = cached.dataset("mechanism_steps")
    row = steps[(steps["lane"] == lane) & (steps["step"] == step)]
    if row.empty:
        return None
    r = row.iloc[0]
    return (
        f"### Step {step}: {r['title']}",
        f"{EVIDENCE_WORDS[r['evidence']]}. Key source: "
        + source_markdown(short_citation(str(r["source"])), str(r["source_url"])),
    )


def _narration(docs: dict[str, ContentDoc], lane: str, step: int) -> None:
    heading = _step_heading(lane, step)
    doc = docs.get(f"{lane}-{step}")
    with st.container(border=True):
        if heading is not None:
            st.markdown(heading[0])
            markdown.small_print(heading[1])
        if doc is not None:
            markdown.body(doc)
            markdown.sources_footer(doc)


def comparison(doc: ContentDoc) -> None:
    """Where each regimen met on the efficacy page acts, as a table."""
    markdown.section(doc)
    st.markdown(_comparison_table())


@cached.shared
def _comparison_table() -> str:
    frame = cached.dataset("mechanism_comparison").sort_values("order")
    return markdown_table(
        (
            {
                "Drug": f"**{r.drug}**",
                "Binds": r.binds,
                "What that does": r.action,
                "Cells mainly affected": r.cells,
                "Source": source_markdown(short_citation(r.source), r.source_url),
            }
            for r in frame.itertuples(index=False)
        ),
        ["Drug", "Binds", "What that does", "Cells mainly affected", "Source"],
        raw_columns=("Drug", "Source"),
    )


def further_reading(doc: ContentDoc) -> None:
    """Identifiers in public databases, as links."""
    markdown.section(doc)
    st.markdown(_identifier_list())


@cached.shared
def _identifier_list() -> str:
    """Identifiers in public databases as a Markdown list of links (built once)."""
    frame = cached.dataset("mechanism_identifiers")
    return "\n".join(
        f"- **{r.resource}** {source_markdown(r.identifier, r.link)}: {r.what}"
        for r in frame.itertuples(index=False)
    )


@cached.shared
def _mechanism_questions() -> list:
    questions = cached.dataset("quiz_questions")
    return list(questions[questions["page"] == "mechanism"].itertuples(index=False))


def check_yourself(doc: ContentDoc) -> None:
    """Short questions answered in place, each pointing back to its step."""
    markdown.section(doc)
    for q in _mechanism_questions():
        options = str(q.options).split(" | ")
        with st.container(border=True):
            answer = st.radio(
                q.question, options, index=None, key=f"{keys.QUIZ_PREFIX}{q.id}"
            )
            if answer is None:
                continue
            if answer == q.answer:
                st.success(
                    f"**Right.** {q.explanation}", icon=":material/check_circle:"
                )
            else:
                st.error(
                    f"**Not quite** (you chose “{answer}”). {q.explanation}",
                    icon=":material/cancel:",
                )
            if pd.notna(q.lane) and pd.notna(q.step):
                st.button(
                    f"Show me step {int(q.step)} ({LANE_NAMES[q.lane]})",
                    key=f"{keys.QUIZ_PREFIX}{q.id}_goto",
                    on_click=go_to,
                    args=(q.lane, int(q.step)),
                    icon=":material/replay:",
                )
