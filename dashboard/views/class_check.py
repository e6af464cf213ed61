"""Live class check: polls on quiz questions, answered on students' own devices."""

from dashboard.sections import class_check
from dashboard.ui.errors import section_guard
from dashboard.ui.page import open_page

docs = open_page("class-check", fallback_title="Live class check", expects=("how",))
with section_guard("the class check"):
    class_check.page(docs)
