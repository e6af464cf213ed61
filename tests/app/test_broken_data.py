"""A broken data file disables its own panel, named by file, line and field.

The rest of the page still works.

Other tests break one file per page in a particular way (a non-number in
``ns_histology_by_age.csv``, a step that is not an integer in
``mechanism_steps.csv``, a renamed PK parameter, invalid front matter on every
page). These break the citation locator of the first row, a rule every dataset
shares, in a file read by each page, so that every page is covered.
``tests/app/test_broken_content.py`` breaks each page's files in the other
ways a file breaks (bad bytes, cut off, deleted).
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.paths import DATA_DIR
from dashboard.core.site import PAGES
from dashboard.ui import cached, keys
from tests.app.conftest import all_text, open_page


def _break_first_row(data: Path, csv_name: str, column: str, value: str) -> None:
    path = data / csv_name
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    assert fields is not None
    assert column in fields
    rows[0][column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_caches: None) -> Path:
    """A copy of the data folder that the app reads instead of the real one."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    monkeypatch.setattr(cached, "DATA_DIR", copy)
    return copy


def _plotly(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


#: (page, file broken, what must still work on the page).
CASES: list[tuple[str, str, Callable[[AppTest], bool]]] = [
    # The page map, and the footer's link to the first page.
    ("home", "references.csv", lambda at: len(at.get("page_link")) == len(PAGES)),
    (
        "nephrotic-syndrome",
        "ns_complications.csv",
        # The classify exercise (asking for the student's call) and the charts.
        lambda at: bool(at.radio(key=keys.CLASSIFY_PREDICTION)) and _plotly(at) >= 3,
    ),
    (
        "mechanism",
        "mechanism_comparison.csv",
        lambda at: any(m.value.startswith("### Step ") for m in at.markdown),
    ),
    (
        "mechanism",
        "quiz_questions.csv",
        lambda at: any(m.value.startswith("| Drug |") for m in at.markdown),
    ),
    ("efficacy", "efficacy_claims.csv", lambda at: _plotly(at) >= 2),
    (
        "efficacy",
        "tacrolimus_trough_targets.csv",
        lambda at: _plotly(at) >= 2,
    ),
    ("monitoring", "monitoring_plan.csv", lambda at: "trough is **" in all_text(at)),
    ("monitoring", "monitoring_case.csv", lambda at: "trough is **" in all_text(at)),
    # A case cites rows of many tables: one broken leaves the case out, by name.
    (
        "cases",
        "ns_steroid_response.csv",
        lambda at: (
            any("child-frns.yaml" in e.value for e in at.error)
            and "Decide" in [b.label for b in at.button]
        ),
    ),
    ("quiz", "quiz_questions.csv", lambda at: bool(at.title)),
    (
        "class-check",
        "quiz_questions.csv",
        lambda at: at.text_input(key=keys.POLL_JOIN_INPUT) is not None,
    ),
    (
        "presenter-view",
        "references.csv",
        lambda at: "**Ten-minute script.**" in all_text(at),
    ),
]


def test_every_page_is_covered() -> None:
    assert {slug for slug, _, _ in CASES} == {spec.slug for spec in PAGES}


@pytest.mark.parametrize(
    ("slug", "csv_name", "still_works"),
    CASES,
    ids=[f"{slug}-{name}" for slug, name, _ in CASES],
)
def test_a_broken_file_is_named_in_its_own_panel(
    data: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    slug: str,
    csv_name: str,
    still_works: Callable[[AppTest], bool],
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'polls.db'}")
    _break_first_row(data, csv_name, "source_url", "see the library")
    at = open_page(next(s.view_path for s in PAGES if s.slug == slug))

    assert not at.exception, [e.value for e in at.exception]
    named = [
        e.value
        for e in at.error
        if f"{csv_name}, line 2, column 'source_url'" in e.value
    ]
    assert named, [e.value for e in at.error]
    assert all("cannot be shown" in message for message in named)
    assert at.title, "the page still has its title"
    assert still_works(at), "the rest of the page should still render"


def test_a_broken_evidence_file_leaves_no_later_section_without_its_data(
    data: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The review's L1: the data table once raised ``NameError: name 'view'``."""
    _break_first_row(data, "efficacy_evidence.csv", "source_url", "see the library")
    at = open_page("views/efficacy.py")
    assert not at.exception, [e.value for e in at.exception]
    assert any("The evidence charts cannot be shown" in e.value for e in at.error)
    (skipped,) = [w.value for w in at.warning if "needs the evidence data" in w.value]
    assert skipped.startswith("**The data table cannot be shown:**")
    assert _plotly(at) >= 1  # the guidance timeline does not need the evidence
