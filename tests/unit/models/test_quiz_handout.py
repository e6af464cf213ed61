"""The quiz handout prints every question and every source, over several pages.

It used to be drawn on one A4 page with page breaks off, so with the whole
bank (45 questions) it stopped near question 21 and printed no sources.
"""

from __future__ import annotations

import pandas as pd
import pypdfium2 as pdfium

from dashboard.core.handout import NOTICE, build_pdf
from dashboard.core.paths import DATA_DIR
from dashboard.models import quiz as model

QUESTIONS = pd.read_csv(DATA_DIR / "quiz_questions.csv")


def _page_texts(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    return [" ".join(page.get_textpage().get_text_range().split()) for page in document]


def _flat(text: object) -> str:
    return " ".join(str(text).split())


def test_the_whole_bank_prints_every_question_and_source_on_several_pages() -> None:
    chosen = model.questions_on(QUESTIONS, model.quizzed_pages(QUESTIONS))
    assert len(chosen) >= 40
    pdf = build_pdf(model.handout(chosen, {}))
    pages = _page_texts(pdf)
    assert len(pages) > 1
    text = " ".join(pages)
    last = chosen.iloc[-1]
    # The last question is there, numbered, and its source is printed in full.
    assert _flat(f"{len(chosen)}. {last['question']}")[:60] in text
    assert _flat(last["source"])[:60] in text
    assert _flat(last["source_url"]) in text
    for source in chosen["source"]:
        assert _flat(source)[:40] in text
    # Every page ends with the notice and says which page it is.
    for number, page in enumerate(pages, start=1):
        assert NOTICE in page
        assert f"Page {number} of {len(pages)}" in page


def test_a_short_quiz_handout_is_still_one_page() -> None:
    chosen = QUESTIONS.head(3)
    pages = _page_texts(build_pdf(model.handout(chosen, {})))
    assert len(pages) == 1
    assert "Page 1 of 1" in pages[0]
