"""Every registered page opens from the entrypoint without an exception."""

from __future__ import annotations

import pytest

from dashboard.core.site import PAGES
from tests.app.conftest import all_text, open_page


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.slug)
def test_every_page_runs(spec) -> None:
    at = open_page(spec.view_path)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value


def test_home_is_the_default_page_and_maps_every_other_page() -> None:
    at = open_page()
    assert at.title[0].value == "Tacrolimus in nephrotic syndrome"
    text = all_text(at)
    for spec in PAGES:
        if spec.slug != "home":
            assert spec.summary in text
    links = at.get("page_link")
    assert len(links) == len(PAGES) - 1


def test_home_states_objectives_and_both_audiences() -> None:
    text = all_text(open_page())
    assert "What you will be able to do" in text
    assert "If you are studying on your own" in text
    assert "If you are teaching with it" in text


@pytest.mark.usefixtures("fresh_caches")
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.slug)
def test_a_broken_content_file_never_crashes_a_page(
    monkeypatch, tmp_path, spec
) -> None:
    import shutil

    from dashboard.core.paths import CONTENT_DIR
    from dashboard.ui import cached

    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    folder = next(
        p
        for p in content.iterdir()
        if p.is_dir()
        and p.name != "data"
        and any(f"page: {spec.slug}\n" in f.read_text() for f in p.glob("*.md"))
    )
    broken = sorted(folder.glob("*.md"))[0]
    broken.write_text(broken.read_text().replace("---\ntitle:", "---\ntitle: [", 1))
    monkeypatch.setattr(cached, "CONTENT_DIR", content)
    at = open_page(spec.view_path)
    assert not at.exception
    assert "front matter is not valid YAML" in at.error[0].value
    assert at.title, "the page still has a title"
