"""A class session's exports: the results CSV and the misconceptions PDF."""

from __future__ import annotations

import io

import pandas as pd
import pypdfium2 as pdfium

from dashboard.core.paths import DATA_DIR
from dashboard.core.polls import PollView
from dashboard.models import class_check as model
from dashboard.models import class_check_export as export

BANK = model.bank_by_id(pd.read_csv(DATA_DIR / "quiz_questions.csv"))
ADDRESS = "http://127.0.0.1:8501/class-check"


def _bank_poll(question_id: str, position: int, **changes) -> PollView:
    row = BANK.loc[question_id]
    asked = model.new_poll(BANK, question_id)
    size = len(asked.options)
    base = {
        "code": f"K7QM2{'ABCDEFGH'[position]}",
        "question_id": question_id,
        "prompt": str(row["question"]),
        "options": asked.options,
        "revealed": True,
        "closed": False,
        "counts": tuple([2] * size),
        "correct": asked.correct,
        "sure": tuple([1] * size),
        "position": position,
        "session": "ABCDEF",
    }
    return PollView(**{**base, **changes})


def _pdf_text(pdf: bytes) -> tuple[int, str]:
    document = pdfium.PdfDocument(pdf)
    text = " ".join(p.get_textpage().get_text_range() for p in document)
    return len(document), " ".join(text.split())


def _polls() -> list[PollView]:
    """Five polls: few and many confident errors, an own one, none, one waiting."""
    ids = list(BANK.index[:3])
    few = _bank_poll(ids[0], 1)  # one sure answer on each wrong option: 2
    right = model.new_poll(BANK, ids[1]).correct
    many = _bank_poll(
        ids[1],
        2,
        round=2,
        counts=(6, 6, 6),
        counts2=tuple(3 if i == right else 1 for i in range(3)),
        switches=tuple(tuple(int(a == b) for b in range(3)) for a in range(3)),
        sure=tuple(0 if i == right else 5 for i in range(3)),  # 10 sure, wrong
    )
    own = PollView(
        code="K7QM2Z",
        question_id="own",
        prompt="=Own <b>question</b>",
        options=("yes", "no"),
        revealed=True,
        closed=False,
        counts=(1, 3),
        correct=0,
        sure=(0, 1),
        position=3,
        session="ABCDEF",
        own=True,
        source="Lecture notes",
    )
    none_wrong = _bank_poll(ids[2], 4, sure=(0, 0, 0))
    waiting = _bank_poll(ids[2], 5, queued=True, counts=(0,) * 3, sure=(0,) * 3)
    return [few, many, own, none_wrong, waiting]


def test_the_csv_has_a_row_per_poll_round_and_option_and_no_identifiers() -> None:
    polls = _polls()
    frame = pd.read_csv(io.BytesIO(export.results_csv("ABCDEF", polls)))
    assert list(frame.columns) == list(export.CSV_COLUMNS)
    sizes = [len(p.options) for p in polls]
    # poll 2 has two rounds; the queued poll is left out
    assert len(frame) == sizes[0] + 2 * sizes[1] + sizes[2] + sizes[3]
    assert set(frame["round"]) == {1, 2}
    second = frame[(frame["position"] == 2) & (frame["round"] == 2)]
    assert second[second["correct"] == "yes"]["answers"].tolist() == [3]
    assert second["marked_sure"].isna().all()
    own = frame[frame["written_by"] == "educator"]
    assert own["question"].iloc[0] == "'=Own <b>question</b>"  # no formula
    assert own["bank_question_id"].isna().all()
    assert (
        frame[frame["correct"] == "yes"].groupby(["position", "round"]).size() == 1
    ).all()
    for column in frame.columns:
        assert "student" not in column
        assert not frame[column].astype(str).str.startswith("b-").any()


def test_the_pdf_lists_the_most_confidently_wrong_first_with_source_and_link() -> None:
    polls = _polls()
    pages, text = _pdf_text(export.misconceptions_pdf("ABCDEF", polls, BANK, ADDRESS))
    assert pages == 1
    assert "Misconceptions: class session ABCDEF" in text
    many, few = polls[1], polls[0]
    first = text.index(" ".join(many.prompt.split())[:40])
    second = text.index(" ".join(few.prompt.split())[:40])
    assert first < second
    row = BANK.loc[many.question_id]
    assert " ".join(str(row["source"]).split())[:50] in text
    assert f"Taught at: http://127.0.0.1:8501/{row['page']}" in text
    assert f"Correct answer: {many.options[many.correct]}" in text
    assert "Own <b>question</b>" in text  # plain text, as typed
    assert "Source, as given by the educator: Lecture notes" in text
    assert BANK.loc[polls[3].question_id, "question"][:40] not in text  # none wrong
    assert "Teaching material, not clinical advice." in text


def test_many_misconceptions_still_fit_on_one_page() -> None:
    polls = [_bank_poll(q, 1 + i % 7) for i, q in enumerate(BANK.index[:12])]
    pages, text = _pdf_text(export.misconceptions_pdf("ABCDEF", polls, BANK, ADDRESS))
    assert pages == 1
    shown = text.count("Correct answer:")
    assert 1 <= shown <= export.MOST_MISCONCEPTIONS
    assert f"… and {12 - shown} more questions with confident errors" in text


def test_a_session_without_confident_errors_says_so() -> None:
    polls = [_bank_poll(BANK.index[0], 1, sure=(0,) * 3)]
    pages, text = _pdf_text(export.misconceptions_pdf("ABCDEF", polls, BANK, ""))
    assert pages == 1
    assert export.NO_MISCONCEPTIONS[:60] in text
