"""Sections of the Efficacy page. Each reads the filtered evidence it is given."""

from __future__ import annotations

import dataclasses

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts import efficacy as charts
from dashboard.charts import static
from dashboard.core import efficacy
from dashboard.core.content import ContentDoc
from dashboard.core.efficacy import ALL, EvidenceFilter
from dashboard.core.handout import Handout
from dashboard.core.schemas import CAVEATS, COMPARATORS, DISEASE_GROUPS, OUTCOME_GROUPS
from dashboard.core.tables import (
    attribution_note,
    markdown_table,
    read_at_text,
    short_citation,
    source_markdown,
)
from dashboard.ui import cached, handout, keys, lazy, markdown, url_state
from dashboard.ui.charts import chart

DESIGN_WORDS = {
    "rct": "Randomised trial",
    "meta-analysis": "Meta-analysis or review",
    "observational": "Observational",
}
TIMEPOINTS = ("up to 6 months", "12 months or more", "final follow-up", "not stated")
VERDICT_MARKS = {
    "supported": ":green[:material/check_circle:] **Supported**",
    "partly supported": ":orange[:material/contrast:] **Partly supported**",
    "not supported": ":red[:material/cancel:] **Not supported**",
    "not shown": ":gray[:material/help:] **Not shown**",
}


def _all_or(value: str) -> str:
    return "All" if value == ALL else value[0].upper() + value[1:]


def filters() -> EvidenceFilter:
    """The filter controls, all bound to the URL."""
    with st.container(border=True):
        top = st.columns([3, 2, 2])
        disease = top[0].selectbox(
            "Disease",
            (ALL, *DISEASE_GROUPS),
            index=1,
            format_func=url_state.label(keys.EFF_DISEASE, _all_or),
            key=keys.EFF_DISEASE,
            bind="query-params",
        )
        comparator = top[1].selectbox(
            "Compared with",
            (ALL, *COMPARATORS),
            format_func=url_state.label(keys.EFF_COMPARATOR, _all_or),
            key=keys.EFF_COMPARATOR,
            bind="query-params",
        )
        timepoint = top[2].selectbox(
            "Follow-up",
            (ALL, *TIMEPOINTS),
            format_func=url_state.label(keys.EFF_TIMEPOINT, _all_or),
            key=keys.EFF_TIMEPOINT,
            bind="query-params",
        )
        outcome = st.segmented_control(
            "Outcome",
            OUTCOME_GROUPS[:-1],
            default="remission",
            required=True,
            format_func=url_state.label(keys.EFF_OUTCOME, str.capitalize),
            key=keys.EFF_OUTCOME,
            bind="query-params",
        )
        outcome = url_state.required(outcome, keys.EFF_OUTCOME, "remission")
        designs = st.multiselect(
            "Study designs (empty: all)",
            tuple(DESIGN_WORDS),
            format_func=url_state.label(keys.EFF_DESIGNS, DESIGN_WORDS.get),
            key=keys.EFF_DESIGNS,
            bind="query-params",
            placeholder="All designs",
        )
    return EvidenceFilter(
        disease=disease,
        comparator=comparator,
        designs=tuple(designs),
        outcome=outcome,
        timepoint=timepoint,
    )


@dataclasses.dataclass(frozen=True)
class EvidenceView:
    """Everything the charts and the table show for one set of filters (shared)."""

    rows: pd.DataFrame
    summary: str
    oriented: pd.DataFrame
    forest: tuple[go.Figure, str, pd.DataFrame] | None
    turned_note: str
    arms: tuple[go.Figure, str, pd.DataFrame] | None
    ratios: pd.DataFrame
    ratio_labels: dict[str, str]
    shown: pd.DataFrame
    ratio_rows: dict[str, pd.Series]  # id -> row of ``ratios``


