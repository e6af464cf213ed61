"""The Home page's model: the page map and the course-map handout."""

from __future__ import annotations

from dashboard.core.site import PAGES, PageSpec
from dashboard.models import home as model


def _spec(slug: str, section: str) -> PageSpec:
    return PageSpec(slug, slug.title(), ":material/home:", section, f"About {slug}.")


def test_the_map_groups_every_other_page_by_section_in_order() -> None:
    mapped = model.page_map()
    flat = [spec for _, specs in mapped for spec in specs]
    assert flat == [p for p in PAGES if p.slug != "home"]
    sections = [section for section, _ in mapped]
    assert len(sections) == len(set(sections))


def test_sections_keep_the_order_of_their_first_page() -> None:
    pages = (
        _spec("home", "Start"),
        _spec("a", "One"),
        _spec("b", "Two"),
        _spec("c", "One"),
    )
    assert [(s, [p.slug for p in specs]) for s, specs in model.page_map(pages)] == [
        ("One", ["a", "c"]),
        ("Two", ["b"]),
    ]


def test_the_handout_lists_each_page_with_its_summary() -> None:
    handout = model.handout()
    assert handout.title == "Tacrolimus in nephrotic syndrome: course map"
    assert handout.view.startswith("The pages in teaching order")
    assert handout.numbers_title == "Pages"
    assert handout.numbers == [(p.title, p.summary) for p in PAGES if p.slug != "home"]
