"""The live class check page: start a poll (educator), join and answer (students).

Three views chosen by the address:

* ``?poll=CODE``: the educator's live results, reveal and close, for a tab
  that holds one of the poll's teacher tokens; any other tab gets a box for
  the teacher PIN;
* ``?join=CODE``: a student's question, then the results once revealed;
* neither: start a poll, or type a join code.

The teacher token never enters an address. Starting a poll keeps it in the
session and asks the teacher's browser to keep it in a cookie
(``cc_teacher_<CODE>``, 12 hours, :mod:`dashboard.ui.cookies`), so a tab that
lost its session (a server restart, a failover to another process) takes
control again by itself when it reconnects. From another browser, the PIN the
teacher chose gives a new token (:meth:`PollStore.reclaim`).

Results refresh every :data:`REFRESH_S` seconds in fragments. Every live
panel shows the project's own message when the database cannot be used, and
keeps trying; a student's answer sent during an outage is kept in the session
and sent when the database is back. Answers after the reveal are refused
(:data:`dashboard.core.polls.LATE`).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import pandas as pd
import streamlit as st

from dashboard.charts.polls import results_alt_text, results_figure, results_table
from dashboard.core import identity, quiz
from dashboard.core.handout import Handout
from dashboard.core.polls import (
    LATE,
    PollError,
    PollLimitError,
    PollNotFoundError,
    PollStore,
    PollUnavailableError,
    PollView,
    normalise_code,
)
from dashboard.core.site import page_by_slug
from dashboard.core.throttle import Throttle
from dashboard.ui import browser_identity, cached, cookies, handout, keys, presenter
from dashboard.ui.charts import chart
from dashboard.ui.errors import section_guard

REFRESH_S = 2.0
#: The teacher's browser keeps each poll's token this long (a day of teaching).
TEACHER_COOKIE_PREFIX = "cc_teacher_"
TEACHER_COOKIE_S = 12 * 3600
#: Failed guesses a tab may make per minute (L6): unknown join codes, and wrong
#: teacher PINs or tokens. A typo never meets these; a script does at once.
GUESSES = {"join": (10, 60.0), "teacher": (5, 60.0)}


def page() -> None:
    """Route to the educator, student or start view."""
    params = st.query_params
    offered = _take_old_teacher_link(params)
    try:
        store = cached.poll_store(cached.polls_url())
        if keys.POLL_CODE in params:
            _teacher(store, params[keys.POLL_CODE], offered)
        elif keys.POLL_JOIN in params:
            _student(store, params[keys.POLL_JOIN])
        else:
            _start(store)
    except PollUnavailableError as error:
        _outage(error)
    except PollError as error:
        st.error(str(error), icon=":material/error:")
        _join_box()
    except identity.SecretError as error:
        st.error(f"Live class checks are unavailable: {error}", icon=":material/error:")
    cookies.write()


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


# -- guesses (L6) ------------------------------------------------------------------
def _throttle(kind: str) -> Throttle:
    throttles: dict[str, Throttle] = st.session_state.setdefault(
        keys.POLL_THROTTLES, {}
    )
    limit, window = GUESSES[kind]
    return throttles.setdefault(kind, Throttle(limit, window))


def _check_guesses(kind: str) -> None:
    wait = _throttle(kind).wait_s()
    if wait:
        what = "join codes" if kind == "join" else "teacher PINs or keys"
        raise PollLimitError(
            f"Too many wrong {what} from this tab. Wait {wait} s and try again.", wait
        )


def _lookup(store: PollStore, code: str, token: str | None = None) -> PollView:
    """``store.view``, counting an unknown code as a failed guess."""
    _check_guesses("join")
    try:
        return store.view(code, token)
    except PollNotFoundError:
        _throttle("join").failed()
        raise


# -- the educator ---------------------------------------------------------------
def _questions() -> pd.DataFrame:
    return cached.dataset("quiz_questions").set_index("id", drop=False)


def _tokens() -> dict[str, str]:
    """Teacher tokens this session holds, by poll code (never in the address)."""
    return st.session_state.setdefault(keys.POLL_TOKENS, {})


def _start(store: PollStore) -> None:
    left, right = st.columns(2, gap="large")
    with left, st.container(border=True):
        st.subheader("Educators: start a poll")
        # A broken question bank stops new polls, not students joining one.
        with section_guard("the question picker"):
            _start_form(store)
        st.caption(
            "Choose a PIN that only you know; it is never shown on the screen. "
            "This browser keeps control of the poll, even if the server "
            "restarts. On another device, open the poll's address and type the "
            "PIN to take control."
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
    row = bank.loc[question_id]
    options = quiz.options(row)
    try:
        creator = identity.creator_for(browser_identity.browser_id(store))
        poll = store.create(
            question_id,
            row["question"],
            options,
            options.index(row["answer"]),
            pin=pin,
            creator=creator,
        )
    except PollUnavailableError:
        raise
    except PollError as error:
        st.error(str(error), icon=":material/error:")
        return
    _tokens()[poll.code] = poll.teacher_token
    st.query_params.from_dict({keys.POLL_CODE: poll.code})
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


def _teacher_token(code: str, offered: str | None) -> tuple[str | None, bool]:
    """The token to try, and whether it came from outside this session.

    This session's own token first; then an old private link's; then the
    cookie the teacher's browser sent when this session connected.
    """
    if code in _tokens():
        return _tokens()[code], False
    if offered:
        return offered, True
    return cookies.sent_cookie(f"{TEACHER_COOKIE_PREFIX}{code}"), True


def _teacher(store: PollStore, raw_code: str, offered: str | None) -> None:
    code = normalise_code(raw_code)
    token, outside = _teacher_token(code, offered)
    if outside and token and _throttle("teacher").wait_s():
        token = None  # guessing keys from this tab: try none until it may again
    view = _lookup(store, code, token)
    if view.counts is None:
        if token:
            _throttle("teacher").failed()
            _tokens().pop(code, None)
            st.error(
                "The teacher key this tab holds is not valid for that poll.",
                icon=":material/error:",
            )
        _take_control(store, view)
        return
    _tokens()[code] = token
    cookie = f"{TEACHER_COOKIE_PREFIX}{code}"
    if cookies.sent_cookie(cookie) != token:
        cookies.remember(cookie, token, TEACHER_COOKIE_S)
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
    with st.expander("If this page loses control of the poll"):
        again = (
            "On another device, open this page's address and type the PIN you "
            "chose when you started the poll."
            if view.has_pin
            else "This poll was started without a PIN, so only this browser can "
            "control it."
        )
        st.markdown(
            "This browser keeps the poll's teacher key in a cookie, never in "
            "the address. If the server restarts or the page reconnects to "
            f"another server, it takes control again by itself. {again} Late "
            "answers: once you reveal the results, the poll takes no more "
            "answers, so the counts stay what the class thought before seeing "
            "the answer."
        )


def _take_control(store: PollStore, view: PollView) -> None:
    """The poll's teacher view for a tab without a teacher token: the PIN box."""
    st.markdown(f"## Poll `{view.code}`")
    st.markdown(f"**{view.prompt}**")
    if not view.has_pin:
        st.warning(
            "This poll was started without a teacher PIN, so only the browser "
            "that started it can reveal or close it.",
            icon=":material/lock:",
        )
    else:
        st.info(
            "This tab is not in control of the poll. If you started it, type "
            "your teacher PIN to take control again (after a server restart, or "
            "on another device).",
            icon=":material/key:",
        )
        with st.form("poll_pin_form", border=False):
            pin = st.text_input(
                "Teacher PIN", type="password", max_chars=64, key=keys.POLL_PIN_INPUT
            )
            sent = st.form_submit_button(
                "Take control", type="primary", key=keys.POLL_PIN_BUTTON
            )
        if sent:
            try:
                _check_guesses("teacher")
                token = store.reclaim(view.code, pin)
            except PollUnavailableError:
                raise
            except PollError as error:
                if not isinstance(error, PollLimitError):
                    _throttle("teacher").failed()
                st.error(str(error), icon=":material/error:")
            else:
                _tokens()[view.code] = token
                st.rerun()
    st.markdown(f"Students: open **{_join_address(view.code)}** to answer.")


