"""Efficacy: tacrolimus regimens against their alternatives, every number sourced."""

import streamlit as st

from dashboard.sections import efficacy as efficacy_sections
from dashboard.sections import efficacy_guidance as guidance_sections
from dashboard.sections import efficacy_pooling as pooling_sections
from dashboard.sections import efficacy_sof as sof_sections
from dashboard.ui.errors import section_guard
from dashboard.ui.page import doc_or_message, open_page, section_text

docs = open_page(
    "efficacy",
    fallback_title="How tacrolimus compares",
    expects=(
        "reading",
        "claims",
        "pooling",
        "sof",
        "regimens",
        "troughs",
        "guidance",
        *guidance_sections.DISEASE_TABS,
        "alternatives",
        "data",
    ),
)
# The evidence section is one fragment (moving a filter reruns only it): the
# filters also change the claims and the data table further down, so it draws
# them into these boxes, made here in page order. Texts stay outside it: a
# broken dataset keeps the text, and a broken text keeps the data.
evidence_box = st.container()
with section_guard("the claims"):
    section_text(docs, "claims")
claims_box = st.container()

# The pooling sandbox and the summary-of-findings tables: each one fragment
# (its controls rerun only it), each with its text above it.
with section_guard("the pooling sandbox"):
    pooling_sections.sandbox(doc_or_message(docs, "pooling"))

with section_guard("the summary-of-findings tables"):
    sof_sections.summary(doc_or_message(docs, "sof"))

with section_guard("the regimens"):
    efficacy_sections.regimens(doc_or_message(docs, "regimens"), None)

with section_guard("the trough targets"):
    if "troughs" in docs:
        efficacy_sections.regimens(None, docs["troughs"])

guidance_sections.guidance(docs)  # each part in its own guard

with section_guard("the data table"):
    section_text(docs, "data")
table_box = st.container()

with evidence_box:
    # The answer first: the verdict beside the forest plot, with the guide to
    # reading the plot folded beside it (its broken file: a message there).
    reading = doc_or_message(docs, "reading", what="the guide to reading the plot")
    efficacy_sections.evidence(claims_box, table_box, reading)