@cached.shared
def evidence_view(chosen: EvidenceFilter) -> EvidenceView:
    """Filter the evidence and build every chart's parts once per filter choice."""
    rows = efficacy.filter_evidence(cached.dataset("efficacy_evidence"), chosen)
    counts = rows["evidence_base"].value_counts()
    parts = [f"**{counts.get(b, 0)}** {b}" for b in charts.BASE_ORDER]
    oriented = efficacy.forest_rows(rows, chosen.outcome)
    forest_parts, turned_note = None, ""
    if not oriented.empty:
        better = efficacy.GROUP_HIGHER_IS_BETTER[chosen.outcome]
        forest_parts = (
            cached.freeze(
                charts.forest_figure(
                    oriented,
                    higher_is_better=better,
                    title=f"{chosen.outcome.capitalize()}: ratios",
                )
            ),
            charts.forest_alt_text(oriented, higher_is_better=better),
            charts.forest_table(oriented),
        )
        turned_note = "  \n".join(
            n for n in (_turned_note(oriented), _unattributed_note(oriented)) if n
        )
    arm_table = charts.arm_rows(rows)
    arm_parts = None
    if not arm_table.empty:
        arm_parts = (
            cached.freeze(
                charts.arms_figure(
                    arm_table, title=f"{chosen.outcome.capitalize()} in each arm"
                )
            ),
            charts.arms_alt_text(arm_table),
            charts.arms_table(arm_table),
        )
    ratios = oriented[oriented["measure"].isin(("RR", "OR"))]
    # Summary-of-findings rows (with a comparator risk and certainty) first.
    ratios = ratios.assign(_sof=ratios["per1000_comparator"].notna()).sort_values(
        "_sof", ascending=False, kind="stable"
    )
    return EvidenceView(
        rows=rows,
        summary=f"**{len(rows)} rows** match: " + ", ".join(parts) + ".",
        oriented=oriented,
        forest=forest_parts,
        turned_note=turned_note,
        arms=arm_parts,
        ratios=ratios,
        ratio_labels={r["id"]: _ratio_label(r) for _, r in ratios.iterrows()},
        shown=_shown_table(rows),
        ratio_rows={r["id"]: r for _, r in ratios.iterrows()},
    )


def summary(view: EvidenceView) -> None:
    """One line: how many rows of which evidence base match."""
    st.markdown(view.summary)


def _turned_note(oriented: pd.DataFrame) -> str:
    turned = oriented[(oriented["direction"] == "inverted") | oriented["converted"]]
    if turned.empty:
        return ""
    notes = [
        f"**{r['study']}** reported *{r['effect_measure']}* "
        f"{r['effect']:g}; shown as {r['effect_tac']:.3g}"
        + (" (odds ratio of the complementary outcome)" if r["converted"] else "")
        for _, r in turned.iterrows()
    ]
    return (
        "† Turned round to read tacrolimus-based vs comparator: "
        + "; ".join(notes)
        + "."
    )


def _unattributed_note(oriented: pd.DataFrame) -> str:
    weak = oriented[oriented["attribution"].astype("object") == "unattributed"]
    if weak.empty:
        return ""
    studies = ", ".join(sorted({str(s) for s in weak["study"]}))
    return (
        f"‡ Weaker evidence: the authors of {studies} could not be established, "
        "so the work cannot be checked against its full report."
    )


def forest(view: EvidenceView, chosen: EvidenceFilter) -> None:
    """The forest plot of ratio rows, with a note on turned-round rows."""
    st.subheader("Ratios: tacrolimus-based vs comparator")
    if view.forest is None:
        st.info(
            "No ratio (RR, OR or HR) matches these filters. Try another outcome "
            "or widen the filters.",
            icon=":material/filter_alt_off:",
        )
        return
    figure, alt, data = view.forest
    event = chart(figure, alt=alt, key="eff_forest", data=data, selectable=True)
    _open_selected(event)
    better = efficacy.GROUP_HIGHER_IS_BETTER[chosen.outcome]
    handout.offer("efficacy", lambda: _forest_handout(view.oriented, chosen, better))
    if view.turned_note:
        st.caption(view.turned_note)


