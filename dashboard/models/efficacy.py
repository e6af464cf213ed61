"""The Efficacy page's model: the filtered evidence, its charts, sentences and tables.

Everything the page shows that is not a widget is built here from plain
values: the student's filter (:class:`EvidenceFilter`), the validated data
frames the caller passes in, and a chosen row and baseline risk. Nothing here
reads a file or imports streamlit.

Sources and assumptions:

- ``efficacy_evidence.csv``: one row per figure, each quoted from its source
  (``source``, ``source_url``, ``quote``). Ratios are read tacrolimus-based vs
  comparator (columns ``*_tac``); rows reported the other way round are turned
  round (:func:`dashboard.core.efficacy.forest_rows`) and marked ``†``.
- Per-1000 effects apply a ratio to a comparator risk per 1000 people
  (:func:`dashboard.core.efficacy.absolute_effect`); a hazard ratio is treated
  as a risk ratio, which the page says.

The rows in words, the claims and the source dialog are in
:mod:`dashboard.models.efficacy_sources`; the regimens and guidance in
:mod:`dashboard.models.efficacy_guidance`.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from dashboard.charts import efficacy as charts
from dashboard.charts import static
from dashboard.charts.chart import Chart
from dashboard.core import efficacy
from dashboard.core.efficacy import ALL, EvidenceFilter
from dashboard.core.handout import Handout
from dashboard.models.efficacy_sources import caveat_text, caveats_markdown, value_or

#: Outcome families whose rows measure different things (tremor, infection,
#: leukopenia...): their words name each row's own outcome, not the family.
_MIXED_FAMILIES = frozenset({"adverse events", "kidney outcomes"})
#: The columns of the data table, in order (``caveats`` in words).
_SHOWN_COLUMNS = [
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


@dataclasses.dataclass(frozen=True)
class EvidenceView:
    """Everything the charts and the table show for one set of filters.

    Parameters
    ----------
    rows
        The evidence rows matching the filter, in the data's order.
    summary
        One Markdown line: how many rows of which evidence base match.
    oriented
        The ratio rows (RR, OR, HR) of ``rows``, tacrolimus-based vs comparator.
    forest
        The forest plot of ``oriented``, or ``None`` if there is no ratio.
    turned_note
        Footnotes on rows turned round (``†``) and of unknown authorship (``‡``).
    arms
        Per-arm proportions with Wilson intervals, or ``None`` without counts.
    ratios
        The RR and OR rows of ``oriented``, summary-of-findings rows first.
    ratio_labels
        Row id → the words naming each row of ``ratios`` in the ratio picker.
    shown
        ``rows`` as the data table shows them (caveats in words).
    ratio_rows
        Row id → that row of ``ratios``.
    source_labels
        Row id → ``"<id>: <study>"`` for every row of ``rows``.
    """

    rows: pd.DataFrame
    summary: str
    oriented: pd.DataFrame
    forest: Chart | None
    turned_note: str
    arms: Chart | None
    ratios: pd.DataFrame
    ratio_labels: dict[str, str]
    shown: pd.DataFrame
    ratio_rows: dict[str, pd.Series]
    source_labels: dict[str, str]


def evidence_view(evidence: pd.DataFrame, chosen: EvidenceFilter) -> EvidenceView:
    """Filter the evidence and build every chart's parts for one filter choice.

    Parameters
    ----------
    evidence
        The validated ``efficacy_evidence.csv`` (not changed).
    chosen
        The student's filter; ``chosen.outcome`` is an outcome family.

    Raises
    ------
    ValueError
        If ``chosen.outcome`` is not an outcome family of the data.
    """
    if chosen.outcome not in efficacy.GROUP_HIGHER_IS_BETTER:
        raise ValueError(f"unknown outcome family {chosen.outcome!r}")
    rows = efficacy.filter_evidence(evidence, chosen)
    counts = rows["evidence_base"].value_counts()
    parts = [f"**{counts.get(b, 0)}** {b}" for b in charts.BASE_ORDER]
    oriented = efficacy.forest_rows(rows, chosen.outcome)
    forest, turned_note = None, ""
    if not oriented.empty:
        forest = charts.forest_chart(
            oriented,
            higher_is_better=efficacy.GROUP_HIGHER_IS_BETTER[chosen.outcome],
            title=f"{chosen.outcome.capitalize()}: ratios",
        )
        turned_note = "  \n".join(
            n for n in (_turned_note(oriented), _unattributed_note(oriented)) if n
        )
    arm_table = charts.arm_rows(rows)
    arms = None
    if not arm_table.empty:
        arms = charts.arms_chart(
            arm_table, title=f"{chosen.outcome.capitalize()} in each arm"
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
        forest=forest,
        turned_note=turned_note,
        arms=arms,
        ratios=ratios,
        ratio_labels={r["id"]: _ratio_label(r) for _, r in ratios.iterrows()},
        shown=_shown_table(rows),
        ratio_rows={r["id"]: r for _, r in ratios.iterrows()},
        source_labels={
            i: f"{i}: {s}" for i, s in zip(rows["id"], rows["study"], strict=True)
        },
    )


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


def _ratio_label(row: pd.Series) -> str:
    return (
        f"{row['study']}: {charts.short_outcome(row['outcome'])}, "
        f"{row['measure']} {row['effect_tac']:.2f}, vs "
        f"{row['comparator_class']}, {value_or(row['timepoint'], 'time not stated')}"
    )


def _shown_table(rows: pd.DataFrame) -> pd.DataFrame:
    texts = [caveat_text(row) for _, row in rows.iterrows()]
    return rows.assign(caveats=pd.Series(texts, index=rows.index, dtype="object"))[
        _SHOWN_COLUMNS
    ]


def forest_handout(oriented: pd.DataFrame, chosen: EvidenceFilter) -> Handout:
    """The forest plot as filtered, its numbers and its sources, for the PDF.

    Parameters
    ----------
    oriented
        :attr:`EvidenceView.oriented` for ``chosen`` (at least one row); the
        first 12 rows are listed as numbers, the first 20 drawn.
    chosen
        The filter the rows were chosen with, named on the handout.
    """
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
    better = efficacy.GROUP_HIGHER_IS_BETTER[chosen.outcome]
    sources = zip(oriented["source"], oriented["source_url"], strict=True)
    return Handout(
        title=f"Tacrolimus vs comparators: {chosen.outcome}",
        view=f"Filters: disease {chosen.disease}; comparator {chosen.comparator}; "
        f"designs {', '.join(chosen.designs) or ALL}; timepoint {chosen.timepoint}. "
        "Ratios read tacrolimus-based vs comparator; "
        "randomised and observational evidence are labelled apart.",
        numbers=numbers,
        figure_png=static.forest_png(oriented.head(20), higher_is_better=better),
        sources=list(dict.fromkeys((str(s), str(u)) for s, u in sources)),
    )


def row_outcome(row: pd.Series, family: str) -> str:
    """What ``row`` measures, in words for a sentence.

    The family's name ("remission") unless the family mixes outcomes (adverse
    events, kidney outcomes): then the row's own outcome ("tremor").
    """
    if family not in _MIXED_FAMILIES:
        return family
    return charts.short_outcome(row["outcome"]).removeprefix("adverse events: ")


def default_baseline(row: pd.Series) -> int:
    """The comparator risk per 1000 the slider starts from, within 10-990.

    The source's comparator risk per 1000 if it gives one, else ten times its
    comparator percentage, else 200.
    """
    if pd.notna(row["per1000_comparator"]):
        value = float(row["per1000_comparator"])
    elif pd.notna(row["pct_comparator"]):
        value = 10 * float(row["pct_comparator"])
    else:
        value = 200.0
    return int(min(990, max(10, round(value))))


def absolute_words(result: efficacy.AbsoluteEffect, outcome: str) -> str:
    """The per-1000 sentence: tacrolimus vs comparator, the change, the 95% range."""
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


@dataclasses.dataclass(frozen=True)
class AbsoluteView:
    """One ratio in absolute terms, for one comparator risk.

    Parameters
    ----------
    chart
        Two bars per 1000 people (comparator, tacrolimus-based).
    words
        The per-1000 sentence (:func:`absolute_words`).
    certainty
        The GRADE-style sentence for the ratio.
    caveats
        The row's caveats as one Markdown line, or ``""``.
    caption
        How the wording follows GRADE (and that an HR is read as an RR).
    """

    chart: Chart
    words: str
    certainty: str
    caveats: str
    caption: str


def absolute_view(row: pd.Series, baseline: int, family: str) -> AbsoluteView:
    """Per-1000 effects of one ratio row under a comparator risk per 1000.

    Parameters
    ----------
    row
        One row of :attr:`EvidenceView.ratios` (RR, OR or HR, tacrolimus-based
        vs comparator).
    baseline
        The risk without tacrolimus (comparator), per 1000 people.
    family
        The outcome family the row was chosen under ("remission").

    Raises
    ------
    ValueError
        If ``baseline`` is not between 0 and 1000 (exclusive).
    """
    if not 0 < baseline < 1000:
        raise ValueError(f"baseline {baseline} per 1000 is not a risk")
    low, high = _num(row["ci_low_tac"]), _num(row["ci_high_tac"])
    result = efficacy.absolute_effect(
        baseline, row["effect_tac"], low, high, row["measure"]
    )
    outcome = row_outcome(row, family)
    words = absolute_words(result, outcome)
    return AbsoluteView(
        chart=charts.absolute_chart(result, outcome=outcome, alt=words),
        words=words,
        certainty=efficacy.certainty_statement(
            certainty=row["certainty"] if pd.notna(row["certainty"]) else None,
            low=low,
            high=high,
            effect=float(row["effect_tac"]),
            outcome=outcome,
            comparator=row["comparator_class"],
        ),
        caveats=caveats_markdown(row),
        caption=(
            "Wording follows GRADE: high certainty “results in”, moderate "
            "“probably”, low “may”, very low “very uncertain”. “Little or no "
            "difference” is used here whenever the 95% interval includes 1, a "
            "simplification."
            + (
                " A hazard ratio is treated as a risk ratio here."
                if row["measure"] == "HR"
                else ""
            )
        ),
    )


def _num(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
