"""The content contract: front matter is validated and errors name file and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.core.content import (
    ContentError,
    content_files,
    load_all,
    locator_to_url,
    parse_doc,
    render_citations,
    uncited_numeric_lines,
)

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
"""


def _parse(text: str, path: str = "content/ns/10_features.md"):
    return parse_doc(text, path=Path(path), known_pages=PAGES, known_sources=SOURCES)


def test_good_file_parses() -> None:
    doc = _parse(GOOD)
    assert doc.title == "Defining features"
    assert doc.page == "nephrotic-syndrome"
    assert doc.order == 10
    assert doc.sources == ("ipna-ssns-2022",)
    assert doc.reviewed == dt.date(2026, 11, 24)
    assert doc.audience == "student"
    assert doc.slug == "features"
    assert doc.body.startswith("Albumin below")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("title: Defining features\n", "", "field 'title' is missing"),
        ("order: 10\n", "", "field 'order' is missing"),
        ("order: 10", "order: ten", "field 'order' must be a whole number"),
        ("order: 10", "order: true", "field 'order' must be a whole number"),
        ("page: nephrotic-syndrome", "page: kidneys", "field 'page' must be one of"),
        (
            "reviewed: 2026-11-24",
            "reviewed: yesterday",
            "field 'reviewed' must be a date",
        ),
        (
            "sources: [ipna-ssns-2022]",
            "sources: ipna",
            "field 'sources' must be a list",
        ),
        ("sources: [ipna-ssns-2022]", "sources: [Bad_Id]", "has malformed ids"),
        (
            "sources: [ipna-ssns-2022]",
            "sources: [ipna-ssns-2022, nope]",
            "not in refer",
        ),
        ("title: Defining features", "title: ''", "field 'title' must be non-empty"),
        ("order: 10\n", "order: 10\nauthor: me\n", "field 'author' is not allowed"),
        ("order: 10\n", "order: 10\naudience: parents\n", "field 'audience' must be"),
        (
            "[@ipna-ssns-2022]",
            "[@hull-2008]",
            "cites ['hull-2008'] but field 'sources'",
        ),
        ("Albumin below", "<b>Albumin</b> below", "raw HTML is not allowed"),
        ("Albumin below", "<!-- note --> Albumin", "raw HTML is not allowed"),
        (
            "title: Defining features",
            "title: [unclosed",
            "front matter is not valid YAML",
        ),
    ],
)
def test_bad_front_matter_or_body_names_file_and_field(
    old: str, new: str, message: str
) -> None:
    with pytest.raises(ContentError) as error:
        _parse(GOOD.replace(old, new, 1))
    assert "content/ns/10_features.md" in str(error.value)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("No front matter at all.\n", "no front matter"),
        ("---\n- a list\n---\nBody.\n", "must be a mapping"),
        (
            GOOD.split("---\n", 2)[0] + "---\n" + GOOD.split("---\n")[1] + "---\n",
            "empty",
        ),
    ],
)
def test_structural_errors(text: str, message: str) -> None:
    with pytest.raises(ContentError, match=message):
        _parse(text)


def test_code_spans_may_contain_angle_brackets() -> None:
    doc = _parse(GOOD.replace("Albumin below", "Type `<tag>` then albumin below"))
    assert "<tag>" in doc.body


def test_uncited_numbers_are_found() -> None:
    doc = _parse(GOOD + "\nProteinuria above 3.5 g/day is heavy.\n\n- 85% respond\n")
    found = uncited_numeric_lines(doc)
    assert found == ["Proteinuria above 3.5 g/day is heavy.", "- 85% respond"]
    assert uncited_numeric_lines(_parse(GOOD)) == []


def test_render_citations_links_pmid_doi_and_url() -> None:
    refs = {
        "a": ("A 2020", "PMID 123456"),
        "b": ("B 2021", "doi:10.1/x"),
        "c": ("C", "https://e.org"),
    }
    text = render_citations("x [@a] y [@b] z [@c] w [@missing]", refs)
    assert "([A 2020](https://pubmed.ncbi.nlm.nih.gov/123456/))" in text
    assert "([B 2021](https://doi.org/10.1/x))" in text
    assert "([C](https://e.org))" in text
    assert "(missing)" in text


@pytest.mark.parametrize(
    ("locator", "url"),
    [
        ("PMID 36269406", "https://pubmed.ncbi.nlm.nih.gov/36269406/"),
        ("PMID:36269406", "https://pubmed.ncbi.nlm.nih.gov/36269406/"),
        (
            "doi:10.1007/s00467-022-05739-3",
            "https://doi.org/10.1007/s00467-022-05739-3",
        ),
        ("https://example.org/a", "https://example.org/a"),
        ("javascript:alert(1)", ""),
        ("see paper", ""),
    ],
)
def test_locator_to_url(locator: str, url: str) -> None:
    assert locator_to_url(locator) == url


def test_load_all_skips_data_and_readme(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "ns").mkdir(parents=True)
    (content / "data").mkdir()
    (content / "ns" / "10_features.md").write_text(GOOD)
    (content / "README.md").write_text("# Author guide\n")
    (content / "data" / "notes.md").write_text("not content\n")
    assert [p.name for p in content_files(content)] == ["10_features.md"]
    docs = load_all(content, known_pages=PAGES, known_sources=SOURCES)
    assert [d.title for d in docs] == ["Defining features"]


def test_load_all_rejects_two_sections_with_one_slug(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "ns").mkdir(parents=True)
    (content / "ns" / "10_features.md").write_text(GOOD)
    (content / "ns" / "20_features.md").write_text(
        GOOD.replace("order: 10", "order: 20")
    )
    with pytest.raises(ContentError, match="section slug 'features'"):
        load_all(content, known_pages=PAGES, known_sources=SOURCES)
