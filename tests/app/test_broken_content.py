"""One broken file stays in its section: every page, every kind of break.

For each page, one of its own Markdown files and one of the CSVs it draws
from are broken in a temporary copy of ``content/`` (bad bytes, a copy cut off
inside its front matter or inside a quoted cell, a deleted file). The page must
run without an exception, keep its title, show the project's message naming
the file and the line in one place, and keep every other section's text and
charts. A broken file of one page must leave every other page exactly as it
is (the review's H1 and M6: one mechanism file once broke all 7 pages).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core import content
from dashboard.core.paths import APP_PATH, CONTENT_DIR
from dashboard.core.site import PAGE_SLUGS, PAGES, page_by_slug
from dashboard.ui import cached, keys
from tests.app.conftest import all_text, open_page


@dataclass(frozen=True)
class Shown:
    """What a page shows: its title, section titles and number of charts."""

    title: str
    section_titles: frozenset[str]
    charts: int


def _section_titles(slug: str, text: str) -> frozenset[str]:
    page = content.load_page(CONTENT_DIR, slug, known_pages=PAGE_SLUGS)
    return frozenset(
        d.title
        for d in page.docs.values()
        if d.audience == "student" and d.title in text
    )


def _shown(at: AppTest, slug: str) -> Shown:
    return Shown(
        at.title[0].value if at.title else "",
        _section_titles(slug, all_text(at)),
        len(at.get("plotly_chart")),
    )


@pytest.fixture(scope="module")
def clean() -> dict[str, Shown]:
    """What each page shows with the real, unbroken content."""
    with pytest.MonkeyPatch.context() as patch, _temporary_db(patch):
        shown = {}
        for spec in PAGES:
            at = open_page(spec.view_path)
            assert not at.exception, spec.slug
            assert not at.error, spec.slug
            shown[spec.slug] = _shown(at, spec.slug)
        return shown


class _temporary_db:  # noqa: N801 - used as a context manager
    def __init__(self, patch: pytest.MonkeyPatch) -> None:
        self.patch = patch

    def __enter__(self) -> None:
        import tempfile

        self.folder = tempfile.TemporaryDirectory()
        self.patch.setenv("DATABASE_URL", f"sqlite:///{self.folder.name}/polls.db")

    def __exit__(self, *exc: object) -> None:
        self.folder.cleanup()


@pytest.fixture
def copy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_caches: None) -> Path:
    """A copy of ``content/`` that the app reads instead of the real one."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder, ignore=shutil.ignore_patterns("images"))
    monkeypatch.setattr(cached, "CONTENT_DIR", folder)
    monkeypatch.setattr(cached, "DATA_DIR", folder / "data")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'polls.db'}")
    return folder


# --- how files are broken -----------------------------------------------------
# Each returns the line the message must name (None: a missing file has none).


def _first_body_line(text: str) -> int:
    lines = text.split("\n")
    closing = lines.index("---", 1)
    return closing + 2


def bad_bytes(path: Path) -> int:
    """Two bytes that are not UTF-8 (FF FE) at the start of a line."""
    data = path.read_bytes()
    line = _first_body_line(data.decode()) if path.suffix == ".md" else 3
    lines = data.split(b"\n")
    lines[line - 1] = b"\xff\xfe" + lines[line - 1]
    path.write_bytes(b"\n".join(lines))
    return line


def cut_front_matter(path: Path) -> int:
    """The file cut off in the middle of its third line (inside the front matter)."""
    text = path.read_text(encoding="utf-8")
    third = text.index("\n", text.index("\n") + 1) + 1
    path.write_text(text[: third + 5], encoding="utf-8")
    return 3


