"""Render validated content: Markdown only, never raw HTML."""

from __future__ import annotations

import streamlit as st

from dashboard.core.content import ContentDoc, locator_to_url, render_citations
from dashboard.ui import cached


def body(doc: ContentDoc) -> None:
    """Render a section body with its ``[@id]`` citations turned into links."""
    st.markdown(render_citations(doc.body, cached.references()))


def section(doc: ContentDoc, *, level: int = 2) -> None:
    """Render a section heading and body."""
    st.markdown(f"{'#' * level} {doc.title}")
    body(doc)


def source_link(source: str, locator: str) -> str:
    """A Markdown link to a source, or the plain citation if it has no locator."""
    url = locator_to_url(locator)
    return f"[{source}]({url})" if url else source


def small_print(text: str) -> None:
    """Small Markdown text that keeps full contrast, for notes with links.

    ``st.caption`` fades its whole block to 60% opacity: plain text still
    reads at 4.5:1, but links fall to 3:1 (axe rule ``color-contrast``).
    """
    st.markdown(f":small[{text}]")


def sources_footer(doc: ContentDoc) -> None:
    """A caption listing the references of ``doc`` and when it was reviewed."""
    refs = cached.references()
    links = [
        source_link(refs[s][0], refs[s][1]) if s in refs else s for s in doc.sources
    ]
    text = "Sources: " + "; ".join(links) + ". " if links else ""
    small_print(f"{text}Last reviewed {doc.reviewed:%d %B %Y}.")