def _forest_handout(
    oriented: pd.DataFrame, chosen: EvidenceFilter, better: bool
) -> Handout:
    """The forest plot as filtered, its numbers and its sources."""
    numbers = [
        (
            f"{r['study']} ({r['evidence_base']}), vs {r['comparator_class']}, "
            f"{charts.short_outcome(r['outcome'])}",
            f"{r['effect_tac']:.2f} ({r['ci_low_tac']:.2f}-{r['ci_high_tac']:.2f})"
            if pd.notna(r["ci_low_tac"])
            else f"{r['effect_tac']:.2f}",
        )
        for _, r in oriented.head(12).iterrows()
    ]
    return Handout(
        title=f"Tacrolimus vs comparators: {chosen.outcome}",
        view=f"Filters: disease {chosen.disease}; comparator {chosen.comparator}; "
        f"designs {', '.join(chosen.designs) or ALL}; timepoint {chosen.timepoint}. "
        "Ratios read tacrolimus-based vs comparator; "
        "randomised and observational evidence are labelled apart.",
        numbers=numbers,
        figure_png=static.forest_png(oriented.head(20), higher_is_better=better),
        sources=handout.rows(
            zip(oriented["source"], oriented["source_url"], strict=True)
        ),
    )


def arms(view: EvidenceView) -> None:
    """Per-arm proportions with Wilson intervals for rows with counts."""
    st.subheader("Arm by arm: proportions with 95% intervals")
    if view.arms is None:
        st.info(
            "No study in this selection reports counts for both arms.",
            icon=":material/filter_alt_off:",
        )
        return
    figure, alt, data = view.arms
    event = chart(figure, alt=alt, key="eff_arms", data=data, selectable=True)
    _open_selected(event, index=2)
    st.caption(
        "Intervals are 95% Wilson score intervals computed here from the counts "
        "(Newcombe 1998), not taken from the papers."
    )


#: Outcome families whose rows measure different things (tremor, infection,
#: leukopenia...): their words name each row's own outcome, not the family.
_MIXED_FAMILIES = frozenset({"adverse events", "kidney outcomes"})


def _row_outcome(row: pd.Series, family: str) -> str:
    """What the row measures, in words for a sentence."""
    if family not in _MIXED_FAMILIES:
        return family
    return charts.short_outcome(row["outcome"]).removeprefix("adverse events: ")


def _ratio_label(row: pd.Series) -> str:
    return (
        f"{row['study']}: {charts.short_outcome(row['outcome'])}, "
        f"{row['measure']} {row['effect_tac']:.2f}, vs "
        f"{row['comparator_class']}, {_or(row['timepoint'], 'time not stated')}"
    )


def absolute(view: EvidenceView, chosen: EvidenceFilter) -> None:
    """Per-1000 effects for one ratio under a baseline risk the student sets."""
    st.subheader("In absolute terms: per 1000 people")
    ratios = view.ratios
    if ratios.empty:
        st.info(
            "Pick a selection with a risk ratio or odds ratio to see absolute effects.",
            icon=":material/filter_alt_off:",
        )
        return
    labels = view.ratio_labels
    row_id = st.selectbox(
        "Ratio", list(labels), format_func=labels.get, key=keys.EFF_RATIO_ROW
    )
    row = view.ratio_rows[row_id]
    default = _default_baseline(row)
    baseline = st.slider(
        "Risk without tacrolimus (comparator), per 1000",
        10,
        990,
        default,
        step=1,
        key=f"{keys.EFF_BASELINE}_{row_id}",
        help="Start from the comparator risk in the source where it gives one.",
    )
    result = efficacy.absolute_effect(
        baseline,
        row["effect_tac"],
        _num(row["ci_low_tac"]),
        _num(row["ci_high_tac"]),
        row["measure"],
    )
    outcome = _row_outcome(row, chosen.outcome)
    left, right = st.columns([3, 2])
    with left:
        chart(
            cached.shared_figure(charts.absolute_figure, result, outcome=outcome),
            alt=_absolute_words(result, outcome),
            key="eff_absolute",
            data=charts.absolute_table(result),
        )
    with right:
        st.markdown(_absolute_words(result, outcome))
        st.markdown(
            efficacy.certainty_statement(
                certainty=row["certainty"] if pd.notna(row["certainty"]) else None,
                low=_num(row["ci_low_tac"]),
                high=_num(row["ci_high_tac"]),
                effect=float(row["effect_tac"]),
                outcome=outcome,
                comparator=row["comparator_class"],
            )
        )
        _caveat_box(row)
    st.caption(
        "Wording follows GRADE: high certainty “results in”, moderate “probably”, low "
        "“may”, very low “very uncertain”. “Little or no difference” is used here "
        "whenever the 95% interval includes 1, a simplification."
        + (
            " A hazard ratio is treated as a risk ratio here."
            if row["measure"] == "HR"
            else ""
        )
    )


