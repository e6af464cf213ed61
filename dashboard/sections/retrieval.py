"""The check-item widget: answer, say how sure, Check; feedback only after Check.

Shared by the Quiz page and the Mechanism page's "Check yourself". The rules
(first attempt scored and locked, retries scored apart) are in
:mod:`dashboard.models.retrieval`; this module lays them out with widgets and
keeps each item's :class:`~dashboard.models.retrieval.ItemState` in the
session under ``<key_prefix><id>_attempts``, so it survives a section-only
rerun, a full rerun and a visit to another page (a reload may reset it).

Widget keys, for ``key_prefix="quiz_"`` and question ``q``:

* ``quiz_q`` / ``quiz_q_sure`` – the first attempt's answer and rating;
* ``quiz_q_retry1`` / ``quiz_q_retry1_sure`` – the first retry's, and so on;
* ``quiz_q_check`` (``quiz_q_retry1_check`` …) – the Check button;
* ``quiz_q_again`` – Try again; ``quiz_q_goto`` – the optional "go to" button;
* ``…_checked`` – the locked (disabled) copy of a checked answer and rating.

Items with the same ``key_prefix`` share their attempts across pages: an item
checked on one page is locked on the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from dashboard.models import retrieval as model
from dashboard.ui import responsive

#: Question shown above the confidence control.
HOW_SURE = "How sure are you?"


@dataclass(frozen=True)
class Goto:
    """A button shown with the feedback that opens the part of a page teaching it.

    ``on_click(*args)`` runs as the button's callback, then the whole page
    reruns (the part it opens is usually another section).
    """

    label: str
    on_click: Callable[..., None]
    args: tuple[Any, ...] = ()
    icon: str = ":material/replay:"


def _base(key_prefix: str, qid: str) -> str:
    return f"{key_prefix}{qid}"


def state_key(key_prefix: str, qid: str) -> str:
    """Session key of an item's :class:`~dashboard.models.retrieval.ItemState`."""
    return f"{_base(key_prefix, qid)}_attempts"


def answer_key(key_prefix: str, qid: str, attempt: int = 0) -> str:
    """Widget key of the options for attempt ``attempt`` (0 is the first)."""
    base = _base(key_prefix, qid)
    return base if attempt == 0 else f"{base}_retry{attempt}"


def sure_key(key_prefix: str, qid: str, attempt: int = 0) -> str:
    """Widget key of the "How sure are you?" control for attempt ``attempt``."""
    return f"{answer_key(key_prefix, qid, attempt)}_sure"


def _missing_key(key_prefix: str, qid: str) -> str:
    return f"{_base(key_prefix, qid)}_missing"


def box_key(key_prefix: str, qid: str) -> str:
    """Key of the item's bordered box (its CSS class is ``st-key-`` + this)."""
    return f"check-{_base(key_prefix, qid)}"


def item_state(key_prefix: str, qid: str) -> model.ItemState:
    """The item's attempts in this session (an empty state if none)."""
    state = st.session_state.get(state_key(key_prefix, qid))
    return state if isinstance(state, model.ItemState) else model.ItemState()


def states(key_prefix: str, ids: Iterable[str]) -> dict[str, model.ItemState]:
    """Question id -> its state in this session, for ``ids``."""
    return {qid: item_state(key_prefix, qid) for qid in ids}


def _rerun(fragments: Sequence[str] | None) -> None:
    """From a callback: rerun ``fragments`` (the default rerun if ``None``).

    Should a fragment be unknown to this session (not drawn since it began),
    the whole page runs instead.
    """
    if not fragments:
        return
    try:
        st.rerun(list(fragments))
    except StreamlitAPIException:
        st.rerun()


def _on_check(
    item: model.CheckItem, key_prefix: str, rerun: Sequence[str] | None
) -> None:
    """Check's callback: lock the attempt, or note what is missing."""
    state = item_state(key_prefix, item.id)
    if state.locked:  # a second click on a stale button: nothing to do
        return
    number = len(state.attempts)
    choice = st.session_state.get(answer_key(key_prefix, item.id, number))
    confidence = st.session_state.get(sure_key(key_prefix, item.id, number))
    if model.missing(choice, confidence) is not None:
        st.session_state[_missing_key(key_prefix, item.id)] = True
        return
    st.session_state[state_key(key_prefix, item.id)] = model.check(
        state, item, choice, confidence
    )
    st.session_state.pop(_missing_key(key_prefix, item.id), None)
    _rerun(rerun)


