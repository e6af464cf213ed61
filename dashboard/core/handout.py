"""One-page PDF handouts: the key figure, the key numbers and the sources.

Pure Python (fpdf2); no browser or network is needed, so it works offline.
Text uses the DejaVu Sans font that ships with matplotlib, which covers the
symbols the pages use (≥, µ, ², Greek letters).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import matplotlib
from fpdf import FPDF, FontFace
from PIL import Image

FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
FONT_BOLD = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"
NOTICE = "Teaching material, not clinical advice."
FIGURE_MAX_HEIGHT_MM = 110  # leaves room on A4 for the numbers and the sources


@dataclass(frozen=True)
class Handout:
    """What goes on the page.

    Parameters
    ----------
    title
        The page title.
    view
        One line describing the state shown (filters, inputs).
    numbers
        (label, value) pairs, shown as a small table.
    figure_png
        The key figure as PNG bytes, or ``None``.
    sources
        (citation, locator) pairs.
    link
        The address that reopens this view.
    numbers_title
        The heading above ``numbers``.
    """

    title: str
    view: str
    numbers: list[tuple[str, str]] = field(default_factory=list)
    figure_png: bytes | None = None
    sources: list[tuple[str, str]] = field(default_factory=list)
    link: str = ""
    numbers_title: str = "Key numbers"


def build_pdf(handout: Handout, *, max_sources: int = 12) -> bytes:
    """The handout as a one-page A4 PDF."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(width, 9, handout.title, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(width, 5, handout.view, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(2)
    if handout.figure_png:
        image = Image.open(BytesIO(handout.figure_png))
        height = min(FIGURE_MAX_HEIGHT_MM, width * image.height / image.width)
        shown_width = height * image.width / image.height
        pdf.image(
            BytesIO(handout.figure_png),
            x=pdf.l_margin + (width - shown_width) / 2,
            w=shown_width,
            h=height,
        )
        pdf.ln(2)
    if handout.numbers:
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(
            width, 7, handout.numbers_title, new_x="LMARGIN", new_y="NEXT", align="L"
        )
        pdf.set_font("DejaVu", "", 10)
        with pdf.table(
            col_widths=(62, 38),
            first_row_as_headings=False,
            borders_layout="NONE",
            text_align=("LEFT", "LEFT"),
            line_height=5,
            padding=(0.6, 1, 0.6, 0),
        ) as table:
            for label, value in handout.numbers:
                row = table.row()
                row.cell(label)
                row.cell(value, style=FontFace(emphasis="BOLD"))
        pdf.ln(2)
    if handout.sources:
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(width, 7, "Sources", new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_font("DejaVu", "", 8)
        printed = 0
        for citation, locator in handout.sources[:max_sources]:
            if pdf.get_y() > pdf.h - 40:  # leave room for the footer
                break
            pdf.multi_cell(
                width,
                4,
                f"• {citation} ({locator})",
                new_x="LMARGIN",
                new_y="NEXT",
                align="L",
            )
            printed += 1
        if len(handout.sources) > printed:
            pdf.multi_cell(
                width,
                4,
                f"… and {len(handout.sources) - printed} more on the page.",
                new_x="LMARGIN",
                new_y="NEXT",
                align="L",
            )
    pdf.set_y(pdf.h - 20)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(
        width,
        4,
        f"{NOTICE} Reopen this view: {handout.link}",
        new_x="LMARGIN",
        new_y="NEXT",
        align="L",
    )
    return bytes(pdf.output())
