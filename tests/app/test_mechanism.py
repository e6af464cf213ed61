"""The Mechanism page: steps, lanes, the drug toggle, URL state and the questions."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.paths import APP_PATH
from tests.app.conftest import open_page

VIEW = "views/mechanism.py"


@pytest.fixture
def mech() -> AppTest:
    return open_page(VIEW)


def _title(at: AppTest) -> str:
    return json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]


def _annotations(at: AppTest) -> str:
    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    return " ".join(a.get("text", "") for a in layout["annotations"])


def _step_heading(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### Step"))


def test_page_opens_at_step_one(mech: AppTest) -> None:
    assert not mech.exception
    assert not mech.error
    assert (
        _step_heading(mech)
        == "### Step 1: Calcium and calmodulin switch on calcineurin"
    )
    assert _title(mech) == "In the T cell: step 1 of 4, without tacrolimus"
    assert mech.button(key="mech_prev").disabled
    assert mech.get("plotly_chart")[0].proto.alt.startswith("Diagram, in the t cell")


def test_next_and_back_step_and_switch_the_drug_on_and_off(mech: AppTest) -> None:
    mech.button(key="mech_next").click().run()
    assert _step_heading(mech).startswith("### Step 2: Calcineurin frees NFAT")
    assert mech.toggle(key="mech_drug").value is False
    mech.button(key="mech_next").click().run()
    assert mech.toggle(key="mech_drug").value is True
    assert _title(mech) == "In the T cell: step 3 of 4, with tacrolimus"
    mech.button(key="mech_next").click().run()
    assert mech.button(key="mech_next").disabled
    mech.button(key="mech_prev").click().run()
    mech.button(key="mech_prev").click().run()
    assert mech.toggle(key="mech_drug").value is False
    assert not mech.exception


def test_toggle_changes_the_diagram(mech: AppTest) -> None:
    mech.get("segmented_control")[1].set_value(4).run()
    before = _annotations(mech)
    mech.toggle(key="mech_drug").set_value(True).run()
    after = _annotations(mech)
    assert before != after
    assert "✕ blocked" in after
    assert "✕ blocked" not in before


def test_lane_switch_shows_the_podocyte_story(mech: AppTest) -> None:
    mech.get("segmented_control")[0].set_value("podocyte").run()
    assert _step_heading(mech) == "### Step 1: Calcineurin acts on synaptopodin"
    evidence = [m.value for m in mech.markdown if "cultured cells" in m.value]
    assert evidence, "the evidence level of the step is shown"


@pytest.mark.parametrize(
    ("params", "heading", "drug"),
    [
        ({"mech_step": "3"}, "### Step 3: Tacrolimus and FKBP-12", False),
        (
            {"mech_lane": "Podocyte", "mech_step": "4", "mech_drug": "true"},
            "### Step 4: Tacrolimus keeps synaptopodin",
            True,
        ),
        ({"mech_step": "99"}, "### Step 1: Calcium", False),
        ({"mech_step": "two", "mech_lane": "liver"}, "### Step 1: Calcium", False),
        ({"mech_drug": "maybe"}, "### Step 1: Calcium", False),
    ],
)
def test_url_opens_the_same_step_and_bad_values_fall_back(
    params, heading, drug
) -> None:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(VIEW).run()
    assert not at.exception
    assert _step_heading(at).startswith(heading)
    assert at.toggle(key="mech_drug").value is drug


def test_comparison_places_each_regimen(mech: AppTest) -> None:
    table = next(m.value for m in mech.markdown if m.value.startswith("| Drug |"))
    for drug in (
        "Tacrolimus",
        "Cyclosporine",
        "Corticosteroids",
        "Cyclophosphamide",
        "Mycophenolate",
        "Rituximab",
    ):
        assert f"**{drug}" in table
    assert "Cyclophilin" in table


def test_further_reading_links_identifiers(mech: AppTest) -> None:
    reading = next(m.value for m in mech.markdown if "CID 445643" in m.value)
    for identifier in ("DB00864", "FK5", "R-HSA-2025928", "hsa04660", "CHEBI:61049"):
        assert identifier in reading


def test_question_answered_wrongly_then_goes_back_to_its_step(mech: AppTest) -> None:
    radio = mech.radio(key="quiz_mech-podocyte")
    radio.set_value("It depletes B cells").run()
    assert "Not quite" in mech.error[0].value
    mech.button(key="quiz_mech-podocyte_goto").click().run()
    assert _step_heading(mech).startswith("### Step 4: Tacrolimus keeps synaptopodin")
    assert mech.toggle(key="mech_drug").value is True


def test_question_answered_rightly(mech: AppTest) -> None:
    mech.radio(key="quiz_mech-b-cells").set_value(
        "Indirectly: fewer activated T helper cells give B cells less help"
    ).run()
    assert mech.success[0].value.startswith("**Right.**")


@pytest.mark.usefixtures("fresh_caches")
def test_broken_step_table_disables_only_the_step_through(
    monkeypatch, tmp_path
) -> None:
    import shutil

    from dashboard.core.paths import DATA_DIR
    from dashboard.ui import cached

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    steps = data / "mechanism_steps.csv"
    steps.write_text(steps.read_text().replace("tcell,2,", "tcell,two,", 1))
    monkeypatch.setattr(cached, "DATA_DIR", data)
    at = open_page(VIEW)
    assert not at.exception
    assert "mechanism_steps.csv, line 3, column 'step'" in at.error[0].value
    assert any(m.value.startswith("| Drug |") for m in at.markdown)  # table still shown