def _on_try_again(item: model.CheckItem, key_prefix: str) -> None:
    """Try again's callback: open a fresh retry (the first attempt stays)."""
    state = item_state(key_prefix, item.id)
    if state.can_retry:
        st.session_state[state_key(key_prefix, item.id)] = model.try_again(state)


def _answer_form(
    item: model.CheckItem,
    key_prefix: str,
    number: int,
    rerun: Sequence[str] | None,
) -> None:
    """Options, rating and Check for attempt ``number``; no feedback."""
    with responsive.answers(f"{key_prefix.rstrip('_')}-{item.id}"):
        choice = st.radio(
            item.label,
            item.options,
            index=None,
            key=answer_key(key_prefix, item.id, number),
        )
    # The rating and Check side by side (they wrap on a narrow phone).
    with st.container(horizontal=True, vertical_alignment="bottom"):
        confidence = st.segmented_control(
            HOW_SURE,
            model.CONFIDENCE,
            default=None,
            format_func=str.capitalize,
            key=sure_key(key_prefix, item.id, number),
        )
        st.button(
            "Check",
            key=f"{answer_key(key_prefix, item.id, number)}_check",
            on_click=_on_check,
            args=(item, key_prefix, rerun),
            type="primary",
        )
    gap = model.missing(choice, confidence)
    if gap is not None and st.session_state.get(_missing_key(key_prefix, item.id)):
        st.warning(gap, icon=":material/info:")


def _checked_view(item: model.CheckItem, key_prefix: str, number: int) -> None:
    """The checked attempt ``number``, locked: answer and rating shown, disabled."""
    state = item_state(key_prefix, item.id)
    attempt = state.attempts[number]
    key = answer_key(key_prefix, item.id, number)
    with responsive.answers(f"{key_prefix.rstrip('_')}-{item.id}"):
        st.radio(
            item.label,
            item.options,
            index=item.options.index(attempt.choice),
            key=f"{key}_checked",
            disabled=True,
        )
    st.segmented_control(
        HOW_SURE,
        model.CONFIDENCE,
        default={True: model.SURE, False: model.UNSURE}.get(attempt.sure),
        format_func=str.capitalize,
        key=f"{sure_key(key_prefix, item.id, number)}_checked",
        disabled=True,
    )


def check_item(
    item: model.CheckItem,
    *,
    key_prefix: str,
    goto: Goto | None = None,
    rerun: Sequence[str] | None = None,
) -> model.Attempt | None:
    """Draw one check item in a bordered box; return its scored (first) attempt.

    Parameters
    ----------
    item
        The question, options, answer and feedback text.
    key_prefix
        Prefix of every widget and session key of the item (see the module).
    goto
        A button shown with the feedback, or ``None``.
    rerun
        Fragment keys to rerun after a successful Check (for instance the item's
        own fragment and a summary); ``None`` keeps Streamlit's default (the
        fragment the item is drawn in).

    Returns
    -------
    The first checked attempt, or ``None`` before the first Check.
    """
    state = item_state(key_prefix, item.id)
    with st.container(border=True, key=box_key(key_prefix, item.id)):
        if not state.locked:
            if state.first is not None:
                st.caption(model.first_attempt_line(state.first))
            _answer_form(item, key_prefix, len(state.attempts), rerun)
            return state.first
        number = len(state.attempts) - 1
        if number > 0 and state.first is not None:
            st.caption(model.first_attempt_line(state.first))
        _checked_view(item, key_prefix, number)
        verdict = model.feedback(item, state.attempts[number])
        if verdict.right:
            st.success(verdict.text, icon=":material/check_circle:")
        else:
            st.error(verdict.text, icon=":material/cancel:")
        with st.container(horizontal=True):
            if state.can_retry:
                st.button(
                    "Try again (scored apart)",
                    key=f"{_base(key_prefix, item.id)}_again",
                    on_click=_on_try_again,
                    args=(item, key_prefix),
                    icon=":material/refresh:",
                )
            if goto is not None and st.button(
                goto.label,
                key=f"{_base(key_prefix, item.id)}_goto",
                on_click=goto.on_click,
                args=goto.args,
                icon=goto.icon,
            ):
                st.rerun()
    return state.first
