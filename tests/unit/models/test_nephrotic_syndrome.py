"""The Nephrotic syndrome page model, and the page's "On this page" links."""

from __future__ import annotations

import dataclasses
import io

import pandas as pd
import pytest
from PIL import Image

from dashboard.charts.chart import Chart
from dashboard.core import classify, datasets, schemas, site
from dashboard.core.content import ContentDoc, load_page
from dashboard.core.datasets import DataError
from dashboard.core.nephrotic_syndrome import primary_criteria
from dashboard.core.paths import CONTENT_DIR, DATA_DIR
from dashboard.models import nephrotic_syndrome as model


def _data(name: str) -> pd.DataFrame:
    return datasets.load_dataset(schemas.SCHEMAS[name], DATA_DIR)


@pytest.fixture(scope="module")
def inputs() -> model.ChainInputs:
    return model.chain_inputs(
        _data("ns_model_parameters"), _data("ns_diagnostic_criteria")
    )


@pytest.fixture(scope="module")
def docs() -> dict[str, ContentDoc]:
    return load_page(
        CONTENT_DIR, "nephrotic-syndrome", known_pages=site.PAGE_SLUGS
    ).docs


def _entry(**changes) -> classify.PatientEntry:
    base = {
        "population": "adult",
        "protein_value": 4.2,
        "protein_unit": "g/day (24-hour urine)",
        "albumin_value": 24.0,
        "albumin_unit": "g/L",
        "oedema": "yes",
    }
    return classify.PatientEntry(**{**base, **changes})


# --- Definitions -----------------------------------------------------------


def test_definitions_split_the_applied_definition_from_the_others() -> None:
    adult = model.definitions(_data("ns_diagnostic_criteria"), "adult")
    assert set(adult.rows["population"]) == {"adult"}
    assert adult.applied.startswith("| Feature | Rule | Role | Source |")
    assert (
        "| urine protein of 3.5 g per day or more | needed (any one of these) |"
        in adult.applied
    )
    assert "| more than 3.5 g of protein in 24 hours | needed |" in adult.others
    child = model.definitions(_data("ns_diagnostic_criteria"), "child")
    assert "200 mg/mmol or more on a spot urine" in child.applied + child.others
    assert "3.5 g per day or more" not in child.applied


def test_definitions_refuse_an_unknown_group() -> None:
    with pytest.raises(ValueError, match="group must be one of"):
        model.definitions(_data("ns_diagnostic_criteria"), "elderly")


def test_criterion_line_is_the_rule_as_written() -> None:
    row = _data("ns_diagnostic_criteria").iloc[0]
    assert model.criterion_line(row) == row["statement"]


# --- The chain -------------------------------------------------------------


def test_chain_inputs_come_from_the_sourced_rows(inputs) -> None:
    assert inputs.model.normal_albumin == 42.5
    assert inputs.thresholds.albumin_low == 30


def test_chain_inputs_name_a_missing_parameter() -> None:
    parameters = _data("ns_model_parameters")
    broken = parameters[parameters["id"] != "albumin-synthesis"]
    with pytest.raises(DataError, match="albumin-synthesis"):
        model.chain_inputs(broken, _data("ns_diagnostic_criteria"))


def test_chain_view_at_the_worked_example(inputs) -> None:
    view = model.chain_view(inputs, 6.0, inputs.model.albumin_for(6.0))
    assert isinstance(view.chain, Chart)
    assert isinstance(view.curve, Chart)
    assert "Serum albumin: 25.5 g/L, low" in view.chain.alt
    assert "The marked patient loses 6.0 g/day" in view.curve.alt
    assert view.sentence == (
        "At **6.0 g/day** of urine protein (nephrotic range), the model's serum "
        "albumin settles at **25.5 g/L** (low). Oedema: **expected**; raised "
        "lipids: **expected**."
    )
    assert view.curve.table["Point"].iloc[-1] == "this patient"


