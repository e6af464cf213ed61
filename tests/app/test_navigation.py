"""Every registered page opens from the entrypoint without an exception."""

from __future__ import annotations

import pytest

from dashboard.core.site import PAGES, TEACHING_ORDER, next_page, page_by_slug
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
    links = [link.proto.label for link in at.get("page_link")]
    mapped = sorted(links[: len(PAGES) - 1])
    assert mapped == sorted(p.title for p in PAGES if p.slug != "home")
    assert links[len(PAGES) - 1 :] == ["Next: Nephrotic syndrome"]


def test_next_page_follows_the_teaching_order_and_stops_at_its_end() -> None:
    pairs = [(a, next_page(a)) for a in TEACHING_ORDER]
    assert [b.slug for _, b in pairs[:-1]] == list(TEACHING_ORDER[1:])
    assert pairs[-1][1] is None
    assert next_page("class-check") is None
    assert next_page("no-such-page") is None


@pytest.mark.parametrize("slug", TEACHING_ORDER[1:])
def test_each_teaching_page_ends_with_the_next_one_and_the_map(slug: str) -> None:
    at = open_page(page_by_slug(slug).view_path)
    labels = [link.proto.label for link in at.get("page_link")][-2:]
    following = next_page(slug)
    expected = [f"Next: {following.title}"] if following else []
    assert labels[-(len(expected) + 1) :] == [*expected, "All pages"]


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
