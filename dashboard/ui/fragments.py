"""Section-only reruns: a control moved inside a section reruns that section alone.

Streamlit reruns the whole page when a widget changes, unless the widget lives
in a fragment (``st.fragment``): then only the fragment's function runs again,
and the rest of the page stays as it was drawn. On the teaching pages a slider
or a filter changes one section, so each interactive section is one fragment.

A fragment rerun runs only the fragment's function, outside the view's
``section_guard`` blocks; :func:`section` therefore puts the guard *inside*
the fragment, so a broken file found during a fragment rerun is still a clear
message in the section's place, never a traceback.

What a section computes and a later section needs must stay inside the same
fragment (a later section outside it would keep the value of the last full
run); put such sections in one fragment function.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from dashboard.ui import presenter
from dashboard.ui.errors import section_guard

F = TypeVar("F", bound=Callable[..., Any])


def section(what: str, *, key: str | None = None) -> Callable[[F], F]:
    """Decorate a section function: run it as a fragment, inside ``section_guard``.

    Parameters
    ----------
    what
        Plain name of the section, used in its error message ("the simulator").
    key
        A name for the fragment, so that a callback can rerun it (and others)
        with ``st.rerun([key, ...])``; ``None`` lets Streamlit name it.

    The decorated function returns its result on a full run of the page (and
    ``None`` if the guard caught a broken file); on a fragment rerun nobody
    receives the result, so it must draw everything it changes itself.
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                with section_guard(what):
                    return func(*args, **kwargs)
                return None
            finally:
                # On every run, full or not: Streamlit lets a fragment rerun write
                # into a container outside it only if its full runs did too.
                presenter.refresh_link()

        return st.fragment(guarded, key=key)  # type: ignore[return-value]

    return decorate
