"""The mechanism diagram in its two forms: wide (left to right) and narrow (phones)."""

from __future__ import annotations

import itertools

import pytest

from dashboard.charts.mechanism import LAYOUTS, NARROW, WIDE, diagram_chart
from dashboard.core.mechanism import LANE_SPECS, LANES, WALK, diagram_state

STATES = [(lane, step, drug) for lane, step in WALK for drug in (False, True)]
#: Line height of 14 px box text, CSS px (Plotly's default spacing).
LINE_PX = 19


def _texts(chart) -> str:
    return " ".join(a.text for a in chart.figure.layout.annotations if a.text)


def _boxes(fig) -> list[tuple[float, float, float, float]]:
    """The element boxes: rectangles drawn above the regions."""
    return [
        (s.x0, s.y0, s.x1, s.y1)
        for s in fig.layout.shapes
        if s.type == "rect" and s.layer != "below"
    ]


@pytest.mark.parametrize(("lane", "step", "drug"), STATES)
def test_both_forms_share_their_alt_text_and_table(lane, step, drug) -> None:
    state = diagram_state(lane, step, drug)
    wide, narrow = diagram_chart(state, "wide"), diagram_chart(state, "narrow")
    assert wide.alt == narrow.alt
    assert wide.table.equals(narrow.table)
    assert wide.title == narrow.title  # the narrow title only breaks its line


@pytest.mark.parametrize("form", sorted(LAYOUTS))
@pytest.mark.parametrize(("lane", "step", "drug"), STATES)
def test_no_two_boxes_overlap(lane, step, drug, form) -> None:
    fig = diagram_chart(diagram_state(lane, step, drug), form).figure
    for a, b in itertools.combinations(_boxes(fig), 2):
        apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
        assert apart, (a, b)


@pytest.mark.parametrize("lane", LANES)
def test_the_narrow_form_runs_top_to_bottom(lane) -> None:
    positions = NARROW.positions[lane]
    chain = [e.key for e in LANE_SPECS[lane].elements if not e.drug]
    xs = {positions[key][0] for key in chain}
    ys = [positions[key][1] for key in chain]
    assert len(xs) == 1, "the chain stays in one column"
    assert ys == sorted(ys, reverse=True), "each step sits below the one before"
    wide_ys = {WIDE.positions[lane][key][1] for key in chain}
    assert len(wide_ys) < len(chain), "the wide form shares rows across"


@pytest.mark.parametrize(("form", "top"), [("wide", 40), ("narrow", 75)])
@pytest.mark.parametrize("lane", LANES)
def test_boxes_hold_their_lines_of_text(lane, form, top) -> None:
    layout = LAYOUTS[form]
    y0, y1 = layout.y_range[lane]
    plot_px = layout.height[lane] - top - 30  # title and key margins
    px_per_unit = plot_px / (y1 - y0)
    for element in LANE_SPECS[lane].elements:
        lines = element.label.count("<br>") + 1
        assert lines <= 2, element.key
        half_h = layout.half(lane, element.key)[1]
        assert 2 * half_h * px_per_unit >= lines * LINE_PX, element.key


@pytest.mark.parametrize("form", sorted(LAYOUTS))
def test_marks_lead_the_label_and_a_key_explains_them(form) -> None:
    on = diagram_chart(diagram_state("tcell", 4, True), form)
    texts = _texts(on)
    assert "✕ Calcineurin" in texts
    assert "<b>✓ NFAT-P" in texts
    assert "<br>✕ blocked" not in texts  # no third line in a box
    assert "✕ blocked by tacrolimus" in texts  # the key
    assert "✓ kept by tacrolimus" in texts
    off = diagram_chart(diagram_state("tcell", 4, False), form)
    assert "blocked by tacrolimus" not in _texts(off)
    assert "✕" not in _texts(off)


def test_only_the_narrow_title_breaks_its_line() -> None:
    state = diagram_state("tcell", 4, True)
    assert "<br>" in diagram_chart(state, "narrow").figure.layout.title.text
    assert "<br>" not in diagram_chart(state, "wide").figure.layout.title.text


def test_an_unknown_form_is_refused() -> None:
    with pytest.raises(KeyError):
        diagram_chart(diagram_state("tcell", 1, False), "square")
