"""The opening of every content page: its sections, title and introduction."""

from __future__ import annotations

import streamlit as st

from dashboard.core.content import ContentDoc
from dashboard.ui import cached, charts, markdown, presenter
from dashboard.ui.errors import section_guard


def open_page(
    slug: str, *, fallback_title: str, has_charts: bool = True
) -> dict[str, ContentDoc]:
    """Load the page's sections, then show the title and the ``intro`` section.

    Also draws the presenter-mode switch, the link to this view and, in
    presenter mode, the page's teacher notes (sections with ``audience:
    educator``, which are never shown to students otherwise), and on pages
    with charts the choice of chart download format. A broken content
    file shows an error box and the page still gets a title.
    """
    docs: dict[str, ContentDoc] = {}
    with section_guard("this page's text"):
        docs = cached.page_docs(slug)
    notes = [d for d in docs.values() if d.audience == "educator"]
    docs = {k: d for k, d in docs.items() if d.audience != "educator"}
    presenter.controls(notes)
    if has_charts:
        charts.format_control()
    intro = docs.get("intro")
    st.title(intro.title if intro else fallback_title)
    if intro:
        markdown.body(intro)
    return docs
