"""The live class check page: start a poll (educator), join and answer (students).

Three views chosen by the address:

* ``?poll=CODE&teacher=TOKEN``: the educator's live results, reveal and close;
* ``?join=CODE``: a student's question, then the results once revealed;
* neither: start a poll, or type a join code.

Results refresh every :data:`REFRESH_S` seconds in a fragment, so only that
part of the page reruns. The teacher token is never shown in the projected
"link to this view" (see :func:`dashboard.ui.presenter.current_link`).
"""

from __future__ import annotations

import secrets

import pandas as pd
import streamlit as st

from dashboard.charts.polls import results_alt_text, results_figure, results_table
from dashboard.core import polls, quiz
from dashboard.core.handout import Handout
from dashboard.core.polls import PollError, PollStore, PollView, normalise_code
from dashboard.core.site import page_by_slug
from dashboard.ui import cached, handout, keys, presenter
from dashboard.ui.charts import chart
from dashboard.ui.errors import section_guard

REFRESH_S = 2.0
#: Streamlit's XSRF cookie (on while ``server.enableXsrfProtection`` is): a
#: browser keeps it until it closes, so it tells a reload from a new student.
XSRF_COOKIE = "_streamlit_xsrf"


def page() -> None:
    """Route to the educator, student or start view."""
    params = st.query_params
    try:
        store = cached.poll_store(cached.polls_url())
        if keys.POLL_CODE in params:
            _teacher(store, params[keys.POLL_CODE], _teacher_token(params))
        elif keys.POLL_JOIN in params:
            _student(store, params[keys.POLL_JOIN])
        else:
            _start(store)
    except PollError as error:
        st.error(str(error), icon=":material/error:")
        _join_box()


def _teacher_token(params) -> str:
    """The token from the teacher link, then kept in the session only.

    It is taken out of the address bar at once: the educator's screen is often
    the one on the projector. The link stays in the teacher's private panel.
    """
    code = str(params[keys.POLL_CODE]).upper()
    remembered: dict[str, str] = st.session_state.setdefault(keys.POLL_TOKENS, {})
    if keys.POLL_TEACHER in params:
        remembered[code] = str(params[keys.POLL_TEACHER])
        del params[keys.POLL_TEACHER]
    return remembered.get(code, "")


def _questions() -> pd.DataFrame:
    return cached.dataset("quiz_questions").set_index("id", drop=False)


def _start(store: PollStore) -> None:
    left, right = st.columns(2, gap="large")
    with left, st.container(border=True):
        st.subheader("Educators: start a poll")
        # A broken question bank stops new polls, not students joining one.
        with section_guard("the question picker"):
            _start_form(store)
        st.caption(
            "You get a join code to show the room and a private teacher link: "
            "keep that link to yourself, it is what lets you reveal and close."
        )
    with right:
        _join_box()


def _start_form(store: PollStore) -> None:
    bank = _questions()
    with st.form("poll_start_form", border=False):
        question_id = st.selectbox(
            "Question (from the quiz bank)",
            bank.index,
            format_func=lambda q: (
                f"{page_by_slug(bank.loc[q, 'page']).title}: {bank.loc[q, 'question']}"
            ),
            key=keys.POLL_QUESTION,
        )
        started = st.form_submit_button(
            "Start the poll", type="primary", key=keys.POLL_START
        )
    if started:
        row = bank.loc[question_id]
        options = quiz.options(row)
        poll = store.create(
            question_id, row["question"], options, options.index(row["answer"])
        )
        st.query_params.from_dict(
            {keys.POLL_CODE: poll.code, keys.POLL_TEACHER: poll.teacher_token}
        )
        st.rerun()


def _join_box() -> None:
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


def _join_address(code: str) -> str:
    return f"{presenter.page_address()}?{keys.POLL_JOIN}={code}"


def _teacher(store: PollStore, code: str, token: str) -> None:
    view = store.view(code, token)
    if view.counts is None:
        raise PollError("This teacher link is not valid for that poll.")
    st.markdown(f"## Join code: `{view.code}`")
    st.markdown(
        f"Students open **{_join_address(view.code)}**, or this page and type the code."
    )
    st.markdown(f"**{view.prompt}**")
    _live_results(store, view.code, token)
    reveal, close, _ = st.columns([1, 1, 3])
    if reveal.button(
        "Reveal results", type="primary", disabled=view.revealed, key=keys.POLL_REVEAL
    ):
        store.reveal(view.code, token)
        st.rerun()
    if close.button("Close the poll", disabled=view.closed, key=keys.POLL_CLOSE):
        store.close(view.code, token)
        st.rerun()
    handout.offer("class-check", lambda: _handout(store, view.code, token))
    with st.expander("Your private teacher link (do not project it)"):
        st.code(
            f"{presenter.page_address()}?{keys.POLL_CODE}={view.code}"
            f"&{keys.POLL_TEACHER}={token}",
            language=None,
            wrap_lines=True,
        )


