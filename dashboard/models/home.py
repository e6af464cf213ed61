"""The Home page's model: the map of the pages, and the course-map handout.

The pages come from the site registry (:data:`dashboard.core.site.PAGES`), in
teaching order; Home itself is not on its own map.
"""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.core.handout import Handout
from dashboard.core.site import DEFAULT_SLUG, PAGES, PageSpec

HANDOUT_TITLE = "Tacrolimus in nephrotic syndrome: course map"
HANDOUT_VIEW = (
    "The pages in teaching order and what each one covers. Every number "
    "in the dashboard names its source on the page where it appears."
)


def page_map(
    pages: Sequence[PageSpec] = PAGES,
) -> tuple[tuple[str, tuple[PageSpec, ...]], ...]:
    """The pages other than Home, grouped by section, both in teaching order.

    Parameters
    ----------
    pages
        The site's pages in teaching order (default: the registry).
    """
    mapped = [p for p in pages if p.slug != DEFAULT_SLUG]
    return tuple(
        (section, tuple(p for p in mapped if p.section == section))
        for section in dict.fromkeys(p.section for p in mapped)
    )


def handout(pages: Sequence[PageSpec] = PAGES) -> Handout:
    """The course map as a one-page handout: each page's title and summary."""
    return Handout(
        title=HANDOUT_TITLE,
        view=HANDOUT_VIEW,
        numbers=[(p.title, p.summary) for p in pages if p.slug != DEFAULT_SLUG],
        numbers_title="Pages",
    )
