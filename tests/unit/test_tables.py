"""Markdown tables and provenance text built from data rows."""

from __future__ import annotations

import pytest

from dashboard.core.tables import (
    escape_cell,
    markdown_table,
    provenance_item,
    self_link,
    short_citation,
    source_markdown,
)


def test_escape_cell_neutralises_markdown_and_html() -> None:
    assert escape_cell("a | b\nc <script>") == "a \\| b c &lt;script&gt;"
    assert escape_cell(None) == ""


def test_markdown_table() -> None:
    table = markdown_table(
        [{"A": "x|y", "B": "[link](https://e.org)"}], ["A", "B"], raw_columns=("B",)
    )
    assert table.splitlines() == [
        "| A | B |",
        "| --- | --- |",
        "| x\\|y | [link](https://e.org) |",
    ]


@pytest.mark.parametrize(
    ("source", "label"),
    [
        (
            "Hull RP, Goldsmith DJA. Nephrotic syndrome in adults. BMJ 2008;336:1185",
            "Hull RP, Goldsmith DJA 2008",
        ),
        (
            "Trautmann A, Boyer O, Hodson E, et al. IPNA recommendations. 2023",
            "Trautmann A et al. 2023",
        ),
        (
            "Lionaki S, et al. Venous thromboembolism. CJASN 2012",
            "Lionaki S et al. 2012",
        ),
        (
            "International Study of Kidney Disease in Children (ISKDC). KI 1978",
            "ISKDC 1978",
        ),
        (
            "OpenAnesthesia: Hepatic synthetic capacity",
            "OpenAnesthesia: Hepatic synthetic capacity",
        ),
    ],
)
def test_short_citation(source: str, label: str) -> None:
    assert short_citation(source) == label


def test_source_markdown_and_provenance() -> None:
    assert source_markdown("A [x]", "PMID 1234567") == (
        "[A (x)](https://pubmed.ncbi.nlm.nih.gov/1234567/)"
    )
    assert source_markdown("A", "no link") == "A"
    item = provenance_item("76.6%", "ISKDC", "doi:10.1038/ki.1978.23", "a <quote>")
    assert item.startswith("- **76.6%**: [ISKDC](https://doi.org/10.1038/ki.1978.23)")
    assert "“a &lt;quote&gt;”" in item


def test_self_link_shows_the_address_and_encodes_what_would_break_it() -> None:
    assert (
        self_link("http://h/p?a_b=1*2") == "[`http://h/p?a_b=1*2`](http://h/p?a_b=1*2)"
    )
    assert self_link("http://h/x (y)") == "[`http://h/x (y)`](http://h/x%20%28y%29)"
    assert self_link("http://h/`x`") == "[`http://h/%60x%60`](http://h/%60x%60)"


def test_self_link_makes_no_link_of_other_schemes() -> None:
    assert self_link("javascript:alert(1)") == "`javascript:alert(1)`"
    assert self_link("") == "``"
