"""Pure logic: loading, validation and models. Never imports streamlit."""
