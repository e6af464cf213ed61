"""The Mechanism page model: the step view, its handout, the tables, the questions."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.charts.chart import Chart
from dashboard.core import datasets, schemas, site
from dashboard.core.content import load_page
from dashboard.core.mechanism import LANE_SPECS, LANES, diagram_state
from dashboard.core.paths import CONTENT_DIR, DATA_DIR
from dashboard.models import mechanism as model


def _data(name: str) -> pd.DataFrame:
    return datasets.load_dataset(schemas.SCHEMAS[name], DATA_DIR)


@pytest.fixture(scope="module")
def steps() -> pd.DataFrame:
    return _data("mechanism_steps")


def test_step_view_heads_the_step_and_names_its_evidence(steps) -> None:
    view = model.step_view(steps, "podocyte", 1, False)
    assert view.heading == "### Step 1: Calcineurin acts on synaptopodin"
    assert view.evidence.startswith(
        "Shown in animals and cultured cells; inferred for people. Key source: ["
    )
    assert isinstance(view.chart, Chart)
    assert view.chart.title == "In the podocyte: step 1 of 4, without tacrolimus"
    assert view.diagram == diagram_state("podocyte", 1, False)


def test_step_view_clamps_the_step(steps) -> None:
    view = model.step_view(steps, "tcell", 99, True)
    assert view.diagram.step == 4
    assert view.heading.startswith("### Step 4: ")
    assert "✕ blocked" in " ".join(
        a.text for a in view.chart.figure.layout.annotations if a.text
    )


def test_step_view_without_a_row_has_no_heading(steps) -> None:
    view = model.step_view(steps[steps["lane"] != "tcell"], "tcell", 2, False)
    assert view.heading is None
    assert view.evidence is None
    assert isinstance(view.chart, Chart)


def test_step_view_refuses_an_unknown_lane(steps) -> None:
    with pytest.raises(KeyError):
        model.step_view(steps, "liver", 1, False)


@pytest.mark.parametrize("lane", LANES)
def test_every_step_has_words_for_its_evidence(steps, lane) -> None:
    for step in range(1, LANE_SPECS[lane].steps + 1):
        assert model.step_view(steps, lane, step, False).evidence


def test_step_handout_lists_each_molecule_and_the_sources(steps) -> None:
    docs = load_page(CONTENT_DIR, "mechanism", known_pages=site.PAGE_SLUGS).docs
    diagram = diagram_state("tcell", 4, True)
    doc = docs["tcell-4"]
    row = steps[(steps["lane"] == "tcell") & (steps["step"] == 4)].iloc[0]

    def lookup(ids):
        # The step's key source again, to show repeats are dropped.
        return [(str(row["source"]), str(row["source_url"]))] + [
            (f"Source {i}", f"https://example.org/{i}") for i in ids
        ]

    handout = model.step_handout(steps, diagram, doc, lookup)
    assert handout.title == "How tacrolimus works: in the t cell"
    assert handout.view.startswith(f"Step 4 of 4: {row['title']}; with tacrolimus.")
    assert "Drawn with tacrolimus: NFAT stays outside the nucleus" in handout.view
    assert handout.numbers_title == "State of each molecule at this step"
    assert ("Calcineurin (phosphatase)", "blocked") in handout.numbers
    assert all(state != "hidden" for _, state in handout.numbers)
    assert handout.sources[0] == (str(row["source"]), str(row["source_url"]))
    assert len(handout.sources) == 1 + len(doc.sources)
    assert model.step_handout(steps, diagram, None, lookup).sources == [
        handout.sources[0]
    ]


def test_step_handout_needs_the_step_row(steps) -> None:
    with pytest.raises(ValueError, match="no step 2"):
        model.step_handout(
            steps[steps["step"] != 2], diagram_state("tcell", 2, False), None, list
        )


def test_comparison_table_places_each_drug_in_order() -> None:
    frame = _data("mechanism_comparison")
    table = model.comparison_table(frame)
    assert table.startswith("| Drug | Binds | What that does |")
    drugs = frame.sort_values("order")["drug"].tolist()
    positions = [table.index(f"**{d}**") for d in drugs]
    assert positions == sorted(positions)


def test_comparison_cards_give_each_drug_its_own_block_in_order() -> None:
    frame = _data("mechanism_comparison")
    cards = model.comparison_cards(frame).split("\n\n---\n\n")
    ordered = frame.sort_values("order")
    assert len(cards) == len(frame)
    for card, row in zip(cards, ordered.itertuples(index=False), strict=True):
        assert card.startswith(f"**{row.drug}**, binds {row.binds}")
        assert f"*Cells mainly affected:* {row.cells}." in card
        assert "Source: [" in card
        assert "|" not in card  # not a table


def test_identifier_list_links_every_identifier() -> None:
    frame = _data("mechanism_identifiers")
    lines = model.identifier_list(frame).splitlines()
    assert len(lines) == len(frame)
    assert all(line.startswith("- **") for line in lines)
    assert "CID 445643" in model.identifier_list(frame)


def test_questions_are_the_mechanism_pages_own() -> None:
    quiz = _data("quiz_questions")
    questions = model.questions(quiz)
    assert len(questions) == (quiz["page"] == "mechanism").sum()
    podocyte = next(q for q in questions if q.id == "mech-podocyte")
    assert podocyte.answer in podocyte.options
    assert podocyte.goto == ("podocyte", 4)
    assert model.goto_label(podocyte) == "Show me step 4 (Podocyte)"
