"""The live class check page: start a session or a poll (educator), join (students).

Four views chosen by the address:

* ``?session=CODE``: the educator's class session: one join code for the
  lecture, a sequence of questions (:mod:`dashboard.sections.class_check_lecture`);
* ``?poll=CODE``: the educator's view of one poll on its own
  (:mod:`dashboard.sections.class_check_teacher`); any tab without the
  teacher token gets a box for the teacher PIN;
* ``?join=CODE``: a student's page for a session or a poll, then the results
  once revealed (:mod:`dashboard.sections.class_check_student`);
* none of them: start a session or a poll, or type a join code.

The teacher token never enters an address: starting keeps it in the session
and asks the teacher's browser to keep it in a cookie (``cc_teacher_<CODE>``,
12 hours, :mod:`dashboard.ui.cookies`), so a tab that lost its session (a
server restart, a failover to another process) takes control again by itself
when it reconnects. From another browser, the PIN the teacher chose gives a
new token (:meth:`PollStore.reclaim`). Starting keeps ``?present=true`` in
the address, so the sidebar stays shut on the projector (``app.py``
collapses it only for that address).

The start form is compact (issue 16): the topic, the PIN and the two start
buttons come first, the topic's questions (full texts) below them, so the
buttons stay on the projector's first screen however many questions a topic
has. The start and join forms are fragments: a refused PIN or a mistyped
code reruns the form alone; what changes the page's view runs the whole page.
Every live panel shows the project's own message when the database cannot be
used, and keeps trying.
"""

from __future__ import annotations

import streamlit as st

from dashboard.core import identity
from dashboard.core.polls import (
    PollError,
    PollStore,
    PollUnavailableError,
    normalise_code,
)
from dashboard.models import class_check as model
from dashboard.models import class_check_sessions as sessions
from dashboard.sections import class_check_live as live
from dashboard.sections import class_check_session as session
from dashboard.sections import class_check_teacher as teacher
from dashboard.sections.class_check_lecture import lecture
from dashboard.sections.class_check_student import student
from dashboard.sections.class_check_teacher import PEEK, handout_of
from dashboard.ui import (
    browser_identity,
    cached,
    cookies,
    fragments,
    keys,
    markdown,
)
from dashboard.ui.errors import section_guard
from dashboard.ui.page import Sections

__all__ = ["PEEK", "handout_of", "page"]
REFRESH_S = model.REFRESH_S
#: Widget key of the start form's topic (questions are keyed per topic).
TOPIC = "poll_topic"


def page(docs: Sections | None = None) -> None:
    """Route to the educator, student or start view.

    ``docs``: the page's sections; the start view shows "how" folded.
    """
    params = st.query_params
    offered = _take_old_teacher_link(params)
    try:
        store = cached.poll_store(cached.polls_url())
        if keys.POLL_CODE in params:
            teacher.poll_teacher(store, normalise_code(params[keys.POLL_CODE]), offered)
        elif keys.POLL_SESSION in params:
            lecture(store, normalise_code(params[keys.POLL_SESSION]), offered)
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
        st.subheader("Educators: start")
        # A broken question bank stops new polls, not students joining one.
        _start_form(store)
    if docs is not None and "how" in docs:
        with section_guard("how the class check works"):
            how = docs["how"]
            with st.expander(how.title, icon=":material/help:"):
                markdown.body(how)


@fragments.section("the question picker")
def _start_form(store: PollStore) -> None:
    """Pick a question and a PIN, and start (a fragment; starting runs the page).

    The topic, the PIN and the buttons come first; the topic's questions
    (radio options, full texts that wrap; a drop-down would cut long ones
    short) come below, so the buttons stay on the first screen. The radio
    sits outside the form, so the list follows the topic at once; it is
    drawn before the form is filled, so its value is known when a button is
    pressed.
    """
    bank = session.bank()
    topic = st.selectbox(
        "Topic (the page the question is about)",
        model.topics(bank),
        format_func=model.topic_label,
        key=TOPIC,
    )
    form_slot = st.container()
    question_id = st.radio(
        "First question (from the quiz bank)",
        model.questions_on(bank, topic),
        format_func=lambda q: model.question_text(bank, q),
        key=f"{keys.POLL_QUESTION}_{topic}",
    )
    with form_slot, st.form("poll_start_form", border=False):
        pin = st.text_input(
            "Teacher PIN (6 or more letters or digits)",
            type="password",
            max_chars=64,
            key=keys.POLL_PIN_NEW,
        )
        with st.container(horizontal=True):
            as_session = st.form_submit_button(
                "Start a session",
                type="primary",
                key=keys.POLL_SESSION_START,
            )
            one_poll = st.form_submit_button("Start one poll", key=keys.POLL_START)
        st.caption(f"{sessions.START_SESSION_HELP} {model.START_HELP}")
    if not (as_session or one_poll):
        return
    asked = model.new_poll(bank, question_id)
    try:
        creator = identity.creator_for(browser_identity.browser_id(store))
        if as_session:
            started = store.create_session(pin=pin, creator=creator)
            store.add_poll(
                started.code,
                started.teacher_token,
                asked.question_id,
                asked.prompt,
                asked.options,
                asked.correct,
            )
            where = keys.POLL_SESSION
        else:
            started = store.create(
                asked.question_id,
                asked.prompt,
                asked.options,
                asked.correct,
                pin=pin,
                creator=creator,
            )
            where = keys.POLL_CODE
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
    session.tokens()[started.code] = started.teacher_token
    _open({where: started.code})


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
