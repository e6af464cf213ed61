"""Show content and data errors as clear messages, never as tracebacks."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import streamlit as st

from dashboard.core.content import ContentError
from dashboard.core.datasets import DataError

_LOG = logging.getLogger(__name__)


@contextlib.contextmanager
def section_guard(what: str) -> Iterator[None]:
    """Run one section of a page; a broken file shows an error box and the page goes on.

    Parameters
    ----------
    what
        Plain name of the section, used in the message ("the histology chart").
    """
    try:
        yield
    except (DataError, ContentError) as error:
        _LOG.error("%s failed: %s", what, error)
        st.error(
            f"**{what.capitalize()} cannot be shown:** a content or data file "
            f"is broken. The rest of the page still works.\n\n```text\n{error}\n```",
            icon=":material/error:",
        )
