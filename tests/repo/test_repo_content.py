"""Every content file in the repository honours the contract."""

from __future__ import annotations

import pytest

from dashboard.core import datasets, schemas
from dashboard.core.content import content_files, load_all, uncited_numeric_lines
from dashboard.core.paths import CONTENT_DIR, DATA_DIR
from dashboard.core.site import PAGE_SLUGS, PAGES


def _reference_ids() -> list[str]:
    return datasets.load_dataset(schemas.REFERENCES, DATA_DIR)["id"].tolist()


@pytest.fixture(scope="module")
def docs():
    return load_all(CONTENT_DIR, known_pages=PAGE_SLUGS, known_sources=_reference_ids())


def test_there_is_content(docs) -> None:
    assert len(docs) == len(content_files(CONTENT_DIR)) >= 10


@pytest.mark.parametrize("page", [p.slug for p in PAGES])
def test_every_registered_page_has_content(docs, page: str) -> None:
    assert any(d.page == page for d in docs)


def test_every_clinical_number_is_cited(docs) -> None:
    uncited = {d.path.as_posix(): uncited_numeric_lines(d) for d in docs}
    assert {k: v for k, v in uncited.items() if v} == {}


def test_every_cited_reference_is_used_somewhere(docs) -> None:
    used = {s for d in docs for s in d.sources}
    unused = set(_reference_ids()) - used
    assert unused == set(), "references.csv lists works no content cites"


def test_content_readme_documents_every_key() -> None:
    readme = (CONTENT_DIR / "README.md").read_text(encoding="utf-8")
    for key in ("title", "page", "order", "sources", "reviewed", "audience", "[@"):
        assert key in readme
