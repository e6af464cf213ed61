"""Entrypoint: configure the page once, then route.

Run with ``python -m streamlit run dashboard/app.py`` from the repository root.
"""

import streamlit as st

from dashboard.navigation import build_pages
from dashboard.ui import batching, client_errors, closed_endpoints, heap, tcp, url_state

tcp.enable_nodelay()
batching.enable_batching()
closed_endpoints.refuse_uploads()
client_errors.log_in_one_line()

st.set_page_config(
    page_title="Tacrolimus in nephrotic syndrome",
    page_icon=":material/nephrology:",
    layout="wide",
    # Presenter mode (?present=true) opens with the sidebar out of the way.
    initial_sidebar_state="collapsed"
    if st.query_params.get("present") == "true"
    else "auto",
)
opened_with = url_state.snapshot()
st.navigation(build_pages()).run()
url_state.report(opened_with)
heap.after_run()
