"""Page sections: widgets and layout over a page model, one module per page.

Each module is named as its page's slug (``nephrotic_syndrome`` for
``nephrotic-syndrome``); a page too large for one module adds modules that start
with its name (``monitoring_simulator``). Sections import streamlit; what they
show that is not a widget (views of the data, sentences with numbers, Markdown
tables, handout content) comes from the pure page models in
:mod:`dashboard.models`. Views (``dashboard/views``) call the sections in order,
each inside ``section_guard``.
"""
