"""Presenter view: the educator's own screen, with notes and projector links."""

import streamlit as st

from dashboard.sections import presenter_view as sections
from dashboard.ui import markdown
from dashboard.ui.errors import section_guard
from dashboard.ui.page import open_page

docs = open_page(
    "presenter-view",
    fallback_title="Presenter view",
    has_charts=False,
    expects=("plan",),
)
spec, notes = None, []
with section_guard("the page picker"):
    spec, notes = sections.pick_page()
if spec is not None:
    left, right = st.columns([3, 2])
    with left, section_guard("the teacher notes"):
        sections.notes(spec, notes)
    with right:
        with section_guard("the projector links"):
            sections.links(spec)
        with section_guard("the class check"):
            sections.class_check()
with section_guard("the plan"):
    if "plan" in docs:
        markdown.section(docs["plan"])
