"""The one-page PDF of a class session's misconceptions (fpdf2, offline).

One A4 page: a title, a line about the session, then the questions with the
most confidently wrong answers, each with the share that was wrong and sure,
the wrong answer chosen most, the correct answer, its source and the link
to the view that teaches it. Entries that would not fit are left out and
counted at the end (the session's CSV has them all). Text is drawn as plain
text: an educator's own question can hold nothing a PDF would run. Pure
Python; no browser or network is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF

from dashboard.core.handout import FONT, FONT_BOLD, NOTICE

#: Room kept at the foot of the page for the notice (mm).
FOOT_MM = 24


@dataclass(frozen=True)
class Misconception:
    """One question on the page (every field plain text)."""

    question: str
    confidently_wrong: str  # "7 of 30 answers (23%) wrong and marked sure"
    common_wrong: str  # "Most chosen wrong answer: … (9 answers)"
    correct: str  # "Correct answer: …"
    source: str  # "Source: …"
    link: str  # "Taught at: https://…" or a note that the educator wrote it


def build_pdf(
    title: str,
    summary: str,
    items: list[Misconception],
    link: str,
    empty: str,
    most: int = 8,
) -> bytes:
    """The misconceptions page; ``empty`` is said when ``items`` is empty.

    At most ``most`` entries, fewer if they do not fit; the rest are counted.
    """
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def write(text: str, size: float, height: float, bold: bool = False) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.multi_cell(width, height, text, new_x="LMARGIN", new_y="NEXT", align="L")

    def height_of(item: Misconception, number: int) -> float:
        total = 3.0
        for text, size, line, bold in _parts(item, number):
            pdf.set_font("DejaVu", "B" if bold else "", size)
            total += pdf.multi_cell(
                width, line, text, dry_run=True, output="HEIGHT", align="L"
            )
        return total

    write(title, 18, 9, bold=True)
    write(summary, 10, 5)
    pdf.ln(3)
    left_out = 0
    if not items:
        write(empty, 11, 6)
    for number, item in enumerate(items, start=1):
        if number > most or pdf.get_y() + height_of(item, number) > pdf.h - FOOT_MM:
            left_out = len(items) - number + 1
            break
        for text, size, line, bold in _parts(item, number):
            write(text, size, line, bold)
        pdf.ln(3)
    if left_out:
        write(
            f"… and {left_out} more question{'' if left_out == 1 else 's'} with "
            "confident errors, in the session's CSV.",
            9,
            4.5,
        )
    pdf.set_y(pdf.h - FOOT_MM + 6)
    write(f"{NOTICE} Class answers, not patient data. {link}", 8, 4)
    return bytes(pdf.output())


def _parts(item: Misconception, number: int) -> list[tuple[str, float, float, bool]]:
    """(text, font size, line height mm, bold) of one entry, in order."""
    return [
        (f"{number}. {item.question}", 11, 5.5, True),
        (item.confidently_wrong, 10, 5, False),
        (item.common_wrong, 10, 5, False),
        (item.correct, 10, 5, False),
        (item.source, 8.5, 4.2, False),
        (item.link, 8.5, 4.2, False),
    ]
