"""Hostile and garbage input: pages still work, name what they ignored, echo nothing.

Where input comes from (the audit behind these tests):

* **URL parameters bound to controls** (``bind="query-params"``): listed per
  page in :data:`BOUND`, and a test checks the list against the code. Streamlit
  checks each value against the control's type, range and options and drops a
  bad one; :mod:`dashboard.ui.url_state` then names it in a notice.
* **URL parameters read by code**: ``present`` (presenter mode, ``true`` or
  ``false``), and on the class check ``join``, ``poll`` and ``teacher``, which
  :func:`dashboard.core.polls.normalise_code` and the poll store check.
* **Forms and inputs**: the class-check join code (typed), the student's answer
  (a radio over the poll's own options, re-checked by the store), the
  classify-a-patient numbers (:func:`dashboard.core.classify.check_entry`) and
  the simulator's prediction (a bounded ``number_input``). Unknown parameters
  are ignored.

Links are opened the way a browser opens them: the page's first run already
has the parameters (the entrypoint runs once, then the test switches page with
the parameters in place).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from dashboard.core.paths import APP_PATH, PACKAGE_DIR
from dashboard.core.polls import PollStore
from dashboard.core.site import PAGES, page_by_slug
from dashboard.sections import monitoring_simulator as simulator
from dashboard.ui import keys
from tests.app.conftest import all_text

#: Every URL-bound control, by the page that draws it.
BOUND: dict[str, tuple[str, ...]] = {
    "home": (),
    "nephrotic-syndrome": (
        keys.NS_DRIVER,
        keys.NS_PROTEINURIA,
        keys.NS_ALBUMIN,
        keys.NS_DEFINITION_GROUP,
    ),
    "mechanism": (keys.MECH_LANE, keys.MECH_STEP, keys.MECH_DRUG),
    "efficacy": (
        keys.EFF_DISEASE,
        keys.EFF_COMPARATOR,
        keys.EFF_DESIGNS,
        keys.EFF_OUTCOME,
        keys.EFF_TIMEPOINT,
        keys.POOL_MEASURE,
        keys.POOL_METHOD,
        keys.POOL_HKSJ,
        keys.SOF_COMPARISON,
    ),
    "monitoring": (
        keys.PK_WEIGHT,
        keys.PK_DOSE,
        keys.PK_INTERVAL,
        keys.PK_GENOTYPE,
        keys.PK_BAND,
        keys.PK_DAYS,
        keys.PK_DRUG,
        keys.PK_START,
        keys.PK_VIEW,
        keys.TDM_MODE,
        keys.TDM_PATIENT,
        keys.TDM_LESSON,
        keys.TDM_USED,
        keys.TDM_TOLD,
        keys.TDM_BAND,
    ),
    "cases": (keys.VP_CASE,),
    "quiz": (),
    "class-check": (),
    "presenter-view": (keys.PV_PAGE,),
}

#: What must still be on each page however bad the link was.
MAIN: dict[str, Callable[[AppTest], bool]] = {
    # The page map, and the footer's link to the first page.
    "home": lambda at: len(at.get("page_link")) == len(PAGES),
    "nephrotic-syndrome": lambda at: (
        "Complications" in all_text(at) and bool(at.get("plotly_chart"))
    ),
    "mechanism": lambda at: any(m.value.startswith("### Step ") for m in at.markdown),
    "efficacy": lambda at: len(at.get("plotly_chart")) >= 2,
    "monitoring": lambda at: "trough is **" in all_text(at),
    "cases": lambda at: "Decide" in [b.label for b in at.button],
    "quiz": lambda at: len(at.radio) >= 5,
    "class-check": lambda at: at.text_input(key=keys.POLL_JOIN_INPUT) is not None,
    "presenter-view": lambda at: any(
        s.value.startswith("Teacher notes: ") for s in at.subheader
    ),
}

# Each value comes with the marker that must never appear outside a code span.
MARKUP = (
    ("<script>alert(1)</script>", "<script"),
    ('"><img src=x onerror=alert(1)>', "onerror"),
    ("[Log in again](https://evil.example/login)", "](https://evil.example"),
    ("![x](https://evil.example/t.png)", "![x]("),
)
NUMBERS = (("nan", None), ("-inf", None), ("9" * 400, None), ("-1", None))
TEXT = (
    ("long-value~" * 500, "~long-value~long-value~"),
    ("💊 \u202eevil", "\u202e"),
    ("x\x00y\nz", "\x00"),
    ("1' OR '1'='1", None),
)
ROUNDS = {"markup": MARKUP, "numbers": NUMBERS, "text": TEXT}
UNKNOWN = "zz_unknown"


def _open(slug: str, params: dict[str, str]) -> AppTest:
    """Open ``slug`` as a browser opens a link to it with ``params``."""
    at = AppTest.from_file(str(APP_PATH), default_timeout=30).run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page_by_slug(slug).view_path).run()
    return at


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _nodes(node) -> Iterator:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _nodes(child)


def shown_text(at: AppTest) -> list[str]:
    """Every string the page sends to the browser (labels, bodies, notices…)."""
    texts = []
    for node in [*_nodes(at.main), *_nodes(at.sidebar), *at.toast]:
        proto = getattr(node, "proto", None)
        if proto is not None:
            texts.extend(_strings(MessageToDict(proto)))
    return texts


_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)


def raw_echoes(at: AppTest, marker: str) -> list[str]:
    """Strings showing ``marker`` outside Markdown code (where it would act)."""
    return [t[:120] for t in shown_text(at) if marker in _CODE.sub("", t)]


def _notice(at: AppTest) -> str:
    return " ".join(t.value for t in at.toast)


# -- the audit list matches the code ------------------------------------------
def _bound_keys_in_code() -> set[str]:
    found = set()
    for path in (
        *(PACKAGE_DIR / "ui").glob("*.py"),
        *(PACKAGE_DIR / "sections").glob("*.py"),
    ):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            words = {k.arg: k.value for k in node.keywords}
            bind, key = words.get("bind"), words.get("key")
            if isinstance(bind, ast.Constant) and bind.value == "query-params":
                assert isinstance(key, ast.Attribute), ast.unparse(node)
                found.add(getattr(keys, key.attr))
    return found


def test_every_url_bound_control_is_in_this_audit() -> None:
    listed = {key for page in BOUND.values() for key in page}
    assert _bound_keys_in_code() == listed
    assert set(BOUND) == {spec.slug for spec in PAGES}


# -- hostile values in links ---------------------------------------------------
def _assign(slug: str, values: tuple[tuple[str, str | None], ...]) -> dict[str, str]:
    """Give every bound key, ``present`` and an unknown key a hostile value."""
    names = [*BOUND[slug], keys.PRESENT, UNKNOWN]
    return {name: values[i % len(values)][0] for i, name in enumerate(names)}


CASES = [
    pytest.param(spec.slug, round_name, id=f"{spec.slug}-{round_name}")
    for spec in PAGES
    for round_name in (ROUNDS if BOUND[spec.slug] else ("markup",))
]


@pytest.mark.parametrize(("slug", "round_name"), CASES)
def test_a_hostile_link_is_named_and_never_echoed(slug: str, round_name: str) -> None:
    values = ROUNDS[round_name]
    params = _assign(slug, values)
    at = _open(slug, params)

    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "the page lost its title"
    assert MAIN[slug](at), "the page lost its main content"
    if slug != "class-check":
        assert not at.error, [e.value for e in at.error]

    notice = _notice(at)
    for key in (*BOUND[slug], keys.PRESENT):
        used = key in at.session_state and not isinstance(at.session_state[key], list)
        if key == keys.PRESENT or used:
            assert f"`{key}=" in notice, (key, notice)
    assert UNKNOWN not in notice  # unknown keys are ignored, not reported

    for _, marker in values:
        if marker is not None:
            assert raw_echoes(at, marker) == [], marker


def test_the_notice_shows_a_long_value_cut_short() -> None:
    at = _open("mechanism", {keys.MECH_LANE: "L" * 5000})
    notice = _notice(at)
    assert "`mech_lane=LLLL" in notice
    assert "…`" in notice
    assert len(notice) < 300


def test_the_notice_cannot_be_turned_into_a_link() -> None:
    at = _open("monitoring", {keys.PK_DRUG: "[Log in again](https://evil.example)`x"})
    notice = _notice(at)
    assert "`pk_drug=[Log in again](https://evil.example) x`" in notice
    assert raw_echoes(at, "](https://evil.example") == []


@pytest.mark.parametrize("value", ["True", "1", "yes", "<b>on</b>"])
def test_a_presenter_flag_other_than_true_or_false_is_named(value: str) -> None:
    at = _open("home", {keys.PRESENT: value})
    assert not at.exception
    assert at.toggle(key=keys.PRESENTER_SWITCH).value is False
    assert "`present=" in _notice(at)


# -- empty values --------------------------------------------------------------
# Streamlit 1.67 hands a required segmented_control an empty URL value as None
# (no option highlighted); url_state.required resets such a control with one
# rerun, so it shows its default selected, and the notice still names the value.
REQUIRED_DEFAULTS = {
    keys.NS_DEFINITION_GROUP: "adult",
    keys.NS_DRIVER: "protein",
    keys.MECH_LANE: "tcell",
    keys.MECH_STEP: 1,
    keys.EFF_OUTCOME: "remission",
    keys.PK_INTERVAL: 12,
    keys.PK_VIEW: simulator.VIEWS[0],
    keys.PV_PAGE: "nephrotic-syndrome",
    keys.TDM_MODE: "A virtual patient",
    keys.POOL_MEASURE: "RR",
}
EMPTY_CASES = [
    pytest.param(slug, key, id=key)
    for slug, bound in BOUND.items()
    for key in bound
    if key not in (keys.NS_ALBUMIN, keys.EFF_DESIGNS)  # shown only / a list
]


@pytest.mark.parametrize(("slug", "key"), EMPTY_CASES)
def test_an_empty_value_falls_back_to_the_default(slug: str, key: str) -> None:
    """A link cut off after ``=`` (``?mech_lane=``), e.g. by a chat app."""
    at = _open(slug, {key: ""})
    assert not at.exception
    assert f"`{key}=`" in _notice(at)
    assert key not in at.query_params
    assert MAIN[slug](at)
    if key in REQUIRED_DEFAULTS:  # the control itself shows the default too
        (control,) = [c for c in at.get("segmented_control") if c.key == key]
        assert control.value == REQUIRED_DEFAULTS[key]


def test_every_required_option_control_is_covered_by_the_empty_value_test() -> None:
    # A required segmented_control in the package must reset itself after an
    # empty link value (url_state.required); this list must name each one.
    found = set()
    for path in (
        *(PACKAGE_DIR / "ui").glob("*.py"),
        *(PACKAGE_DIR / "sections").glob("*.py"),
    ):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") == "segmented_control"
                and any(
                    k.arg == "required" and getattr(k.value, "value", False)
                    for k in node.keywords
                )
                and any(k.arg == "bind" for k in node.keywords)
            ):
                key = next(k.value for k in node.keywords if k.arg == "key")
                found.add(getattr(keys, key.attr))
    assert found == set(REQUIRED_DEFAULTS)


def test_a_link_with_several_problems_names_them_all_after_the_reset() -> None:
    at = _open("mechanism", {keys.MECH_LANE: "", keys.MECH_DRUG: "maybe"})
    assert not at.exception
    notice = _notice(at)
    assert f"`{keys.MECH_LANE}=`" in notice
    assert f"`{keys.MECH_DRUG}=maybe`" in notice
    (lane,) = [c for c in at.get("segmented_control") if c.key == keys.MECH_LANE]
    assert lane.value == "tcell"


# -- the class check: codes in the address and typed ----------------------------
@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> PollStore:
    url = f"sqlite:///{tmp_path / 'polls.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return PollStore(url)


BAD_CODES = [
    ("<script>alert(1)</script>", "<script"),
    ("ABC", None),  # too short
    ("ABCDEFGH", None),  # too long
    ("K7QM0X", None),  # 0 is not used: it looks like O
    ("K7QMOX", None),  # nor O
    ("K1QM2X", None),  # nor 1, I or L
    ("K7QMIX", None),
    ("K7QMLX", None),
    ("ＫＡＢＣＤＥ", None),  # full-width letters
    ("[x](https://evil.example)", "](https://evil.example"),
    ("Z" * 5000, "Z" * 50),
    ("", None),
]


@pytest.mark.parametrize(("code", "marker"), BAD_CODES)
def test_a_bad_join_code_in_the_address_gets_a_message(store, code, marker) -> None:
    at = _open("class-check", {keys.POLL_JOIN: code})
    assert not at.exception
    assert any("A join code is 6 letters and digits" in e.value for e in at.error)
    assert MAIN["class-check"](at)
    if marker:
        assert raw_echoes(at, marker) == []


def test_a_bad_teacher_link_gets_a_message_and_echoes_nothing(store) -> None:
    poll = store.create("mech-no-fkbp12", "Tacrolimus without FKBP-12?", ("a", "b"), 1)
    hostile = "<script>alert(1)</script>"
    at = _open("class-check", {keys.POLL_CODE: hostile, keys.POLL_TEACHER: hostile})
    assert not at.exception
    assert any("A join code is" in e.value for e in at.error)
    assert raw_echoes(at, "<script") == []
    at = _open("class-check", {keys.POLL_CODE: poll.code, keys.POLL_TEACHER: hostile})
    assert any("not valid" in e.value for e in at.error)
    assert raw_echoes(at, "<script") == []
    assert not [b for b in at.button if b.key == keys.POLL_REVEAL]


def _type_code(at: AppTest, code: str) -> AppTest:
    at.text_input(key=keys.POLL_JOIN_INPUT).input(code)
    return at.button(key=keys.POLL_JOIN_BUTTON).click().run()


@pytest.mark.parametrize(("code", "marker"), BAD_CODES)
def test_a_bad_typed_join_code_gets_a_message(store, code, marker) -> None:
    at = _type_code(_open("class-check", {}), code)
    assert not at.exception
    assert any("A join code is 6 letters and digits" in e.value for e in at.error)
    assert keys.POLL_JOIN not in at.query_params
    if marker:
        assert raw_echoes(at, marker) == []


def test_a_typed_code_in_lower_case_with_spaces_and_dashes_joins(store) -> None:
    poll = store.create("mech-no-fkbp12", "Tacrolimus without FKBP-12?", ("a", "b"), 1)
    messy = f"  {poll.code[:3].lower()}-{poll.code[3:].lower()} "
    at = _type_code(_open("class-check", {}), messy)
    assert not at.exception
    assert at.query_params[keys.POLL_JOIN] == poll.code
    assert "Tacrolimus without FKBP-12?" in all_text(at)


def test_a_well_formed_code_of_no_poll_is_named_back_in_capitals(store) -> None:
    at = _type_code(_open("class-check", {}), "zzzz-zz")
    assert any("No poll has the code ZZZZZZ" in e.value for e in at.error)


def test_an_answer_to_a_closed_poll_is_a_message(store) -> None:
    poll = store.create("mech-no-fkbp12", "Tacrolimus without FKBP-12?", ("a", "b"), 1)
    at = _open("class-check", {keys.POLL_JOIN: poll.code})
    store.close(poll.code, poll.teacher_token)  # closes while the student reads
    at.radio(key=keys.POLL_CHOICE).set_value(0)
    at.button(key=keys.POLL_SEND).click().run()
    assert not at.exception
    assert "This poll is closed." in all_text(at)
    assert store.view(poll.code, poll.teacher_token).counts == (0, 0)


# -- numbers typed by a student -------------------------------------------------
@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (keys.CLASSIFY_PROTEIN_VALUE, 1e12, "outside what this exercise accepts"),
        (keys.CLASSIFY_PROTEIN_VALUE, -0.1, "cannot be negative"),
        (keys.CLASSIFY_ALBUMIN_VALUE, 0.0, "must be greater than zero"),
        (keys.CLASSIFY_ALBUMIN_VALUE, 1e9, "outside what this exercise accepts"),
    ],
)
def test_implausible_numbers_in_the_exercise_get_a_message(key, value, message) -> None:
    at = _open("nephrotic-syndrome", {})
    at.number_input(key=key).set_value(value).run()
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
