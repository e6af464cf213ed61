"""The live class check page: start a poll (educator), join and answer (students).

Three views chosen by the address:

* ``?poll=CODE``: the educator's live results, reveal and close, for a tab
  that holds one of the poll's teacher tokens; any other tab gets a box for
  the teacher PIN;
* ``?join=CODE``: a student's question, then the results once revealed
  (:mod:`dashboard.sections.class_check_student`);
* neither: start a poll, or type a join code.

The teacher token never enters an address. Starting a poll keeps it in the
session and asks the teacher's browser to keep it in a cookie
(``cc_teacher_<CODE>``, 12 hours, :mod:`dashboard.ui.cookies`), so a tab that
lost its session (a server restart, a failover to another process) takes
control again by itself when it reconnects. From another browser, the PIN the
teacher chose gives a new token (:meth:`PollStore.reclaim`).

Results refresh every :data:`REFRESH_S` seconds in fragments
(:mod:`dashboard.sections.class_check_live`). Every live panel shows the
project's own message when the database cannot be used, and keeps trying; a
student's answer sent during an outage is kept in the session and sent when
the database is back. The start and join forms are fragments: a refused PIN
or a mistyped code reruns the form alone; what changes the page's view (a new
poll, a join, reveal, close, taking control) runs the whole page.
"""

from __future__ import annotations

import streamlit as st

from dashboard.core import identity
from dashboard.core.handout import Handout
from dashboard.core.polls import (
    PollError,
    PollLimitError,
    PollStore,
    PollUnavailableError,
    PollView,
    normalise_code,
)
from dashboard.models import class_check as model
from dashboard.sections import class_check_live as live
from dashboard.sections import class_check_session as session
from dashboard.sections.class_check_student import student
from dashboard.ui import (
    browser_identity,
    cached,
    cookies,
    fragments,
    handout,
    keys,
    presenter,
)

REFRESH_S = model.REFRESH_S


def page() -> None:
    """Route to the educator, student or start view."""
    params = st.query_params
    offered = _take_old_teacher_link(params)
    try:
        store = cached.poll_store(cached.polls_url())
        if keys.POLL_CODE in params:
            _teacher(store, params[keys.POLL_CODE], offered)
        elif keys.POLL_JOIN in params:
            student(store, params[keys.POLL_JOIN])
        else:
            _start(store)
    except PollUnavailableError as error:
        live.outage(error)
    except PollError as error:
        st.error(str(error), icon=":material/error:")
        _join_box()
    except identity.SecretError as error:
        _secret_error(error)
    cookies.write()


def _secret_error(error: identity.SecretError) -> None:
    st.error(f"Live class checks are unavailable: {error}", icon=":material/error:")


def _take_old_teacher_link(params) -> str | None:
    """The token of a private link saved before links went (``?teacher=``), if any.

    Such links still work for the polls they were made for; the token leaves
    the address bar at once. The page no longer makes them.
    """
    if keys.POLL_TEACHER not in params:
        return None
    token = str(params[keys.POLL_TEACHER])
    del params[keys.POLL_TEACHER]
    return token


# -- the educator ---------------------------------------------------------------
def _start(store: PollStore) -> None:
    left, right = st.columns(2, gap="large")
    with left, st.container(border=True):
        st.subheader("Educators: start a poll")
        # A broken question bank stops new polls, not students joining one.
        _start_form(store)
        st.caption(model.START_HELP)
    with right:
        _join_box()


@fragments.section("the question picker")
def _start_form(store: PollStore) -> None:
    """Pick a question and a PIN, and start (a fragment; starting runs the page)."""
    bank = session.bank()
    with st.form("poll_start_form", border=False):
        question_id = st.selectbox(
            "Question (from the quiz bank)",
            bank.index,
            format_func=lambda q: model.question_label(bank, q),
            key=keys.POLL_QUESTION,
        )
        pin = st.text_input(
            "Teacher PIN (6 or more letters or digits)",
            type="password",
            max_chars=64,
            key=keys.POLL_PIN_NEW,
        )
        started = st.form_submit_button(
            "Start the poll", type="primary", key=keys.POLL_START
        )
    if not started:
        return
    asked = model.new_poll(bank, question_id)
    try:
        creator = identity.creator_for(browser_identity.browser_id(store))
        poll = store.create(
            asked.question_id,
            asked.prompt,
            asked.options,
            asked.correct,
            pin=pin,
            creator=creator,
        )
    except PollUnavailableError as error:
        # In a fragment, outside the page's ``try``: say so here; nothing started.
        st.error(str(error), icon=":material/cloud_off:")
        return
    except PollError as error:
        st.error(str(error), icon=":material/error:")
        return
    except identity.SecretError as error:
        _secret_error(error)
        return
    session.tokens()[poll.code] = poll.teacher_token
    st.query_params.from_dict({keys.POLL_CODE: poll.code})
    st.rerun()


