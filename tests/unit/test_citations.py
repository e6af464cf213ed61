"""Citations a student can follow: canonical links only, studies named by author.

The schema refuses a non-canonical ``source_url`` or a badly named study when a
file is loaded (so the page shows a clear data error); these tests pin the rule
itself and sweep every place a clickable source can come from.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.core import citations, content, datasets, schemas
from dashboard.core.paths import CONTENT_DIR, DATA_DIR
from dashboard.core.tables import (
    attribution_note,
    provenance_item,
    read_at_text,
    source_markdown,
)

ALL = list(schemas.SCHEMAS.values())


@pytest.mark.parametrize(
    "locator",
    [
        "PMID 20220333",
        "PMID: 32382828",
        "doi:10.1016/j.kint.2021.05.021",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC6142920",
        "https://pubmed.ncbi.nlm.nih.gov/31269364/",
        "https://kdigo.org/guidelines/nephrotic-syndrome-in-children/",
        "https://www.accessdata.fda.gov/drugsatfda_docs/label/2021/050708s053lbl.pdf",
    ],
)
def test_canonical_records_are_accepted(locator: str) -> None:
    assert citations.locator_problem(locator) is None


@pytest.mark.parametrize(
    ("locator", "reason"),
    [
        ("http://47.251.13.51:8081/33168602", "bare IP address"),
        ("https://proxy.weglot.com/wg_1/en/es/pubmed.ncbi.nlm.nih.gov/1", "proxy"),
        ("http://globethesis.com/?t=2334330488966151", "aggregator"),
        ("https://www.scribd.com/document/638612716/x", "document-sharing"),
        ("https://123docz.net/document/12070161-x", "document-sharing"),
        ("http://www.120ty.net/bencandy.php?aid=2183", "label mirror"),
        ("https://m.fx361.cc/news/2016/0504/17510926.html", "aggregator"),
        ("https://example.org/paper", "not a known canonical host"),
        ("https://[2001:db8::1]/x", "bare IP address"),
        ("ftp://doi.org/10.1/x", "not a web address"),
        ("pubmed 123", "not a web address"),
    ],
)
def test_mirrors_proxies_and_unknown_hosts_are_refused(
    locator: str, reason: str
) -> None:
    problem = citations.locator_problem(locator)
    assert problem is not None
    assert reason in problem


def test_allow_and_deny_lists_do_not_overlap() -> None:
    assert not set(citations.CANONICAL_HOSTS) & set(citations.NON_CANONICAL_HOSTS)


@pytest.mark.parametrize("schema", ALL, ids=lambda s: s.name)
def test_every_source_column_is_checked_for_canonical_hosts(
    schema: datasets.Schema,
) -> None:
    """Each column that holds a clickable address carries the canonical check."""
    for column in schema.columns:
        if column.name in ("source_url", "link"):
            assert column.check is citations.locator_problem, column.name


def test_a_mirror_in_a_data_file_is_a_named_data_error(tmp_path) -> None:
    frame = pd.read_csv(
        DATA_DIR / "references.csv", dtype=str, keep_default_na=False
    ).head(2)
    frame.loc[1, "source_url"] = "http://47.251.13.51:8081/19268410"
    frame.to_csv(tmp_path / "references.csv", index=False)
    with pytest.raises(datasets.DataError) as error:
        datasets.load_dataset(schemas.REFERENCES, tmp_path)
    assert "references.csv, line 3, column 'source_url'" in str(error.value)
    assert "bare IP address" in str(error.value)


@pytest.mark.parametrize("schema", ALL, ids=lambda s: s.name)
def test_every_clickable_source_in_the_data_is_canonical(
    schema: datasets.Schema,
) -> None:
    """Every link a student can click, rendered as the page renders it."""
    frame = datasets.load_dataset(schema, DATA_DIR)
    columns = [c for c in ("source_url", "link") if c in frame.columns]
    for column in columns:
        for locator in frame[column].dropna():
            rendered = source_markdown("x", str(locator))
            url = re.fullmatch(r"\[x\]\((.+)\)", rendered)
            assert url, f"{schema.filename}: {locator!r} gives no link"
            assert citations.locator_problem(url.group(1)) is None, (
                f"{schema.filename}: {locator!r} links to {url.group(1)}"
            )


def test_no_markdown_content_links_outside_canonical_hosts() -> None:
    for path in content.content_files(CONTENT_DIR):
        for url in re.findall(r"https?://[^\s)>\]]+", path.read_text("utf-8")):
            assert citations.locator_problem(url) is None, f"{path.name}: {url}"


@pytest.mark.parametrize(
    "label",
    [
        "Chen 2010",
        "Fernández-Juárez 2021 (STARMEN)",
        "De Bruyne 2015",
        "Li 2019a",
        "Liu 2019 (Cochrane review)",
        "Author unverified 2021c (Cochrane)",
    ],
)
def test_study_labels_by_first_author_and_year(label: str) -> None:
    assert citations.study_label_problem(label) is None


@pytest.mark.parametrize(
    "label",
    [
        "SciELO cohort 2017",
        "Chinese thesis MA",
        "Medicine 2021 meta-analysis",
        "Three-regimen study",
        "Jinling cohort",
        "Chen 2010 RCT",
        "Cochrane 2021",
        "Xinjiang 2016 MA",
    ],
)
def test_study_labels_named_after_websites_or_designs_are_refused(label: str) -> None:
    assert citations.study_label_problem(label) is not None


def test_every_efficacy_study_is_named_by_author_and_year() -> None:
    frame = datasets.load_dataset(schemas.EFFICACY_EVIDENCE, DATA_DIR)
    bad = {s for s in frame["study"] if citations.study_label_problem(str(s))}
    assert bad == set()


def test_one_label_names_one_work() -> None:
    """Two different citations must not share a chart label."""
    frame = datasets.load_dataset(schemas.EFFICACY_EVIDENCE, DATA_DIR)
    works = frame.groupby("study")["source_url"].nunique()
    assert works[works > 1].to_dict() == {}


def test_read_at_is_shown_as_audit_text_not_a_link() -> None:
    text = read_at_text("http://47.251.13.51:8081/1 ; https://old.scielo.br/x")
    assert text == "Read at: `http://47.251.13.51:8081/1` ; `https://old.scielo.br/x`"
    assert "](" not in text
    assert read_at_text(None) == read_at_text(float("nan")) == ""


def test_provenance_item_links_the_record_and_flags_weak_attribution() -> None:
    item = provenance_item(
        "85 %",
        "Chen M, et al. 2010",
        "PMID 20220333",
        "85% versus 65%",
        read_at="https://proxy.weglot.com/x",
        attribution="unattributed",
    )
    assert "[Chen M, et al. 2010](https://pubmed.ncbi.nlm.nih.gov/20220333/)" in item
    assert attribution_note("unattributed") in item
    assert "Read at: `https://proxy.weglot.com/x`" in item
    assert "](https://proxy" not in item
    assert attribution_note("primary") == ""


def test_unattributed_rows_are_marked_on_the_forest_plot() -> None:
    from dashboard.charts import efficacy as charts

    row = pd.Series(
        {
            "study": "Author unverified 2016",
            "comparator_class": "cyclophosphamide",
            "timepoint": "6 months",
            "direction": "as reported",
            "converted": False,
            "attribution": "unattributed",
        }
    )
    assert charts.row_label(row).endswith(" ‡")
    assert not charts.row_label(row.copy().replace("unattributed", "primary")).endswith(
        "‡"
    )


def test_a_reference_and_an_efficacy_row_for_one_work_share_its_name() -> None:
    """Inline citations and chart labels name a work the same way."""
    evidence = datasets.load_dataset(schemas.EFFICACY_EVIDENCE, DATA_DIR)
    references = datasets.load_dataset(schemas.REFERENCES, DATA_DIR)
    labels = dict(zip(evidence["source_url"], evidence["study"], strict=True))
    for row in references.itertuples(index=False):
        study = labels.get(row.source_url)
        if study is not None:
            expected = re.sub(r" \((.+)\)$", r", \1", str(study))
            assert row.short == expected, (row.id, row.short, study)
