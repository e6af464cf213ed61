"""The Nephrotic syndrome page: everything it shows that is not a widget.

Definitions by population, the pathophysiology chain at a chosen urine
protein, the verdict of the classify-a-patient exercise, the lines that say
where each number comes from, and the handout. Every function takes plain
values and validated data frames (``content/data/ns_*.csv``) and never
imports streamlit; the page's sections lay the results out.

Units: urine protein in g/day, serum albumin in g/L, shares in %.
Sources: every threshold and parameter is a sourced row of
``ns_diagnostic_criteria.csv`` or ``ns_model_parameters.csv``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import chain_vertical, pathophysiology, static
from dashboard.charts.chart import Chart
from dashboard.core.content import ContentDoc, render_citations
from dashboard.core.handout import Handout
from dashboard.core.nephrotic_syndrome import albumin_model, chain_thresholds
from dashboard.core.pathophysiology import (
    AlbuminModel,
    ChainState,
    ChainThresholds,
    evaluate_chain,
)
from dashboard.core.tables import markdown_table, short_citation, source_markdown

# The classify exercise lives in its own module; its names are this model's too.
from dashboard.models.nephrotic_syndrome_classify import PREDICTIONS as PREDICTIONS
from dashboard.models.nephrotic_syndrome_classify import Feedback as Feedback
from dashboard.models.nephrotic_syndrome_classify import feedback as feedback
from dashboard.models.nephrotic_syndrome_classify import (
    prediction_check as prediction_check,
)

#: The populations the definitions switch offers.
GROUPS = ("adult", "child")

#: Turns reference ids into (citation, locator) pairs, in order, without repeats.
ReferenceLookup = Callable[[Iterable[str]], list[tuple[str, str]]]


# --- Definitions -----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Definitions:
    """One population's criteria, as data rows and as two Markdown tables.

    Attributes
    ----------
    rows
        The ``ns_diagnostic_criteria`` rows of the population.
    applied
        The definition the dashboard applies (rows flagged ``primary``).
    others
        What other sources use, each source's rows a definition of its own.
    """

    rows: pd.DataFrame
    applied: str
    others: str


_ROLE_WORDS = {
    "required": "needed",
    "substitute": "only if albumin unknown",
    "supporting": "usually present",
}


def _role_words(role: str, alternatives: int) -> str:
    """The role in words.

    Several required rules for one feature in one definition are alternatives
    (a 24-hour collection or a spot ratio): any one of them is enough.
    """
    if role == "required" and alternatives > 1:
        return "needed (any one of these)"
    return _ROLE_WORDS[role]


def _criteria_table(rows: pd.DataFrame, *, one_definition: bool) -> str:
    """Markdown table of criteria rows; the source column holds a link.

    ``one_definition``: the rows form one definition (the one the dashboard
    applies, drawn from several sources); otherwise each source's rows are a
    definition of their own.
    """
    # Required rules per feature in the same definition, for every row.
    by = ["feature"] if one_definition else ["source", "feature"]
    alternatives = (rows["role"] == "required").groupby([rows[c] for c in by])
    alternatives = alternatives.transform("sum")
    return markdown_table(
        (
            {
                "Feature": r.feature,
                "Rule": r.statement,
                "Role": _role_words(r.role, count),
                "Source": source_markdown(short_citation(r.source), r.source_url),
            }
            for r, count in zip(rows.itertuples(index=False), alternatives, strict=True)
        ),
        ["Feature", "Rule", "Role", "Source"],
        raw_columns=("Source",),
    )


def definitions(criteria: pd.DataFrame, group: str) -> Definitions:
    """The criteria of one population: the applied definition and the others.

    Parameters
    ----------
    criteria
        The validated ``ns_diagnostic_criteria`` rows.
    group
        ``"adult"`` or ``"child"``.

    Raises
    ------
    ValueError
        If ``group`` is not one of :data:`GROUPS`.
    """
    if group not in GROUPS:
        raise ValueError(f"group must be one of {GROUPS}, not {group!r}")
    rows = criteria[criteria["population"] == group]
    primary = rows["primary"].astype(bool)
    return Definitions(
        rows=rows,
        applied=_criteria_table(rows[primary], one_definition=True),
        others=_criteria_table(rows[~primary], one_definition=False),
    )


def criterion_line(row: pd.Series) -> str:
    """What a criteria row says, for the list of where the numbers come from."""
    return f"{row['statement']}"


# --- The pathophysiology chain ---------------------------------------------


@dataclasses.dataclass(frozen=True)
class ChainInputs:
    """The albumin model and the chain's cut-offs, all from sourced rows."""

    model: AlbuminModel
    thresholds: ChainThresholds


