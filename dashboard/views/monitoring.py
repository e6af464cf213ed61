"""Side effects and monitoring: harms, the plan, a trough simulator, a case."""

from dashboard.core import pk_data
from dashboard.ui import cached, markdown, monitoring_sections, simulator
from dashboard.ui.errors import section_guard
from dashboard.ui.page import open_page

docs = open_page("monitoring", fallback_title="Side effects and monitoring")

with section_guard("the harms"):
    monitoring_sections.harms(docs.get("harms"))
    if "reversible" in docs:
        markdown.section(docs["reversible"], level=3)
        markdown.sources_footer(docs["reversible"])

with section_guard("the monitoring plan"):
    monitoring_sections.plan(docs.get("plan"))

with section_guard("the trough simulator"):
    if "simulator" in docs:
        markdown.section(docs["simulator"])
    simulator.section(pk_data.interactions(cached.dataset("pk_interactions")))

with section_guard("the monitoring case"):
    monitoring_sections.case(docs.get("case"))
