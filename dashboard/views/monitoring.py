"""Side effects and monitoring: the plan, a trough simulator, a case, then harms.

What must be monitored comes first, so the page answers it on its first
screens (and a projector's first screen shows the grid); the simulator and the
case follow; the 13 rows of harms from the evidence, and the note on
reversibility, close the page.
"""

import streamlit as st

from dashboard.sections import monitoring as monitoring_sections
from dashboard.sections import monitoring_simulator as simulator
from dashboard.sections import monitoring_tdm as measured_levels
from dashboard.ui import markdown
from dashboard.ui.errors import section_guard
from dashboard.ui.page import doc_or_message, open_page, section_text

docs = open_page(
    "monitoring",
    fallback_title="Side effects and monitoring",
    expects=(
        "plan",
        "simulator",
        "tdm",
        "model-limits",
        "case",
        "harms",
        "reversible",
    ),
)

# A broken text shows its message in its place; the charts and tools of its
# section do not depend on it and still run.
with section_guard("the monitoring plan"):
    monitoring_sections.plan(doc_or_message(docs, "plan"))

# The simulator and the case are fragments with their own section_guard
# inside: moving one of their controls reruns that section alone.
with section_guard("the trough simulator"):
    section_text(docs, "simulator")
simulator.section()

with section_guard("the measured-levels fit"):
    section_text(docs, "tdm")
measured_levels.section()

with section_guard("what the model leaves out"):
    limits = doc_or_message(docs, "model-limits")
    if limits is not None:
        with st.expander(limits.title, icon=":material/info:"):
            markdown.section(limits, level=0)

with section_guard("the monitoring case"):
    section_text(docs, "case")
monitoring_sections.case()

with section_guard("the harms"):
    monitoring_sections.harms(doc_or_message(docs, "harms"))

with section_guard("the note on reversibility"):
    if "reversible" in docs:
        markdown.section(docs["reversible"], level=3)
        markdown.sources_footer(docs["reversible"])
