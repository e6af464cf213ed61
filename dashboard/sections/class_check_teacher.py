"""The educator's projected view of one poll: join code, count, rounds, reveal.

Used for a poll on its own (``?poll=CODE``) and for the poll on screen in a
class session (``?session=CODE``, :mod:`dashboard.sections.class_check_lecture`).

The teacher token never enters an address: it stays in the session and in a
cookie of the teacher's browser (``cc_teacher_<CODE>``, 12 hours), so a tab
that lost its session (a server restart, a failover) takes control again by
itself; from another browser the PIN gives a new token
(:meth:`PollStore.reclaim`).

The teacher's page is the projected one, so until the reveal it shows only
the question, the join code (large), a QR code of the join link and the
number of answers in the round open now, with the round, reveal and close
buttons beside the count; the distribution appears at the reveal (both rounds
side by side for a two-round poll, with who changed their mind). On their own
device the teacher may switch on "Peek" (never offered in presenter mode).
"""

from __future__ import annotations

import streamlit as st

from dashboard.core.handout import Handout
from dashboard.core.polls import (
    PollError,
    PollLimitError,
    PollStore,
    PollUnavailableError,
    PollView,
)
from dashboard.models import cases as cases_engine
from dashboard.models import class_check as model
from dashboard.models import class_check_cases as case_polls
from dashboard.models import class_check_export as export
from dashboard.models import class_check_qr
from dashboard.models import class_check_rounds as rounds
from dashboard.models import class_check_sessions as sessions
from dashboard.sections import class_check_live as live
from dashboard.sections import class_check_session as session
from dashboard.ui import cached, cookies, handout, keys, presenter

#: Session key of the teacher's "Peek" toggle (never in the address).
PEEK = "poll_peek"
#: Container key of the teacher's count panel.
COUNT_PANEL = "poll-count"
#: Width of the QR code on screen, CSS px (projector, other screens).
QR_WIDTH_PX = (280, 200)


def teacher_token(code: str, offered: str | None) -> tuple[str | None, bool]:
    """The token to try for poll or session ``code``, and whether it came from outside.

    This session's own token first; then an old private link's; then the
    cookie the teacher's browser sent when this session connected.
    """
    if code in session.tokens():
        return session.tokens()[code], False
    if offered:
        return offered, True
    return cookies.sent_cookie(model.teacher_cookie(code)), True


def keep_token(code: str, token: str) -> None:
    """Hold ``token`` in the session and ask the browser to keep it (a cookie)."""
    session.tokens()[code] = token
    cookie = model.teacher_cookie(code)
    if cookies.sent_cookie(cookie) != token:
        cookies.remember(cookie, token, model.TEACHER_COOKIE_S)


def poll_teacher(store: PollStore, code: str, offered: str | None) -> None:
    """``?poll=CODE``: a poll on its own, for a tab that holds its teacher token."""
    token, outside = teacher_token(code, offered)
    if outside and token and session.throttle("teacher").wait_s():
        token = None  # guessing keys from this tab: try none until it may again
    view = session.lookup(store, code, token)
    if view.counts is None:
        if token:
            session.throttle("teacher").failed()
            session.tokens().pop(code, None)
            st.error(model.BAD_TOKEN, icon=":material/error:")
        take_control(store, view.code, sessions.prompt(view), view.has_pin)
        return
    keep_token(code, str(token))
    projected(store, view, str(token), join_code=view.code)
    handout.offer("class-check", lambda: handout_of(store, view.code, str(token)))
    with st.expander("If this page loses control of the poll"):
        st.markdown(model.control_help(view.has_pin))


def projected(
    store: PollStore,
    view: PollView,
    token: str,
    *,
    join_code: str,
    more_waiting: bool = False,
) -> None:
    """The teacher's view of ``view``, made for the projector.

    Before the reveal, one row at the top: the join code (large) with the
    join link, its QR code, and the answer count with the buttons; then the
    question and its options, without counts. After the reveal the question
    takes no answers, so the code and QR code give way to a line (a session's
    code still shows there, for latecomers); the results come next, on the
    first screen.
    ``more_waiting``: the session has a question waiting to open.
    """
    if view.revealed:
        question_col, count_col = st.columns([5, 2], gap="medium")
        with question_col:
            st.markdown(f"### {sessions.prompt(view)}")
            if view.session is None:
                st.caption(model.poll_code_caption(view.code))
            else:
                st.caption(sessions.still_joining(join_code))
            # Beside the count, so the results are on the projector's first screen.
            live.revealed_results(store, view.code, token)
            _follow_the_room(view)
    else:
        code_col, qr_col, count_col = st.columns([3, 2, 3], gap="medium")
        with code_col:
            st.markdown(model.join_code_heading(join_code))
            st.markdown(model.join_instructions(presenter.page_address(), join_code))
        with qr_col:
            qr(join_code)
    with count_col:
        count_and_buttons(store, view, token, more_waiting=more_waiting)
    if not view.revealed:
        st.markdown(f"### {sessions.prompt(view)}")
        st.markdown(model.options_list(view))