def test_chain_sentence_follows_the_numbers(inputs) -> None:
    view = model.chain_view(inputs, 2.0, inputs.model.albumin_for(2.0))
    assert view.sentence.startswith("At **2.0 g/day** of urine protein (above normal)")
    assert "**36.8 g/L** (normal)" in view.sentence
    assert model.chain_sentence(view.state) == view.sentence


def test_chain_view_refuses_negative_values(inputs) -> None:
    with pytest.raises(ValueError, match="negative"):
        model.chain_view(inputs, -1.0, 40.0)


def test_parameter_line_gives_the_value_and_unit() -> None:
    row = pd.Series({"meaning": "Albumin synthesis", "value": 15.0, "unit": "g/day"})
    assert model.parameter_line(row) == "Albumin synthesis: 15 g/day"


def test_note_text_puts_the_title_first(docs) -> None:
    note = docs["model_note"]
    text = model.note_text(note, {})
    assert text.startswith(f"**{note.title}.** ")


def test_chain_handout_has_the_numbers_figure_and_sources(inputs, docs) -> None:
    view = model.chain_view(inputs, 6.0, inputs.model.albumin_for(6.0))
    asked: list[list[str]] = []

    def lookup(ids):
        asked.append(list(ids))
        return [(f"Source {i}", f"https://example.org/{i}") for i in asked[-1]]

    doc, note = docs["pathophysiology"], docs["model_note"]
    handout = model.chain_handout(doc, note, inputs, view.state, lookup)
    assert handout.title == "Nephrotic syndrome: from leaky filter to swollen legs"
    assert ("Serum albumin", "25.5 g/L (low)") in handout.numbers
    assert asked == [list(doc.sources) + list(note.sources)]
    assert len(handout.sources) == len(asked[0])
    assert Image.open(io.BytesIO(handout.figure_png)).format == "PNG"
    without_note = model.chain_handout(doc, None, inputs, view.state, lookup)
    assert asked[-1] == list(doc.sources)
    assert without_note.numbers == handout.numbers


# --- Causes, steroid response, complications -------------------------------


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [(20.0, 20.0, "20%"), (0.0, 50.0, "up to 50%"), (80.0, 90.0, "80–90%")],
)
def test_percent_range(low: float, high: float, text: str) -> None:
    assert model.percent_range(low, high) == text


def test_source_lines_name_the_row_and_its_numbers() -> None:
    histology = _data("ns_histology_by_age").iloc[0]
    line = model.histology_line(histology)
    assert line.startswith(f"{histology['age_group']}, {histology['lesion']}: ")
    assert line.endswith(f" ({histology['cohort']})")
    complication = _data("ns_complications").iloc[0]
    assert model.complication_line(complication).startswith(
        f"{complication['complication']}, {complication['setting']}: "
    )


def test_steroid_sources_list_the_course_then_the_definitions() -> None:
    course, response = _data("ns_steroid_course"), _data("ns_steroid_response")
    rows = model.steroid_sources(course, response)
    assert len(rows) == len(course) + len(response)
    lines = [model.steroid_line(row) for _, row in rows.iterrows()]
    first = course.iloc[0]
    assert lines[0] == f"{first['step']}: " + model.percent_range(
        first["percent_low"], first["percent_high"]
    )
    assert lines[len(course)] == response.sort_values("order").iloc[0]["term"]


def test_response_table_lists_every_term_in_order() -> None:
    response = _data("ns_steroid_response")
    table = model.response_table(response)
    assert table.startswith("| Term | Definition | Source |")
    terms = response.sort_values("order")["term"].tolist()
    positions = [table.index(f"**{t}") for t in terms]
    assert positions == sorted(positions)


# --- Classify a patient ----------------------------------------------------


@pytest.fixture(scope="module")
def criteria() -> list[classify.Criterion]:
    return primary_criteria(_data("ns_diagnostic_criteria"))


