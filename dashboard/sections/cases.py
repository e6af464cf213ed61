"""The Virtual patients page: pick a case, decide, read the feedback, the debrief.

Widgets and layout over :mod:`dashboard.models.cases` (the engine; pure). The
position in a case lives in the address (``vp`` names the case, ``vp_at`` is
the engine's encoded list of choices), so a link reopens exactly that point:
a student can stop and come back, an educator can project any decision. A
value the engine cannot replay opens the start with its notice.

One fragment: a decision reruns this section alone. A broken case file
leaves that case out with a message naming the file and the field; the
other cases still play.
"""

from __future__ import annotations

import logging

import streamlit as st

from dashboard.core import content
from dashboard.core.cases import Case, CaseProblem
from dashboard.models import cases as engine
from dashboard.models.cases_handout import case_handout
from dashboard.models.cases_views import Cited, Feedback, NodeView
from dashboard.ui import cached, fragments, handout, keys, responsive, url_state

_LOG = logging.getLogger(__name__)
FIRST = ("child-frns", "adult-mn")
GRADE_ICONS = {
    "recommended": ":material/check_circle:",
    "acceptable": ":material/info:",
    "not recommended": ":material/cancel:",
}


@cached.shared
def _library() -> tuple[tuple[Case, ...], tuple[CaseProblem, ...]]:
    """Every case that passes its contract and its walk, once for all sessions."""
    return engine.load_cases(cached.CONTENT_DIR, cached.DATA_DIR)


def _cite(text: str) -> str:
    return content.render_citations(text, cached.references())


@fragments.section("the virtual patients", key="cases")
def page() -> None:
    """Case picker, the current decision or the debrief, and the feedback."""
    cases, problems = _library()
    _problems(problems)
    if not cases:
        st.info("No case can be played just now.", icon=":material/info:")
        return
    # The course's order: the child first, then the adult, then any other.
    ordered = sorted(cases, key=_course_order)
    by_id = {case.id: case for case in ordered}
    chosen = st.radio(
        "Case",
        tuple(by_id),
        format_func=url_state.label(keys.VP_CASE, lambda i: by_id[i].title),
        key=keys.VP_CASE,
        bind="query-params",
        on_change=_restart,
    )
    case = by_id.get(chosen) or ordered[0]
    st.caption(case.summary)
    state, notice = engine.decode(case, st.query_params.get(keys.VP_AT))
    if notice:
        st.info(notice, icon=":material/link_off:")
    _play(case, state)
    handout.offer("virtual-patient", lambda: case_handout(case, state))


def _course_order(case: Case) -> tuple[int, str]:
    return (FIRST.index(case.id) if case.id in FIRST else len(FIRST), case.id)


