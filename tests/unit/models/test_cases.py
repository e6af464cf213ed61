"""The virtual-patient engine: every path to a debrief, state in the URL, polls."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from dashboard.core import cases_text as text
from dashboard.core import pk
from dashboard.core.cases import GRADES, MAX_CHOICES
from dashboard.models import cases as engine
from dashboard.models import cases_pk
from dashboard.models.cases_walk import explore

CASE_IDS = ("adult-mn", "child-frns")


@pytest.fixture(scope="module")
def cases() -> dict:
    loaded, problems = engine.load_cases()
    assert problems == ()
    return {c.id: c for c in loaded}


def _best(case, state) -> str:
    here = case.node(state.node_id)
    return next(c.id for c in here.choices if c.grade == "recommended")


def _worst(case, state) -> str:
    here = case.node(state.node_id)
    return min(here.choices, key=lambda c: GRADES[c.grade]).id


def _play(case, pick) -> engine.State:
    state = engine.start(case)
    while not engine.is_finished(case, state):
        state = engine.choose(case, state, pick(case, state))
    return state


# --- every path ---------------------------------------------------------------


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_every_path_reaches_a_debrief(cases, case_id) -> None:
    """Walk every path, one by one (no memo): each ends in a scored debrief."""
    case = cases[case_id]
    paths, endings = 0, set()

    def walk(state: engine.State) -> None:
        nonlocal paths
        if engine.is_finished(case, state):
            report = engine.debrief(case, state)
            assert report.decisions == len(state.steps) >= 1
            assert 0 <= report.score <= report.possible
            assert len(report.path) == len(state.steps)
            assert report.ending_text
            paths += 1
            endings.add(state.node_id)
            return
        view = engine.node(case, state)
        assert view.options
        for option in view.options:
            after = engine.choose(case, state, option.id)
            assert engine.feedback(case, after).grade in GRADES
            walk(after)

    walk(engine.start(case))
    assert paths == explore(case).paths  # the memoised count agrees
    assert paths > 1000
    assert endings == {n.id for n in case.nodes if n.is_end}


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_the_recommended_path_scores_full_marks(cases, case_id) -> None:
    case = cases[case_id]
    state = _play(case, _best)
    report = engine.debrief(case, state)
    assert report.score == report.possible
    assert report.recommended_taken == report.decisions >= 6
    assert report.review == ()
    assert [p.choice_label for p in report.path] == [
        p.choice_label for p in report.recommended
    ]


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_a_poor_path_is_scored_lower_and_lists_what_to_review(cases, case_id) -> None:
    case = cases[case_id]
    state = _play(case, _worst)
    report = engine.debrief(case, state)
    assert report.score < report.possible
    assert report.review
    for item in report.review:
        assert item.why
        assert item.source.source  # the reference's short label
        assert item.link.href.split("?")[0].split("#")[0]
    assert len(report.recommended) >= 6


def test_the_state_is_the_choices_and_replays_the_same(cases) -> None:
    case = cases["child-frns"]
    first = _play(case, _best)
    again = _play(case, _best)
    assert first == again
    assert first.pk.trough is not None


def test_choices_at_an_ending_or_unknown_are_refused(cases) -> None:
    case = cases["adult-mn"]
    with pytest.raises(KeyError):
        engine.choose(case, engine.start(case), "no-such-choice")
    with pytest.raises(KeyError):
        engine.choose(case, _play(case, _best), "rituximab")


# --- feedback -----------------------------------------------------------------


def test_no_feedback_before_the_first_choice(cases) -> None:
    case = cases["child-frns"]
    assert engine.feedback(case, engine.start(case)) is None


def test_feedback_names_the_source_the_view_and_what_the_consequence_rests_on(
    cases,
) -> None:
    case = cases["child-frns"]
    state = engine.choose(case, engine.start(case), "adult-urine")
    shown = engine.feedback(case, state)
    assert shown.grade_words == "Not recommended"
    assert shown.recommended == (
        "Yes: her protein:creatinine ratio and her albumin both meet the childhood "
        "thresholds",
    )
    assert shown.source.label == "ipna-ssns-2022"
    assert shown.source.source == "IPNA 2022"
    assert shown.link.href == (
        "nephrotic-syndrome?ns_definition_group=Children#the-defining-features"
    )
    assert [c.label for c in shown.cites] == ["ns_diagnostic_criteria:child-upcr"]
    assert shown.cites[0].quote  # the row's verbatim quote
    assert "3.5 g a day" in shown.text  # the adult threshold, filled from the row


def test_a_rate_consequence_says_which_rate_and_follows_the_likely_outcome(
    cases,
) -> None:
    case = cases["adult-mn"]
    state = _play_to(case, ["mn", "weigh"])
    cited = engine.feedback(case, state).cites[0]
    assert cited.label == "ns_complications:lionaki12"
    assert cited.how == "Rate used: 7%."
    assert state.node_id == "treatment"  # no clot: the more likely outcome


def _play_to(case, choices) -> engine.State:
    state = engine.start(case)
    for choice in choices:
        state = engine.choose(case, state, choice)
    return state


def test_a_branch_on_a_rate_takes_the_likelier_side(cases) -> None:
    case = cases["child-frns"]
    prednisolone = case.node("first-course").choice("prednisolone")
    rate = engine.render(
        case, cases_pk.PkState(), "{rate:ns_steroid_course:sensitive:row}", ""
    )
    assert rate == "85–90%"
    likely = replace(
        prednisolone,
        consequence=replace(
            prednisolone.consequence,
            next=(("likely", "response"), ("unlikely", "relapses")),
        ),
    )
    node = replace(case.node("first-course"), choices=(likely,))
    changed = replace(
        case, nodes=tuple(node if n.id == node.id else n for n in case.nodes)
    )
    state = _play_to(changed, ["meets", "prednisolone"])
    assert state.node_id == "response"
    assert state.steps[-1].outcome == "likely"


# --- the model ----------------------------------------------------------------


def test_the_trough_is_the_pk_models_steady_state(cases) -> None:
    case = cases["child-frns"]
    state = _play_to(
        case,
        ["meets", "prednisolone", "sensitive", "frequent", "tacrolimus", "protocol"],
    )
    dose = state.pk.dose
    assert dose == 0.2  # TROUGH-03's 0.2 mg/kg/day
    regimen = pk.Regimen(
        weight_kg=28, dose_mg_per_kg=dose / 2, interval_h=12, expresser=True
    )
    expected = pk.steady_state_trough(
        regimen, pk.typical_parameters(pk.PopulationModel(), regimen)
    )
    assert state.pk.trough == round(float(expected[0]), 1)
    assert state.node_id == "trough-off"  # an expresser on the plain protocol dose


def test_a_raised_start_band_middle_and_an_azole_move_the_trough(cases) -> None:
    case = cases["child-frns"]
    start = ["meets", "prednisolone", "sensitive", "frequent", "tacrolimus"]
    raised = _play_to(case, [*start, "cpic"])
    assert raised.pk.dose == pytest.approx(0.3)  # × CPIC's 1.5
    assert raised.node_id == "trough-ok"
    low = _play_to(case, [*start, "protocol"])
    adjusted = engine.choose(case, low, "adjust")
    assert 5 <= adjusted.pk.trough <= 7
    assert adjusted.pk.trough > low.pk.trough
    with_azole = engine.choose(case, raised, "keep")
    assert with_azole.pk.drug == "azole"
    assert with_azole.pk.trough > raised.pk.trough
    assert cases_pk.position(case, with_azole.pk) == "high"
    without = engine.choose(case, with_azole, "stop-azole")
    assert without.pk.trough == raised.pk.trough
    lowered = engine.choose(case, with_azole, "check")
    assert cases_pk.position(case, lowered.pk) == "in"
    assert lowered.pk.dose < raised.pk.dose


def test_doses_sit_on_the_simulators_step(cases) -> None:
    for case in cases.values():
        for state in explore(case).endings.values():
            if state.pk.dose is not None:
                per_dose = state.pk.dose / 2
                assert round(per_dose, 2) == pytest.approx(per_dose)


def test_model_values_are_refused_before_a_dose(cases) -> None:
    case = cases["child-frns"]
    with pytest.raises(engine.CaseRenderError, match="no value yet"):
        engine.render(case, cases_pk.PkState(), "{model:trough}", "nodes[x].text")


def test_filled_values_are_escaped_for_markdown(cases) -> None:
    case = cases["child-frns"]
    state = _play_to(
        case, ["meets", "prednisolone", "sensitive", "frequent", "tacrolimus"]
    )
    assert r"\*1/\*3" in engine.node(case, state).text
    plain = engine.render(case, state.pk, "{fact:genotype}", "", escape=False)
    assert plain == "*1/*3"


def test_node_text_numbers_all_come_from_placeholders(cases) -> None:
    for case in cases.values():
        for node in case.nodes:
            for value in (node.text, node.question or "", node.title):
                assert text.stray_numbers(value) == [], (case.id, node.id)


# --- the state in the URL -----------------------------------------------------


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_encode_and_decode_round_trip_on_every_ending(cases, case_id) -> None:
    case = cases[case_id]
    states = [engine.start(case), *explore(case).endings.values()]
    for state in states:
        value = engine.encode(state)
        assert re.fullmatch(r"[0-9a-z]{2}-[0-9]*", value)
        assert len(value) <= 3 + len(case.decisions)
        again, notice = engine.decode(case, value)
        assert notice is None
        assert again == state


def test_decode_takes_a_prefix_as_an_earlier_point(cases) -> None:
    case = cases["child-frns"]
    state = _play(case, _best)
    value = engine.encode(state)
    earlier, notice = engine.decode(case, value[:-3])
    assert notice is None
    assert earlier.steps == state.steps[:-3]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("", None),
        ("!!", "not readable"),
        ("zz-000", "earlier version"),
        ("{fp}-9", "does not fit"),
        ("{fp}-" + "0" * 40, "not readable"),
        ("{fp}-0000000000", "does not fit"),  # past the ending
        ("{fp}-0a", "not readable"),
    ],
)
def test_a_bad_value_opens_the_start_with_a_notice(cases, value, words) -> None:
    case = cases["adult-mn"]
    value = value.replace("{fp}", engine.fingerprint(case))
    state, notice = engine.decode(case, value)
    assert state == engine.start(case)
    if words is None:
        assert notice is None
    else:
        assert words in notice


def test_the_fingerprint_follows_the_structure_not_the_wording(cases) -> None:
    case = cases["adult-mn"]
    reworded = replace(
        case, nodes=tuple(replace(n, text="Other words.") for n in case.nodes)
    )
    assert engine.fingerprint(reworded) == engine.fingerprint(case)
    fewer = replace(case, nodes=case.nodes[:-1])
    assert engine.fingerprint(fewer) != engine.fingerprint(case)


def test_decode_tolerates_case_and_spaces(cases) -> None:
    case = cases["adult-mn"]
    value = engine.encode(_play_to(case, ["mn", "weigh"]))
    state, notice = engine.decode(case, f"  {value.upper()} ")
    assert notice is None
    assert [s.choice for s in state.steps] == ["mn", "weigh"]


# --- class-check polls --------------------------------------------------------


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_every_decision_can_become_a_poll(cases, case_id) -> None:
    case = cases[case_id]
    for node in case.decisions:
        poll = engine.as_poll(case, node)
        assert 2 <= len(poll.options) <= MAX_CHOICES
        assert len(set(poll.options)) == len(poll.options)
        assert node.choices[poll.correct].grade == "recommended"
        assert poll.question
        assert "{" not in poll.question + "".join(poll.options)
        assert "\\" not in poll.question + "".join(poll.options)  # plain text
        majority = engine.choice_for_option(node, poll.correct)
        assert node.choice(majority).grade == "recommended"


def test_the_room_majority_drives_the_case(cases) -> None:
    case = cases["child-frns"]
    state = engine.start(case)
    node = case.node(state.node_id)
    poll = engine.as_poll(case, node)
    assert poll.options[1].startswith("Not yet")
    state = engine.choose(case, state, engine.choice_for_option(node, 1))
    assert engine.feedback(case, state).grade == "not recommended"


def test_an_ending_is_not_a_poll(cases) -> None:
    case = cases["adult-mn"]
    with pytest.raises(ValueError, match="ending"):
        engine.as_poll(case, case.node("end-remission"))


def test_every_view_carries_the_teaching_model_notice(cases) -> None:
    case = cases["adult-mn"]
    view = engine.node(case, engine.start(case))
    assert "not clinical advice" in view.note
