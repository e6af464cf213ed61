"""The opening of every content page: its sections, title and introduction."""

from __future__ import annotations

import streamlit as st

from dashboard.core.content import ContentDoc
from dashboard.ui import cached, markdown
from dashboard.ui.errors import section_guard


def open_page(slug: str, *, fallback_title: str) -> dict[str, ContentDoc]:
    """Load the page's sections, then show the title and the ``intro`` section.

    A broken content file shows an error box and the page still gets a title,
    so the rest of the page can go on.
    """
    docs: dict[str, ContentDoc] = {}
    with section_guard("this page's text"):
        docs = cached.page_docs(slug)
    intro = docs.get("intro")
    st.title(intro.title if intro else fallback_title)
    if intro:
        markdown.body(intro)
    return docs
