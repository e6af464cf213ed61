"""The Nephrotic syndrome page: each keyed widget changes what the page shows."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core import site
from dashboard.core.paths import APP_PATH, CONTENT_DIR, DATA_DIR
from dashboard.ui import cached
from tests.app.conftest import all_text, open_page

VIEW = "views/nephrotic_syndrome.py"


@pytest.fixture
def ns() -> AppTest:
    return open_page(VIEW)


def _chart_spec(at: AppTest, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def _segmented(at: AppTest, key: str):
    return next(w for w in at.get("segmented_control") if w.key == key)


def _predict(at: AppTest, call: str = "meets") -> AppTest:
    """Make the classify exercise's prediction, which the verdict waits for."""
    return at.radio(key="classify_prediction").set_value(call).run()


def _chain_text(at: AppTest) -> str:
    return " ".join(
        a.get("text", "") for a in _chart_spec(at, 0)["layout"]["annotations"]
    )


def test_page_shows_every_section(ns: AppTest) -> None:
    headings = [
        m.value.split("\n", 1)[0] for m in ns.markdown if m.value.startswith("## ")
    ]
    # The page opens with its interaction (issue 21), reference material after.
    assert headings == [
        "## From leaky filter to swollen legs",
        "## The defining features",
        "## Causes differ with age",
        "## Steroid response shapes the course",
        "## Complications",
        "## Classify a patient",
    ]
    # The chain twice (left to right, top to bottom), the curve, four more.
    assert len(ns.get("plotly_chart")) == 7


def test_on_this_page_links_every_section_heading_in_order(ns: AppTest) -> None:
    line = next(m.value for m in ns.markdown if m.value.startswith("**On this page:"))
    assert line == (
        "**On this page:** [Pathophysiology](#from-leaky-filter-to-swollen-legs) · "
        "[Defining features](#the-defining-features) · "
        "[Causes by age](#causes-differ-with-age) · "
        "[Steroid response](#steroid-response-shapes-the-course) · "
        "[Complications](#complications) · [Classify a patient](#classify-a-patient)"
    )
    headings = [
        site.heading_anchor(m.value.split("\n", 1)[0].removeprefix("## "))
        for m in ns.markdown
        if m.value.startswith("## ")
    ]
    assert re.findall(r"\]\(#([^)]+)\)", line) == headings


@pytest.mark.usefixtures("fresh_caches")
def test_a_broken_section_loses_its_link_not_the_others(
    monkeypatch, tmp_path: Path
) -> None:
    content = _copy_tree(CONTENT_DIR, tmp_path / "content")
    doc = content / "nephrotic_syndrome" / "30_causes.md"
    doc.write_text(doc.read_text().replace("order: 30\n", ""))
    monkeypatch.setattr(cached, "CONTENT_DIR", content)
    at = open_page(VIEW)
    line = next(m.value for m in at.markdown if m.value.startswith("**On this page:"))
    assert "Causes by age" not in line
    assert "[Steroid response](#steroid-response-shapes-the-course)" in line


def test_every_chart_has_alt_text(ns: AppTest) -> None:
    for chart in ns.get("plotly_chart"):
        assert len(chart.proto.alt) > 40


def test_definition_toggle_switches_population(ns: AppTest) -> None:
    assert "| proteinuria | urine protein of 3.5 g per day or more |" in all_text(ns)
    _segmented(ns, "ns_definition_group").set_value("child").run()
    text = all_text(ns)
    assert "200 mg/mmol or more on a spot urine" in text
    assert "| proteinuria | urine protein of 3.5 g per day or more |" not in text


def test_alternative_rules_for_one_feature_read_as_alternatives(ns: AppTest) -> None:
    # A 24-hour collection or a spot ratio: either is enough, never both needed.
    text = all_text(ns)
    assert "| urine protein of 3.5 g per day or more | needed (any one of these) |" in (
        text
    )
    assert "| serum albumin below 30 g/L (3.0 g/dL) | needed |" in text
    # Another source's pair is a definition of its own; a lone rule is just needed.
    assert "| more than 3.5 g of protein in 24 hours | needed |" in text


def test_moving_proteinuria_moves_albumin(ns: AppTest) -> None:
    assert "25.5 g/L" in _chain_text(ns)
    ns.slider(key="ns_proteinuria").set_value(2.0).run()
    text = all_text(ns)
    assert "At **2.0 g/day** of urine protein (above normal)" in text
    assert "**36.8 g/L** (normal)" in text
    assert "36.8 g/L" in _chain_text(ns)
    assert "✓ normal" in _chain_text(ns)


def test_moving_albumin_instead(ns: AppTest) -> None:
    _segmented(ns, "ns_driver").set_value("albumin").run()
    ns.slider(key="ns_albumin").set_value(20.0).run()
    text = all_text(ns)
    assert "**20.0 g/L** (low)" in text
    assert "At **7.9 g/day**" in text


def test_classify_defaults_to_a_worked_example(ns: AppTest) -> None:
    _predict(ns)
    assert ns.success[0].value.startswith("**Meets the definition")


