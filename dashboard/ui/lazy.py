"""Expanders whose content is built only while a student has them open.

A closed ``st.expander`` still runs and sends everything inside it on every
rerun. The data tables under charts, the source lists and the rows behind each
verdict are opened by few students, yet cost every student's rerun: with a
lecture hall of reruns that is most of the server's time (``make load-bench``).
A stateful expander (``on_change="rerun"``) knows whether it is open, so its
content runs only then. Opening one reruns the page once for that student.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def expander(label: str, *, key: str, icon: str | None = None) -> DeltaGenerator | None:
    """An expander labelled ``label``; its container while open, else ``None``."""
    box = st.expander(label, icon=icon, key=key, on_change="rerun")
    return box if box.open else None
