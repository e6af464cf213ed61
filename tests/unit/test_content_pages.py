"""Content is read per page and per file: a broken file is a problem, not a crash.

Each way a hand-edited file breaks (bytes that are not UTF-8, a copy cut off
inside its front matter, broken YAML, a missing or unreadable file) gives a
``ContentProblem`` that names the file, the line and the true cause; the
other files of the page, and every other page, load as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.core.content import (
    ContentDoc,
    ContentError,
    ContentProblem,
    load_all,
    load_page,
    page_folder,
    read_doc,
)
from dashboard.core.textfiles import UnreadableFileError, line_of_offset, read_utf8
from dashboard.ui.page import Sections

PAGES = ("home", "nephrotic-syndrome")
SOURCES = ("ipna-ssns-2022", "hull-2008")
GOOD = """---
title: Defining features
page: nephrotic-syndrome
order: 10
sources: [ipna-ssns-2022]
reviewed: 2026-11-24
---
Albumin below 30 g/L [@ipna-ssns-2022].

Oedema follows.
"""
HOME = GOOD.replace("page: nephrotic-syndrome", "page: home").replace(
    "title: Defining features", "title: Welcome"
)


def _tree(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    content = tmp_path / "content"
    for name, data in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return content


def _read(content: Path, name: str) -> ContentDoc | ContentProblem:
    return read_doc(
        content / name,
        content_dir=content,
        known_pages=PAGES,
        known_sources=SOURCES,
    )


def _problem(content: Path, name: str) -> ContentProblem:
    result = _read(content, name)
    assert isinstance(result, ContentProblem), result
    return result


def _with_bytes_on_line(text: str, line: int, junk: bytes) -> bytes:
    lines = text.encode("utf-8").split(b"\n")
    lines[line - 1] = lines[line - 1][:6] + junk + lines[line - 1][6:]
    return b"\n".join(lines)


# --- reading bytes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "offset", "line"),
    [(b"abc", 0, 1), (b"a\nb\nc", 2, 2), (b"a\nb\nc", 4, 3), (b"a\n", 2, 2)],
)
def test_a_byte_offset_becomes_a_line(data: bytes, offset: int, line: int) -> None:
    assert line_of_offset(data, offset) == line


def test_a_decoding_error_names_the_line_and_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"first\nsecond \xff\xfe here\nthird\n")
    with pytest.raises(UnreadableFileError) as fault:
        read_utf8(path)
    assert fault.value.line == 2
    assert "not valid UTF-8: 0xff cannot be decoded" in fault.value.cause
    assert "byte 8 of the line" in fault.value.cause


def test_a_file_cut_inside_a_character_says_so(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes("one\ntwo é".encode()[:-1])
    with pytest.raises(UnreadableFileError) as fault:
        read_utf8(path)
    assert fault.value.line == 2
    assert "ends in the middle of a character" in fault.value.cause


def test_a_missing_or_unopenable_file_is_a_clear_cause(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="file not found"):
        read_utf8(tmp_path / "gone.md")
    (tmp_path / "folder.md").mkdir()
    with pytest.raises(UnreadableFileError, match="cannot be read: Is a directory"):
        read_utf8(tmp_path / "folder.md")


# --- one file -------------------------------------------------------------------


def test_bad_bytes_in_a_section_name_file_line_and_cause(tmp_path: Path) -> None:
    content = _tree(
        tmp_path, {"ns/10_features.md": _with_bytes_on_line(GOOD, 10, b"\xff\xfe")}
    )
    problem = _problem(content, "ns/10_features.md")
    assert problem.line == 10
    assert problem.slug == "features"
    assert problem.message.startswith("content/ns/10_features.md, line 10: ")
    assert "not valid UTF-8" in problem.message
    with pytest.raises(ContentError, match=r"10_features\.md, line 10: not valid"):
        load_all(content, known_pages=PAGES, known_sources=SOURCES)


@pytest.mark.parametrize("cut", [4, 30, 60, len(GOOD.split("\n---\n")[0])])
def test_a_file_cut_inside_its_front_matter_says_it_is_not_closed(
    tmp_path: Path, cut: int
) -> None:
    text = GOOD[:cut]
    content = _tree(tmp_path, {"ns/10_features.md": text})
    problem = _problem(content, "ns/10_features.md")
    assert "front matter not closed with ---" in problem.message
    assert "was the file cut off?" in problem.message
    assert "no front matter" not in problem.message
    last = text.count("\n") + (0 if text.endswith("\n") else 1)
    assert problem.line == last
    assert f"10_features.md, line {last}: " in problem.message


@pytest.mark.parametrize(
    ("text", "line", "cause"),
    [
        ("", None, "the file is empty"),
        ("Just prose.\n", 1, "no front matter (the file must start with ---)"),
        (
            GOOD.replace("title: Defining features", "title: [unclosed"),
            3,
            "front matter is not valid YAML: expected ',' or ']', but got ':' "
            "(while parsing a flow sequence that starts on line 2)",
        ),
        (GOOD.replace("order: 10", "order: ten"), 4, "field 'order' must be"),
        (GOOD.replace("Oedema follows.", "Oedema <b>follows</b>."), 10, "raw HTML"),
        (GOOD.replace("Oedema follows.", "See [@hull-2008]."), 10, "cites"),
        (GOOD.replace("order: 10\n", ""), None, "field 'order' is missing"),
    ],
)
def test_each_fault_names_its_line_and_cause(
    tmp_path: Path, text: str, line: int | None, cause: str
) -> None:
    content = _tree(tmp_path, {"ns/10_features.md": text})
    problem = _problem(content, "ns/10_features.md")
    assert problem.line == line
    where = "content/ns/10_features.md" + ("" if line is None else f", line {line}")
    assert problem.message.startswith(f"{where}: ")
    assert cause in problem.message


def test_windows_line_ends_and_a_byte_order_mark_still_parse(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()
    content = _tree(tmp_path, {"ns/10_features.md": data})
    doc = _read(content, "ns/10_features.md")
    assert isinstance(doc, ContentDoc)
    assert doc.title == "Defining features"
    assert "\r" not in doc.body


def test_a_broken_teacher_note_is_known_as_one_when_a_line_says_so(
    tmp_path: Path,
) -> None:
    note = GOOD.replace("order: 10\n", "order: 95\naudience: educator\n")
    content = _tree(
        tmp_path,
        {
            "ns/95_teacher_notes.md": _with_bytes_on_line(note, 11, b"\xe9"),
            "ns/96_cut.md": note[:30],
        },
    )
    assert _problem(content, "ns/95_teacher_notes.md").audience == "educator"
    assert _problem(content, "ns/96_cut.md").audience is None  # unknown


# --- one page -------------------------------------------------------------------


def _load(content: Path, page: str):
    return load_page(content, page, known_pages=PAGES, known_sources=SOURCES)


def test_a_page_keeps_its_good_sections_and_lists_its_broken_files(
    tmp_path: Path,
) -> None:
    content = _tree(
        tmp_path,
        {
            "nephrotic_syndrome/10_features.md": GOOD,
            "nephrotic_syndrome/20_causes.md": _with_bytes_on_line(
                GOOD.replace("order: 10", "order: 20"), 9, b"\xff"
            ),
            "nephrotic_syndrome/30_course.md": GOOD.replace("order: 10", "order: 30"),
            "nephrotic_syndrome/40_cut.md": GOOD[:50],
            "home/00_intro.md": HOME,
        },
    )
    page = _load(content, "nephrotic-syndrome")
    assert list(page.docs) == ["features", "course"]
    assert [(p.slug, p.line) for p in page.problems] == [("causes", 9), ("cut", 3)]
    assert page.folder == Path("content/nephrotic_syndrome")
    # The other page's folder is not even read.
    assert list(_load(content, "home").docs) == ["intro"]
    assert _load(content, "home").problems == ()


def test_a_broken_file_of_one_page_never_reaches_another(tmp_path: Path) -> None:
    content = _tree(
        tmp_path,
        {
            "home/00_intro.md": HOME,
            "nephrotic_syndrome/10_features.md": b"\xff\xfe" + GOOD.encode(),
        },
    )
    home = _load(content, "home")
    assert list(home.docs) == ["intro"]
    assert home.problems == ()


def test_a_file_in_another_pages_folder_is_a_problem(tmp_path: Path) -> None:
    content = _tree(tmp_path, {"home/10_features.md": GOOD})
    page = _load(content, "home")
    assert page.docs == {}
    (problem,) = page.problems
    assert problem.line == 3
    assert "field 'page' is 'nephrotic-syndrome', but the file is in the folder" in (
        problem.message
    )


def test_two_files_with_one_slug_keep_the_first_and_report_the_second(
    tmp_path: Path,
) -> None:
    content = _tree(
        tmp_path,
        {
            "nephrotic_syndrome/10_features.md": GOOD,
            "nephrotic_syndrome/20_features.md": GOOD.replace("order: 10", "order: 20"),
        },
    )
    page = _load(content, "nephrotic-syndrome")
    assert page.docs["features"].path.name == "10_features.md"
    (problem,) = page.problems
    assert "section slug 'features'" in problem.message
    assert "already used by content/nephrotic_syndrome/10_features.md" in (
        problem.message
    )


def test_a_page_folder_may_use_dashes_or_underscores(tmp_path: Path) -> None:
    content = _tree(tmp_path, {"class-check/00_intro.md": HOME})
    assert page_folder(content, "class-check") == content / "class-check"
    assert page_folder(content, "nephrotic-syndrome") == (
        content / "nephrotic_syndrome"
    )


def test_a_missing_section_names_the_folder(tmp_path: Path) -> None:
    content = _tree(tmp_path, {"nephrotic_syndrome/10_features.md": GOOD})
    problem = _load(content, "nephrotic-syndrome").missing("causes")
    assert problem.slug == "causes"
    assert problem.message.startswith(
        "content/nephrotic_syndrome/: no file gives the section 'causes'"
    )


# --- what a view sees -----------------------------------------------------------


def test_a_broken_section_is_present_and_raises_only_when_looked_up(
    tmp_path: Path,
) -> None:
    content = _tree(
        tmp_path,
        {
            "nephrotic_syndrome/10_features.md": GOOD,
            "nephrotic_syndrome/20_causes.md": GOOD[:40],
        },
    )
    page = _load(content, "nephrotic-syndrome")
    sections = Sections(page.docs, {p.slug: p for p in page.problems})
    assert "causes" in sections
    assert "features" in sections
    assert list(sections) == ["features", "causes"]
    assert sections["features"].title == "Defining features"
    assert sections.doc("causes") is None
    assert sections.problem("causes") is page.problems[0]
    with pytest.raises(ContentError, match="front matter not closed"):
        sections.get("causes")
    assert sections.get("absent") is None
