"""Efficacy: tacrolimus regimens against their alternatives, every number sourced."""

import streamlit as st

from dashboard.ui import cached, efficacy_sections, guidance_sections, markdown
from dashboard.ui.errors import section_guard
from dashboard.ui.page import open_page

docs = open_page("efficacy", fallback_title="How tacrolimus compares")
if "reading" in docs:
    with st.expander(docs["reading"].title, icon=":material/help:"):
        markdown.body(docs["reading"])

with section_guard("the evidence charts"):
    chosen = efficacy_sections.filters()
    view = efficacy_sections.evidence_view(chosen)
    efficacy_sections.summary(view)
    efficacy_sections.forest(view, chosen)
    efficacy_sections.arms(view)
    efficacy_sections.absolute(view, chosen)

with section_guard("the claims"):
    efficacy_sections.claims(
        docs.get("claims"), chosen, cached.dataset("efficacy_evidence")
    )

with section_guard("the regimens"):
    efficacy_sections.regimens(docs.get("regimens"), docs.get("troughs"))

with section_guard("the current guidance"):
    guidance_sections.guidance(docs)

with section_guard("the data table"):
    efficacy_sections.table(docs.get("data"), view)
