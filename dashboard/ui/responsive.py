"""Layouts that follow the screen's width in the browser, not on the server.

Streamlit does not tell the server how wide the screen is. Rather than ask
the browser and rerun (one extra run per student on arrival, a stale answer
after a phone is turned, and shared caches split by width), the page sends
both forms of the few things that need two layouts, and the browser's CSS
shows the one that fits (``presenter.STYLESHEET``):

* :func:`wide_only` – shown above :data:`NARROW_PX` (laptops, projectors);
* :func:`narrow_only` – shown at or below it (phones held upright).

Everything else lays itself out for every width (charts put their labels
above the rows, tables scroll inside their own frame). The breakpoint is
Streamlit's own: at 640 px its columns stack.

Use it only for what truly differs (a diagram drawn top to bottom, a grid as
cards). What is inside both containers is built on every run, so keep the
narrow form cheap, or cached.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

#: The widest screen, in CSS px, that gets the narrow layout (Streamlit's
#: column-stacking breakpoint).
NARROW_PX = 640
#: Container key prefixes the stylesheet hides by width.
WIDE_PREFIX = "wide-only-"
NARROW_PREFIX = "narrow-only-"
#: Key prefix of a block of answer options (quiz, class check): each option
#: is at least 44 px tall there.
ANSWERS_PREFIX = "answers-"


def wide_only(name: str) -> DeltaGenerator:
    """A container shown only on screens wider than :data:`NARROW_PX`."""
    return st.container(key=f"{WIDE_PREFIX}{name}")


def narrow_only(name: str) -> DeltaGenerator:
    """A container shown only on screens :data:`NARROW_PX` wide or less."""
    return st.container(key=f"{NARROW_PREFIX}{name}")


def answers(name: str) -> DeltaGenerator:
    """A container for answer options: each at least 44 px tall, full width."""
    return st.container(key=f"{ANSWERS_PREFIX}{name}")