def chain_inputs(parameters: pd.DataFrame, criteria: pd.DataFrame) -> ChainInputs:
    """Build the chain's model from ``ns_model_parameters`` and the criteria.

    Raises
    ------
    dashboard.core.datasets.DataError
        If a parameter or threshold the model needs is missing.
    """
    return ChainInputs(
        model=albumin_model(parameters),
        thresholds=chain_thresholds(criteria, parameters),
    )


@dataclasses.dataclass(frozen=True)
class ChainView:
    """Everything the chain section shows at one urine protein and albumin.

    Attributes
    ----------
    state
        Each feature's value and state.
    chain
        The causal chain from podocyte injury to the defining features, left
        to right (wider screens), with its alt text and table.
    chain_narrow
        The same chain drawn top to bottom, for phones (same alt text and table).
    sentence
        The numbers in one sentence, below the chain.
    curve
        The albumin curve with the patient marked.
    """

    state: ChainState
    chain: Chart
    chain_narrow: go.Figure
    sentence: str
    curve: Chart


#: The key to the chain's marks, shown under it.
CHAIN_KEY = pathophysiology.KEY


def chain_sentence(state: ChainState) -> str:
    """Urine protein, the albumin it settles at, oedema and lipids, in words."""
    p = state.feature("proteinuria")
    a = state.feature("albumin")
    o = state.feature("oedema")
    return (
        f"At **{p.value:.1f} g/day** of urine protein ({p.state}), the model's "
        f"serum albumin settles at **{a.value:.1f} g/L** ({a.state}). "
        f"Oedema: **{o.state}**; raised lipids: "
        f"**{state.feature('lipids').state}**."
    )


def chain_view(inputs: ChainInputs, proteinuria: float, albumin: float) -> ChainView:
    """The chain, its sentence and the albumin curve at one point.

    Parameters
    ----------
    inputs
        The albumin model and thresholds (:func:`chain_inputs`).
    proteinuria
        Urine protein, g/day (0 or more).
    albumin
        Serum albumin, g/L: the model's value at ``proteinuria``, as the
        student moves one and the model gives the other.

    Raises
    ------
    ValueError
        If a value is negative.
    """
    state = evaluate_chain(
        proteinuria=proteinuria, albumin=albumin, thresholds=inputs.thresholds
    )
    return ChainView(
        state=state,
        chain=pathophysiology.chain_chart(state),
        chain_narrow=chain_vertical.vertical_chain_figure(state),
        sentence=chain_sentence(state),
        curve=pathophysiology.albumin_curve_chart(
            inputs.model, inputs.thresholds, proteinuria=proteinuria
        ),
    )


def framing(doc: ContentDoc) -> tuple[ContentDoc, ContentDoc | None]:
    """A section split into its first paragraph and the rest (``None`` if no rest).

    The first paragraph frames the interaction above it; the rest, the longer
    explanation, is shown below it. Both keep the section's title and sources.
    """
    lead, _, rest = doc.body.strip().partition("\n\n")
    first = dataclasses.replace(doc, body=lead)
    return first, dataclasses.replace(doc, body=rest.strip()) if rest.strip() else None


