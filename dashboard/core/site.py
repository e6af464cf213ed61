"""The page registry: every page of the dashboard, as plain data.

``dashboard/navigation.py`` turns these into ``st.Page`` objects; the Home page
draws its page map from them; the content loader checks that every Markdown
file names a page listed here. Adding a page means adding one entry.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """One page.

    Parameters
    ----------
    slug
        Stable identifier: the ``page`` key of content front matter, the URL
        path and the view file name (with ``-`` for ``_``).
    title
        Navigation label and page title.
    icon
        A Material Symbols icon name, e.g. ``":material/home:"``.
    section
        Group heading on the Home page map (the sidebar is one flat list).
    summary
        One sentence for the Home page map.
    contents
        The page's "On this page" links, in page order: (content section
        slug, link label). The link's target is the section's heading,
        found from the section's title when the page is drawn
        (:func:`on_this_page`), so a retitled section keeps its link.
    """

    slug: str
    title: str
    icon: str
    section: str
    summary: str
    contents: tuple[tuple[str, str], ...] = ()

    @property
    def url_path(self) -> str:
        """Path after the server root: the default (Home) page lives at ``/``."""
        return "" if self.slug == DEFAULT_SLUG else self.slug

    @property
    def view_path(self) -> str:
        """Path of the view script, relative to ``dashboard/``."""
        return f"views/{self.slug.replace('-', '_')}.py"


DEFAULT_SLUG = "home"

PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        slug="home",
        title="Home",
        icon=":material/home:",
        section="Start",
        summary="What this dashboard covers, for whom, and how to use it.",
    ),
    PageSpec(
        slug="nephrotic-syndrome",
        title="Nephrotic syndrome",
        icon=":material/water_drop:",
        section="The disease",
        summary=(
            "Definitions for adults and children, the chain from proteinuria to "
            "oedema, causes by age, steroid response, complications, and a "
            "classify-a-patient exercise."
        ),
        contents=(
            ("features", "Defining features"),
            ("pathophysiology", "Pathophysiology"),
            ("causes", "Causes by age"),
            ("steroid_response", "Steroid response"),
            ("complications", "Complications"),
            ("classify", "Classify a patient"),
        ),
    ),
    PageSpec(
        slug="mechanism",
        title="Mechanism",
        icon=":material/biotech:",
        section="The drug",
        summary=(
            "Step through how tacrolimus blocks calcineurin in the T cell and in "
            "the podocyte, with and without the drug, and check yourself."
        ),
    ),
    PageSpec(
        slug="efficacy",
        title="Efficacy",
        icon=":material/monitoring:",
        section="The drug",
        summary=(
            "How tacrolimus regimens compare with cyclophosphamide, cyclosporine, "
            "steroids, rituximab and others, disease by disease: forest plot, "
            "arm-level results, absolute effects and the common claims checked."
        ),
    ),
    PageSpec(
        slug="monitoring",
        title="Side effects & monitoring",
        icon=":material/monitor_heart:",
        section="The drug",
        summary=(
            "Harms from the evidence, what to monitor and how often, a trough-level "
            "simulator with genotype and interacting drugs, and a monitoring case."
        ),
    ),
    PageSpec(
        slug="cases",
        title="Virtual patients",
        icon=":material/personal_injury:",
        section="Putting it together",
        summary=(
            "Branching cases over months: a child whose nephrotic syndrome keeps "
            "coming back and an adult with membranous nephropathy, with decisions "
            "whose outcomes come from the dashboard's model and evidence rows."
        ),
    ),
    PageSpec(
        slug="quiz",
        title="Quiz",
        icon=":material/quiz:",
        section="Classroom",
        summary=(
            "Retrieval questions on every page, with a sure/unsure rating, feedback "
            "that links back to the view that answers each one, and a summary."
        ),
    ),
    PageSpec(
        slug="class-check",
        title="Live class check",
        icon=":material/how_to_vote:",
        section="Classroom",
        summary=(
            "An educator polls the room on any quiz question; students join with a "
            "short code and answer on their own devices; results show on reveal."
        ),
    ),
    PageSpec(
        slug="presenter-view",
        title="Presenter view",
        icon=":material/co_present:",
        section="Classroom",
        summary=(
            "For the educator's own laptop or phone, never the projector: each "
            "page's teacher notes, links that open its views on the projector, "
            "and the way into a poll's private teacher view."
        ),
    ),
)

#: The pages a student reads in order; each ends with a link to the next one.
TEACHING_ORDER: tuple[str, ...] = (
    "home",
    "nephrotic-syndrome",
    "mechanism",
    "efficacy",
    "monitoring",
    "cases",
    "quiz",
)

PAGE_SLUGS: frozenset[str] = frozenset(p.slug for p in PAGES)


def next_page(slug: str) -> PageSpec | None:
    """The page after ``slug`` in :data:`TEACHING_ORDER` (None at the end or off it)."""
    if slug not in TEACHING_ORDER[:-1]:
        return None
    return page_by_slug(TEACHING_ORDER[TEACHING_ORDER.index(slug) + 1])


def page_by_slug(slug: str) -> PageSpec:
    """Return the page registered under ``slug``."""
    for page in PAGES:
        if page.slug == slug:
            return page
    raise KeyError(f"no page with slug {slug!r}; known: {sorted(PAGE_SLUGS)}")


def _decamelize(text: str) -> str:
    text = re.sub(r"([A-Z]{2})(\d+)", r"\1 \2", text)
    text = re.sub(r"([a-z\d])([A-Z])", r"\1 \2", text)
    return re.sub(r"([A-Z])([A-Z](?!s(?![a-z]))[a-z\d]+)", r"\1 \2", text)


def heading_anchor(title: str) -> str:
    """The anchor Streamlit gives a Markdown heading with this text.

    Streamlit 1.67 makes heading ids with the ``slugify`` JavaScript package
    (default options); this is the same rule for the text our titles use
    (Latin letters, digits, punctuation): ``&`` becomes "and", accents are
    dropped, camel case is split, an apostrophe before "s" or "t" vanishes,
    and every other run of characters becomes one ``-``. The browser test of
    the Nephrotic syndrome page checks each link against the drawn headings.

    Parameters
    ----------
    title
        The heading's text, without the leading ``#``.
    """
    text = title.replace("&", " and ")
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _decamelize(text).lower()
    text = re.sub(r"([a-z\d])['\u2019]([ts])(?![a-z\d])", r"\1\2", text)
    return re.sub(r"[^a-z\d]+", "-", text).strip("-")


def on_this_page(page: PageSpec, titles: Mapping[str, str]) -> str:
    """The "On this page" line of links, as Markdown; empty if there is none.

    Parameters
    ----------
    page
        The page; its :attr:`PageSpec.contents` lists the links.
    titles
        Content section slug → the section's title as drawn. A section without
        a title here (its file is broken) gets no link: there is no heading to
        jump to.
    """
    links = [
        f"[{label}](#{heading_anchor(titles[slug])})"
        for slug, label in page.contents
        if slug in titles
    ]
    return f"**On this page:** {' · '.join(links)}" if links else ""
