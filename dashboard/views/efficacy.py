"""Efficacy: tacrolimus regimens against their alternatives, every number sourced."""

import streamlit as st

from dashboard.core import efficacy
from dashboard.ui import cached, efficacy_sections, markdown
from dashboard.ui.errors import section_guard
from dashboard.ui.page import open_page

docs = open_page("efficacy", fallback_title="How tacrolimus compares")
if "reading" in docs:
    with st.expander(docs["reading"].title, icon=":material/help:"):
        markdown.body(docs["reading"])

with section_guard("the evidence charts"):
    evidence = cached.dataset("efficacy_evidence")
    chosen = efficacy_sections.filters()
    rows = efficacy.filter_evidence(evidence, chosen)
    efficacy_sections.summary(rows)
    efficacy_sections.forest(rows, chosen)
    efficacy_sections.arms(rows, chosen)
    efficacy_sections.absolute(rows, chosen)

with section_guard("the claims"):
    efficacy_sections.claims(docs.get("claims"), chosen, evidence)

with section_guard("the regimens"):
    efficacy_sections.regimens(docs.get("regimens"), docs.get("troughs"))

with section_guard("the data table"):
    efficacy_sections.table(docs.get("data"), rows)