def cut_csv(path: Path) -> int:
    """The CSV cut off just after a quote that opens a cell, past its middle."""
    text = path.read_text(encoding="utf-8")
    at = text.index(',"', len(text) // 2) + 2
    path.write_text(text[:at], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def delete(path: Path) -> None:
    path.unlink()


@dataclass(frozen=True)
class PageCase:
    """The files broken on one page and what must still work there."""

    slug: str
    markdown: str  # relative to content/
    section: str  # the section slug the Markdown file gives
    charts_in_section: int  # charts drawn inside that section
    csv: str
    csv_still_works: Callable[[AppTest], bool]


def _has_join_box(at: AppTest) -> bool:
    return any(t.key == keys.POLL_JOIN_INPUT for t in at.text_input)


CASES = [
    PageCase(
        "home",
        "home/30_students.md",
        "students",
        0,
        "references.csv",
        lambda at: (
            len(at.get("page_link")) == len(PAGES)  # the map and the next page
            and "If you are teaching with it" in all_text(at)
        ),
    ),
    PageCase(
        "nephrotic-syndrome",
        "nephrotic_syndrome/30_causes.md",
        "causes",
        2,
        "ns_complications.csv",
        # Two forms of the chain (wide and narrow), and the classify exercise
        # waiting for the student's call before its verdict.
        lambda at: (
            len(at.get("plotly_chart")) == 6
            and bool(at.radio(key="classify_prediction"))
        ),
    ),
    PageCase(
        "mechanism",
        "mechanism/60_cyclosporine.md",
        "cyclosporine",
        0,
        "mechanism_comparison.csv",
        lambda at: (
            len(at.get("plotly_chart")) == 2  # the diagram, wide and narrow
            and any(m.value.startswith("### Step ") for m in at.markdown)
        ),
    ),
    PageCase(
        "efficacy",
        "efficacy/40_claims.md",
        "claims",
        0,
        "efficacy_evidence.csv",
        # L1: the data table says what it lacks instead of a NameError box.
        lambda at: (
            len(at.get("plotly_chart")) >= 1
            and any("needs the evidence data" in w.value for w in at.warning)
        ),
    ),
    PageCase(
        "monitoring",
        "monitoring/30_plan.md",
        "plan",
        0,
        "monitoring_plan.csv",
        # the simulator, the measured-levels chart and the harms
        lambda at: len(at.get("plotly_chart")) == 3 and "trough is **" in all_text(at),
    ),
    PageCase(
        "cases",
        "cases/00_intro.md",
        "intro",
        0,
        "tacrolimus_trough_targets.csv",
        lambda at: bool(at.title) and any("cases/" in e.value for e in at.error),
    ),
    PageCase(
        "quiz",
        "quiz/00_intro.md",
        "intro",
        0,
        "quiz_questions.csv",
        lambda at: bool(at.title),
    ),
    PageCase(
        "class-check",
        "class-check/00_intro.md",
        "intro",
        0,
        "quiz_questions.csv",
        _has_join_box,
    ),
    PageCase(
        "presenter-view",
        "presenter_view/20_plan.md",
        "plan",
        0,
        "references.csv",
        lambda at: "**Ten-minute script.**" in all_text(at),
    ),
]


def test_every_page_is_covered() -> None:
    assert {case.slug for case in CASES} == {spec.slug for spec in PAGES}


def _open(slug: str) -> AppTest:
    at = open_page(page_by_slug(slug).view_path)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "the page still has its title"
    return at


def _messages(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


MARKDOWN_BREAKS = {
    "bad-bytes": (bad_bytes, "not valid UTF-8: 0xff cannot be decoded"),
    "cut-front-matter": (cut_front_matter, "front matter not closed with ---"),
    "missing": (delete, "no file gives the section"),
}


@pytest.mark.parametrize("kind", MARKDOWN_BREAKS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.slug)
def test_a_broken_markdown_file_shows_in_its_own_section_only(
    copy: Path, clean: dict[str, Shown], case: PageCase, kind: str
) -> None:
    breaker, cause = MARKDOWN_BREAKS[kind]
    line = breaker(copy / case.markdown)
    at = _open(case.slug)

    messages = _messages(at)
    assert len(messages) == 1, messages
    (message,) = messages
    assert "cannot be shown" in message
    assert cause in message
    if line is None:
        folder = Path(case.markdown).parent.as_posix()
        assert f"content/{folder}/: " in message
        assert f"'{case.section}'" in message
    else:
        assert f"content/{case.markdown}, line {line}: " in message

    before, after = clean[case.slug], _shown(at, case.slug)
    own_title = {
        d.title
        for d in content.load_page(
            CONTENT_DIR, case.slug, known_pages=PAGE_SLUGS
        ).docs.values()
        if d.slug == case.section
    }
    # Every other section keeps its text (an intro's title may be the fallback).
    assert after.section_titles - own_title == before.section_titles - own_title
    assert after.charts == before.charts - case.charts_in_section


CSV_BREAKS = {
    "bad-bytes": (bad_bytes, "not valid UTF-8"),
    "cut-in-a-cell": (cut_csv, "a quoted cell that starts on this line is never"),
    "missing": (delete, "file not found"),
}


@pytest.mark.parametrize("kind", CSV_BREAKS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.slug)
def test_a_broken_csv_shows_in_the_sections_that_use_it(
    copy: Path, clean: dict[str, Shown], case: PageCase, kind: str
) -> None:
    breaker, cause = CSV_BREAKS[kind]
    line = breaker(copy / "data" / case.csv)
    at = _open(case.slug)

    messages = _messages(at)
    assert messages
    where = case.csv if line is None else f"{case.csv}, line {line}"
    for message in messages:
        assert "cannot be shown" in message
        assert f"{where}: " in message
        assert cause in message
    assert case.csv_still_works(at), "the rest of the page should still render"
    if case.csv != "references.csv":
        assert _shown(at, case.slug).section_titles == clean[case.slug].section_titles


@pytest.mark.parametrize("breaker", [bad_bytes, cut_front_matter])
def test_a_broken_mechanism_file_leaves_every_other_page_as_it_was(
    copy: Path, clean: dict[str, Shown], breaker: Callable[[Path], int]
) -> None:
    breaker(copy / "mechanism" / "60_cyclosporine.md")
    for spec in PAGES:
        if spec.slug == "mechanism":
            continue
        at = _open(spec.slug)
        assert not at.error, (spec.slug, _messages(at))
        assert _shown(at, spec.slug) == clean[spec.slug], spec.slug


def test_a_broken_reference_list_keeps_the_text_with_unlinked_citations(
    copy: Path, clean: dict[str, Shown]
) -> None:
    line = bad_bytes(copy / "data" / "references.csv")
    at = _open("nephrotic-syndrome")
    (message,) = _messages(at)
    assert "The links to sources cannot be shown" in message
    assert f"references.csv, line {line}: not a readable CSV" in message
    assert "Citations show their reference ids without links" in message
    shown = _shown(at, "nephrotic-syndrome")
    assert shown == clean["nephrotic-syndrome"]
    features = content.load_page(
        CONTENT_DIR, "nephrotic-syndrome", known_pages=PAGE_SLUGS
    ).docs["features"]
    cited = re.search(r"\[@([a-z0-9-]+)\]", features.body)
    assert cited is not None
    assert f"({cited.group(1)})" in all_text(at)


def test_a_second_file_with_the_same_slug_is_named_and_the_first_kept(
    copy: Path, clean: dict[str, Shown]
) -> None:
    first = copy / "nephrotic_syndrome" / "30_causes.md"
    second = first.with_name("31_causes.md")
    second.write_text(first.read_text().replace("order: 30", "order: 31"))
    at = _open("nephrotic-syndrome")
    (message,) = _messages(at)
    assert "31_causes.md: section slug 'causes'" in message
    assert "already used by content/nephrotic_syndrome/30_causes.md" in message
    assert _shown(at, "nephrotic-syndrome") == clean["nephrotic-syndrome"]


def _presenting(view: str) -> AppTest:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    at.query_params["present"] = "true"
    at.run()
    at.switch_page(view).run()
    return at


def test_a_broken_teacher_note_shows_only_in_the_presenter_view(copy: Path) -> None:
    line = bad_bytes(copy / "mechanism" / "95_teacher_notes.md")
    student = _open("mechanism")
    assert not student.error, _messages(student)
    projected = _presenting(page_by_slug("mechanism").view_path)
    assert not projected.exception
    assert not projected.error, _messages(projected)

    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    at.query_params["pv_page"] = "mechanism"
    at.run()
    at.switch_page(page_by_slug("presenter-view").view_path).run()
    assert not at.exception
    (message,) = [e.value for e in at.main.error]
    assert "A teacher note cannot be shown" in message
    assert f"mechanism/95_teacher_notes.md, line {line}: not valid UTF-8" in message


def test_content_is_read_once_per_page_and_process_even_when_broken(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad_bytes(copy / "mechanism" / "60_cyclosporine.md")
    read: list[str] = []
    load_page = content.load_page

    def counting(content_dir: Path, page: str, **kwargs: object):
        read.append(page)
        return load_page(content_dir, page, **kwargs)

    monkeypatch.setattr(content, "load_page", counting)
    at = _open("mechanism")
    at.run()
    at.switch_page(page_by_slug("nephrotic-syndrome").view_path).run()
    at.switch_page(page_by_slug("mechanism").view_path).run()
    assert not at.exception
    assert read == ["home", "mechanism", "nephrotic-syndrome"]  # home: the entry
    assert cached.page_docs("mechanism") is cached.page_docs("mechanism")
