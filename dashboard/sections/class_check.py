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

The teacher's page is the projected one, so until the reveal it shows only
the question, the join code (large), a QR code of the join link and the
number of answers, with Reveal and Close beside the count; the distribution
appears at the reveal. On their own device the teacher may switch on
"Peek" (off by default, never offered in presenter mode) to see it sooner.
Starting a poll keeps ``?present=true`` in the address, so the sidebar stays
shut on the projector (``app.py`` collapses it only for that address).

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
from dashboard.models import class_check_qr
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
    markdown,
    presenter,
)
from dashboard.ui.errors import section_guard
from dashboard.ui.page import Sections

REFRESH_S = model.REFRESH_S
#: Widget key of the start form's topic (questions are keyed per topic).
TOPIC = "poll_topic"
#: Session key of the teacher's "Peek" toggle (never in the address).
PEEK = "poll_peek"
#: Container keys: the teacher's count panel, and the question picker.
COUNT_PANEL = "poll-count"
#: Width of the QR code on screen, CSS px (projector, other screens).
QR_WIDTH_PX = (280, 200)


def page(docs: Sections | None = None) -> None:
    """Route to the educator, student or start view.

    ``docs``: the page's sections; the start view shows "how" folded.
    """
    params = st.query_params
    offered = _take_old_teacher_link(params)
    try:
        store = cached.poll_store(cached.polls_url())
        if keys.POLL_CODE in params:
            _teacher(store, params[keys.POLL_CODE], offered)
        elif keys.POLL_JOIN in params:
            student(store, params[keys.POLL_JOIN])
        else:
            _start(store, docs)
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
def _start(store: PollStore, docs: Sections | None) -> None:
    # Students first: on a phone the columns stack, and the join box is
    # what a student typing a code needs.
    left, right = st.columns([2, 3], gap="large")
    with left:
        _join_box()
    with right, st.container(border=True):
        st.subheader("Educators: start a poll")
        # A broken question bank stops new polls, not students joining one.
        _start_form(store)
        st.caption(model.START_HELP)
    if docs is not None and "how" in docs:
        with section_guard("how the class check works"):
            how = docs["how"]
            with st.expander(how.title, icon=":material/help:"):
                markdown.body(how)


@fragments.section("the question picker")
def _start_form(store: PollStore) -> None:
    """Pick a question and a PIN, and start (a fragment; starting runs the page).

    The question is picked in two steps, each listing full texts: the page
    it is about, then the question itself (radio options wrap; a drop-down
    would cut long questions short). Both sit outside the form, so the list
    follows the topic at once; the PIN and "Start" are a form.
    """
    bank = session.bank()
    topic = st.selectbox(
        "Topic (the page the question is about)",
        model.topics(bank),
        format_func=model.topic_label,
        key=TOPIC,
    )
    question_id = st.radio(
        "Question (from the quiz bank)",
        model.questions_on(bank, topic),
        format_func=lambda q: model.question_text(bank, q),
        key=f"{keys.POLL_QUESTION}_{topic}",
    )
    with st.form("poll_start_form", border=False):
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
    _open({keys.POLL_CODE: poll.code})


def _open(params: dict[str, str]) -> None:
    """Show another view of the page: its parameters, keeping presenter mode.

    ``?present=true`` stays in the address: the page configuration reads it
    at the start of the next run, and without it the projector's sidebar
    would open again (``app.py``: ``initial_sidebar_state``).
    """
    if st.query_params.get(keys.PRESENT) == "true":
        params = {**params, keys.PRESENT: "true"}
    st.query_params.from_dict(params)
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
                placeholder=model.JOIN_PLACEHOLDER,
                key=keys.POLL_JOIN_INPUT,
            )
            joined = st.form_submit_button("Join", key=keys.POLL_JOIN_BUTTON)
        if joined:
            try:
                joined_code = normalise_code(code)
            except PollError as error:
                st.error(str(error), icon=":material/error:")
            else:
                _open({keys.POLL_JOIN: joined_code})


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
    _projected(store, view, token)
    handout.offer("class-check", lambda: handout_of(store, view.code, token))
    with st.expander("If this page loses control of the poll"):
        st.markdown(model.control_help(view.has_pin))


def _projected(store: PollStore, view: PollView, token: str) -> None:
    """The teacher's view, made for the projector.

    Before the reveal, one row at the top: the join code (large) with the
    join link, its QR code, and the answer count with Reveal and Close; then
    the question and its options, without counts. After the reveal the poll
    takes no answers, so the code and QR code give way: the question sits
    beside the count, and the distribution comes next, on the first screen.
    """
    if view.revealed:
        question_col, count_col = st.columns([5, 3], gap="medium")
        with question_col:
            st.markdown(f"### {view.prompt}")
            st.caption(model.poll_code_caption(view.code))
    else:
        code_col, qr_col, count_col = st.columns([3, 2, 3], gap="medium")
        with code_col:
            st.markdown(model.join_code_heading(view.code))
            st.markdown(model.join_instructions(presenter.page_address(), view.code))
        with qr_col:
            _qr(view.code)
    with count_col:
        _count_and_buttons(store, view, token)
    if view.revealed:
        live.revealed_results(store, view.code, token)
    else:
        st.markdown(f"### {view.prompt}")
        st.markdown(model.options_list(view))


def _qr(code: str) -> None:
    """The join link's QR code, if the page knows its own full address."""
    qr = class_check_qr.join_qr(model.join_address(presenter.page_address(), code))
    if qr is not None:
        st.image(
            qr.png,
            width=QR_WIDTH_PX[0] if presenter.is_on() else QR_WIDTH_PX[1],
            alt=qr.alt,
            caption="Scan to answer",
        )


def _count_and_buttons(store: PollStore, view: PollView, token: str) -> None:
    """The live answer count, Reveal and Close beside it, and the peek switch."""
    with st.container(key=COUNT_PANEL):
        live.count_panel(store, view.code, token, view.revealed, view.closed)
    with st.container(horizontal=True):
        # Both change the page's view (buttons, the marked answer): the whole page.
        if st.button(
            "Reveal results",
            type="primary",
            disabled=view.revealed,
            key=keys.POLL_REVEAL,
        ):
            store.reveal(view.code, token)
            st.rerun()
        if st.button("Close the poll", disabled=view.closed, key=keys.POLL_CLOSE):
            store.close(view.code, token)
            st.rerun()
    peeking = (
        _peek_allowed()
        and not view.revealed
        and st.toggle(model.PEEK_LABEL, key=PEEK, help=model.PEEK_HELP)
    )
    if peeking:
        live.peek_panel(store, view.code, token)


def _peek_allowed() -> bool:
    """Peeking is for the teacher's own device: never in presenter mode."""
    if presenter.is_on():
        st.session_state.pop(PEEK, None)
        return False
    return True


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
