"""The educator's view of a class session (``?session=CODE``).

One join code for the lecture. On top, made for the projector, the question
on screen (:func:`dashboard.sections.class_check_teacher.projected`): the join
code and its QR code, the count, the round, reveal, close and "Next
question" buttons. Below, for the educator: adding a question (from the quiz
bank, or written here: stored with the session only), the list of the
session's questions with their results, and the exports (results CSV,
misconceptions PDF), built only when their button is pressed. Presenter mode
keeps these folded, so the first screen shows the question.

The session's teacher token is kept like a poll's (session state and a
cookie); another browser takes control with the session's PIN.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard.core import poll_text
from dashboard.core.polls import PollError, PollStore, PollUnavailableError
from dashboard.core.polls_sessions import SessionView
from dashboard.models import class_check as model
from dashboard.models import class_check_cases as case_polls
from dashboard.models import class_check_export as export
from dashboard.models import class_check_sessions as sessions
from dashboard.sections import class_check_session as session
from dashboard.sections import class_check_teacher as teacher
from dashboard.ui import fragments, keys, presenter

#: Option fields the "Write your own" form offers.
OWN_FIELDS = poll_text.MAX_OWN_OPTIONS


def lecture(store: PollStore, code: str, offered: str | None = None) -> None:
    """The session's teacher view, or the PIN box for a tab without its token."""
    token, outside = teacher.teacher_token(code, offered)
    if outside and token and session.throttle("teacher").wait_s():
        token = None
    session.check_guesses("join")
    try:
        view = store.session(code, token)
    except PollError as error:
        if "No session" in str(error):
            session.throttle("join").failed()
        raise
    if not view.teacher:
        if token:
            session.throttle("teacher").failed()
            session.tokens().pop(code, None)
            st.error(model.BAD_TOKEN, icon=":material/error:")
        teacher.take_control(
            store, code, sessions.session_heading(view), view.has_pin, "Session"
        )
        return
    teacher.keep_token(code, str(token))
    _on_screen(store, view, str(token))
    folded = presenter.is_on()
    with st.expander(
        "Add a question", icon=":material/add_circle:", expanded=not view.polls
    ):
        _add_from_bank(store, code, str(token))
        _add_from_case(store, code, str(token))
        _write_own(store, code, str(token))
    with st.expander(
        f"The session's questions ({view.polls})",
        icon=":material/list:",
        expanded=not folded,
    ):
        _questions(store, view, str(token))
    with st.expander("If this page loses control of the session"):
        st.markdown(model.control_help(view.has_pin))


def _on_screen(store: PollStore, view: SessionView, token: str) -> None:
    """The question students see now, or the join code alone before the first."""
    if view.current is None:
        code_col, qr_col = st.columns([3, 2], gap="medium")
        with code_col:
            st.markdown(model.join_code_heading(view.code))
            st.markdown(model.join_instructions(presenter.page_address(), view.code))
            st.caption(sessions.session_heading(view))
        with qr_col:
            teacher.qr(view.code)
        st.info(sessions.NO_POLLS_YET, icon=":material/add_circle:")
        return
    poll = store.view(view.current, token)
    teacher.projected(
        store, poll, token, join_code=view.code, more_waiting=view.queued > 0
    )
    st.caption(sessions.session_heading(view))


def _questions(store: PollStore, view: SessionView, token: str) -> None:
    """The session's list with results, and the two exports."""
    polls = store.session_polls(view.code, token)
    if polls:
        st.markdown(sessions.poll_table(polls, view.current))
    else:
        st.caption(sessions.NO_POLLS_YET)
    address = presenter.page_address()
    with st.container(horizontal=True):
        st.download_button(
            "Results (CSV)",
            data=lambda: export.results_csv(
                view.code, store.session_polls(view.code, token)
            ),
            file_name=f"class-session-{view.code}-results.csv",
            mime="text/csv",
            icon=":material/table:",
            key=keys.POLL_EXPORT_CSV,
            help="One row per question, round and option, with counts: no "
            "student identifiers.",
        )
        st.download_button(
            "Misconceptions (PDF)",
            data=lambda: export.misconceptions_pdf(
                view.code,
                store.session_polls(view.code, token),
                session.bank(),
                address,
            ),
            file_name=f"class-session-{view.code}-misconceptions.pdf",
            mime="application/pdf",
            icon=":material/picture_as_pdf:",
            key=keys.POLL_EXPORT_PDF,
            help="One page: the questions with the most confidently wrong "
            "answers, each with its source and the view that teaches it.",
        )


def _added(store_call: Callable[[], object]) -> None:
    """Run an add; on success run the whole page (a new question on screen)."""
    try:
        store_call()
    except PollUnavailableError as error:
        st.error(str(error), icon=":material/cloud_off:")
        return
    except PollError as error:
        st.error(str(error), icon=":material/error:")
        return
    st.rerun(scope="app")  # the list, the count of waiting questions, the screen


