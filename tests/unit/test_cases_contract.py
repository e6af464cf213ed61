"""The virtual-patient contract: the shipped cases, and broken files named by field.

Broken-file tests copy the real content folder's cases into a temporary
content root (data read from the real ``content/data``), change one field of
one file, and check that the loader leaves out that case only, with a
problem naming the file and the field.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pytest
import yaml

from dashboard.core import cases as contract
from dashboard.core import cases_text as text
from dashboard.core.cases_library import LINK_PARAMS
from dashboard.core.datasets import load_dataset
from dashboard.core.paths import CONTENT_DIR, DATA_DIR, PACKAGE_DIR
from dashboard.core.polls import MAX_OPTIONS
from dashboard.core.schemas import DISEASE_GROUPS, OUTCOME_GROUPS, SCHEMAS
from dashboard.core.site import PAGE_SLUGS
from dashboard.models import cases as engine
from dashboard.models.cases_walk import explore
from dashboard.ui import keys

CASE_IDS = ("adult-mn", "child-frns")


@pytest.fixture(scope="module")
def loaded() -> tuple[dict[str, contract.Case], tuple[contract.CaseProblem, ...]]:
    cases, problems = engine.load_cases()
    return {c.id: c for c in cases}, problems


@pytest.fixture(scope="module")
def cases(loaded) -> dict[str, contract.Case]:
    return loaded[0]


def test_both_cases_load_without_problems(loaded) -> None:
    cases, problems = loaded
    assert [str(p) for p in problems] == []
    assert sorted(cases) == list(CASE_IDS)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_each_case_has_six_decisions_on_its_recommended_path(cases, case_id) -> None:
    case = cases[case_id]
    assert len(case.decisions) >= contract.MIN_DECISIONS
    assert len(engine.recommended_path(case).steps) >= contract.MIN_DECISIONS


def test_a_decision_fits_in_a_poll() -> None:
    assert contract.MAX_CHOICES == MAX_OPTIONS


def _widget_keys() -> set[str]:
    return {v for k, v in vars(keys).items() if k.isupper() and isinstance(v, str)}


def test_link_parameters_are_widget_keys_of_real_pages() -> None:
    assert set(LINK_PARAMS) <= PAGE_SLUGS
    for page, params in LINK_PARAMS.items():
        assert params <= _widget_keys(), page


def test_link_parameters_are_bound_to_the_url_by_their_page() -> None:
    """Each listed parameter is a control bound with ``bind="query-params"``."""
    bound = set()
    for path in (PACKAGE_DIR / "sections").glob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for at, line in enumerate(lines):
            if 'bind="query-params"' in line:
                before = "\n".join(lines[max(0, at - 12) : at])
                named = re.findall(r"key=keys\.([A-Z_]+)", before)
                if named:
                    bound.add(getattr(keys, named[-1]))
    for params in LINK_PARAMS.values():
        assert params <= bound


# --- every consequence cites a model or a row that exists ------------------


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_every_consequence_cites_an_existing_row_or_the_model(cases, case_id) -> None:
    frames = {name: load_dataset(schema, DATA_DIR) for name, schema in SCHEMAS.items()}
    case = cases[case_id]
    count = 0
    for node in case.nodes:
        for choice in node.choices:
            cons = choice.consequence
            assert cons.row is not None or cons.model == "pk", (node.id, choice.id)
            cited = [cons.row] if cons.row else []
            if cons.model:
                cited += [r for r in (cons.band,) if r]
                if cons.dose and cons.dose.row:
                    cited.append(cons.dose.row)
            for ref in cited:
                frame = frames[ref.dataset]
                assert ref.id in set(frame["id"].astype(str)), (node.id, choice.id, ref)
                row = frame[frame["id"].astype(str) == ref.id].iloc[0]
                assert str(row["source"]).strip()
                assert str(row["source_url"]).strip()
            count += 1
    assert count >= 2 * contract.MIN_DECISIONS


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_feedback_names_a_reference_and_a_real_view(cases, case_id) -> None:
    references = set(load_dataset(SCHEMAS["references"], DATA_DIR)["id"])
    for node in cases[case_id].decisions:
        assert node.teach is not None
        assert node.teach.source in references
        assert node.teach.link.page in PAGE_SLUGS


# --- every link a student can meet, with its values ------------------------


def _links(case: contract.Case) -> set[str]:
    """Every feedback link on every path (memoised on node and tacrolimus)."""
    hrefs: set[str] = set()
    seen = set()

    def visit(state: engine.State) -> None:
        if (state.node_id, state.pk) in seen or engine.is_finished(case, state):
            return
        seen.add((state.node_id, state.pk))
        for choice in case.node(state.node_id).choices:
            after = engine.choose(case, state, choice.id)
            hrefs.add(engine.feedback(case, after).link.href)
            visit(after)

    visit(engine.start(case))
    return hrefs


def _allowed_values() -> dict[str, set[str]]:
    import dashboard.sections.monitoring_controls as controls
    from dashboard.core import pk_data
    from dashboard.models import monitoring_simulator

    targets = load_dataset(SCHEMAS["tacrolimus_trough_targets"], DATA_DIR)
    drugs = pk_data.interactions(load_dataset(SCHEMAS["pk_interactions"], DATA_DIR))
    bands = monitoring_simulator.band_options(targets)
    return {
        "eff_disease": {d[0].upper() + d[1:] for d in DISEASE_GROUPS},
        "eff_outcome": {o[0].upper() + o[1:] for o in OUTCOME_GROUPS},
        "ns_definition_group": {"Adults", "Children"},
        "pk_genotype": set(controls.GENOTYPES.values()),
        "pk_band": {monitoring_simulator.band_label(b) for b in bands.values()},
        "pk_drug": {d.name for d in drugs.values()},
    }


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_every_link_opens_a_page_with_values_its_controls_offer(cases, case_id) -> None:
    allowed = _allowed_values()
    hrefs = _links(cases[case_id])
    assert len(hrefs) >= 5
    for href in hrefs:
        parts = urlsplit(href)
        assert parts.path in PAGE_SLUGS, href
        for key, value in parse_qsl(parts.query):
            assert key in LINK_PARAMS[parts.path], href
            if key in allowed:
                assert value in allowed[key], (key, value)
            if key == "pk_weight":
                assert 5 <= int(value) <= 100
            if key == "pk_dose":
                assert 0 < float(value) <= 0.30
                assert round(float(value), 2) == float(value)


# --- prose: no typed numbers, every placeholder resolves ------------------


@pytest.mark.parametrize(
    ("value", "stray"),
    [
        ("KDIGO 2021 and IPNA 2022.", []),
        ("CYP3A5, anti-PLA2R and phospholipase A2", []),
        ("{row:a:b:c} mg and {fact:x} g/L [@ipna-ssns-2022]", []),
        ("at week 4", ["4"]),
        ("genotype *1/*3", ["1", "3"]),
        ("a 24-hour urine", ["24"]),
        ("0.2 mg/kg/day", ["0.2"]),
    ],
)
def test_typed_numbers_are_found(value, stray) -> None:
    assert text.stray_numbers(value) == stray


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_walk_renders_every_text_with_no_placeholder_left(cases, case_id) -> None:
    case = cases[case_id]
    found = explore(case)
    assert found.problems == []
    assert found.reached == {n.id for n in case.nodes}
    for state in found.endings.values():
        view = engine.node(case, state)
        report = engine.debrief(case, state)
        for shown in (view.text, view.title, report.ending_text):
            assert not text.ANY_BRACES.search(shown), shown


# --- broken files: the case is left out, the file and field are named -------


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR / "cases", root / "cases")
    for page in ("nephrotic_syndrome", "efficacy", "monitoring"):
        shutil.copytree(CONTENT_DIR / page, root / page)
    return root


def _edit(root: Path, case_id: str, change) -> None:
    path = root / "cases" / f"{case_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _node(data: dict, node_id: str) -> dict:
    return next(n for n in data["nodes"] if n["id"] == node_id)


def _choice(data: dict, node_id: str, choice_id: str) -> dict:
    return next(c for c in _node(data, node_id)["choices"] if c["id"] == choice_id)


def _load(root: Path, data_dir: Path = DATA_DIR):
    cases, problems = engine.load_cases(root, data_dir)
    return {c.id for c in cases}, [str(p) for p in problems]


def test_an_unedited_copy_loads(tmp_path) -> None:
    assert _load(_copy(tmp_path)) == (set(CASE_IDS), [])


BROKEN = [
    pytest.param(
        lambda d: _choice(d, "relapses", "frequent")["consequence"].update(
            row="ns_steroid_response:no-such-row"
        ),
        "nodes[relapses].choices[frequent].consequence.row",
        "no row with id 'no-such-row'",
        id="unknown-row",
    ),
    pytest.param(
        lambda d: _node(d, "presentation").update(text="Noor is 4 years old."),
        "nodes[presentation].text",
        "types the number(s) 4",
        id="typed-number",
    ),
    pytest.param(
        lambda d: _node(d, "presentation").update(
            text="Albumin {row:ns_diagnostic_criteria:child-albumin:colour}."
        ),
        "nodes[presentation].text",
        "has no column 'colour'",
        id="unknown-column",
    ),
    pytest.param(
        lambda d: _node(d, "presentation").update(text="Weight {fact:height}."),
        "nodes[presentation].text",
        "no fact 'height'",
        id="unknown-fact",
    ),
    pytest.param(
        lambda d: _node(d, "presentation").update(text="Weight {facts:weight_kg}."),
        "nodes[presentation].text",
        "is not a placeholder",
        id="misspelt-placeholder",
    ),
    pytest.param(
        lambda d: _node(d, "presentation").update(question="Trough {model:trough}?"),
        "nodes[presentation].question",
        "not allowed here",
        id="model-value-in-a-question",
    ),
    pytest.param(
        lambda d: _node(d, "presentation").pop("question"),
        "nodes[presentation].question",
        "is required",
        id="missing-question",
    ),
    pytest.param(
        lambda d: _choice(d, "presentation", "meets").update(grade="best"),
        "nodes[presentation].choices[meets].grade",
        "must be one of",
        id="bad-grade",
    ),
    pytest.param(
        lambda d: _choice(d, "presentation", "meets")["consequence"].update(
            next="nowhere"
        ),
        "nodes[presentation].choices[meets].consequence.next",
        "'nowhere' is not a node id",
        id="bad-next",
    ),
    pytest.param(
        lambda d: _choice(d, "response", "sensitive")["consequence"].update(
            next="presentation"
        ),
        "nodes[",
        "loop",
        id="loop",
    ),
    pytest.param(
        lambda d: _choice(d, "presentation", "meets")["consequence"].pop("row"),
        "nodes[presentation].choices[meets].consequence",
        "must cite a data 'row' or a 'model'",
        id="uncited-consequence",
    ),
    pytest.param(
        lambda d: _choice(d, "presentation", "meets")["consequence"].update(
            rate="tac", next={"likely": "first-course", "unlikely": "first-course"}
        ),
        "nodes[presentation].choices[meets].consequence.rate",
        "rows of ns_diagnostic_criteria give no rate",
        id="rate-from-a-row-without-one",
    ),
    pytest.param(
        lambda d: _choice(d, "start-dose", "cpic")["consequence"].update(
            band="efficacy_evidence:SDNS-BASU-01"
        ),
        "nodes[start-dose].choices[cpic].consequence.band",
        "tacrolimus_trough_targets",
        id="band-from-another-dataset",
    ),
    pytest.param(
        lambda d: _choice(d, "trough-ok", "keep")["consequence"].update(drug="tea"),
        "nodes[trough-ok].choices[keep].consequence.drug",
        "'tea' is not a pk_interactions id",
        id="unknown-drug",
    ),
    pytest.param(
        lambda d: _node(d, "relapses")["teach"]["link"].update(page="nowhere"),
        "nodes[relapses].teach.link.page",
        "'nowhere' is not a page",
        id="unknown-page",
    ),
    pytest.param(
        lambda d: _node(d, "relapses")["teach"]["link"].update(
            params={"eff_colour": "red"}
        ),
        "nodes[relapses].teach.link.params.eff_colour",
        "not a URL parameter of nephrotic-syndrome",
        id="unknown-link-parameter",
    ),
    pytest.param(
        lambda d: _node(d, "relapses")["teach"]["link"].update(
            section="no_such_section"
        ),
        "nodes[relapses].teach.link.section",
        "no content section 'no_such_section'",
        id="unknown-section",
    ),
    pytest.param(
        lambda d: _node(d, "relapses")["teach"].update(source="nobody-2030"),
        "nodes[relapses].teach.source",
        "'nobody-2030' is not an id in data/references.csv",
        id="unknown-reference",
    ),
    pytest.param(
        lambda d: _node(d, "relapses")["teach"].update(why="See [@nobody-2030]."),
        "nodes[relapses].teach.why",
        "'nobody-2030' is not an id",
        id="unknown-citation",
    ),
    pytest.param(
        lambda d: d.update(id="another-name"),
        "id",
        "must be 'child-frns'",
        id="id-not-the-file-name",
    ),
    pytest.param(
        lambda d: d.update(nodes=[n for n in d["nodes"] if n["id"] != "response"]),
        "nodes[first-course].choices[prednisolone].consequence.next",
        "'response' is not a node id",
        id="missing-node",
    ),
    pytest.param(
        lambda d: _choice(d, "presentation", "meets").update(id="Meets It"),
        "nodes[presentation].choices[Meets It].id",
        "lower-case letters, digits and hyphens",
        id="bad-choice-id",
    ),
    pytest.param(
        lambda d: _node(d, "presentation").update(text="See <b>this</b>."),
        "nodes[presentation].text",
        "raw HTML",
        id="raw-html",
    ),
    pytest.param(
        # model values before any dose: only the walk can find it
        lambda d: _node(d, "relapses").update(
            text="The trough is {model:trough} ng/mL."
        ),
        "nodes[relapses].text",
        "{model:trough} has no value yet",
        id="model-value-before-a-dose",
    ),
    pytest.param(
        # a branch the data never takes leaves a node unreachable
        lambda d: (
            d["nodes"].append({"id": "never", "end": True, "title": "T", "text": "X"}),
            _choice(d, "first-course", "prednisolone")["consequence"].update(
                next={"likely": "response", "unlikely": "never"}
            ),
        ),
        "nodes[never]",
        "no path reaches this node",
        id="unreachable-branch",
    ),
]


@pytest.mark.parametrize(("change", "field", "message"), BROKEN)
def test_a_broken_case_is_left_out_with_file_and_field(
    tmp_path, change, field, message
) -> None:
    root = _copy(tmp_path)
    _edit(root, "child-frns", change)
    loaded, problems = _load(root)
    assert loaded == {"adult-mn"}  # the other case is untouched
    named = [p for p in problems if p.startswith("cases/child-frns.yaml")]
    assert named
    assert len(named) == len(problems)
    assert any(f"field '{field}" in p and message in p for p in named), named


def test_invalid_yaml_names_the_file_and_line(tmp_path) -> None:
    root = _copy(tmp_path)
    path = root / "cases" / "adult-mn.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[10] = "title: [unclosed"
    path.write_text("\n".join(lines), encoding="utf-8")
    loaded, problems = _load(root)
    assert loaded == {"child-frns"}
    assert len(problems) == 1
    assert problems[0].startswith("cases/adult-mn.yaml, line ")
    assert "not valid YAML" in problems[0]


def test_a_file_that_is_not_utf8_is_one_problem(tmp_path) -> None:
    root = _copy(tmp_path)
    (root / "cases" / "latin.yaml").write_bytes(b"id: latin\ntitle: caf\xe9\n")
    loaded, problems = _load(root)
    assert loaded == set(CASE_IDS)
    assert len(problems) == 1
    assert problems[0].startswith("cases/latin.yaml, line 2")


def test_a_broken_data_file_disables_the_cases_citing_it(tmp_path) -> None:
    root = _copy(tmp_path)
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    frame = pd.read_csv(data / "alternative_trials.csv", dtype=str)
    frame.loc[0, "value_intervention"] = "sixty"
    frame.to_csv(data / "alternative_trials.csv", index=False)
    loaded, problems = _load(root, data)
    assert loaded == {"child-frns"}  # only the adult case cites MENTOR
    assert problems
    assert all(p.startswith("cases/adult-mn.yaml") for p in problems)
    assert any(
        "alternative_trials.csv" in p and "value_intervention" in p for p in problems
    )


def test_a_case_below_six_decisions_is_refused(tmp_path) -> None:
    root = _copy(tmp_path)

    def shorten(d: dict) -> None:
        for choice in _node(d, "presentation")["choices"]:
            choice["consequence"]["next"] = "end-switched"
        d["nodes"] = [_node(d, "presentation"), _node(d, "end-switched")]

    _edit(root, "child-frns", shorten)
    _, problems = _load(root)
    assert any("field 'nodes'" in p and "decision points" in p for p in problems)
