"""Side effects and monitoring: harms, the plan, a trough simulator, a case."""

from dashboard.sections import monitoring as monitoring_sections
from dashboard.sections import monitoring_simulator as simulator
from dashboard.ui import cached, markdown
from dashboard.ui.errors import section_guard
from dashboard.ui.page import doc_or_message, open_page

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

with section_guard("the trough simulator"):
    intro = doc_or_message(docs, "simulator")
    if intro is not None:
        markdown.section(intro)
    simulator.section(cached.pk_interactions())

with section_guard("the monitoring case"):
    monitoring_sections.case(doc_or_message(docs, "case"))
