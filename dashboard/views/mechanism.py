"""Mechanism: FKBP-12, calcineurin, NFAT and IL-2, and the podocyte, step by step."""

from dashboard.core.mechanism import LANE_SPECS
from dashboard.sections import mechanism as mechanism_sections
from dashboard.ui import markdown
from dashboard.ui.errors import section_guard
from dashboard.ui.page import open_page

SECTIONS = (
    ("b_cells", "the note on B cells", markdown.section),
    ("cyclosporine", "the comparison with cyclosporine", markdown.section),
    ("comparison", "the comparison of regimens", mechanism_sections.comparison),
    ("reading", "the further reading", mechanism_sections.further_reading),
    ("check", "the questions", mechanism_sections.check_yourself),
)
#: One narration file per step: ``steps/tcell-1.md`` … ``steps/podocyte-4.md``.
STEP_SLUGS = [
    f"{lane}-{step}"
    for lane, spec in LANE_SPECS.items()
    for step in range(1, spec.steps + 1)
]

docs = open_page(
    "mechanism",
    fallback_title="How tacrolimus works",
    expects=STEP_SLUGS + [slug for slug, _, _ in SECTIONS],
)

with section_guard("the step-through"):
    mechanism_sections.step_through(docs)

for slug, label, render in SECTIONS:
    with section_guard(label):
        if slug in docs:
            render(docs[slug])
            markdown.sources_footer(docs[slug])
