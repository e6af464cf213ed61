"""The one-page PDF handout and its static figures, rendered back to pixels."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pypdfium2 as pdfium
import pytest
from PIL import Image

from dashboard.charts import static
from dashboard.core.handout import NOTICE, Handout, build_pdf


def _pages(pdf: bytes) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    return [page.render(scale=1).to_pil() for page in document]


def _text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    return "".join(page.get_textpage().get_text_range() for page in document)


def _ink(image: Image.Image) -> float:
    """Share of pixels that are not white."""
    grey = np.asarray(image.convert("L"))
    return float((grey < 250).mean())


@pytest.fixture
def curve_png() -> bytes:
    x = np.linspace(0, 10, 50)
    return static.line_png(
        x,
        [("typical", np.exp(-x / 5)), ("changed", np.exp(-x / 8))],
        xlabel="Day",
        ylabel="ng/mL",
        band=(0.3, 0.6),
        point=(2.0, 0.5),
    )


def test_static_line_figure_is_a_png_with_a_drawing(curve_png: bytes) -> None:
    image = Image.open(io.BytesIO(curve_png))
    assert image.format == "PNG"
    assert image.width > 600
    assert 0.02 < _ink(image) < 0.6


def test_static_forest_has_one_row_per_study() -> None:
    rows = pd.DataFrame(
        {
            "study": ["A", "B", "C"],
            "comparator_class": ["cyclophosphamide"] * 3,
            "evidence_base": ["randomised", "randomised", "observational"],
            "effect_tac": [1.2, 0.9, 1.5],
            "ci_low_tac": [0.9, 0.7, None],
            "ci_high_tac": [1.6, 1.2, None],
        }
    )
    small = Image.open(
        io.BytesIO(static.forest_png(rows.head(1), higher_is_better=True))
    )
    large = Image.open(io.BytesIO(static.forest_png(rows, higher_is_better=True)))
    assert large.height > small.height


def test_handout_is_one_page_with_title_numbers_sources_and_notice(
    curve_png: bytes,
) -> None:
    handout = Handout(
        title="Trough simulator – µg, ≥ 5 ng/mL",
        view="Typical patient.",
        numbers=[("Trough (ng/mL)", "6.2"), ("Peak (ng/mL)", "14.0")],
        figure_png=curve_png,
        sources=[("Wang 2019, Front Pharmacol", "PMID 31456685")],
        link="http://127.0.0.1:8501/monitoring?pk_weight=20",
    )
    pdf = build_pdf(handout)
    pages = _pages(pdf)
    assert len(pages) == 1
    assert _ink(pages[0]) > 0.02  # the figure is drawn, not a blank page
    text = _text(pdf)
    for expected in ("µg, ≥ 5", "Trough (ng/mL)", "6.2", "PMID 31456685", NOTICE):
        assert expected in text
    assert "pk_weight=20" in text.replace("\r\n", "").replace("\n", "")


def test_long_source_lists_stay_on_one_page_and_say_how_many_are_left() -> None:
    handout = Handout(
        title="Efficacy",
        view="All rows.",
        numbers=[(f"Study {i}", f"{i}.00") for i in range(12)],
        sources=[(f"Source number {i} " + "x" * 150, f"PMID {i}") for i in range(40)],
        link="http://127.0.0.1:8501/efficacy",
    )
    pdf = build_pdf(handout)
    assert len(_pages(pdf)) == 1
    assert "more on the page" in _text(pdf)


def test_handout_without_figure_or_numbers_still_builds() -> None:
    pdf = build_pdf(Handout(title="Mechanism", view="Step 1."))
    assert len(_pages(pdf)) == 1
    assert "Mechanism" in _text(pdf)


def test_a_tall_figure_is_shrunk_to_fit_the_page() -> None:
    rows = pd.DataFrame(
        {
            "study": [f"Study {i}" for i in range(20)],
            "comparator_class": ["steroids"] * 20,
            "evidence_base": ["randomised"] * 20,
            "effect_tac": np.linspace(0.5, 2, 20),
            "ci_low_tac": np.linspace(0.3, 1.5, 20),
            "ci_high_tac": np.linspace(0.8, 3, 20),
        }
    )
    handout = Handout(
        title="Efficacy",
        view="All rows.",
        numbers=[(f"Study {i}", "1.00 (0.50-2.00)") for i in range(12)],
        figure_png=static.forest_png(rows, higher_is_better=True),
        sources=[(f"Source {i}", f"PMID {i}") for i in range(20)],
    )
    pdf = build_pdf(handout)
    assert len(_pages(pdf)) == 1
    assert "Study 11" in _text(pdf)
    assert "Source 0" in _text(pdf)
