"""Summary-of-findings tables on the Efficacy page: one fragment.

The student picks a comparison (bound to the URL); the table follows as a
Markdown table on wide screens and as one card per outcome on phones
(:mod:`dashboard.ui.responsive`), then an icon array of 100 people for one
outcome at the lower or higher sourced comparator risk. Every line names its
row ids, and each id opens its source in one click. Everything shown is built
in :mod:`dashboard.models.efficacy_sof` and its ``_display`` part, once for
all sessions.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.core.content import ContentDoc
from dashboard.models import efficacy_sof as model
from dashboard.models import efficacy_sof_display as display
from dashboard.sections.efficacy import source_dialog
from dashboard.ui import cached, fragments, keys, lazy, markdown, responsive, url_state
from dashboard.ui.charts import show

BASELINES = {"lower": "Lower comparator risk", "higher": "Higher comparator risk"}


@cached.shared
def _tables() -> dict[str, model.SofTable]:
    """Every supported table by its id (built once, shared)."""
    return {t.id: t for t in model.sof_tables(cached.dataset("efficacy_evidence"))}


@cached.shared
def _icons(table: str, row_id: str, which: str) -> display.IconView | None:
    """The icon array of one line at one baseline (built once, shared)."""
    found = _tables()[table]
    line = next(line for line in found.lines if line.row_id == row_id)
    view = display.icon_view(line, found.comparator, which)
    if view is not None:
        cached.freeze(view.chart.figure)
    return view


@cached.shared
def _markdown(table: str) -> tuple[str, tuple[str, ...]]:
    """The wide table (with its statements) and the phone cards (built once)."""
    found = _tables()[table]
    wide = f"{display.markdown_table(found)}\n\n{display.statements(found)}"
    return wide, tuple(display.card(line) for line in found.lines)


def summary(doc: ContentDoc | None) -> None:
    """The section's text, then the tables (a fragment)."""
    if doc is not None:
        markdown.section(doc)
    tables()


def _short(table: model.SofTable) -> str:
    return f"vs {table.comparator} · {table.disease}"


@fragments.section("the summary-of-findings tables", key=keys.SOF_FRAGMENT)
def tables() -> None:
    """The comparison picker, its table, the icon array and the rows' sources."""
    found = _tables()
    if not found:
        st.info("No comparison in the data has randomised evidence with a ratio.")
        return
    names = {table_id: _short(t) for table_id, t in found.items()}
    chosen = st.selectbox(
        "Comparison (tacrolimus-based treatment …)",
        list(found),
        format_func=url_state.label(keys.SOF_COMPARISON, names.get),
        key=keys.SOF_COMPARISON,
        bind="query-params",
    )
    table = found[chosen]
    st.markdown(f"**{table.title}**")
    wide, cards = _markdown(table.id)
    with responsive.wide_only("sof-table"):
        st.markdown(wide)
    with responsive.narrow_only("sof-table"):
        for card in cards:
            with st.container(border=True):
                st.markdown(card)
    for note in table.notes:
        st.caption(note)
    st.caption(model.WORDING)
    _icon_array(table)
    _sources(table)
    _excluded(table)


def _icon_array(table: model.SofTable) -> None:
    lines = {line.row_id: line for line in table.lines if line.lower is not None}
    if not lines:
        st.caption("No outcome here has a sourced comparator risk: no icon array.")
        return
    # Controls first: on a phone the columns stack, and the choice comes
    # before the picture it changes.
    controls, picture = st.columns([2, 3], gap="medium")
    with controls:
        row_id = st.selectbox(
            "Outcome shown as 100 people",
            list(lines),
            format_func=lambda i: f"{lines[i].outcome} ({lines[i].timepoint})",
            key=f"{keys.SOF_OUTCOME_PREFIX}{table.id}",
        )
        which = st.segmented_control(
            "Comparator risk",
            tuple(BASELINES),
            default="lower",
            required=True,
            format_func=BASELINES.get,
            key=keys.SOF_BASELINE,
        )
        line = lines[row_id]
        if line.higher is None:
            st.caption(line.baseline_note)
        view = _icons(table.id, row_id, which or "lower")
        if view is not None:
            st.markdown(view.words)
    with picture:
        if view is not None:
            show(view.chart, key="sof_icons")


def _sources(table: model.SofTable) -> None:
    ids = dict.fromkeys(i for line in table.lines for i in line.ids)
    box = st.container(horizontal=True, gap="small", key="sof-sources")
    box.markdown("**Sources:**")
    for row_id in ids:
        if box.button(
            row_id,
            key=f"{keys.SOF_SOURCE_PREFIX}{row_id}",
            icon=":material/open_in_new:",
            type="tertiary",
            help=f"Where the numbers of {row_id} come from",
        ):
            source_dialog(row_id)


def _excluded(table: model.SofTable) -> None:
    if not table.excluded:
        return
    box = lazy.expander(
        f"Rows on this comparison not in the table ({len(table.excluded)}), and why",
        key=f"sof_excluded_{table.id}",
    )
    if box is not None:
        box.dataframe(
            pd.DataFrame(table.excluded, columns=["Row id", "Why not"]),
            hide_index=True,
            width="stretch",
        )
