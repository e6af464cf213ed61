"""The opening of every content page: its sections, title and introduction.

A page's sections come from its own folder, each file read on its own
(:func:`dashboard.ui.cached.page_docs`). A file that cannot be used does not
stop the page: :class:`Sections` keeps its place, and the view's
``section_guard`` for that section shows the message (file, line, cause) where
the section would have been.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import streamlit as st

from dashboard.core import site
from dashboard.core.content import ContentDoc, ContentProblem
from dashboard.ui import cached, charts, errors, markdown, presenter
from dashboard.ui.errors import section_guard


class Sections(Mapping[str, ContentDoc]):
    """A page's student-facing sections by slug, for one script run.

    A section whose file is broken, or that the view expects but no file
    gives, is still *in* the mapping (``slug in sections`` is true), so the
    view reaches that section's ``section_guard``. Looking it up
    (``sections[slug]``, ``sections.get(slug)``, ``.values()``) raises its
    ``ContentError`` there, and the guard shows the message in that place.
    Use :meth:`doc` and :meth:`problem` to ask without raising.
    """

    def __init__(
        self,
        docs: Mapping[str, ContentDoc],
        problems: Mapping[str, ContentProblem] | None = None,
    ) -> None:
        self._docs = dict(docs)
        self._problems = {
            slug: p for slug, p in (problems or {}).items() if slug not in self._docs
        }

    def __getitem__(self, slug: str) -> ContentDoc:
        if slug in self._docs:
            return self._docs[slug]
        if slug in self._problems:
            raise self._problems[slug].error()
        raise KeyError(slug)

    def __iter__(self) -> Iterator[str]:
        yield from self._docs
        yield from self._problems

    def __len__(self) -> int:
        return len(self._docs) + len(self._problems)

    def __contains__(self, slug: object) -> bool:
        return slug in self._docs or slug in self._problems

    def doc(self, slug: str) -> ContentDoc | None:
        """The section's doc, or ``None`` (missing or broken); never raises."""
        return self._docs.get(slug)

    def problem(self, slug: str) -> ContentProblem | None:
        """Why the section cannot be shown, or ``None`` if it can (or is unknown)."""
        return self._problems.get(slug)


def doc_or_message(
    sections: Sections, slug: str, *, what: str = "this section's text"
) -> ContentDoc | None:
    """The section's doc; if its file is broken, show the message here instead.

    For sections whose charts or data do not depend on their text: the
    message stands where the text would be, ``None`` is returned, and the
    section's own renderer draws the rest as it does without a text.
    """
    problem = sections.problem(slug)
    if problem is not None:
        errors.broken_file(
            what,
            problem.error(),
            then="The rest of this section and of the page still work.",
        )
        return None
    return sections.doc(slug)


def section_text(sections: Sections, slug: str, *, level: int = 2) -> None:
    """Show a section's heading and text here, or the message for its broken file.

    Views call this before a section's data, so the text stays when a dataset
    fails (and the data stays when the text fails).
    """
    doc = doc_or_message(sections, slug)
    if doc is not None:
        markdown.section(doc, level=level)


def _sort_problems(
    problems: Iterable[ContentProblem], expected: set[str], docs: Mapping[str, object]
) -> tuple[dict[str, ContentProblem], list[ContentProblem], list[ContentProblem]]:
    """(expected sections' problems by slug, teacher-note problems, the rest).

    A problem is a teacher note's if a readable line of its file says
    ``audience: educator``. "The rest" are files the view never asks for (or
    whose slug a valid file already gives): :func:`open_page` shows those.
    """
    in_place: dict[str, ContentProblem] = {}
    notes, rest = [], []
    for problem in problems:
        if problem.audience == "educator":
            notes.append(problem)
        elif (
            problem.slug in expected
            and problem.slug not in docs
            and problem.slug not in in_place
        ):
            in_place[problem.slug] = problem
        else:
            rest.append(problem)
    return in_place, notes, rest


def open_page(
    slug: str,
    *,
    fallback_title: str,
    has_charts: bool = True,
    expects: Iterable[str] = (),
) -> Sections:
    """Load the page's sections, then show the title and the ``intro`` section.

    Also draws the presenter-mode switch, the link to this view and, on pages
    with charts, the choice of chart download format. The page's teacher notes
    (sections with ``audience: educator``) are never drawn here: they, and a
    broken note's message, are shown only in the Presenter view.

    ``expects`` names the sections the view shows (``intro`` always): one of
    them with a broken or missing file keeps its place and shows its message
    there. A broken file the view does not ask for is shown under the
    introduction. If
    ``references.csv`` is broken, one message says so and citations show
    their ids unlinked. The page always gets a title.
    """
    content = cached.page_docs(slug)
    docs = {k: d for k, d in content.docs.items() if d.audience != "educator"}
    expected = {"intro", *expects}
    in_place, _notes, rest = _sort_problems(content.problems, expected, docs)
    for missing in sorted(expected - docs.keys() - in_place.keys()):
        in_place[missing] = content.missing(missing)
    sections = Sections(docs, in_place)

    presenter.controls(slug)
    if has_charts:
        charts.format_control()
    intro = sections.doc("intro")
    st.title(intro.title if intro else fallback_title)
    with section_guard("the introduction"):
        markdown.body(sections["intro"])
    links = cached.reference_links()
    if links.problem is not None:
        errors.broken_file(
            "the links to sources",
            links.problem,
            then="Citations show their reference ids without links; the text "
            "and the rest of the page still work.",
        )
    for problem in rest:
        errors.broken_file("a section of this page", problem.error())
    return sections


def footer(slug: str) -> None:
    """The end of a page: the next page in teaching order, and the page map.

    Drawn after the page (``app.py``), in the main area, so a phone, whose
    sidebar is closed, still has the way on.
    """
    following = site.next_page(slug)
    if following is None and slug == site.DEFAULT_SLUG:
        return
    st.divider()
    left, right = st.columns(2)
    if following is not None:
        left.page_link(
            following.view_path,
            label=f"Next: {following.title}",
            icon=":material/arrow_forward:",
        )
    if slug != site.DEFAULT_SLUG:
        right.page_link(
            site.page_by_slug(site.DEFAULT_SLUG).view_path,
            label="All pages",
            icon=":material/map:",
        )