def _results(
    store: PollStore, code: str, token: str | None, choice: int | None = None
) -> None:
    """Counts (teacher, or everyone after the reveal), then the verdict and why."""
    view = store.view(code, token)
    status = "closed" if view.closed else "open"
    status += ", results shown to the class" if view.revealed else ""
    if token is not None:
        st.caption(f"Poll {status}. Updates every {REFRESH_S:g} s.")
    else:
        st.caption(f"Poll {status}.")
    if view.counts is None:
        _answer_is_in()
        return
    # The answer is marked only after the reveal, even on the teacher's screen,
    # which is often the one on the projector.
    shown = view.correct if view.revealed else None
    chart(
        cached.shared_figure(results_figure, view.options, view.counts, shown),
        alt=results_alt_text(view.options, view.counts, shown),
        data=results_table(view.options, view.counts, shown),
        key=f"poll_results_{'teacher' if token else 'student'}",
    )
    if view.revealed and view.correct is not None:
        if token is None and choice is not None:
            _verdict(view, choice)
        _explain(view.question_id)


#: The teacher's results, redrawn every REFRESH_S seconds (a fragment rerun).
_live_results = st.fragment(run_every=REFRESH_S)(_results)


@st.fragment(run_every=REFRESH_S)
def _wait_for_reveal(store: PollStore, code: str) -> None:
    """A student's page until the reveal: one cheap check every REFRESH_S seconds.

    A hall of 300 students who have answered asks for 150 of these a second
    (``python -m dashboard.tools.pollload``). At the reveal the whole page runs
    once more and draws the results without a fragment, so nothing keeps
    rerunning on the students' pages after it.
    """
    view = store.view(code)
    if view.revealed:
        st.rerun()  # the whole page: the results, drawn once
    st.caption(f"Poll {'closed' if view.closed else 'open'}.")
    _answer_is_in()


def _answer_is_in() -> None:
    st.info(
        "Your answer is in. The results appear here when your teacher reveals them.",
        icon=":material/hourglass_top:",
    )


def _student_id(code: str) -> str:
    """Who is answering.

    The browser, kept across reloads, where its XSRF cookie can be read
    (:func:`dashboard.core.polls.browser_student`); else this browser session.
    """
    student = polls.browser_student(code, st.context.cookies.get(XSRF_COOKIE))
    if student is not None:
        return student
    if keys.POLL_STUDENT not in st.session_state:
        st.session_state[keys.POLL_STUDENT] = secrets.token_hex(8)
    return st.session_state[keys.POLL_STUDENT]


def _student(store: PollStore, code: str) -> None:
    view = store.view(code)
    student = _student_id(view.code)
    mine: dict[str, int] = st.session_state.setdefault(keys.POLL_MY_ANSWERS, {})
    st.markdown(f"**{view.prompt}**")
    if view.code not in mine:
        # Answered before a reload: the database remembers, the session does not.
        earlier = store.answer_of(view.code, student)
        if earlier is None:
            if view.closed:
                st.info("This poll is closed.", icon=":material/lock:")
                return
            _answer_form(store, view, student, mine)
            return
        mine[view.code] = earlier
    st.success(
        f"Your answer: **{view.options[mine[view.code]]}**",
        icon=":material/how_to_vote:",
    )
    if view.revealed:
        _results(store, view.code, None, mine[view.code])
    else:
        _wait_for_reveal(store, view.code)


def _answer_form(
    store: PollStore, view: PollView, student: str, mine: dict[str, int]
) -> None:
    with st.form("poll_answer_form"):
        choice = st.radio(
            "Your answer",
            range(len(view.options)),
            index=None,
            format_func=lambda i: view.options[i],
            key=keys.POLL_CHOICE,
        )
        sent = st.form_submit_button("Send my answer", type="primary")
    if sent:
        if choice is None:
            st.warning("Pick an answer first.", icon=":material/edit_note:")
            return
        store.answer(view.code, student, int(choice))
        mine[view.code] = int(choice)
        st.rerun()


def _verdict(view: PollView, choice: int) -> None:
    if choice == view.correct:
        st.success("You were right.", icon=":material/check_circle:")
    else:
        st.error(
            f"The answer is **{view.options[view.correct]}**.",
            icon=":material/cancel:",
        )


def _explain(question_id: str) -> None:
    bank = _questions()
    if question_id not in bank.index:
        return
    row = bank.loc[question_id]
    st.markdown(
        f"**Why:** {row['explanation']} "
        f"[Open the page that explains it](/{quiz.revisit_link(row)})"
    )


def _handout(store: PollStore, code: str, token: str) -> Handout:
    """The poll's question, the class's answers and, once revealed, the answer."""
    view = store.view(code, token)
    counts = view.counts or (0,) * len(view.options)
    shown = view.correct if view.revealed else None
    bank = _questions()
    sources = []
    if view.question_id in bank.index:
        row = bank.loc[view.question_id]
        sources = [(str(row["source"]), str(row["source_url"]))]
    return Handout(
        title="Live class check",
        view=f"{view.prompt} ({view.total} answers; "
        f"{'answer revealed' if view.revealed else 'answer not yet revealed'}.)",
        numbers=[
            (option + ("  ✓ correct" if i == shown else ""), str(counts[i]))
            for i, option in enumerate(view.options)
        ],
        numbers_title="Answers from the class",
        sources=sources,
    )
