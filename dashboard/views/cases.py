"""Virtual patients: branching cases played on the dashboard's model and evidence."""

from dashboard.sections import cases as case_sections
from dashboard.ui.errors import section_guard
from dashboard.ui.page import open_page

open_page("cases", fallback_title="Virtual patients", has_charts=False)
with section_guard("the virtual patients"):
    case_sections.page()