def parameter_line(row: pd.Series) -> str:
    """A model parameter and its value, for the list of where numbers come from."""
    return f"{row['meaning']}: {row['value']:g} {row['unit']}"


def note_text(note: ContentDoc, references: dict[str, tuple[str, str]]) -> str:
    """The note on the model as one paragraph: its title in bold, then its text.

    ``references`` maps reference ids to (short label, locator); citations of
    unknown ids stay unlinked.
    """
    return f"**{note.title}.** " + render_citations(note.body, references)


def chain_handout(
    doc: ContentDoc,
    note: ContentDoc | None,
    inputs: ChainInputs,
    state: ChainState,
    references: ReferenceLookup,
) -> Handout:
    """The one-page handout of the chain at the chosen urine protein.

    Parameters
    ----------
    doc, note
        The chain's section and the note on the model (``None`` if broken);
        their sources are the handout's sources.
    inputs
        The albumin model, drawn as a line with the patient's point.
    state
        The chain at the chosen point; each feature is a key number.
    references
        Turns reference ids into (citation, locator) pairs.
    """
    model = inputs.model
    x = np.linspace(0, model.max_proteinuria, 120)
    figure = static.line_png(
        x,
        [("serum albumin (model)", np.array([model.albumin_for(v) for v in x]))],
        xlabel="Urine protein (g/day)",
        ylabel="Serum albumin (g/L)",
        point=(state.proteinuria, state.albumin),
    )
    numbers = [
        (
            f.label,
            f"{f.value:.1f} {f.unit} ({f.state})" if f.value is not None else f.state,
        )
        for f in state.features
    ]
    ids = list(doc.sources) + (list(note.sources) if note is not None else [])
    return Handout(
        title="Nephrotic syndrome: from leaky filter to swollen legs",
        view="Teaching model of albumin balance at the chosen urine protein.",
        numbers=numbers,
        figure_png=figure,
        sources=references(ids),
    )


# --- Causes, steroid response, complications -------------------------------


def percent_range(low: float, high: float) -> str:
    """A reported range of shares: ``"20%"``, ``"up to 50%"`` or ``"80–90%"``."""
    if low == high:
        return f"{low:g}%"
    return f"up to {high:g}%" if low == 0 else f"{low:g}–{high:g}%"


def histology_line(row: pd.Series) -> str:
    """One ``ns_histology_by_age`` row: age group, lesion, share and cohort."""
    return (
        f"{row['age_group']}, {row['lesion']}: "
        + percent_range(row["percent_low"], row["percent_high"])
        + f" ({row['cohort']})"
    )


def steroid_sources(course: pd.DataFrame, response: pd.DataFrame) -> pd.DataFrame:
    """The course rows, then the response definitions in their order, as one list."""
    return pd.concat([course, response.sort_values("order")], ignore_index=True)


def steroid_line(row: pd.Series) -> str:
    """A response definition by its term; a step of the course with its share."""
    if pd.notna(row.get("term")):
        return row["term"]
    return f"{row['step']}: " + percent_range(row["percent_low"], row["percent_high"])


def response_table(response: pd.DataFrame) -> str:
    """Steroid response and relapse definitions as a Markdown table, in order."""
    rows = []
    for r in response.sort_values("order").itertuples(index=False):
        term = r.term + (f" ({r.abbreviation})" if pd.notna(r.abbreviation) else "")
        rows.append(
            {
                "Term": f"**{term}**",
                "Definition": r.definition,
                "Source": source_markdown(short_citation(r.source), r.source_url),
            }
        )
    return markdown_table(
        rows, ["Term", "Definition", "Source"], raw_columns=("Term", "Source")
    )


def complication_line(row: pd.Series) -> str:
    """One ``ns_complications`` row: complication, setting and share."""
    return f"{row['complication']}, {row['setting']}: " + percent_range(
        row["percent_low"], row["percent_high"]
    )
