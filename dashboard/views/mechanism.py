"""Mechanism: FKBP-12, calcineurin, NFAT and IL-2, and the podocyte, step by step."""

from dashboard.ui import markdown, mechanism_sections
from dashboard.ui.errors import section_guard
from dashboard.ui.page import open_page

docs = open_page("mechanism", fallback_title="How tacrolimus works")

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
