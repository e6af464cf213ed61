"""Show content and data errors as clear messages, never as tracebacks.

Every section of a page runs inside :func:`section_guard`. A broken data file
(``DataError``) or content file (``ContentError``, raised when a view looks up
a section whose file is broken; see :class:`dashboard.ui.page.Sections`)
becomes an error box naming the file, the line and the cause, in that
section's place; the page goes on with the next section.

A section that needs what an earlier section computed takes it through
:func:`needs`: if the earlier section failed, this one says so plainly instead
of failing on a name that was never bound.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TypeVar

import streamlit as st

from dashboard.core.content import ContentError
from dashboard.core.datasets import DataError

_LOG = logging.getLogger(__name__)
T = TypeVar("T")


class SectionSkippedError(Exception):
    """A section cannot run because an earlier section it needs failed."""


def needs(value: T | None, what: str) -> T:
    """``value``, computed by an earlier section; skip this section if it failed.

    Views bind such names to ``None`` before the earlier section's guard, so
    a later section never meets a missing name (``NameError``).

    Parameters
    ----------
    value
        The earlier section's result, or ``None`` if that section failed.
    what
        Plain name of what is needed ("the evidence data").
    """
    if value is None:
        raise SectionSkippedError(what)
    return value


def broken_file(what: str, error: Exception, *, then: str = "") -> None:
    """The error box for a broken content or data file, in the current place.

    ``then`` says what the reader still gets (default: the rest of the page).
    """
    _LOG.error("%s failed: %s", what, error)
    st.error(
        f"**{what[:1].upper()}{what[1:]} cannot be shown:** a content or data file "
        f"is broken. {then or 'The rest of the page still works.'}"
        f"\n\n```text\n{error}\n```",
        icon=":material/error:",
    )


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
        broken_file(what, error)
    except SectionSkippedError as skipped:
        st.warning(
            f"**{what[:1].upper()}{what[1:]} cannot be shown:** it needs "
            f"{skipped}, which could not be loaded (see the message above).",
            icon=":material/warning:",
        )
