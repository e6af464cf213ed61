"""Nephrotic syndrome: definitions, pathophysiology, causes, course, complications."""

import streamlit as st

from dashboard.sections import nephrotic_syndrome as ns_sections
from dashboard.ui import markdown
from dashboard.ui.errors import section_guard
from dashboard.ui.page import doc_or_message, open_page

SECTIONS = (
    ("features", "the defining features", ns_sections.definitions),
    ("pathophysiology", "the pathophysiology chain", None),
    ("causes", "the causes by age", ns_sections.causes),
    ("steroid_response", "the steroid response section", ns_sections.steroid_response),
    ("complications", "the complications section", ns_sections.complications),
    ("classify", "the classify-a-patient exercise", ns_sections.classify_exercise),
)
docs = open_page(
    "nephrotic-syndrome",
    fallback_title="Nephrotic syndrome",
    expects=[slug for slug, _, _ in SECTIONS] + ["model_note"],
)
st.markdown(
    "**On this page:** [Defining features](#the-defining-features) · "
    "[Pathophysiology](#from-leaky-filter-to-swollen-legs) · "
    "[Causes by age](#causes-differ-with-age) · "
    "[Steroid response](#steroid-response-shapes-the-course) · "
    "[Complications](#complications) · [Classify a patient](#classify-a-patient)"
)

for slug, label, render in SECTIONS:
    with section_guard(label):
        if slug not in docs:
            continue
        if render is None:
            ns_sections.pathophysiology_chain(docs[slug], docs.doc("model_note"))
            doc_or_message(docs, "model_note", what="the note on the model")
        else:
            render(docs[slug])
        markdown.sources_footer(docs[slug])