@fragments.section("the join box")
def _join_box() -> None:
    """Type a join code (a fragment; a good code opens the poll for the page)."""
    with st.container(border=True):
        st.subheader("Students: join with a code")
        with st.form("poll_join_form", border=False):
            code = st.text_input(
                "Join code",
                max_chars=12,
                placeholder="K7QM2X",
                key=keys.POLL_JOIN_INPUT,
            )
            joined = st.form_submit_button("Join", key=keys.POLL_JOIN_BUTTON)
        if joined:
            try:
                st.query_params.from_dict({keys.POLL_JOIN: normalise_code(code)})
            except PollError as error:
                st.error(str(error), icon=":material/error:")
            else:
                st.rerun()


def _teacher_token(code: str, offered: str | None) -> tuple[str | None, bool]:
    """The token to try, and whether it came from outside this session.

    This session's own token first; then an old private link's; then the
    cookie the teacher's browser sent when this session connected.
    """
    if code in session.tokens():
        return session.tokens()[code], False
    if offered:
        return offered, True
    return cookies.sent_cookie(model.teacher_cookie(code)), True


def _teacher(store: PollStore, raw_code: str, offered: str | None) -> None:
    code = normalise_code(raw_code)
    token, outside = _teacher_token(code, offered)
    if outside and token and session.throttle("teacher").wait_s():
        token = None  # guessing keys from this tab: try none until it may again
    view = session.lookup(store, code, token)
    if view.counts is None:
        if token:
            session.throttle("teacher").failed()
            session.tokens().pop(code, None)
            st.error(model.BAD_TOKEN, icon=":material/error:")
        _take_control(store, view)
        return
    session.tokens()[code] = token
    cookie = model.teacher_cookie(code)
    if cookies.sent_cookie(cookie) != token:
        cookies.remember(cookie, token, model.TEACHER_COOKIE_S)
    st.markdown(model.join_code_heading(view.code))
    st.markdown(model.join_instructions(presenter.page_address(), view.code))
    st.markdown(f"**{view.prompt}**")
    live.live_results(store, view.code, token)
    reveal, close, _ = st.columns([1, 1, 3])
    # Both change the page's view (buttons, the marked answer): the whole page.
    if reveal.button(
        "Reveal results", type="primary", disabled=view.revealed, key=keys.POLL_REVEAL
    ):
        store.reveal(view.code, token)
        st.rerun()
    if close.button("Close the poll", disabled=view.closed, key=keys.POLL_CLOSE):
        store.close(view.code, token)
        st.rerun()
    handout.offer("class-check", lambda: handout_of(store, view.code, token))
    with st.expander("If this page loses control of the poll"):
        st.markdown(model.control_help(view.has_pin))


def _take_control(store: PollStore, view: PollView) -> None:
    """The poll's teacher view for a tab without a teacher token: the PIN box."""
    st.markdown(f"## Poll `{view.code}`")
    st.markdown(f"**{view.prompt}**")
    if not view.has_pin:
        st.warning(model.NO_PIN, icon=":material/lock:")
    else:
        st.info(model.NOT_IN_CONTROL, icon=":material/key:")
        with st.form("poll_pin_form", border=False):
            pin = st.text_input(
                "Teacher PIN", type="password", max_chars=64, key=keys.POLL_PIN_INPUT
            )
            sent = st.form_submit_button(
                "Take control", type="primary", key=keys.POLL_PIN_BUTTON
            )
        if sent:
            try:
                session.check_guesses("teacher")
                token = store.reclaim(view.code, pin)
            except PollUnavailableError:
                raise
            except PollError as error:
                if not isinstance(error, PollLimitError):
                    session.throttle("teacher").failed()
                st.error(str(error), icon=":material/error:")
            else:
                session.tokens()[view.code] = token
                st.rerun()
    st.markdown(model.students_answer_at(presenter.page_address(), view.code))


def handout_of(store: PollStore, code: str, token: str) -> Handout:
    """The teacher's handout of poll ``code``, read when the button is pressed.

    Built outside the page run: if the database cannot be read then, the
    handout says so instead of failing.
    """
    try:
        view = store.view(code, token)
    except PollError as error:
        return model.unreadable_handout(code, error)
    return model.handout(view, session.bank())
