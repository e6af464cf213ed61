"""Mechanism: FKBP-12, calcineurin, NFAT and IL-2, and the podocyte, step by step."""

from dashboard.core import site
from dashboard.core.mechanism import LANE_SPECS
from dashboard.sections import mechanism
from dashboard.ui import markdown
from dashboard.ui.errors import section_guard
from dashboard.ui.page import open_page

PAGE = site.page_by_slug("mechanism")
SECTIONS = (
    ("b_cells", "the note on B cells", markdown.section),
    ("cyclosporine", "the comparison with cyclosporine", markdown.section),
    ("comparison", "the comparison of regimens", mechanism.comparison),
    ("reading", "the further reading", mechanism.further_reading),
    ("check", "the questions", mechanism.check_yourself),
)
#: One narration file per step: ``steps/tcell-1.md`` … ``steps/podocyte-4.md``.
STEP_SLUGS = [
    f"{lane}-{step}"
    for lane, spec in LANE_SPECS.items()
    for step in range(1, spec.steps + 1)
]

docs = open_page(
    PAGE.slug,
    fallback_title="How tacrolimus works",
    expects=STEP_SLUGS + [slug for slug, _, _ in SECTIONS],
)

mechanism.step_through(docs)  # a fragment, with its own section guard

for slug, label, render in SECTIONS:
    with section_guard(label):
        if slug in docs:
            render(docs[slug])
            markdown.sources_footer(docs[slug])
