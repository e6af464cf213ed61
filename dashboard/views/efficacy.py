"""Efficacy: tacrolimus regimens against their alternatives, every number sourced."""

import streamlit as st

from dashboard.sections import efficacy as efficacy_sections
from dashboard.sections import efficacy_guidance as guidance_sections
from dashboard.sections.efficacy import EvidenceFilter, EvidenceView
from dashboard.ui import cached, markdown
from dashboard.ui.errors import needs, section_guard
from dashboard.ui.page import doc_or_message, open_page, section_text

docs = open_page(
    "efficacy",
    fallback_title="How tacrolimus compares",
    expects=(
        "reading",
        "claims",
        "regimens",
        "troughs",
        "guidance",
        *guidance_sections.DISEASE_TABS,
        "alternatives",
        "data",
    ),
)
with section_guard("the guide to reading the evidence"):
    if "reading" in docs:
        with st.expander(docs["reading"].title, icon=":material/help:"):
            markdown.body(docs["reading"])

# Later sections use these; they stay None if the evidence section fails, and
# those sections then say what they are missing (never a NameError).
chosen: EvidenceFilter | None = None
view: EvidenceView | None = None
with section_guard("the evidence charts"):
    chosen = efficacy_sections.filters()
    view = efficacy_sections.evidence_view(chosen)
    efficacy_sections.summary(view)
    efficacy_sections.forest(view, chosen)
    efficacy_sections.arms(view)
    efficacy_sections.absolute(view, chosen)

# Texts first, then what needs data: a broken dataset keeps the text, and a
# broken text keeps the data (the renderers draw no text when given None).
with section_guard("the claims"):
    section_text(docs, "claims")
    efficacy_sections.claims(
        None, needs(chosen, "the evidence filters"), cached.dataset("efficacy_evidence")
    )

with section_guard("the regimens"):
    efficacy_sections.regimens(doc_or_message(docs, "regimens"), None)

with section_guard("the trough targets"):
    if "troughs" in docs:
        efficacy_sections.regimens(None, docs["troughs"])

guidance_sections.guidance(docs)  # each part in its own guard

with section_guard("the data table"):
    section_text(docs, "data")
    efficacy_sections.table(None, needs(view, "the evidence data"))
