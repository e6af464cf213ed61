"""Quiz: retrieval questions across the pages, with confidence and a summary."""

from dashboard.sections import quiz as quiz_sections
from dashboard.ui.errors import section_guard
from dashboard.ui.page import open_page

open_page("quiz", fallback_title="Quiz", has_charts=False)
with section_guard("the quiz"):
    quiz_sections.page()
