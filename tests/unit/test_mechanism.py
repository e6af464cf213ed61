"""The mechanism step-through: states per (lane, step, drug), the figure, the data."""

from __future__ import annotations

import pytest

from dashboard.charts.mechanism import POSITIONS, diagram_chart
from dashboard.core import datasets, schemas
from dashboard.core.content import load_all
from dashboard.core.mechanism import (
    LANE_SPECS,
    LANES,
    clamp_step,
    diagram_state,
    drug_default,
)
from dashboard.core.paths import CONTENT_DIR, DATA_DIR
from dashboard.core.site import PAGE_SLUGS


def _visible(lane, step, drug) -> dict[str, str]:
    state = diagram_state(lane, step, drug)
    return {k: v for k, v in state.elements.items() if v != "hidden"}


def test_step_one_shows_only_the_start_of_the_chain() -> None:
    assert _visible("tcell", 1, False) == {
        "tcr": "highlight",
        "calcium": "highlight",
        "calmodulin": "highlight",
        "calcineurin": "highlight",
    }


def test_step_two_highlights_nfat_and_keeps_earlier_steps() -> None:
    visible = _visible("tcell", 2, False)
    assert visible["calcineurin"] == "normal"
    assert visible["nfat"] == visible["il2"] == visible["effects"] == "highlight"
    assert "tacrolimus" not in visible


def test_the_drug_blocks_calcineurin_and_everything_downstream() -> None:
    without, with_drug = _visible("tcell", 4, False), _visible("tcell", 4, True)
    assert without["nfat"] == "normal"
    assert with_drug["calcineurin"] == "blocked"
    assert with_drug["nfat"] == with_drug["il2"] == with_drug["effects"] == "blocked"
    assert with_drug["nfat_p"] == "protected"
    assert with_drug["outcome"] == "highlight"
    assert "outcome" not in _visible("tcell", 3, True)  # a consequence waits its step
    assert with_drug["tcr"] == "normal"  # upstream is untouched


def test_drug_links_appear_only_with_the_drug() -> None:
    off = diagram_state("tcell", 3, False).links
    on = diagram_state("tcell", 3, True).links
    assert off[("fkbp12", "calcineurin")] == "hidden"
    assert on[("fkbp12", "calcineurin")] == "highlight"
    assert on[("calcineurin", "nfat_p")] == "blocked"


def test_podocyte_lane_protects_synaptopodin() -> None:
    visible = _visible("podocyte", 4, True)
    assert visible["synpo_p"] == "protected"
    assert visible["cathepsin"] == visible["actin"] == visible["leak"] == "blocked"
    assert _visible("podocyte", 3, False)["leak"] == "highlight"


@pytest.mark.parametrize(("step", "expected"), [(-3, 1), (0, 1), (2, 2), (9, 4)])
def test_steps_are_clamped(step: int, expected: int) -> None:
    assert clamp_step("tcell", step) == expected
    assert diagram_state("tcell", step, False).step == expected


@pytest.mark.parametrize(
    ("lane", "step", "drug"),
    [("tcell", 2, False), ("tcell", 3, True), ("podocyte", 4, True)],
)
def test_drug_default_follows_the_story(lane, step, drug) -> None:
    assert drug_default(lane, step) is drug


def test_figure_shows_each_state_in_words_and_lines() -> None:
    fig = diagram_chart(diagram_state("tcell", 4, True)).figure
    texts = " ".join(a.text for a in fig.layout.annotations if a.text)
    assert "✕ blocked" in texts
    assert "✓ kept" in texts
    assert "step 4 of 4, with tacrolimus" in fig.layout.title.text
    dashes = {s.line.dash for s in fig.layout.shapes if s.type == "rect"}
    assert "dash" in dashes
    off = diagram_chart(diagram_state("tcell", 4, False)).figure
    assert "✕ blocked" not in " ".join(a.text for a in off.layout.annotations if a.text)


def test_alt_text_lists_visible_elements() -> None:
    alt = diagram_chart(diagram_state("podocyte", 4, True)).alt
    assert alt.startswith("Diagram, in the podocyte, step 4 of 4, with tacrolimus.")
    assert "Synaptopodin-P bound to 14-3-3β: kept by tacrolimus" in alt


@pytest.mark.parametrize("lane", LANES)
def test_every_element_has_a_position(lane) -> None:
    assert {e.key for e in LANE_SPECS[lane].elements} <= set(POSITIONS[lane])


def test_every_step_has_a_title_evidence_and_narration() -> None:
    steps = datasets.load_dataset(schemas.MECHANISM_STEPS, DATA_DIR)
    expected = {
        (lane, s) for lane in LANES for s in range(1, LANE_SPECS[lane].steps + 1)
    }
    assert set(zip(steps["lane"], steps["step"], strict=True)) == expected
    references = datasets.load_dataset(schemas.REFERENCES, DATA_DIR)["id"]
    docs = load_all(CONTENT_DIR, known_pages=PAGE_SLUGS, known_sources=references)
    slugs = {d.slug for d in docs if d.page == "mechanism"}
    assert {f"{lane}-{s}" for lane, s in expected} <= slugs


def test_quiz_answers_are_among_the_options_and_point_to_real_steps() -> None:
    questions = datasets.load_dataset(schemas.QUIZ_QUESTIONS, DATA_DIR)
    for q in questions.itertuples(index=False):
        assert q.answer in str(q.options).split(" | "), q.id
        assert q.page in PAGE_SLUGS
        if q.lane is not None and str(q.lane) != "<NA>":
            assert 1 <= int(q.step) <= LANE_SPECS[q.lane].steps