def test_feedback_on_the_worked_example(criteria) -> None:
    feedback = model.feedback(_entry(), criteria)
    assert feedback.status == "meets"
    assert feedback.message.startswith("**Meets the definition")
    assert ":green[:material/check_circle:] met" in feedback.findings
    assert "*Source:* [" in feedback.findings
    assert feedback.findings.count("\n- **") == 2  # protein, albumin, oedema


def test_feedback_on_an_entry_mistake_says_what_to_fix(criteria) -> None:
    feedback = model.feedback(_entry(albumin_value=2.4), criteria)
    assert feedback.status == "entry error"
    assert "switch the unit to g/dL" in feedback.message
    assert feedback.findings == ""


def test_feedback_marks_unknown_features(criteria) -> None:
    feedback = model.feedback(
        _entry(albumin_value=None, oedema="not examined"), criteria
    )
    assert feedback.status == "incomplete"
    assert ":gray[:material/help:] unknown" in feedback.findings


# --- "On this page" --------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "anchor"),
    [
        ("From leaky filter to swollen legs", "from-leaky-filter-to-swollen-legs"),
        ("Complications", "complications"),
        ("Tacrolimus & FKBP-12: why it binds", "tacrolimus-and-fkbp-12-why-it-binds"),
        ("The T cell’s job", "the-t-cells-job"),
        ("Café au lait", "cafe-au-lait"),
    ],
)
def test_heading_anchor_follows_streamlit(title: str, anchor: str) -> None:
    assert site.heading_anchor(title) == anchor


def test_on_this_page_links_each_listed_section_by_its_title() -> None:
    page = site.PageSpec(
        slug="demo",
        title="Demo",
        icon=":material/home:",
        section="Start",
        summary="A page.",
        contents=(("a", "First"), ("b", "Second"), ("c", "Third")),
    )
    titles = {"a": "The first part", "c": "Last & least"}
    assert site.on_this_page(page, titles) == (
        "**On this page:** [First](#the-first-part) · [Third](#last-and-least)"
    )
    assert site.on_this_page(page, {}) == ""


@pytest.mark.parametrize("page", [p for p in site.PAGES if p.contents])
def test_every_listed_section_is_a_section_of_its_page(page) -> None:
    content = load_page(CONTENT_DIR, page.slug, known_pages=site.PAGE_SLUGS)
    assert {slug for slug, _ in page.contents} <= set(content.docs)


# --- Predict first, and the framing of the chain ---------------------------


@pytest.mark.parametrize("status", ["meets", "does not meet", "incomplete"])
def test_a_prediction_is_right_only_when_it_matches_the_verdict(status: str) -> None:
    verdict = model.Feedback(status, "**headline**")
    for predicted in model.PREDICTIONS:
        right, sentence = model.prediction_check(predicted, verdict)
        assert right is (predicted == status)
        said = model.PREDICTIONS[predicted].lower()
        assert f"you said “{said}”" in sentence
        if not right:
            assert f"the definition says “{model.PREDICTIONS[status].lower()}”" in (
                sentence
            )


def test_an_entry_error_or_unknown_call_cannot_be_checked() -> None:
    with pytest.raises(ValueError, match="cannot compare"):
        model.prediction_check("meets", model.Feedback("entry error", "typo"))
    with pytest.raises(ValueError, match="cannot compare"):
        model.prediction_check("maybe", model.Feedback("meets", "x"))


def test_the_chain_section_opens_with_a_short_framing(docs) -> None:
    lead, rest = model.framing(docs["pathophysiology"])
    assert lead.title == rest.title == docs["pathophysiology"].title
    assert lead.body.startswith("**Try it first.**")
    assert "podocyte" in lead.body.lower()  # glossed where it first appears
    assert "\n\n" not in lead.body
    assert len(lead.body.split()) < 80
    assert rest.body.startswith("**Why the features travel together.**")
    assert lead.body + "\n\n" + rest.body == docs["pathophysiology"].body.strip()
    alone, nothing = model.framing(
        dataclasses.replace(docs["pathophysiology"], body="One paragraph.")
    )
    assert alone.body == "One paragraph."
    assert nothing is None
