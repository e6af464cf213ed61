"""Entrypoint: configure the page once, then route.

Run with ``python -m streamlit run dashboard/app.py`` from the repository root.
"""

import streamlit as st

from dashboard import patches

# Process-wide patches of Streamlit's internals: applied by the first run of the
# process, a no-op afterwards (DASHBOARD_STREAMLIT_PATCHES=off switches them off).
# First, before the heavier imports below: until it has run, a fresh process
# still serves uploads (dashboard/patches/closed_endpoints.py).
patches.apply()

from dashboard.core.site import DEFAULT_SLUG  # noqa: E402
from dashboard.navigation import build_pages  # noqa: E402
from dashboard.patches import heap  # noqa: E402
from dashboard.ui import page, presenter, url_state  # noqa: E402

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
presenter.forget_link_slot()
current = st.navigation(build_pages())
current.run()
page.footer(current.url_path or DEFAULT_SLUG)
url_state.report(opened_with)
presenter.refresh_link()
heap.after_run()
