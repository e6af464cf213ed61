"""Streamlit glue shared by the views: caching, rendering, error display."""
