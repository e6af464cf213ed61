"""The class check's live panels: results that refresh, and the outage view.

Results refresh every :data:`~dashboard.models.class_check.REFRESH_S` seconds
in ``run_every`` fragments. A fragment rerun runs outside the page's own
error handling, so every live panel shows the project's message when the
database cannot be used, and keeps trying.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import streamlit as st

from dashboard.charts.chart import Chart
from dashboard.core.polls import PollError, PollStore, PollUnavailableError, PollView
from dashboard.models import class_check as model
from dashboard.sections import class_check_session as session
from dashboard.ui import cached, keys
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
    store: PollStore, code: str, token: str | None, choice: int | None = None
) -> None:
    """Counts (teacher, or everyone after the reveal), then the verdict and why."""
    view = store.view(code, token)
    status = model.status(view, teacher=token is not None)
    st.caption(status.caption)
    if status.warning:
        st.warning(status.warning, icon=":material/warning:")
    if view.counts is None:
        answer_is_in()
        return
    show(
        _results_chart(view),
        key=f"poll_results_{'teacher' if token else 'student'}",
    )
    if view.revealed and view.correct is not None:
        if token is None and choice is not None:
            verdict = model.verdict(view, choice)
            if verdict.right:
                st.success(verdict.text, icon=":material/check_circle:")
            else:
                st.error(verdict.text, icon=":material/cancel:")
        why = model.explanation(session.bank(), view.question_id)
        if why:
            st.markdown(why)


@st.fragment(run_every=REFRESH_S)
def live_results(store: PollStore, code: str, token: str) -> None:
    """The teacher's results, redrawn every REFRESH_S seconds (a fragment rerun)."""
    with live_panel():
        results(store, code, token)


@st.fragment(run_every=REFRESH_S)
def wait_for_reveal(store: PollStore, code: str) -> None:
    """A student's page until the reveal: one cheap check every REFRESH_S seconds.

    A hall of 300 students who have answered asks for 150 of these a second
    (``python -m dashboard.tools.pollload``). At the reveal the whole page runs
    once more and draws the results without a fragment, so nothing keeps
    rerunning on the students' pages after it.
    """
    with live_panel():
        view = store.view(code)
        if view.revealed:
            st.rerun()  # the whole page: the results, drawn once
        st.caption(model.waiting_status(view))
        answer_is_in()


def answer_is_in() -> None:
    """The student's answer is stored; the results come at the reveal."""
    st.info(model.ANSWER_IS_IN, icon=":material/hourglass_top:")


def outage(error: PollUnavailableError) -> None:
    """The database cannot be used: say so, keep any unsent answer, and retry."""
    st.error(model.outage(error), icon=":material/cloud_off:")
    code = str(st.query_params.get(keys.POLL_JOIN, "")).upper()
    kept = session.pending().get(code)
    if kept is not None:
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
