"""The Quiz page: retrieval questions with confidence, feedback and a summary."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.core import quiz
from dashboard.core.handout import Handout
from dashboard.core.site import PAGES, page_by_slug
from dashboard.core.tables import source_markdown
from dashboard.ui import cached, handout, keys


def _answer_key(qid: str) -> str:
    return f"{keys.QUIZ_PREFIX}{qid}"


def _sure_key(qid: str) -> str:
    return f"{keys.QUIZ_PREFIX}{qid}{keys.QUIZ_CONFIDENCE_SUFFIX}"


@cached.shared
def _question_rows() -> tuple[tuple[str, pd.Series], ...]:
    """Every question as (page slug, row), in the data's order (shared)."""
    questions = cached.dataset("quiz_questions")
    return tuple((str(q["page"]), q) for _, q in questions.iterrows())


@cached.shared
def _quizzed_pages() -> tuple[str, ...]:
    """Pages that have questions, in the site's order."""
    pages = {slug for slug, _ in _question_rows()}
    return tuple(p.slug for p in PAGES if p.slug in pages)


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


def question_block(question: pd.Series, number: int) -> tuple[str | None, bool]:
    """One question: answer, how sure, and feedback as soon as it is answered."""
    qid = str(question["id"])
    with st.container(border=True):
        choice = st.radio(
            f"**{number}.** {question['question']}",
            quiz.options(question),
            index=None,
            key=_answer_key(qid),
        )
        sure = st.segmented_control(
            "How sure are you?",
            ("sure", "unsure"),
            default="unsure",
            required=True,
            format_func=str.capitalize,
            key=_sure_key(qid),
        )
        if choice is not None:
            _feedback(question, choice)
    return choice, sure == "sure"


def _feedback(question: pd.Series, choice: str) -> None:
    page = page_by_slug(str(question["page"]))
    link = f"[{page.title}]({quiz.revisit_link(question)})"
    source = source_markdown(str(question["source"]), str(question["source_url"]))
    if quiz.is_right(question, choice):
        st.success(
            f"**Right.** {question['explanation']} *Source:* {source}",
            icon=":material/check_circle:",
        )
    else:
        st.error(
            f"**Not quite.** The answer is “{question['answer']}”. "
            f"{question['explanation']} Revisit: {link}. *Source:* {source}",
            icon=":material/cancel:",
        )


def summary(
    questions: pd.DataFrame, answers: dict[str, tuple[str | None, bool]]
) -> None:
    """The session summary: score, confident errors, pages to revisit."""
    st.subheader("Your session")
    if all(choice is None for choice, _ in answers.values()):
        st.info("Answer a question to see your summary.", icon=":material/quiz:")
        return
    result = quiz.summarise(questions, answers)
    st.markdown(f"**{result.right} of {result.answered}** answered right.")
    by_id = questions.set_index("id")
    if result.confident_errors:
        st.warning(
            "**Sure but wrong**, the ones most worth a second look: "
            + "; ".join(
                f"“{by_id.loc[q, 'question']}”" for q in result.confident_errors
            ),
            icon=":material/priority_high:",
        )
    if result.lucky_guesses:
        st.caption(
            f"Right but unsure: {len(result.lucky_guesses)}. Worth revisiting too."
        )
    if result.revisit:
        lines = []
        for slug, qids in result.revisit.items():
            page = page_by_slug(slug)
            links = ", ".join(
                f"[question {list(questions['id']).index(q) + 1}]"
                f"({quiz.revisit_link(questions[questions['id'] == q].iloc[0])})"
                for q in qids
            )
            lines.append(f"- **{page.title}**: {len(qids)} to revisit ({links})")
        st.markdown("**Pages to revisit**\n" + "\n".join(lines))


def page() -> None:
    """The whole quiz."""
    chosen = set(pick_pages())
    rows = [question for slug, question in _question_rows() if slug in chosen]
    answers = {}
    for number, question in enumerate(rows, start=1):
        answers[str(question["id"])] = question_block(question, number)
    selected = _questions_on(tuple(sorted(chosen)))
    summary(selected, answers)
    handout.offer("quiz", lambda: _handout(selected, answers))


@cached.shared
def _questions_on(pages: tuple[str, ...]) -> pd.DataFrame:
    """The quiz questions about ``pages``, in quiz order (shared, read-only)."""
    questions = cached.dataset("quiz_questions")
    return questions[questions["page"].isin(pages)]


def _handout(
    questions: pd.DataFrame, answers: dict[str, tuple[str | None, bool]]
) -> Handout:
    """The questions shown, with this session's result for each, and sources."""
    result = quiz.summarise(questions, answers)
    rows = []
    for number, (_, question) in enumerate(questions.iterrows(), start=1):
        choice, sure = answers.get(str(question["id"]), (None, False))
        if choice is None:
            mark = "not answered"
        else:
            mark = "right" if quiz.is_right(question, choice) else "wrong"
            mark += " (sure)" if sure else " (unsure)"
        rows.append((f"{number}. {question['question']}", mark))
    return Handout(
        title="Quiz: tacrolimus in nephrotic syndrome",
        view=f"{result.right} of {result.answered} answered right; "
        f"{len(result.confident_errors)} sure but wrong. Pages: "
        + ", ".join(page_by_slug(p).title for p in dict.fromkeys(questions["page"])),
        numbers=rows,
        numbers_title="Questions and your answers",
        sources=handout.rows(
            zip(questions["source"], questions["source_url"], strict=True)
        ),
    )
