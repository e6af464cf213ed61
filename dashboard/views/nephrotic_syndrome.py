"""Nephrotic syndrome: the pathophysiology chain first, then definitions, causes,
course, complications, and a classify-a-patient exercise."""

import dataclasses

import streamlit as st

from dashboard.core import site
from dashboard.sections import nephrotic_syndrome
from dashboard.ui import markdown
from dashboard.ui.errors import section_guard
from dashboard.ui.page import doc_or_message, open_page

PAGE = site.page_by_slug("nephrotic-syndrome")
# The page opens with its interaction (issue 21); reference material follows.
SECTIONS = (
    ("pathophysiology", "the pathophysiology chain", None),
    ("features", "the defining features", nephrotic_syndrome.definitions),
    ("causes", "the causes by age", nephrotic_syndrome.causes),
    (
        "steroid_response",
        "the steroid response section",
        nephrotic_syndrome.steroid_response,
    ),
    ("complications", "the complications section", nephrotic_syndrome.complications),
    (
        "classify",
        "the classify-a-patient exercise",
        nephrotic_syndrome.classify_exercise,
    ),
)
ORDER = {slug: index for index, (slug, _, _) in enumerate(SECTIONS)}
docs = open_page(
    PAGE.slug,
    fallback_title=PAGE.title,
    expects=[slug for slug, _, _ in SECTIONS] + ["model_note"],
)
# "On this page" lists the sections in the order the page draws them.
in_order = dataclasses.replace(
    PAGE,
    contents=tuple(
        sorted(PAGE.contents, key=lambda entry: ORDER.get(entry[0], len(ORDER)))
    ),
)
links = site.on_this_page(
    in_order, {slug: doc.title for slug in docs if (doc := docs.doc(slug)) is not None}
)
if links:
    st.markdown(links)

for slug, label, render in SECTIONS:
    with section_guard(label):
        if slug not in docs:
            continue
        if render is None:
            nephrotic_syndrome.pathophysiology_chain(docs[slug], docs.doc("model_note"))
            doc_or_message(docs, "model_note", what="the note on the model")
        else:
            render(docs[slug])
        markdown.sources_footer(docs[slug])
