"""A student's class check (``?join=CODE``): the question, the answers, the results.

``CODE`` is a poll's or a class session's. In a session the student keeps
this one page open: it watches the session (:func:`live.watch_session`, one
small query every 2 s) and shows each question as the educator opens it,
round 2 when it opens, and the results at the reveal.

A student answers once per round per browser (the identity the server
issued, kept in a cookie: a phone that locks its screen and reloads finds
its answers). Round 1 asks how sure they are; round 2 (peer instruction,
after discussing) shows their first answer and asks again. The answer form
is a fragment, so "Send my answer" without a choice reruns the form alone. A
sent answer is kept in the session first and stored by the next whole-page
run (:func:`send_pending`), so an answer sent during a database outage is
kept and sent when the database is back. Answers after the reveal are
refused (:data:`dashboard.core.polls.LATE`). The results after the reveal
are light (text and progress bars, no chart library).
"""

from __future__ import annotations

import time

import streamlit as st

from dashboard.core import identity
from dashboard.core.polls import (
    LATE,
    PollError,
    PollStore,
    PollUnavailableError,
    PollView,
    normalise_code,
)
from dashboard.core.polls_sessions import SessionState
from dashboard.models import class_check as model
from dashboard.models import class_check_rounds as rounds
from dashboard.models import class_check_sessions as sessions
from dashboard.sections import class_check_live as live
from dashboard.sections import class_check_session as session
from dashboard.ui import browser_identity, fragments, keys, responsive


def student(store: PollStore, raw_code: str) -> None:
    """The student's view of poll or session ``raw_code``."""
    code = normalise_code(raw_code)
    keep_sent_answer()  # first: the database may be down
    found = session.lookup_join(store, code)
    browser_id = browser_identity.browser_id(store)
    send_all_pending(store, browser_id)
    if isinstance(found, PollView):
        poll(store, found, browser_id)
        return
    if found.current is None:
        st.info(sessions.WAITING_FOR_FIRST, icon=":material/hourglass_top:")
    else:
        poll(store, store.view(found.current), browser_id, found)
    live.watch_session(store, code, found)


def answered(store: PollStore, code: str, browser: str, round_no: int) -> int | None:
    """The student's answer in round ``round_no``: from this tab, else the database.

    Answered before a reload: the database remembers, the session does not.
    """
    mine = session.my_answers()
    key = session.answer_key(code, round_no)
    if key not in mine:
        earlier = store.answer_of(code, browser, round_no)
        if earlier is None:
            return None
        mine[key] = earlier
    return mine[key]


def poll(
    store: PollStore,
    view: PollView,
    browser_id: str,
    state: SessionState | None = None,
) -> None:
    """One poll as the student sees it now; ``state``: the session's, if any."""
    code = view.code
    st.markdown(sessions.prompt(view))
    browser = identity.student_for(code, browser_id)
    opened: set[str] = st.session_state.setdefault(keys.POLL_OPENED, set())
    if code not in opened:
        store.opened(code, browser)
        opened.add(code)
    notice = session.notices().pop(code, None)
    if notice:
        st.warning(notice, icon=":material/info:")
    first = answered(store, code, browser, 1)
    second = answered(store, code, browser, 2) if view.round == 2 else None
    last = second if second is not None else first
    if view.revealed:
        if last is None:
            st.info(LATE, icon=":material/lock_clock:")
        else:
            _your_answers(view, first, second)
        live.results(store, code, None, last)
        return
    if view.closed:
        if last is not None:
            _your_answers(view, first, second)
        st.info(model.CLOSED, icon=":material/lock:")
        return
    if view.round == 2:
        if first is not None:
            st.markdown(rounds.first_answer_line(view, first))
        if second is None:
            st.markdown(rounds.ROUND_TWO_INTRO)
            _answer_form(view, 2)
        else:
            _your_answers(view, None, second)
    elif first is None:
        _answer_form(view, 1)
    else:
        _your_answers(view, first, None)
    if state is None:
        live.wait_for_reveal(store, code, view.round, last is not None)


def _your_answers(view: PollView, first: int | None, second: int | None) -> None:
    if second is None and first is not None:
        st.success(model.your_answer(view, first), icon=":material/how_to_vote:")
        return
    if second is not None:
        text = model.your_answer(view, second).replace(
            "Your answer:", "Your answer in round 2:"
        )
        st.success(text, icon=":material/how_to_vote:")