def _problems(problems: tuple[CaseProblem, ...]) -> None:
    """One box per broken case file, naming each field and what is wrong."""
    by_file: dict[str, list[CaseProblem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    for file, found in by_file.items():
        _LOG.error("case file %s left out: %s", file, found)
        lines = "\n".join(
            (f"{p.field}: " if p.field else "") + p.message for p in found
        )
        st.error(
            f"**The case in `{file}` cannot be shown:** a content or data file is "
            "broken, so this case is left out. The other cases still work."
            f"\n\n```text\n{lines}\n```",
            icon=":material/error:",
        )


def _restart() -> None:
    """Another case: start it from the beginning."""
    if keys.VP_AT in st.query_params:
        del st.query_params[keys.VP_AT]


def _go(case: Case, state: engine.State) -> None:
    st.query_params[keys.VP_AT] = engine.encode(state)


def _play(case: Case, state: engine.State) -> None:
    view = engine.node(case, state)
    st.warning(view.note, icon=":material/medication:")
    made = view.decisions_made
    total = max(made, len(engine.recommended_path(case).steps))
    st.progress(
        min(made / total, 1.0) if total else 1.0,
        text=f"Decisions made: {made}" + ("" if view.is_end else f" of about {total}"),
    )
    said = engine.feedback(case, state)
    if said is not None:
        _feedback(said)
    if engine.is_finished(case, state):
        _debrief(case, state)
    else:
        _decision(case, state, view)
    if made:
        left, right = st.columns(2)
        if left.button("Back one decision", icon=":material/undo:"):
            _back(case, state)
        if right.button("Start this case again", icon=":material/restart_alt:"):
            _restart()
            st.rerun()


def _back(case: Case, state: engine.State) -> None:
    """Replay every choice but the last (the state is its list of choices)."""
    back = engine.start(case)
    for step in state.steps[:-1]:
        back = engine.choose(case, back, step.choice)
    _go(case, back)
    st.rerun()


def _decision(case: Case, state: engine.State, view: NodeView) -> None:
    st.markdown(f"### {view.title}")
    st.markdown(_cite(view.text))
    labels = {option.id: option.label for option in view.options}
    with st.form(f"vp_decide_{case.id}_{view.id}", border=True):
        question = _cite(view.question) or "Your decision"
        st.markdown(f"**{question}**")
        with responsive.answers("vp"):
            picked = st.radio(
                question,
                tuple(labels),
                label_visibility="collapsed",
                index=None,
                format_func=labels.get,
                key=f"vp_pick_{case.id}_{view.id}_{len(state.steps)}",
            )
        decided = st.form_submit_button("Decide", type="primary")
    st.caption(
        "In class, let the room decide: in a class session choose *Add a "
        "question → A virtual patient's decision* and paste this page's link; "
        "after the reveal the session links back here with the room's choice."
    )
    if decided:
        if picked is None:
            st.warning("Pick one of the options first.", icon=":material/touch_app:")
            return
        _go(case, engine.choose(case, state, picked))
        st.rerun()


def _feedback(said: Feedback) -> None:
    box = {
        "recommended": st.success,
        "acceptable": st.info,
        "not recommended": st.error,
    }.get(said.grade, st.info)
    box(
        f"**{said.node_title}: {said.grade_words}.** You chose: {said.choice_label}.",
        icon=GRADE_ICONS.get(said.grade, ":material/info:"),
    )
    st.markdown(_cite(said.text))
    if said.consequence:
        st.markdown(f"**What happened next.** {_cite(said.consequence)}")
    if said.grade != "recommended" and said.recommended:
        st.markdown("**Recommended:** " + "; ".join(said.recommended) + ".")
    why = _cite(said.why)
    if said.source.source not in why and f"[{said.source.label}]" not in why:
        why += f" {_source_link(said.source)}"
    st.markdown(f"**Why.** {why}")
    st.markdown(f":material/arrow_forward: [{said.link.label}]({said.link.href})")
    cites = (*said.evidence, *said.cites)
    if cites:
        with st.expander("What this rests on, with the sources' own words"):
            st.markdown("\n".join(_cited_line(c) for c in cites))


def _source_link(cited: Cited) -> str:
    url = content.locator_to_url(cited.locator)
    return f"([{cited.source}]({url}))" if url else f"({cited.source})"


def _cited_line(cited: Cited) -> str:
    line = f"- {(cited.how or cited.label).rstrip('.:')} {_source_link(cited)}"
    if cited.quote:
        line += f'\n  > "{cited.quote}"'
    return line


def _debrief(case: Case, state: engine.State) -> None:
    report = engine.debrief(case, state)
    st.markdown(f"### {report.ending_title}")
    st.markdown(_cite(report.ending_text))
    st.markdown("### Debrief")
    st.metric(
        "Score",
        f"{report.score} of {report.possible}",
        help="2 points for a recommended choice, 1 for an acceptable one.",
    )
    st.markdown(
        f"You took the recommended choice at {report.recommended_taken} of "
        f"{report.decisions} decisions."
    )
    if report.path == report.recommended:
        st.markdown("**Your path, the recommended one**\n\n" + _path(report.path))
    else:
        taken, advised = st.columns(2)
        taken.markdown("**Your path**\n\n" + _path(report.path))
        advised.markdown("**The recommended path**\n\n" + _path(report.recommended))
    if report.review:
        st.markdown("**What to review**")
        st.markdown(
            "\n".join(
                f"- **{item.node_title}** ({item.grade_words.lower()}): "
                f"{_cite(item.why)} {_source_link(item.source)} "
                f"[{item.link.label}]({item.link.href})"
                for item in report.review
            )
        )
    else:
        st.success("Every decision was the recommended one.", icon=":material/star:")


def _path(steps) -> str:
    return "\n".join(
        f"{number}. {step.node_title}: {step.choice_label} *({step.grade_words})*"
        for number, step in enumerate(steps, start=1)
    )