def _add_poll(
    store: PollStore, code: str, token: str, asked, *, open_now: bool
) -> None:
    """Add a poll to the session: open it now, or queue it.

    ``asked`` is a bank question or a case's decision: anything with its
    question id, prompt, options and right option.
    """
    _added(
        lambda: store.add_poll(
            code,
            token,
            asked.question_id,
            asked.prompt,
            asked.options,
            asked.correct,
            open_now=open_now,
        )
    )


@fragments.section("adding a bank question")
def _add_from_bank(store: PollStore, code: str, token: str) -> None:
    """A question from the quiz bank: topic, question, then open now or later."""
    st.markdown("**From the quiz bank**")
    bank = session.bank()
    topic = st.selectbox(
        "Topic",
        model.topics(bank),
        format_func=model.topic_label,
        key=keys.POLL_ADD_TOPIC,
    )
    question_id = st.selectbox(
        "Question",
        sessions.bank_choices(bank, topic),
        format_func=lambda q: model.question_text(bank, q),
        key=f"{keys.POLL_ADD_QUESTION}_{topic}",
    )
    with st.container(horizontal=True):
        now = st.button("Open it now", type="primary", key=keys.POLL_ADD_OPEN)
        later = st.button("Add to the list", key=keys.POLL_ADD_QUEUE)
    if not (now or later) or question_id is None:
        return
    asked = model.new_poll(bank, question_id)
    _add_poll(store, code, token, asked, open_now=now)


@fragments.section("adding a virtual patient's decision")
def _add_from_case(store: PollStore, code: str, token: str) -> None:
    """A decision of a virtual patient: the room votes, the case follows them."""
    st.markdown("**A virtual patient's decision**")
    cases = {case.id: case for case in teacher.virtual_patients()}
    if not cases:
        st.caption("No virtual patient can be played just now.")
        return
    case_id = st.selectbox(
        "Case",
        tuple(cases),
        format_func=lambda i: cases[i].title,
        key=keys.POLL_CASE,
    )
    address = st.text_input(
        "The case's address at the decision (optional)",
        key=keys.POLL_CASE_AT,
        max_chars=500,
        placeholder="Paste 'Link to this view' from the Virtual patients page",
        help="Empty: the case's first decision. After the reveal this page links "
        "to the case with the room's choice played.",
    )
    asked, problem = case_polls.case_poll(cases[case_id], address or "")
    if problem:
        st.warning(problem, icon=":material/link_off:")
        return
    st.caption(f"Will ask: {asked.prompt}")
    with st.container(horizontal=True):
        now = st.button("Open it now", type="primary", key=keys.POLL_CASE_OPEN)
        later = st.button("Add to the list", key=keys.POLL_CASE_QUEUE)
    if not (now or later):
        return
    _add_poll(store, code, token, asked, open_now=now)


@fragments.section("writing a question")
def _write_own(store: PollStore, code: str, token: str) -> None:
    """A question the educator writes: stored with this session, never in the bank."""
    st.markdown("**Write your own**")
    st.caption(sessions.OWN_FORM_HELP)
    limits = poll_text.LIMITS
    with st.form("poll_own_form", border=False):
        stem = st.text_area(
            "Question", max_chars=limits["stem"], height=80, key=keys.POLL_OWN_STEM
        )
        options = [
            st.text_input(
                f"Option {n}",
                max_chars=limits["option"],
                key=f"{keys.POLL_OWN_OPTION}_{n}",
            )
            for n in range(1, OWN_FIELDS + 1)
        ]
        correct = st.radio(
            "Correct option",
            range(OWN_FIELDS),
            format_func=lambda i: f"Option {i + 1}",
            horizontal=True,
            key=keys.POLL_OWN_CORRECT,
        )
        explanation = st.text_area(
            "Why (optional, shown after the reveal)",
            max_chars=limits["explanation"],
            height=80,
            key=keys.POLL_OWN_EXPLANATION,
        )
        source = st.text_input(
            "Source (optional)", max_chars=limits["source"], key=keys.POLL_OWN_SOURCE
        )
        with st.container(horizontal=True):
            now = st.form_submit_button(
                "Open it now", type="primary", key=keys.POLL_OWN_OPEN
            )
            later = st.form_submit_button("Add to the list", key=keys.POLL_OWN_QUEUE)
    if not (now or later):
        return
    try:
        question = poll_text.own_question(stem, options, correct, explanation, source)
    except PollError as error:
        st.error(str(error), icon=":material/error:")
        return
    _added(lambda: store.add_own_poll(code, token, question, open_now=now))
