"""Page models: everything a page shows that is not a widget. Never import streamlit.

One module per page, named as the page's slug (``nephrotic_syndrome`` for
``nephrotic-syndrome``). A model function takes plain values (the control
values a student chose, validated data frames, content docs) and returns the
views of the data, the sentences with their numbers, the Markdown tables and
the handout content that the page's sections in :mod:`dashboard.sections`
lay out with widgets. Like :mod:`dashboard.core`, models are pure and raise
``ValueError`` (or the core's ``DataError``) for input they cannot use; they
are unit-tested without streamlit (``tests/unit/models``).

The view receives the model: a section never computes a number or a sentence
itself, so a sentence with a number is found one hop from the section that
shows it.
"""
