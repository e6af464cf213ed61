"""A student's class check (``?join=CODE``): the question, the answer, the results.

A student answers once per browser (the identity the server issued, kept in
a cookie: a phone that locks its screen and reloads finds its answer); the
answer form is a fragment, so "Send my answer" without a choice reruns the form
alone. A sent answer is kept in the session first and stored by the next
whole-page run (:func:`send_pending`), so an answer sent during a database
outage is kept and sent when the database is back. Answers after the reveal
are refused (:data:`dashboard.core.polls.LATE`). The results after the
reveal are light (text and progress bars, no chart library).
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
from dashboard.models import class_check as model
from dashboard.sections import class_check_live as live
from dashboard.sections import class_check_session as session
from dashboard.ui import browser_identity, fragments, keys, responsive


def student(store: PollStore, raw_code: str) -> None:
    """The student's view of poll ``raw_code``: the form, or the answer and results."""
    code = normalise_code(raw_code)
    keep_sent_answer(code)  # first: the database may be down
    view = session.lookup(store, code)
    st.markdown(f"**{view.prompt}**")
    browser = identity.student_for(code, browser_identity.browser_id(store))
    opened: set[str] = st.session_state.setdefault(keys.POLL_OPENED, set())
    if code not in opened:
        store.opened(code, browser)
        opened.add(code)
    if code in session.pending():
        send_pending(store, code, browser)
    notice = session.notices().pop(code, None)
    if notice:
        st.warning(notice, icon=":material/info:")
    mine = session.my_answers()
    if code not in mine:
        # Answered before a reload: the database remembers, the session does not.
        earlier = store.answer_of(code, browser)
        if earlier is None:
            if view.closed:
                st.info(model.CLOSED, icon=":material/lock:")
            elif view.revealed:
                st.info(LATE, icon=":material/lock_clock:")
                live.results(store, code, None)
            else:
                _answer_form(view)
            return
        mine[code] = earlier
    st.success(model.your_answer(view, mine[code]), icon=":material/how_to_vote:")
    if view.revealed:
        live.results(store, code, None, mine[code])
    else:
        live.wait_for_reveal(store, code)


def _keep(code: str, choice: object, options: tuple[str, ...]) -> bool:
    """Keep ``choice`` as this tab's answer to ``code`` until it is stored."""
    if not isinstance(choice, int) or not 0 <= choice < len(options):
        return False
    if code not in session.pending():
        session.pending()[code] = (int(choice), time.time(), options[int(choice)])
    return True


def keep_sent_answer(code: str) -> None:
    """Keep the answer of a "Send my answer" pressed in this run, before any query.

    A press normally reruns only the form (a fragment), which keeps the answer
    itself; this covers a press that arrives with a whole-page run. Its first
    query would fail during an outage before the form is drawn again; so the
    choice is taken from the session here and kept until it is stored
    (:func:`send_pending`).
    """
    drawn = st.session_state.get(keys.POLL_FORM)
    choice = st.session_state.get(keys.POLL_CHOICE)
    if not st.session_state.get(keys.POLL_SEND) or drawn is None or choice is None:
        return
    form_code, options = drawn
    if form_code == code:
        _keep(code, choice, options)


@fragments.section("the answer form")
def _answer_form(view: PollView) -> None:
    """The question's options and "Send my answer" (a fragment).

    A press with a choice keeps the answer, then runs the whole page, which
    stores it once (or keeps it through an outage) and shows it.
    """
    st.session_state[keys.POLL_FORM] = (view.code, view.options)
    # Each option and the button at least 44 px tall, for a thumb.
    with responsive.answers("class-check"), st.form("poll_answer_form"):
        choice = st.radio(
            "Your answer",
            range(len(view.options)),
            index=None,
            format_func=lambda i: view.options[i],
            key=keys.POLL_CHOICE,
        )
        sent = st.form_submit_button(
            "Send my answer", type="primary", key=keys.POLL_SEND
        )
    if not sent:
        return
    if choice is None:
        st.warning(model.PICK_FIRST, icon=":material/edit_note:")
    elif _keep(view.code, choice, view.options):
        st.rerun()


def send_pending(store: PollStore, code: str, browser: str) -> None:
    """Store the answer this tab kept; tell the student plainly if it cannot count.

    Raises :class:`PollUnavailableError` (the answer stays kept) while the
    database is down.
    """
    choice, sent_at, label = session.pending()[code]
    try:
        added = store.answer(code, browser, choice, sent_at=sent_at)
    except PollUnavailableError:
        raise
    except PollError as error:
        del session.pending()[code]
        session.notices()[code] = model.not_counted(label, error)
        return
    del session.pending()[code]
    if added:
        session.my_answers()[code] = choice
        return
    earlier = store.answer_of(code, browser)
    session.my_answers()[code] = choice if earlier is None else earlier
    if earlier is not None and earlier != choice:
        session.notices()[code] = model.OTHER_TAB
