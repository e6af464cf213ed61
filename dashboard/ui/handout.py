"""The "Handout (PDF)" button: a one-page PDF of the page's current state."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

import streamlit as st

from dashboard.core.handout import Handout, build_pdf
from dashboard.ui import cached, presenter


def offer(slug: str, builder: Callable[[], Handout]) -> None:
    """Add the download button to the sidebar; the PDF is built only when clicked.

    The address is read now, during the script run: the deferred builder runs
    outside it, where the page's query parameters are not available.
    """
    address = presenter.current_link()
    st.sidebar.download_button(
        "Handout (PDF)",
        data=lambda: build_pdf(replace(builder(), link=address)),
        file_name=f"tacrolimus-{slug}-handout.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        key=f"handout_{slug}",
        help="The key figure, the key numbers and the sources of this view.",
    )


def references(ids: Iterable[str]) -> list[tuple[str, str]]:
    """(citation, locator) for reference ids, in order, without repeats."""
    table = cached.dataset("references").set_index("id")
    out = []
    for ref in dict.fromkeys(ids):
        if ref in table.index:
            out.append(
                (str(table.loc[ref, "source"]), str(table.loc[ref, "source_url"]))
            )
    return out


def rows(frame_sources: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Unique (citation, locator) pairs from data rows."""
    return list(dict.fromkeys((str(s), str(u)) for s, u in frame_sources))
