"""What the pooling sandbox shows: its shared results, then the plot and the numbers.

The page model and the forest plot of each pool are built once for all
sessions (:func:`drawn`), with the tables the section shows, so that the
Arrow conversion of each table is remembered too
(:func:`dashboard.ui.cached.arrow_table`). :func:`show_results` draws them:
the forest plot beside the pooled numbers and the per-1000 panel, the
notices, one button per row opening its source, and the leave-one-out,
published and excluded tables. Everything is built in
:mod:`dashboard.models.efficacy_pooling` and its parts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.charts.chart import Chart
from dashboard.models import efficacy_pooling as model
from dashboard.models import efficacy_pooling_figure as figure
from dashboard.models import efficacy_pooling_link as link
from dashboard.models import efficacy_pooling_rows as rows
from dashboard.sections.efficacy import source_dialog
from dashboard.ui import cached, keys, lazy, presenter
from dashboard.ui.charts import show

EVIDENCE = "efficacy_evidence"


@dataclass(frozen=True)
class Drawn:
    """One pool's page model and its forest plot (shared by every session)."""

    view: model.PoolView
    chart: Chart
    leave_one_out: pd.DataFrame
    published: pd.DataFrame


@cached.shared
def groups() -> tuple[rows.PoolGroup, ...]:
    """Every group of rows that may be pooled together (built once, shared)."""
    return rows.poolable_groups(cached.dataset(EVIDENCE))


@cached.shared
def labels() -> dict[str, str]:
    """Row id → "study, time point (id)" for every poolable row (built once)."""
    evidence = cached.dataset(EVIDENCE)
    ids = {i for g in groups() for i in g.ids}
    shown = evidence[evidence["id"].isin(ids)]
    return {
        str(r["id"]): f"{r['study']}, {r['timepoint']} ({r['id']})"
        for _, r in shown.iterrows()
    }


@cached.shared
def drawn(
    group: str,
    pooled: tuple[str, ...],
    observational: bool,
    measure: str,
    method: str,
    hksj: bool,
) -> Drawn:
    """The pool and its forest plot, once per state for all sessions."""
    evidence = cached.dataset(EVIDENCE)
    selection = link.current(evidence, groups(), group, observational, pooled)
    view = model.pool_view(
        evidence, selection, model.PoolOptions(measure, method, hksj)
    )
    chart = figure.forest(view)
    cached.freeze(chart.figure)
    return Drawn(
        view,
        chart,
        figure.leave_one_out_table(view),
        figure.published_table(view),
    )


def show_results(drawn: Drawn) -> None:
    """The plot beside the numbers, then notices, sources and tables."""
    view = drawn.view
    plot, numbers = st.columns([3, 2], gap="medium")
    with plot:
        show(drawn.chart, key=keys.POOL_FOREST, selectable=True)
        st.caption(
            "Click a study to leave it out; click it again to bring it back. "
            "The checkboxes above do the same without a mouse."
        )
    with numbers:
        st.markdown(view.headline)
        if view.result is not None:
            st.markdown(f"{view.heterogeneity}\n\n{view.prediction}")
            st.caption(figure.continuity_line(view))
            _per_1000(view)
    _notices(view)
    _sources(view)
    _tables(drawn)


def _per_1000(view: model.PoolView) -> None:
    st.markdown("**Per 1000 people**")
    if not view.absolute:
        st.caption("No sourced comparator risk on this question and time window.")
        return
    st.markdown(
        "\n".join(
            f"- {row.label}. {row.words} *Rows {', '.join(row.ids)}.*"
            for row in view.absolute
        )
    )


def _notices(view: model.PoolView) -> None:
    notices = list(view.notices)
    if model.OBSERVATIONAL_WARNING in notices:
        notices.remove(model.OBSERVATIONAL_WARNING)
        st.warning(model.OBSERVATIONAL_WARNING, icon=":material/warning:")
    if notices:
        st.info("\n".join(f"- {n}" for n in notices), icon=":material/info:")


def _sources(view: model.PoolView) -> None:
    """One button per row shown (and published pool beside it): its source."""
    ids = [*view.studies["id"], *view.comparisons["id"]]
    box = st.container(horizontal=True, gap="small", key="pool-sources")
    box.markdown("**Sources:**")
    for row_id in dict.fromkeys(ids):
        if box.button(
            row_id,
            key=f"{keys.POOL_SOURCE_PREFIX}{row_id}",
            icon=":material/open_in_new:",
            type="tertiary",
            help=f"Where the numbers of {row_id} come from",
        ):
            source_dialog(row_id)


def _tables(drawn: Drawn) -> None:
    view = drawn.view
    presenting = presenter.is_on()
    if not view.leave_one_out.empty:
        if presenting:
            box = lazy.expander("Leave one out", key="pool_loo_open")
        else:
            st.markdown("**Leave one out:** the pool again without each study.")
            box = st.container()
        if box is not None:
            box.dataframe(
                cached.arrow_table(drawn.leave_one_out),
                hide_index=True,
                width="stretch",
            )
    if not view.comparisons.empty:
        box = lazy.expander(
            "Published pooled estimates on this question (shown, never pooled)",
            key="pool_published_open",
        )
        if box is not None:
            box.dataframe(
                cached.arrow_table(drawn.published),
                hide_index=True,
                width="stretch",
            )
    box = lazy.expander("Why other rows are not in this pool", key="pool_excluded_open")
    if box is not None:
        excluded = _excluded(link.group_id(view.selection.group))
        if excluded.empty:
            box.markdown("Every row on this question is in the plot.")
        else:
            box.dataframe(excluded, hide_index=True, width="stretch")
    box = lazy.expander("How the sandbox computes", key="pool_method_open")
    if box is not None:
        box.markdown(model.METHOD_NOTE)


@cached.shared
def _excluded(group: str) -> pd.DataFrame:
    """Rows on group ``group``'s question that are not in the plot, and why (shared)."""
    found = link.group_of(groups(), group)
    if found is None:
        return pd.DataFrame(columns=["id", "study", "reason"])
    return rows.excluded_rows(cached.dataset(EVIDENCE), found.key)