# -- live panels -------------------------------------------------------------------
@contextlib.contextmanager
def _live_panel() -> Iterator[None]:
    """Inside a fragment: the project's message instead of Streamlit's error box.

    A fragment rerun runs only the fragment, outside :func:`page`'s ``try``;
    the panel shows what went wrong and the next rerun tries again.
    """
    try:
        yield
    except PollUnavailableError as error:
        st.error(
            f"{error} This panel tries again every {REFRESH_S:g} s by itself.",
            icon=":material/cloud_off:",
        )
    except PollError as error:
        st.error(str(error), icon=":material/error:")


def _counted(number: int | None, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _results(
    store: PollStore, code: str, token: str | None, choice: int | None = None
) -> None:
    """Counts (teacher, or everyone after the reveal), then the verdict and why."""
    view = store.view(code, token)
    status = "closed" if view.closed else "open"
    status += ", results shown to the class" if view.revealed else ""
    if token is not None:
        st.caption(
            f"Poll {status}. Updates every {REFRESH_S:g} s. "
            f"{_counted(view.total, 'answer')}; "
            f"{_counted(view.opened, 'browser')} opened the question."
        )
        if view.more_answers_than_opens:
            st.warning(
                f"More answers ({view.total}) than browsers that opened the "
                f"question ({view.opened}): some answers did not come through "
                "this page. Treat the counts with care.",
                icon=":material/warning:",
            )
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


@st.fragment(run_every=REFRESH_S)
def _live_results(store: PollStore, code: str, token: str) -> None:
    """The teacher's results, redrawn every REFRESH_S seconds (a fragment rerun)."""
    with _live_panel():
        _results(store, code, token)


@st.fragment(run_every=REFRESH_S)
def _wait_for_reveal(store: PollStore, code: str) -> None:
    """A student's page until the reveal: one cheap check every REFRESH_S seconds.

    A hall of 300 students who have answered asks for 150 of these a second
    (``python -m dashboard.tools.pollload``). At the reveal the whole page runs
    once more and draws the results without a fragment, so nothing keeps
    rerunning on the students' pages after it.
    """
    with _live_panel():
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


def _outage(error: PollUnavailableError) -> None:
    """The database cannot be used: say so, keep any unsent answer, and retry."""
    st.error(
        f"{error} This page tries again every {REFRESH_S:g} s by itself; nothing "
        "already stored is lost.",
        icon=":material/cloud_off:",
    )
    code = str(st.query_params.get(keys.POLL_JOIN, "")).upper()
    kept = st.session_state.get(keys.POLL_PENDING, {}).get(code)
    if kept is not None:
        st.info(
            f"Your answer (**{kept[2]}**) is kept in this tab. It will be sent "
            "as soon as the poll database is back; keep this page open.",
            icon=":material/schedule_send:",
        )
    _reconnect()


@st.fragment(run_every=REFRESH_S)
def _reconnect() -> None:
    """Every REFRESH_S seconds: is the database back? Then run the page again."""
    try:
        cached.poll_store(cached.polls_url()).ping()
    except PollUnavailableError:
        st.caption("Waiting for the poll database…")
        return
    st.rerun()


# -- students ----------------------------------------------------------------------
def _my_answers() -> dict[str, int]:
    return st.session_state.setdefault(keys.POLL_MY_ANSWERS, {})


def _pending() -> dict[str, tuple[int, float, str]]:
    """Answers pressed but not yet stored: code -> (choice, sent at, its label)."""
    return st.session_state.setdefault(keys.POLL_PENDING, {})


def _notices() -> dict[str, str]:
    return st.session_state.setdefault(keys.POLL_NOTICES, {})


def _student(store: PollStore, raw_code: str) -> None:
    code = normalise_code(raw_code)
    _keep_sent_answer(code)  # first: the database may be down
    view = _lookup(store, code)
    st.markdown(f"**{view.prompt}**")
    student = identity.student_for(code, browser_identity.browser_id(store))
    opened: set[str] = st.session_state.setdefault(keys.POLL_OPENED, set())
    if code not in opened:
        store.opened(code, student)
        opened.add(code)
    if code in _pending():
        _send_pending(store, code, student)
    notice = _notices().pop(code, None)
    if notice:
        st.warning(notice, icon=":material/info:")
    mine = _my_answers()
    if code not in mine:
        # Answered before a reload: the database remembers, the session does not.
        earlier = store.answer_of(code, student)
        if earlier is None:
            if view.closed:
                st.info("This poll is closed.", icon=":material/lock:")
            elif view.revealed:
                st.info(LATE, icon=":material/lock_clock:")
                _results(store, code, None)
            else:
                _answer_form(view)
            return
        mine[code] = earlier
    st.success(
        f"Your answer: **{view.options[mine[code]]}**",
        icon=":material/how_to_vote:",
    )
    if view.revealed:
        _results(store, code, None, mine[code])
    else:
        _wait_for_reveal(store, code)


def _keep_sent_answer(code: str) -> None:
    """Keep the answer of a "Send my answer" pressed in this run, before any query.

    The press reruns the whole page, whose first query would fail during an
    outage before the form is drawn again; so the choice is taken from the
    session here and kept until it is stored (:func:`_send_pending`).
    """
    drawn = st.session_state.get(keys.POLL_FORM)
    choice = st.session_state.get(keys.POLL_CHOICE)
    if not st.session_state.get(keys.POLL_SEND) or drawn is None or choice is None:
        return
    form_code, options = drawn
    if not isinstance(choice, int) or not 0 <= choice < len(options):
        return
    if form_code == code and code not in _pending():
        _pending()[code] = (int(choice), time.time(), options[int(choice)])


def _answer_form(view: PollView) -> None:
    st.session_state[keys.POLL_FORM] = (view.code, view.options)
    with st.form("poll_answer_form"):
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
    if sent and choice is None:
        st.warning("Pick an answer first.", icon=":material/edit_note:")


def _send_pending(store: PollStore, code: str, student: str) -> None:
    """Store the answer this tab kept; tell the student plainly if it cannot count.

    Raises :class:`PollUnavailableError` (the answer stays kept) while the
    database is down.
    """
    choice, sent_at, label = _pending()[code]
    try:
        added = store.answer(code, student, choice, sent_at=sent_at)
    except PollUnavailableError:
        raise
    except PollError as error:
        del _pending()[code]
        _notices()[code] = f"Your answer ({label}) could not be counted. {error}"
        return
    del _pending()[code]
    if added:
        _my_answers()[code] = choice
        return
    earlier = store.answer_of(code, student)
    _my_answers()[code] = choice if earlier is None else earlier
    if earlier is not None and earlier != choice:
        _notices()[code] = (
            "This browser had already answered this poll (in another tab); "
            "that first answer is the one that counts."
        )


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
    """The poll's question, the class's answers and, once revealed, the answer.

    Built when the button is pressed, outside the page run: if the database
    cannot be read then, the handout says so instead of failing.
    """
    try:
        view = store.view(code, token)
    except PollError as error:
        return Handout(
            title="Live class check",
            view=f"Poll {code}: the answers could not be read. {error}",
        )
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
