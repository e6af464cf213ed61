"""The Quiz page: check items marked by certainty, and a session summary.

Each question is a check item (:mod:`dashboard.sections.retrieval`): answer,
say how sure, Check; feedback only after Check, the first attempt scored and
locked, retries scored apart. Each question is its own fragment: choosing an
option or a rating reruns that question only; Check reruns it and the session
summary (both named fragments, rerun by Check's callback), never the other
questions. The summary reads every item's state from the session, so it is
right whichever question changed. The handout reads the states the summary
last counted, when it is asked for.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.core.site import page_by_slug
from dashboard.models import quiz as model
from dashboard.models import retrieval as retrieval_model
from dashboard.sections import retrieval
from dashboard.ui import cached, fragments, handout, keys

#: Fragment key of the session summary (a question's callback reruns it).
SUMMARY_FRAGMENT = "quiz_summary"


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
def _items(pages: tuple[str, ...]) -> tuple[retrieval_model.CheckItem, ...]:
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


def question_block(item: retrieval_model.CheckItem) -> None:
    """One question as a check item; Check reruns it and the summary."""
    retrieval.check_item(
        item,
        key_prefix=keys.QUIZ_PREFIX,
        rerun=(_item_fragment(item.id), SUMMARY_FRAGMENT),
    )


def _states(
    items: tuple[retrieval_model.CheckItem, ...],
) -> dict[str, retrieval_model.ItemState]:
    """The state of each of ``items`` in this session."""
    return retrieval.states(keys.QUIZ_PREFIX, (item.id for item in items))


def summary(questions: pd.DataFrame, states: model.States) -> None:
    """The session summary: score, confident errors, retries, pages to revisit."""
    st.subheader("Your session")
    result = model.summary(questions, states)
    if result is None:
        st.info(model.NOTHING_ANSWERED, icon=":material/quiz:")
        return
    st.markdown(result.score)
    if result.confident_errors:
        st.warning(result.confident_errors, icon=":material/priority_high:")
    if result.lucky_guesses:
        st.caption(result.lucky_guesses)
    if result.retries:
        st.caption(result.retries)
    if result.revisit:
        st.markdown(result.revisit)


@fragments.section("your session summary", key=SUMMARY_FRAGMENT)
def _summary_section(
    pages: tuple[str, ...], counted: dict[str, retrieval_model.ItemState]
) -> None:
    """The summary of the states held now; ``counted`` keeps them for the handout."""
    states = _states(_items(pages))
    counted.clear()
    counted.update(states)
    summary(_questions_on(pages), states)


def page() -> None:
    """The whole quiz: the page filter, one fragment per question, the summary."""
    pages = tuple(sorted(pick_pages()))
    for item in _items(pages):
        fragments.section("this question", key=_item_fragment(item.id))(question_block)(
            item
        )
    counted: dict[str, retrieval_model.ItemState] = {}
    _summary_section(pages, counted)
    selected = _questions_on(pages)
    # Built when the button is pressed, from the states the summary last counted.
    handout.offer("quiz", lambda: model.handout(selected, counted))