def test_classify_asks_for_a_prediction_before_the_verdict(ns: AppTest) -> None:
    # Nothing tells the verdict before the student has made their call.
    assert ns.radio(key="classify_prediction").value is None
    assert not ns.success
    assert not ns.warning
    assert "Meets the definition of nephrotic" not in all_text(ns)
    assert "Choose your answer to see the verdict" in all_text(ns)

    # A wrong call is said to be wrong, then the verdict and its reasons.
    _predict(ns, "does not meet")
    text = all_text(ns)
    assert "**Not this time:** you said “does not meet it”" in text
    assert "the definition says “meets the definition”" in text
    assert ns.success[0].value.startswith("**Meets the definition")

    # A new patient asks for a new call: the old one does not carry over.
    ns.radio(key="classify_oedema").set_value("no").run()
    assert ns.radio(key="classify_prediction").value is None
    assert not ns.success
    assert not ns.warning

    # A right call is said to be right (an adult needs oedema as well).
    _predict(ns, "does not meet")
    assert "**Your prediction was right:**" in all_text(ns)
    assert ns.warning[0].value.startswith("**Does not meet")


def test_classify_entry_mistakes_show_before_any_prediction(ns: AppTest) -> None:
    ns.number_input(key="classify_protein_value").set_value(-3.0).run()
    assert "Urine protein cannot be negative." in ns.error[0].value


def test_classify_unit_mistake_gets_a_hint_not_a_traceback(ns: AppTest) -> None:
    _predict(ns)
    ns.number_input(key="classify_albumin_value").set_value(2.4).run()
    assert not ns.exception
    assert "switch the unit to g/dL" in ns.error[0].value
    ns.radio(key="classify_albumin_unit").set_value("g/dL").run()
    assert not ns.error
    _predict(ns)
    assert ns.success[0].value.startswith("**Meets")


def test_classify_negative_protein(ns: AppTest) -> None:
    ns.number_input(key="classify_protein_value").set_value(-3.0).run()
    assert "Urine protein cannot be negative." in ns.error[0].value
    assert ns.title[0].value == "Nephrotic syndrome"  # rest of the page still there


def test_classify_child_by_dipstick(ns: AppTest) -> None:
    ns.radio(key="classify_population").set_value("child").run()
    ns.selectbox(key="classify_protein_unit").set_value("dipstick grade").run()
    ns.selectbox(key="classify_dipstick").set_value("3+").run()
    _predict(ns)
    assert ns.success[0].value.startswith(
        "**Meets the definition of nephrotic syndrome in a child"
    )
    ns.selectbox(key="classify_dipstick").set_value("1+").run()
    _predict(ns, "does not meet")
    assert ns.warning[0].value.startswith("**Does not meet")


def test_classify_child_without_albumin_uses_oedema(ns: AppTest) -> None:
    ns.radio(key="classify_population").set_value("child").run()
    ns.selectbox(key="classify_protein_unit").set_value("UPCR mg/mmol").run()
    ns.number_input(key="classify_protein_value").set_value(300.0).run()
    ns.checkbox(key="classify_albumin_measured").uncheck().run()
    _predict(ns)
    assert ns.success[0].value.startswith("**Meets")
    assert "oedema stands in for it" in all_text(ns)
    ns.radio(key="classify_oedema").set_value("not examined").run()
    _predict(ns, "incomplete")
    assert "**Your prediction was right:**" in all_text(ns)
    assert ns.info[-1].value.startswith("**Cannot decide yet")


@pytest.mark.parametrize(
    ("params", "slider", "value"),
    [
        ({"ns_proteinuria": "3.2"}, "ns_proteinuria", 3.2),
        ({"ns_proteinuria": "abc"}, "ns_proteinuria", 6.0),
        ({"ns_proteinuria": "999"}, "ns_proteinuria", 6.0),
        ({"ns_driver": "Serum albumin", "ns_albumin": "33"}, "ns_albumin", 33.0),
        ({"ns_driver": "nonsense"}, "ns_proteinuria", 6.0),
        ({"unknown": "x", "ns_albumin": "-4"}, "ns_proteinuria", 6.0),
    ],
)
def test_url_parameters_open_a_view_and_bad_ones_fall_back(
    params: dict, slider: str, value: float
) -> None:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    for key, text in params.items():
        at.query_params[key] = text
    at.run()
    at.switch_page(VIEW).run()
    assert not at.exception
    assert at.slider(key=slider).value == value


def _copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


@pytest.mark.usefixtures("fresh_caches")
def test_broken_dataset_disables_one_section_only(monkeypatch, tmp_path: Path) -> None:
    data = _copy_tree(DATA_DIR, tmp_path / "data")
    csv = data / "ns_histology_by_age.csv"
    csv.write_text(csv.read_text().replace(",76.6,", ",seventy,", 1))
    monkeypatch.setattr(cached, "DATA_DIR", data)
    at = open_page(VIEW)
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "The causes by age cannot be shown" in message
    assert "ns_histology_by_age.csv, line 2, column 'percent_low'" in message
    assert "Complications" in all_text(at)  # later sections still render
    _predict(at)
    assert at.success  # the classify exercise still works


@pytest.mark.usefixtures("fresh_caches")
def test_broken_content_file_is_named_with_its_field(
    monkeypatch, tmp_path: Path
) -> None:
    content = _copy_tree(CONTENT_DIR, tmp_path / "content")
    doc = content / "nephrotic_syndrome" / "30_causes.md"
    doc.write_text(doc.read_text().replace("order: 30\n", ""))
    monkeypatch.setattr(cached, "CONTENT_DIR", content)
    at = open_page(VIEW)
    assert not at.exception
    assert (
        "nephrotic_syndrome/30_causes.md: field 'order' is missing" in at.error[0].value
    )
    assert at.title[0].value == "Nephrotic syndrome"  # the page still has its frame
