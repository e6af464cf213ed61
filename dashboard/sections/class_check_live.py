"""The class check's live panels: results that refresh, and the outage view.

The teacher's count (and, after the reveal, the results) refresh every
:data:`~dashboard.models.class_check.REFRESH_S` seconds in ``run_every``
fragments. Before the reveal the teacher's panel shows only the number of
answers, since that page is projected; the distribution only when the
teacher peeks on their own device. A student's results are light: a line and
a progress bar per option, no chart library (:func:`light_results`).

A fragment rerun runs outside the page's own error handling, so every live
panel shows the project's message when the database cannot be used, and
keeps trying.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import streamlit as st

from dashboard.charts.chart import Chart
from dashboard.core.polls import PollError, PollStore, PollUnavailableError, PollView
from dashboard.models import class_check as model
from dashboard.models import class_check_rounds as rounds
from dashboard.models import class_check_sessions as sessions
from dashboard.sections import class_check_session as session
from dashboard.ui import cached
from dashboard.ui.charts import show

REFRESH_S = model.REFRESH_S


@cached.shared
def _results_chart(view: PollView) -> Chart:
    """The results chart, built once per poll state for all sessions (frozen)."""
    chart = model.results_chart(view)
    cached.freeze(chart.figure)
    return chart


@contextlib.contextmanager
def live_panel() -> Iterator[None]:
    """Inside a fragment: the project's message instead of Streamlit's error box.

    A fragment rerun runs only the fragment, outside the page's ``try``; the
    panel shows what went wrong and the next rerun tries again.
    """
    try:
        yield
    except PollUnavailableError as error:
        st.error(model.panel_error(error), icon=":material/cloud_off:")
    except PollError as error:
        st.error(str(error), icon=":material/error:")


def results(
    store: PollStore,
    code: str,
    token: str | None,
    choice: int | None = None,
    view: PollView | None = None,
) -> None:
    """After the reveal: the counts (both rounds), the shift, the verdict and why.

    The teacher gets the chart (with its table, for the projector); a
    student's phone gets :func:`light_results`. ``choice`` is the student's
    last answer (round 2 if they gave one); ``view``: the poll, if read.
    """
    view = store.view(code, token) if view is None else view
    if token is None:  # the teacher's count panel shows the teacher's status
        st.caption(model.status(view, teacher=False).caption)
    if view.counts is None:
        answer_is_in()
        return
    # How the room moved first: the point of a second round.
    if view.counts2 is not None:
        st.markdown("  \n".join(rounds.shift_lines(view)))
    elif token is not None and view.sure is not None and view.correct is not None:
        st.markdown(rounds.confident_line(view))
    if token is None:
        light_results(view, choice)
    else:
        show(_results_chart(view), key="poll_results_teacher")
    if view.revealed and view.correct is not None:
        if token is None and choice is not None:
            verdict = model.verdict(view, choice)
            if verdict.right:
                st.success(verdict.text, icon=":material/check_circle:")
            else:
                st.error(verdict.text, icon=":material/cancel:")
        why = sessions.own_explanation(view) or model.explanation(
            session.bank(), view.question_id
        )
        if why:
            st.markdown(why)


def light_results(view: PollView, choice: int | None = None) -> None:
    """The answers as text and progress bars: readable at 390 px, no Plotly.

    A two-round poll shows round 1, then round 2, each with its own bars.
    """
    with st.container(key="poll-light-results"):
        if view.counts2 is None:
            st.markdown(f"**{model.answer_count(view)}**")
        else:
            st.markdown(f"**{rounds.both_counts(view)}**")
            st.markdown(f"**{rounds.ROUND_NAMES[0]}**")
            for row in model.result_rows(view, None, round_no=1):
                st.progress(row.share, text=row.text)
            st.markdown(f"**{rounds.ROUND_NAMES[1]}**")
        for row in model.result_rows(view, choice):
            st.progress(row.share, text=row.text)


@st.fragment(run_every=REFRESH_S)
def count_panel(
    store: PollStore, code: str, token: str, drawn: tuple[bool, bool, int]
) -> None:
    """The teacher's answer count, every REFRESH_S seconds; no distribution.

    ``drawn`` is the poll's state the page was drawn for (revealed, closed,
    round): if another device of the teacher's changes it, or opens another
    question of the session, the whole page runs again and shows it.
    """
    with live_panel():
        view = store.view(code, token)
        if (view.revealed, view.closed, view.round) != drawn:
            st.rerun()  # the whole page: the buttons, the results
        if view.session and store.session_state(view.session).current != code:
            st.rerun()  # another question is on the students' screens
        if view.counts is None:  # no longer in control: the page asks for the PIN
            st.rerun()
        st.markdown(f"## {model.answer_count(view)}")
        status = model.status(view, teacher=True)
        if not view.revealed:
            st.caption(rounds.round_status(view))
        st.caption(status.caption)
        if status.warning:
            st.warning(status.warning, icon=":material/warning:")
        if not view.revealed:
            st.caption(model.HIDDEN_UNTIL_REVEAL)


@st.fragment(run_every=REFRESH_S)
def peek_panel(store: PollStore, code: str, token: str) -> None:
    """The distribution before the reveal, for the teacher's own device only.

    Shown only when the teacher switched "Peek" on, which presenter mode never
    offers; the right answer is not marked.
    """
    with live_panel():
        light_results(store.view(code, token))


@st.fragment(run_every=REFRESH_S)
def revealed_results(store: PollStore, code: str, token: str) -> None:
    """The teacher's results after the reveal, redrawn every REFRESH_S seconds.

    An answer sent before the reveal but held up by a database outage may
    still arrive, so the chart keeps refreshing.
    """
    with live_panel():
        results(store, code, token)


@st.fragment(run_every=REFRESH_S)
def wait_for_reveal(
    store: PollStore, code: str, drawn_round: int = 1, answered: bool = True
) -> None:
    """A student's page on a poll of its own: one cheap check every REFRESH_S s.

    A hall of 300 students who have answered asks for 150 of these a second
    (``python -m dashboard.tools.pollload``). When round 2 opens (the page
    was drawn for ``drawn_round``) or at the reveal, the whole page runs once
    more; after the reveal it draws the results without a fragment, so
    nothing keeps rerunning on the students' pages. ``answered``: the
    student's answer is in (else the page shows the form above).
    """
    with live_panel():
        view = store.view(code)
        if view.revealed or view.round != drawn_round:
            st.rerun()  # the whole page: the next round, or the results
        st.caption(model.waiting_status(view))
        if answered:
            answer_is_in()


@st.fragment(run_every=REFRESH_S)
def watch_session(store: PollStore, code: str, drawn: object) -> None:
    """A student's page in a class session: one small query every REFRESH_S s.

    ``drawn`` is the :class:`~dashboard.core.polls_sessions.SessionState` the
    page was drawn for; when the educator opens the next question, round 2,
    or the results, the whole page runs again and shows it. It keeps
    watching after a reveal: the next question may come.
    """
    with live_panel():
        if store.session_state(code) != drawn:
            st.rerun()
        st.caption(model.WATCHING)


def answer_is_in() -> None:
    """The student's answer is stored; the results come at the reveal."""
    st.info(model.ANSWER_IS_IN, icon=":material/hourglass_top:")


def outage(error: PollUnavailableError) -> None:
    """The database cannot be used: say so, keep any unsent answer, and retry."""
    st.error(model.outage(error), icon=":material/cloud_off:")
    for kept in session.pending().values():
        st.info(model.kept_answer(kept[2]), icon=":material/schedule_send:")
    _reconnect()


@st.fragment(run_every=REFRESH_S)
def _reconnect() -> None:
    """Every REFRESH_S seconds: is the database back? Then run the page again."""
    try:
        cached.poll_store(cached.polls_url()).ping()
    except PollUnavailableError:
        st.caption(model.WAITING_FOR_DATABASE)
        return
    st.rerun()