def _keep(
    code: str, round_no: int, choice: object, sure: object, options: tuple[str, ...]
) -> bool:
    """Keep ``choice`` as this tab's answer to ``code`` until it is stored."""
    if not isinstance(choice, int) or not 0 <= choice < len(options):
        return False
    confident = None if sure is None else sure == rounds.CONFIDENCE[0]
    key = session.answer_key(code, round_no)
    if key not in session.pending():
        session.pending()[key] = (
            int(choice),
            time.time(),
            options[int(choice)],
            confident,
            round_no,
            code,
        )
    return True


def keep_sent_answer() -> None:
    """Keep the answer of a "Send my answer" pressed in this run, before any query.

    A press normally reruns only the form (a fragment), which keeps the answer
    itself; this covers a press that arrives with a whole-page run. Its first
    query would fail during an outage before the form is drawn again; so the
    choice is taken from the session here and kept until it is stored
    (:func:`send_pending`).
    """
    drawn = st.session_state.get(keys.POLL_FORM)
    choice = st.session_state.get(keys.POLL_CHOICE)
    sure = st.session_state.get(keys.POLL_SURE)
    if not st.session_state.get(keys.POLL_SEND) or drawn is None or choice is None:
        return
    code, options, round_no = drawn
    if round_no == 1 and sure is None:
        return
    _keep(code, round_no, choice, sure, options)


@fragments.section("the answer form")
def _answer_form(view: PollView, round_no: int) -> None:
    """The question's options (and, in round 1, how sure), and "Send my answer".

    A fragment. A press with a choice keeps the answer, then runs the whole
    page, which stores it once (or keeps it through an outage) and shows it.
    """
    drawn = (view.code, view.options, round_no)
    if st.session_state.get(keys.POLL_FORM) != drawn:
        # Another question or round: start from an empty form.
        for key in (keys.POLL_CHOICE, keys.POLL_SURE):
            st.session_state.pop(key, None)
    st.session_state[keys.POLL_FORM] = drawn
    labels = sessions.option_labels(view)
    # Each option and the button at least 44 px tall, for a thumb.
    with responsive.answers("class-check"), st.form("poll_answer_form"):
        choice = st.radio(
            "Your answer" if round_no == 1 else "Your answer in round 2",
            range(len(view.options)),
            index=None,
            format_func=lambda i: labels[i],
            key=keys.POLL_CHOICE,
        )
        sure = None
        if round_no == 1:
            sure = st.radio(
                rounds.CONFIDENCE_LABEL,
                rounds.CONFIDENCE,
                index=None,
                horizontal=True,
                key=keys.POLL_SURE,
                help=rounds.CONFIDENCE_HELP,
            )
        sent = st.form_submit_button(
            "Send my answer", type="primary", key=keys.POLL_SEND
        )
    if not sent:
        return
    if choice is None:
        st.warning(model.PICK_FIRST, icon=":material/edit_note:")
    elif round_no == 1 and sure is None:
        st.warning(rounds.PICK_CONFIDENCE, icon=":material/edit_note:")
    elif _keep(view.code, round_no, choice, sure, view.options):
        st.rerun()


def send_all_pending(store: PollStore, browser_id: str) -> None:
    """Store every answer this tab kept (raises while the database is down)."""
    for key in list(session.pending()):
        code = session.pending()[key][5]
        send_pending(store, key, identity.student_for(code, browser_id))


def send_pending(store: PollStore, key: str, browser: str) -> None:
    """Store the answer this tab kept; tell the student plainly if it cannot count.

    Raises :class:`PollUnavailableError` (the answer stays kept) while the
    database is down.
    """
    choice, sent_at, label, sure, round_no, code = session.pending()[key]
    try:
        added = store.answer(
            code, browser, choice, sure=sure, round_no=round_no, sent_at=sent_at
        )
    except PollUnavailableError:
        raise
    except PollError as error:
        del session.pending()[key]
        session.notices()[code] = model.not_counted(label, error)
        return
    del session.pending()[key]
    if added:
        session.my_answers()[key] = choice
        return
    earlier = store.answer_of(code, browser, round_no)
    session.my_answers()[key] = choice if earlier is None else earlier
    if earlier is not None and earlier != choice:
        session.notices()[code] = model.OTHER_TAB
