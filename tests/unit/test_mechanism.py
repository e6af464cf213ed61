"""The mechanism step-through: states per (lane, step, drug), the figure, the data."""

from __future__ import annotations

import pytest

from dashboard.charts.mechanism import LAYOUTS, diagram_chart
from dashboard.core import datasets, schemas
from dashboard.core.content import load_all
from dashboard.core.mechanism import (
    CAPTIONS,
    LANE_SPECS,
    LANES,
    WALK,
    clamp_step,
    diagram_state,
    drug_default,
    step_caption,
    walk_index,
    walk_neighbour,
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
def test_drug_default_follows_the_story_for_a_questions_step(lane, step, drug) -> None:
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


@pytest.mark.parametrize("form", sorted(LAYOUTS))
@pytest.mark.parametrize("lane", LANES)
def test_every_element_has_a_position_in_both_forms(lane, form) -> None:
    assert {e.key for e in LANE_SPECS[lane].elements} <= set(
        LAYOUTS[form].positions[lane]
    )


def test_the_walk_runs_through_the_t_cell_then_the_podocyte() -> None:
    assert WALK[:5] == (
        ("tcell", 1),
        ("tcell", 2),
        ("tcell", 3),
        ("tcell", 4),
        ("podocyte", 1),
    )
    assert WALK[-1] == ("podocyte", 4)
    assert len(WALK) == len(set(WALK)) == 8


@pytest.mark.parametrize(
    ("start", "delta", "expected"),
    [
        (("tcell", 4), 1, ("podocyte", 1)),
        (("podocyte", 1), -1, ("tcell", 4)),
        (("tcell", 2), 1, ("tcell", 3)),
        (("podocyte", 3), -1, ("podocyte", 2)),
        (("tcell", 1), -1, ("tcell", 1)),  # the walk's ends hold
        (("podocyte", 4), 1, ("podocyte", 4)),
        (("tcell", 99), 1, ("podocyte", 1)),  # a step out of range is clamped
    ],
)
def test_next_and_back_cross_between_the_lanes(start, delta, expected) -> None:
    assert walk_neighbour(*start, delta) == expected


def test_walk_index_counts_from_zero() -> None:
    assert walk_index("tcell", 1) == 0
    assert walk_index("podocyte", 1) == 4
    assert walk_index("podocyte", 0) == 4


def test_every_stop_has_a_caption_for_each_drug_state() -> None:
    assert set(CAPTIONS) == set(WALK)
    for lane, step in WALK:
        off, on = step_caption(lane, step, False), step_caption(lane, step, True)
        assert off != on
        assert off.startswith(("Drawn without the drug", "The drug is not drawn"))
        assert on.startswith("Drawn with tacrolimus")


@pytest.mark.parametrize(("lane", "step"), [("tcell", 4), ("podocyte", 4)])
def test_the_caption_without_the_drug_matches_the_diagram(lane, step) -> None:
    # Issue 21: with the drug off, the caption must not tell the drug's story
    # while the diagram shows the chain running.
    drawn = diagram_state(lane, step, False).elements
    assert "blocked" not in drawn.values()
    text = step_caption(lane, step, False)
    assert "Tacrolimus present" in text
    assert "opposite" in text
    if lane == "tcell":
        assert drawn["il2"] != "hidden"
        assert "IL-2 is made" in text
    else:
        assert drawn["leak"] != "hidden"
        assert "protein leaks" in text


def test_the_caption_with_the_drug_names_what_is_blocked() -> None:
    drawn = diagram_state("tcell", 2, True).elements
    assert drawn["calcineurin"] == "blocked"
    assert drawn["nfat_p"] == "protected"
    text = step_caption("tcell", 2, True)
    assert "calcineurin is blocked" in text
    assert "NFAT keeps its phosphates" in text


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
