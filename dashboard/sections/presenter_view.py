"""The Presenter view's sections: pick a page, then its links and teacher notes."""

from __future__ import annotations

import streamlit as st

from dashboard.core.site import PageSpec
from dashboard.models import presenter_view as model
from dashboard.ui import cached, errors, keys, markdown, presenter, url_state


def _notes_by_page() -> dict[str, list]:
    """Page slug → its teacher notes (sections with ``audience: educator``)."""
    found = {}
    for spec in model.PAGES:
        content = cached.page_docs(spec.slug)
        found[spec.slug] = [
            d for d in content.docs.values() if d.audience == "educator"
        ]
    return found


def _note_problems(slug: str) -> list:
    """Broken teacher-note files of ``slug`` (their readable lines say educator)."""
    content = cached.page_docs(slug)
    return [p for p in content.problems if p.audience == "educator"]


def pick_page() -> tuple[PageSpec | None, list]:
    """The page picker (bound to ``?pv_page=``); returns the page and its notes."""
    notes = _notes_by_page()
    # A page whose only note is broken is still listed: its message shows there.
    listed = {slug: [*found, *_note_problems(slug)] for slug, found in notes.items()}
    choices = model.pages_with_notes(listed)
    if not choices:
        st.info("No page has teacher notes yet.")
        return None, []
    slugs = [spec.slug for spec in choices]
    titles = {spec.slug: spec.title for spec in choices}
    wanted = st.query_params.get(keys.PV_PAGE)
    chosen = model.chosen_page(wanted, choices)
    slug = st.segmented_control(
        "Notes for the page",
        slugs,
        default=chosen.slug,
        format_func=titles.__getitem__,
        key=keys.PV_PAGE,
        bind="query-params",
        required=True,
    )
    slug = url_state.required(slug, keys.PV_PAGE, chosen.slug)
    spec = model.chosen_page(slug, choices)
    return spec, notes[spec.slug]


def links(spec: PageSpec) -> None:
    """Links that open the page's views on the projector, in presenter mode."""
    content = cached.page_docs(spec.slug)
    titles = {slug: doc.title for slug, doc in content.docs.items()}
    st.subheader("Open on the projector")
    st.caption(
        "Each link opens the page in presenter mode; open it in the projector's "
        "browser. A view's own link (with its controls set) is under "
        '"Link to this view" on that page.'
    )
    found = model.projector_links(spec, titles)
    st.markdown("\n".join(link.markdown() for link in found))


def notes(spec: PageSpec, notes: list) -> None:
    """The page's teacher notes, folded while presenter mode is on."""
    st.subheader(f"Teacher notes: {spec.title}")
    folded = presenter.is_on()
    if folded:
        st.warning(
            "Presenter mode is on here, so this screen may be projected: the notes "
            "stay folded. Open them only on your own screen.",
            icon=":material/visibility_off:",
        )
    for note in notes:
        with st.expander(note.title, expanded=not folded):
            markdown.body(note)
    for problem in _note_problems(spec.slug):
        errors.broken_file(
            "a teacher note",
            problem.error(),
            then="The other notes and the page still work.",
        )


def class_check() -> None:
    """How to reach a poll's private teacher view from this screen."""
    st.subheader("Live class check")
    st.markdown(
        "Start a poll on the projected **Live class check** page. To follow it "
        "here, open that page on this device with the poll's code "
        "(`/class-check?poll=CODE`) and type your teacher PIN."
    )
