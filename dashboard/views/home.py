"""Home: what the dashboard covers, for whom, objectives, and a map of the pages."""

import streamlit as st

from dashboard.models import home as model
from dashboard.ui import handout, markdown
from dashboard.ui.errors import section_guard
from dashboard.ui.page import open_page

GUIDE = ("objectives", "students", "educators", "honesty")
docs = open_page(
    "home",
    fallback_title="Tacrolimus in nephrotic syndrome",
    has_charts=False,
    expects=GUIDE,
)

st.header("Pages")
st.caption("Each page stands on the one before; start at the top if you are new.")
for section, specs in model.page_map():
    st.subheader(section)
    columns = st.columns(2)
    for index, spec in enumerate(specs):
        with columns[index % 2].container(border=True):
            st.page_link(spec.view_path, label=spec.title, icon=spec.icon)
            st.markdown(spec.summary)

with section_guard("the objectives"):
    if "objectives" in docs:
        markdown.section(docs["objectives"])
left, right = st.columns(2)
for column, slug in ((left, "students"), (right, "educators")):
    with column, section_guard(f"the guide for {slug}"):
        if slug in docs:
            markdown.section(docs[slug], level=3)
# Any further section (the honesty note, and any file added later), each alone.
for slug in docs:
    if slug not in ("intro", "objectives", "students", "educators"):
        with section_guard("this section"):
            markdown.section(docs[slug])

handout.offer("course-map", model.handout)
