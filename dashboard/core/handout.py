"""PDF handouts: the key figure, the key numbers and the sources.

A handout is one A4 page (a page's current view), or, when it says so
(:attr:`Handout.multi_page`, the quiz's list of questions), as many pages as
its rows need, every row and every source printed, with the notice and the
link at the foot of each page. Pure Python (fpdf2); no browser or network is
needed, so it works offline.
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
    multi_page
        ``False`` (the default): one page, sources cut to what fits. ``True``:
        automatic page breaks, so every row and every source is printed.
    """

    title: str
    view: str
    numbers: list[tuple[str, str]] = field(default_factory=list)
    figure_png: bytes | None = None
    sources: list[tuple[str, str]] = field(default_factory=list)
    link: str = ""
    numbers_title: str = "Key numbers"
    multi_page: bool = False


#: Room kept at the foot of every page of a multi-page handout (mm).
FOOTER_MM = 22


class _PagedPdf(FPDF):
    """An A4 document whose every page ends with the notice and the link."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self._footer_text = footer_text

    def footer(self) -> None:
        """The notice, the link and "page N of M" at the foot of each page."""
        self.set_y(-FOOTER_MM + 2)
        self.set_font("DejaVu", "", 8)
        width = self.w - self.l_margin - self.r_margin
        self.multi_cell(
            width,
            4,
            f"{self._footer_text} Page {self.page_no()} of {{nb}}.",
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
        )


def build_pdf(handout: Handout, *, max_sources: int = 12) -> bytes:
    """The handout as a one-page A4 PDF, or as many pages as it needs.

    One page unless ``handout.multi_page``; then every row and source is
    printed (``max_sources`` does not apply).
    """
    footer_text = f"{NOTICE} Reopen this view: {handout.link}"
    if handout.multi_page:
        pdf: FPDF = _PagedPdf(footer_text)
        pdf.set_auto_page_break(auto=True, margin=FOOTER_MM)
        max_sources = len(handout.sources)
    else:
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
            if not handout.multi_page and pdf.get_y() > pdf.h - 40:  # the footer
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
    if not handout.multi_page:  # a multi-page handout has it on every page
        pdf.set_y(pdf.h - 20)
        pdf.set_font("DejaVu", "", 8)
        pdf.multi_cell(width, 4, footer_text, new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())
