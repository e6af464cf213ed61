"""Side effects and monitoring: harms, the plan, a trough simulator, a case."""

from dashboard.sections import monitoring as monitoring_sections
from dashboard.sections import monitoring_simulator as simulator
from dashboard.ui import markdown
from dashboard.ui.errors import section_guard
from dashboard.ui.page import doc_or_message, open_page, section_text

docs = open_page(
    "monitoring",
    fallback_title="Side effects and monitoring",
    expects=("harms", "reversible", "plan", "simulator", "case"),
)

# A broken text shows its message in its place; the charts and tools of its
# section do not depend on it and still run.
with section_guard("the harms"):
    monitoring_sections.harms(doc_or_message(docs, "harms"))

with section_guard("the note on reversibility"):
    if "reversible" in docs:
        markdown.section(docs["reversible"], level=3)
        markdown.sources_footer(docs["reversible"])

with section_guard("the monitoring plan"):
    monitoring_sections.plan(doc_or_message(docs, "plan"))

# The simulator and the case are fragments with their own section_guard
# inside: moving one of their controls reruns that section alone.
with section_guard("the trough simulator"):
    section_text(docs, "simulator")
simulator.section()

with section_guard("the monitoring case"):
    section_text(docs, "case")
monitoring_sections.case()
