"""What a class-check tab keeps in its session, and its limit on failed guesses.

Teacher tokens (never in the address), the tab's answers, answers kept during
an outage, one-off notices, and the throttles on failed guesses (L6). Shared
by the class check's educator, student and live-panel sections.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.core.polls import PollLimitError, PollNotFoundError, PollStore, PollView
from dashboard.core.polls_sessions import SessionState
from dashboard.core.throttle import Throttle
from dashboard.models import class_check as model
from dashboard.ui import cached, keys


@cached.shared
def bank() -> pd.DataFrame:
    """The quiz's question bank, indexed by question id (shared, read-only)."""
    return model.bank_by_id(cached.dataset("quiz_questions"))


def tokens() -> dict[str, str]:
    """Teacher tokens this session holds, by poll code (never in the address)."""
    return st.session_state.setdefault(keys.POLL_TOKENS, {})


def answer_key(code: str, round_no: int) -> str:
    """The key of a poll's round in :func:`my_answers` and :func:`pending`."""
    return code if round_no == 1 else f"{code}#{round_no}"


def my_answers() -> dict[str, int]:
    """The answers stored from this tab: :func:`answer_key` -> choice index."""
    return st.session_state.setdefault(keys.POLL_MY_ANSWERS, {})


def pending() -> dict[str, tuple]:
    """Answers pressed but not yet stored, by :func:`answer_key`.

    Each is (choice, sent at, its label, sure or ``None``, round, poll code).
    """
    return st.session_state.setdefault(keys.POLL_PENDING, {})


def notices() -> dict[str, str]:
    """Messages to show once on the next run, by poll code."""
    return st.session_state.setdefault(keys.POLL_NOTICES, {})


def throttle(kind: str) -> Throttle:
    """The tab's throttle on failed guesses of ``kind`` ("join" or "teacher")."""
    throttles: dict[str, Throttle] = st.session_state.setdefault(
        keys.POLL_THROTTLES, {}
    )
    limit, window = model.GUESSES[kind]
    return throttles.setdefault(kind, Throttle(limit, window))


def check_guesses(kind: str) -> None:
    """Raise :class:`PollLimitError` while this tab must wait after failed guesses."""
    wait = throttle(kind).wait_s()
    if wait:
        raise PollLimitError(model.too_many_guesses(kind, wait), wait)


def lookup(store: PollStore, code: str, token: str | None = None) -> PollView:
    """``store.view``, counting an unknown code as a failed guess."""
    check_guesses("join")
    try:
        return store.view(code, token)
    except PollNotFoundError:
        throttle("join").failed()
        raise


def lookup_join(store: PollStore, code: str) -> SessionState | PollView:
    """A join code's session (its state) or poll; an unknown code is a failed guess."""
    check_guesses("join")
    try:
        return store.session_state(code)
    except PollNotFoundError:
        pass
    try:
        return store.view(code)
    except PollNotFoundError:
        throttle("join").failed()
        raise
