"""The Quiz page: retrieval questions with confidence, feedback and a summary.

Each question is its own fragment: answering it, or saying how sure you are,
reruns that question and the session summary (both named fragments, rerun by
the widgets' callback), never the other questions. The summary reads every
answer from the session, so it is right whichever question changed. The
handout reads the answers the summary last counted, when it is asked for.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from dashboard.core.site import page_by_slug
from dashboard.models import quiz as model
from dashboard.ui import cached, fragments, handout, keys

#: Fragment key of the session summary (a question's callback reruns it).
SUMMARY_FRAGMENT = "quiz_summary"


def _answer_key(qid: str) -> str:
    return f"{keys.QUIZ_PREFIX}{qid}"


def _sure_key(qid: str) -> str:
    return f"{keys.QUIZ_PREFIX}{qid}{keys.QUIZ_CONFIDENCE_SUFFIX}"


def _item_fragment(qid: str) -> str:
    return f"quiz_item_{qid}"


@cached.shared
def _quizzed_pages() -> tuple[str, ...]:
    """Pages that have questions, in the site's order (shared)."""
    return model.quizzed_pages(cached.dataset("quiz_questions"))


@cached.shared
def _questions_on(pages: tuple[str, ...]) -> pd.DataFrame:
    """The quiz questions about ``pages``, in quiz order (shared, read-only)."""
    return model.questions_on(cached.dataset("quiz_questions"), pages)


@cached.shared
def _items(pages: tuple[str, ...]) -> tuple[model.Item, ...]:
    """The numbered questions about ``pages`` (shared, read-only)."""
    return model.items(_questions_on(pages))


def pick_pages() -> list[str]:
    """Which pages to be quizzed on (all by default)."""
    slugs = list(_quizzed_pages())
    chosen = st.pills(
        "Questions about",
        slugs,
        selection_mode="multi",
        default=slugs,
        format_func=lambda s: page_by_slug(s).title,
        key=keys.QUIZ_PAGES,
    )
    return list(chosen or [])


def _answered(qid: str) -> None:
    """Callback of a question's widgets: rerun that question and the summary.

    Should either fragment be unknown to this session (not drawn since the
    session began), the whole page runs instead.
    """
    try:
        st.rerun([_item_fragment(qid), SUMMARY_FRAGMENT])
    except StreamlitAPIException:
        st.rerun()


def question_block(item: model.Item) -> None:
    """One question: answer, how sure, and feedback as soon as it is answered."""
    with st.container(border=True):
        choice = st.radio(
            item.label,
            item.options,
            index=None,
            key=_answer_key(item.id),
            on_change=_answered,
            args=(item.id,),
        )
        st.segmented_control(
            "How sure are you?",
            ("sure", "unsure"),
            default="unsure",
            required=True,
            format_func=str.capitalize,
            key=_sure_key(item.id),
            on_change=_answered,
            args=(item.id,),
        )
        if choice is not None:
            verdict = model.feedback(item.question, choice)
            if verdict.right:
                st.success(verdict.text, icon=":material/check_circle:")
            else:
                st.error(verdict.text, icon=":material/cancel:")


def _answers(items: tuple[model.Item, ...]) -> dict[str, tuple[str | None, bool]]:
    """The answers to ``items`` in this session, as the widgets hold them now."""
    state = st.session_state
    return {
        item.id: (
            state.get(_answer_key(item.id)),
            state.get(_sure_key(item.id)) == "sure",
        )
        for item in items
    }


def summary(
    questions: pd.DataFrame, answers: dict[str, tuple[str | None, bool]]
) -> None:
    """The session summary: score, confident errors, pages to revisit."""
    st.subheader("Your session")
    result = model.summary(questions, answers)
    if result is None:
        st.info(model.NOTHING_ANSWERED, icon=":material/quiz:")
        return
    st.markdown(result.score)
    if result.confident_errors:
        st.warning(result.confident_errors, icon=":material/priority_high:")
    if result.lucky_guesses:
        st.caption(result.lucky_guesses)
    if result.revisit:
        st.markdown(result.revisit)


@fragments.section("your session summary", key=SUMMARY_FRAGMENT)
def _summary_section(
    pages: tuple[str, ...], counted: dict[str, tuple[str | None, bool]]
) -> None:
    """The summary of the answers held now; ``counted`` keeps them for the handout."""
    answers = _answers(_items(pages))
    counted.clear()
    counted.update(answers)
    summary(_questions_on(pages), answers)


def page() -> None:
    """The whole quiz: the page filter, one fragment per question, the summary."""
    pages = tuple(sorted(pick_pages()))
    for item in _items(pages):
        fragments.section("this question", key=_item_fragment(item.id))(question_block)(
            item
        )
    counted: dict[str, tuple[str | None, bool]] = {}
    _summary_section(pages, counted)
    selected = _questions_on(pages)
    # Built when the button is pressed, from the answers the summary last counted.
    handout.offer("quiz", lambda: model.handout(selected, counted))