@cached.shared
def virtual_patients() -> tuple:
    """The virtual patients that load (the Virtual patients page's own list)."""
    return cases_engine.load_cases(cached.CONTENT_DIR, cached.DATA_DIR)[0]


def _follow_the_room(view: PollView) -> None:
    """For a virtual patient's decision: the case with the room's choice played."""
    if not view.question_id.startswith(case_polls.PREFIX):
        return
    counts = view.counts2 if view.counts2 is not None else view.counts
    found = case_polls.follow(virtual_patients(), view.question_id, counts)
    if found is None:
        return
    tie = " (a tie: the first of the tied options)" if found.tied else ""
    st.markdown(
        f":material/arrow_forward: [Continue the case with the room's choice: "
        f"{found.option}]({found.href}){tie}"
    )


def qr(code: str) -> None:
    """The join link's QR code, if the page knows its own full address."""
    found = class_check_qr.join_qr(model.join_address(presenter.page_address(), code))
    if found is not None:
        st.image(
            found.png,
            width=QR_WIDTH_PX[0] if presenter.is_on() else QR_WIDTH_PX[1],
            alt=found.alt,
            caption="Scan to answer",
        )


def count_and_buttons(
    store: PollStore, view: PollView, token: str, *, more_waiting: bool = False
) -> None:
    """The live answer count, the round, reveal, close (and next) buttons, the peek."""
    with st.container(key=COUNT_PANEL):
        live.count_panel(
            store, view.code, token, (view.revealed, view.closed, view.round)
        )
    with st.container(horizontal=True):
        # Each changes the page's view (buttons, the marked answer): the whole page.
        round_one = not view.revealed and not view.closed and view.round == 1
        if round_one and st.button(
            rounds.OPEN_ROUND_TWO,
            key=keys.POLL_ROUND_TWO,
            help=rounds.OPEN_ROUND_TWO_HELP,
        ):
            store.open_round_two(view.code, token)
            st.rerun()
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
        if view.session is not None and st.button(
            "Next question",
            type="primary" if view.revealed else "secondary",
            disabled=not more_waiting,
            key=keys.POLL_NEXT,
            help="Opens the next question of the session's list on every "
            "student's page.",
        ):
            store.open_next(view.session, token)
            st.rerun()
    peeking = (
        peek_allowed()
        and not view.revealed
        and st.toggle(model.PEEK_LABEL, key=PEEK, help=model.PEEK_HELP)
    )
    if peeking:
        live.peek_panel(store, view.code, token)


def peek_allowed() -> bool:
    """Peeking is for the teacher's own device: never in presenter mode."""
    if presenter.is_on():
        st.session_state.pop(PEEK, None)
        return False
    return True


def take_control(
    store: PollStore, code: str, prompt: str, has_pin: bool, what: str = "Poll"
) -> None:
    """The teacher view for a tab without a teacher token: the PIN box.

    ``code`` is a poll's or (``what="Session"``) a session's; ``prompt`` is
    what the page shows about it (Markdown).
    """
    st.markdown(f"## {what} `{code}`")
    st.markdown(prompt)
    if not has_pin:
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
                token = store.reclaim(code, pin)
            except PollUnavailableError:
                raise
            except PollLimitError as error:
                st.error(str(error), icon=":material/error:")
            except PollError as error:
                session.throttle("teacher").failed()
                st.error(str(error), icon=":material/error:")
            else:
                session.tokens()[code] = token
                st.rerun()
    st.markdown(model.students_answer_at(presenter.page_address(), code))


def handout_of(store: PollStore, code: str, token: str) -> Handout:
    """The teacher's handout of poll ``code``, read when the button is pressed.

    Built outside the page run: if the database cannot be read then, the
    handout says so instead of failing.
    """
    try:
        view = store.view(code, token)
    except PollError as error:
        return export.unreadable_handout(code, error)
    return export.handout(view, session.bank())
