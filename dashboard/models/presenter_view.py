"""The Presenter view's model: which pages have notes, and the projector links.

The Presenter view is the educator's own screen (laptop or phone), apart
from the projected page: teacher notes and prepared links live here, so the
projected pages never carry them. Links are relative to the site root, as a
page's own links are, and open the page in presenter mode (``present=true``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from dashboard.core.site import PAGES, PageSpec, heading_anchor


@dataclass(frozen=True)
class ProjectorLink:
    """One link to open on the projector: a label and a root-relative address."""

    label: str
    href: str

    def markdown(self) -> str:
        """The link as a Markdown list item."""
        return f"- [{self.label}]({self.href})"


def pages_with_notes(
    notes_by_page: Mapping[str, Sequence[object]], pages: Sequence[PageSpec] = PAGES
) -> tuple[PageSpec, ...]:
    """The pages with at least one teacher note (or note file), in teaching order."""
    return tuple(p for p in pages if notes_by_page.get(p.slug))


def chosen_page(wanted: str | None, choices: Sequence[PageSpec]) -> PageSpec | None:
    """The page named by ``wanted`` if it has notes, else the first (None if none)."""
    for spec in choices:
        if spec.slug == wanted:
            return spec
    return choices[0] if choices else None


def projector_links(
    spec: PageSpec, titles: Mapping[str, str], *, extra: Iterable[tuple[str, str]] = ()
) -> tuple[ProjectorLink, ...]:
    """Links that open ``spec`` on the projector: the page, then each section.

    Parameters
    ----------
    spec
        The page.
    titles
        Section slug → heading as drawn (a section missing here is skipped).
    extra
        Further (label, query) pairs, e.g. ``("Podocyte lane", "mech_lane=…")``.
    """
    present = urlencode({"present": "true"})
    base = f"/{spec.url_path}"
    links = [ProjectorLink(f"{spec.title}, from the top", f"{base}?{present}")]
    for label, query in extra:
        links.append(ProjectorLink(label, f"{base}?{query}&{present}"))
    for slug, label in spec.contents:
        if slug in titles:
            anchor = heading_anchor(titles[slug])
            links.append(ProjectorLink(label, f"{base}?{present}#{anchor}"))
    return tuple(links)
