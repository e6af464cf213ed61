"""Home: what the dashboard covers, for whom, objectives, and a map of the pages."""

import streamlit as st

from dashboard.core.site import PAGES
from dashboard.ui import cached, markdown
from dashboard.ui.errors import section_guard

with section_guard("the introduction"):
    docs = cached.page_docs("home")
    welcome = docs.pop("welcome")
    st.title(welcome.title)
    markdown.body(welcome)

st.header("Pages")
st.caption("Each page stands on the one before; start at the top if you are new.")
columns = st.columns(2)
for index, spec in enumerate(p for p in PAGES if p.slug != "home"):
    with columns[index % 2].container(border=True):
        st.page_link(spec.view_path, label=spec.title, icon=spec.icon)
        st.markdown(spec.summary)

with section_guard("the guide for students and educators"):
    objectives = docs.pop("objectives")
    markdown.section(objectives)
    left, right = st.columns(2)
    with left:
        markdown.section(docs.pop("students"), level=3)
    with right:
        markdown.section(docs.pop("educators"), level=3)
    for doc in docs.values():
        markdown.section(doc)
