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


def _step_block(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### Step"))


def _step_heading(at: AppTest) -> str:
    return _step_block(at).split("\n")[0]


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


def _lane(at: AppTest) -> str:
    return next(c for c in at.get("segmented_control") if c.key == "mech_lane").value


def _step(at: AppTest) -> int:
    return next(c for c in at.get("segmented_control") if c.key == "mech_step").value


def test_next_walks_both_lanes_and_never_touches_the_drug(mech: AppTest) -> None:
    seen = [(_lane(mech), _step(mech))]
    for _ in range(7):
        mech.button(key="mech_next").click().run()
        mech.run()
        seen.append((_lane(mech), _step(mech)))
        assert mech.toggle(key="mech_drug").value is False  # step 3 included
    assert seen == [
        ("tcell", 1),
        ("tcell", 2),
        ("tcell", 3),
        ("tcell", 4),
        ("podocyte", 1),
        ("podocyte", 2),
        ("podocyte", 3),
        ("podocyte", 4),
    ]
    assert mech.button(key="mech_next").disabled
    assert _title(mech) == "In the podocyte: step 4 of 4, without tacrolimus"
    assert not mech.exception


def test_the_walk_ends_on_why_proteinuria_falls(mech: AppTest) -> None:
    ending = "**So proteinuria falls because…**"
    assert ending not in [m.value for m in mech.markdown]
    mech.get("segmented_control")[0].set_value("podocyte").run()
    mech.get("segmented_control")[1].set_value(4).run()
    mech.run()
    assert ending in [m.value for m in mech.markdown]


def test_back_from_the_podocyte_returns_to_the_t_cell_with_the_drug_kept(
    mech: AppTest,
) -> None:
    mech.toggle(key="mech_drug").set_value(True).run()
    mech.get("segmented_control")[0].set_value("podocyte").run()
    mech.run()
    assert (_lane(mech), _step(mech)) == ("podocyte", 1)
    mech.button(key="mech_prev").click().run()
    mech.run()
    assert (_lane(mech), _step(mech)) == ("tcell", 4)
    assert _title(mech) == "In the T cell: step 4 of 4, with tacrolimus"
    assert mech.toggle(key="mech_drug").value is True
    mech.button(key="mech_prev").click().run()
    mech.run()
    assert mech.toggle(key="mech_drug").value is True  # not switched off either


def test_a_lane_picked_by_hand_opens_at_step_one(mech: AppTest) -> None:
    mech.get("segmented_control")[1].set_value(3).run()
    mech.get("segmented_control")[0].set_value("podocyte").run()
    mech.run()
    assert (_lane(mech), _step(mech)) == ("podocyte", 1)
    assert _step_heading(mech) == "### Step 1: Calcineurin acts on synaptopodin"


@pytest.mark.parametrize("drug", [False, True])
def test_the_caption_says_what_the_diagram_shows(mech: AppTest, drug) -> None:
    mech.get("segmented_control")[1].set_value(4).run()
    mech.toggle(key="mech_drug").set_value(drug).run()
    mech.run()
    caption = _step_block(mech).split("\n\n")[1]
    assert caption.startswith("*Stop 4 of 8: T-cell lane, step 4.*")
    word = "with tacrolimus" if drug else "without tacrolimus"
    assert _title(mech).endswith(word)
    assert ("Drawn with tacrolimus" in caption) is drug
    assert ("and IL-2 is made" in caption) is not drug


def test_both_forms_of_the_diagram_are_sent(mech: AppTest) -> None:
    charts = mech.get("plotly_chart")
    assert [json.loads(c.proto.spec)["layout"]["height"] for c in charts[:2]] == [
        370,
        730,
    ]
    assert charts[0].proto.alt == charts[1].proto.alt


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


def _check(at: AppTest, qid: str, choice: str, sure: str = "sure") -> None:
    """Answer a check-yourself item, rate it and press Check (full runs)."""
    at.radio(key=f"quiz_{qid}").set_value(choice).run()
    at.run()
    rating = next(w for w in at.get("segmented_control") if w.key == f"quiz_{qid}_sure")
    rating.set_value(sure).run()
    at.run()
    at.button(key=f"quiz_{qid}_check").click().run()
    at.run()


def test_question_answered_wrongly_then_goes_back_to_its_step(mech: AppTest) -> None:
    radio = mech.radio(key="quiz_mech-podocyte")
    wrong = next(o for o in radio.options if not o.startswith("It keeps synaptopodin"))
    _check(mech, "mech-podocyte", wrong)
    assert "Not quite" in mech.error[0].value
    mech.button(key="quiz_mech-podocyte_goto").click().run()
    assert _step_heading(mech).startswith("### Step 4: Tacrolimus keeps synaptopodin")
    assert mech.toggle(key="mech_drug").value is True


def test_question_answered_rightly(mech: AppTest) -> None:
    right = "Indirectly: fewer activated T helper cells give B cells less help"
    _check(mech, "mech-b-cells", right)
    assert mech.success[0].value.startswith("**Right.**")


def test_no_feedback_before_the_student_rates_and_checks(mech: AppTest) -> None:
    right = "Indirectly: fewer activated T helper cells give B cells less help"
    mech.radio(key="quiz_mech-b-cells").set_value(right).run()
    mech.run()
    assert not mech.success
    assert not any("Right." in e.value for e in mech.error)


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
