"""Mechanism: FKBP-12, calcineurin, NFAT and IL-2, and the podocyte, step by step."""

import streamlit as st

from dashboard.ui import cached, markdown, mechanism_sections
from dashboard.ui.errors import section_guard

docs = {}
with section_guard("this page's text"):
    docs = cached.page_docs("mechanism")

intro = docs.get("intro")
st.title(intro.title if intro else "How tacrolimus works")
if intro:
    markdown.body(intro)

with section_guard("the step-through"):
    mechanism_sections.step_through(docs)

SECTIONS = (
    ("b_cells", "the note on B cells", markdown.section),
    ("cyclosporine", "the comparison with cyclosporine", markdown.section),
    ("comparison", "the comparison of regimens", mechanism_sections.comparison),
    ("reading", "the further reading", mechanism_sections.further_reading),
    ("check", "the questions", mechanism_sections.check_yourself),
)
for slug, label, render in SECTIONS:
    with section_guard(label):
        if slug in docs:
            render(docs[slug])
            markdown.sources_footer(docs[slug])