def _num(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _default_baseline(row: pd.Series) -> int:
    if pd.notna(row["per1000_comparator"]):
        value = float(row["per1000_comparator"])
    elif pd.notna(row["pct_comparator"]):
        value = 10 * float(row["pct_comparator"])
    else:
        value = 200.0
    return int(min(990, max(10, round(value))))


def _absolute_words(result: efficacy.AbsoluteEffect, outcome: str) -> str:
    diff = result.difference
    change = f"{abs(diff):.0f} {'more' if diff >= 0 else 'fewer'}"
    text = (
        f"With tacrolimus-based treatment, **{result.tacrolimus_per_1000:.0f} per "
        f"1000** instead of {result.comparator_per_1000:.0f}: **{change} per 1000**"
    )
    if result.low_per_1000 is not None and result.high_per_1000 is not None:
        text += (
            f" (95% range {result.low_per_1000:.0f} to "
            f"{result.high_per_1000:.0f} per 1000 with tacrolimus)"
        )
    return text + f" for {outcome}."


def _caveat_box(row: pd.Series) -> None:
    words = efficacy.caveat_words(row["caveats"], CAVEATS)
    if words:
        st.warning("**Caveats:** " + "; ".join(words) + ".", icon=":material/warning:")


def claims(
    doc: ContentDoc | None, chosen: EvidenceFilter, evidence: pd.DataFrame
) -> None:
    """Verdicts on the common claims for the chosen disease (or all)."""
    if doc is not None:
        markdown.section(doc)
    rows = _claims_for(chosen.disease)
    if not rows:
        st.info("No claim is checked for this disease yet.")
        return
    for row in rows:
        with st.container(border=True):
            st.markdown(
                f"**{row.claim}** · *{row.disease_group}*  \n"
                f"{VERDICT_MARKS[row.verdict]}: {row.summary}"
            )
            ids = str(row.evidence_ids).split(";")
            box = lazy.expander(
                f"The {len(ids)} rows behind this verdict", key=f"claim_rows_{row.id}"
            )
            if box is not None:
                behind = evidence[evidence["id"].isin(ids)]
                box.markdown("\n".join(_row_line(r) for _, r in behind.iterrows()))


@cached.shared
def _claims_for(disease: str) -> tuple:
    """The checked claims for ``disease`` (or all), as row tuples (shared)."""
    frame = cached.dataset("efficacy_claims")
    if disease != ALL:
        frame = frame[frame["disease_group"] == disease]
    return tuple(frame.itertuples(index=False))


def _row_line(row: pd.Series) -> str:
    values = " vs ".join(
        v
        for v in (row["value_tac"], row["value_comparator"])
        if isinstance(v, str) and v
    )
    effect = f"{row['measure']} {row['effect']:g}" if pd.notna(row["effect"]) else ""
    figures = "; ".join(x for x in (values, effect) if x)
    words = efficacy.caveat_words(row["caveats"], CAVEATS)
    note = attribution_note(row.get("attribution"))
    words = [note, *words] if note else words
    caveat = f" ⚠ *{'; '.join(words)}*" if words else ""
    return (
        f"- `{row['id']}` {row['outcome']} ({_or(row['timepoint'], 'time not stated')})"
        f": **{figures or 'no numbers'}**, {row['evidence_base']}. "
        f"{source_markdown(str(row['study']), str(row['source_url']))}"
        f"{caveat}"
    )


def regimens(doc: ContentDoc | None, troughs_doc: ContentDoc | None) -> None:
    """The regimens prose and the trough targets the protocols used."""
    if doc is not None:
        markdown.section(doc)
        markdown.sources_footer(doc)
    if troughs_doc is None:
        return
    markdown.section(troughs_doc, level=3)
    st.markdown(_trough_table())
    markdown.sources_footer(troughs_doc)


@cached.shared
def _trough_table() -> str:
    """The trough targets the protocols used, as a Markdown table (built once)."""
    frame = cached.dataset("tacrolimus_trough_targets")
    frame = frame[frame["trough_low"].notna()]
    return markdown_table(
        (
            {
                "Disease": r.disease_group,
                "Target (ng/mL)": f"{r.trough_low:g}-{r.trough_high:g}",
                "As given": r.schedule,
                "Kind": r.kind,
                "Source": source_markdown(short_citation(r.source), r.source_url),
            }
            for r in frame.itertuples(index=False)
        ),
        ["Disease", "Target (ng/mL)", "As given", "Kind", "Source"],
        raw_columns=("Source",),
    )


@st.dialog("Where this number comes from", width="large")
def source_dialog(row_id: str) -> None:
    """Everything about one evidence row: citation, design, n, figures, quote, link."""
    evidence = cached.dataset("efficacy_evidence")
    match = evidence[evidence["id"] == row_id]
    if match.empty:
        st.error(f"No evidence row called {row_id!r}.")
        return
    r = match.iloc[0]
    st.markdown(f"### {r['outcome'].capitalize()}")
    note = attribution_note(r.get("attribution"))
    facts = {
        "Source": source_markdown(str(r["source"]), str(r["source_url"]))
        + (f" ⚠ *{note}*" if note else ""),
        "Design": f"{r['design']} ({r['evidence_base']})",
        "Population": r["population"],
        "Tacrolimus arm": r["arm_tac"],
        "Comparator": _or(r["arm_comparator"], "none"),
        "n": _or(r["participants"], "not shown"),
        "Time point": _or(r["timepoint"], "not stated"),
    }
    st.markdown("  \n".join(f"**{k}:** {v}" for k, v in facts.items()))
    st.markdown(_row_line(r))
    if pd.notna(r["quote"]):
        st.markdown(f"> {r['quote']}")
    audit = read_at_text(r.get("read_at"))
    checked = f"Checked against its source {r['checked']}."
    markdown.small_print(
        " ".join(
            x for x in (audit + "." if audit else "", checked, f"Row `{r['id']}`.") if x
        )
    )
    _caveat_box(r)


def _or(value: object, fallback: str) -> object:
    return fallback if value is None or pd.isna(value) else value


def _open_selected(event: object, index: int = 0) -> None:
    points = getattr(getattr(event, "selection", None), "points", None) or []
    if points:
        custom = points[0].get("customdata") or []
        if len(custom) > index:
            source_dialog(str(custom[index]))


def _shown_table(rows: pd.DataFrame) -> pd.DataFrame:
    def caveat_text(row: pd.Series) -> str:
        words = efficacy.caveat_words(row["caveats"], CAVEATS)
        note = attribution_note(row.get("attribution"))
        return "; ".join([note, *words] if note else words)

    texts = [caveat_text(row) for _, row in rows.iterrows()]
    return rows.assign(caveats=pd.Series(texts, index=rows.index, dtype="object"))[
        [
            "id",
            "disease_group",
            "comparator_class",
            "evidence_base",
            "outcome",
            "timepoint",
            "value_tac",
            "value_comparator",
            "effect_measure",
            "effect",
            "ci_low",
            "ci_high",
            "certainty",
            "caveats",
            "source",
            "source_url",
        ]
    ]


def table(doc: ContentDoc | None, view: EvidenceView) -> None:
    """The filtered rows as a table, a source picker and a CSV download."""
    if doc is not None:
        markdown.section(doc)
    rows, shown = view.rows, view.shown
    if rows.empty:
        st.info("No rows match these filters.")
        return
    selection = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="eff_table",
        on_select="rerun",
        selection_mode="single-row",
    )
    picked = getattr(getattr(selection, "selection", None), "rows", None) or []
    if picked:
        source_dialog(str(shown.iloc[picked[0]]["id"]))
    picker, button, download = st.columns([4, 1, 1], vertical_alignment="bottom")
    studies = dict(zip(rows["id"], rows["study"], strict=True))
    row_id = picker.selectbox(
        "Open a row's source",
        list(studies),
        key=keys.EFF_SOURCE_ROW,
        format_func=lambda i: f"{i}: {studies[i]}",
    )
    if button.button(
        "Show source", key="eff_open_source", icon=":material/open_in_new:"
    ):
        source_dialog(row_id)
    download.download_button(
        "CSV",
        lambda: shown.to_csv(index=False).encode("utf-8"),
        file_name="tacrolimus-evidence.csv",
        mime="text/csv",
        icon=":material/download:",
        key="eff_download",
    )
