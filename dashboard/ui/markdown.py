"""Render validated content: Markdown only, never raw HTML."""

from __future__ import annotations

import functools

import streamlit as st

from dashboard.core.content import ContentDoc, locator_to_url, render_citations
from dashboard.ui import cached


def body(doc: ContentDoc) -> None:
    """Render a section body with its ``[@id]`` citations turned into links."""
    st.markdown(_markdown(doc, 0))


def section(doc: ContentDoc, *, level: int = 2) -> None:
    """Render a section heading and body, as one element."""
    st.markdown(_markdown(doc, level))


def _markdown(doc: ContentDoc, level: int) -> str:
    """Linked citations, built once per doc; ids unlinked if references are broken.

    A broken ``references.csv`` is reported once by the page; the text is
    still shown, its citations as ``(id)``. That rendering is not cached, so
    it never outlives the broken table.
    """
    if cached.reference_links().problem is None:
        return _rendered(doc, level)
    return _compose(doc, level, {})


@functools.lru_cache(maxsize=1024)
def _rendered(doc: ContentDoc, level: int) -> str:
    """The Markdown for ``doc``, headed at ``level`` (0: no heading), built once.

    One element per section rather than two: every element is a message sent
    and handled on every rerun (``make load-bench``). Documents are frozen and
    hashed by value, so an edited file is a new key.
    """
    return _compose(doc, level, cached.references())


def _compose(
    doc: ContentDoc, level: int, references: dict[str, tuple[str, str]]
) -> str:
    text = render_citations(doc.body, references)
    return f"{'#' * level} {doc.title}\n\n{text}" if level else text


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
