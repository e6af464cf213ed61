"""Schemas of every dataset in ``content/data`` (the machine-readable contract).

Each :class:`~dashboard.core.datasets.Schema` lists column, type, unit, rule
and meaning. ``content/data/README.md`` documents the same tables for people,
and a test checks that the two agree. Every dataset ends with the provenance
columns ``source`` and ``source_url``; most also keep a verbatim ``quote`` (under
200 characters) from the page the figure was read from.
"""

from __future__ import annotations

import re

from dashboard.core.datasets import SOURCE_COLUMNS, Column, Schema

_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
QUOTE = Column(
    "quote",
    "str",
    "Verbatim excerpt (under 200 characters) from the source that shows the figure.",
    required=False,
    pattern=re.compile(r".{1,200}", re.DOTALL),
)
POPULATIONS = ("adult", "child")
ROW_ID = Column("id", "str", "Row identifier.", pattern=_ID)


def _percent(name: str, meaning: str) -> Column:
    return Column(name, "float", meaning, "%", minimum=0, maximum=100)


REFERENCES = Schema(
    name="references",
    description="Works cited inline in the Markdown content as [@id].",
    key=("id",),
    columns=(
        Column("id", "str", "Citation key used as [@id] in content.", pattern=_ID),
        Column("short", "str", "Short label shown in the text, e.g. 'IPNA 2022'."),
        *SOURCE_COLUMNS,
    ),
)

NS_DIAGNOSTIC_CRITERIA = Schema(
    name="ns_diagnostic_criteria",
    description=(
        "Diagnostic thresholds of nephrotic syndrome for adults and children, "
        "one row per threshold per source. Rows flagged primary are the "
        "definition the classify-a-patient exercise applies."
    ),
    key=("id",),
    columns=(
        ROW_ID,
        Column(
            "population", "str", "Who the threshold applies to.", allowed=POPULATIONS
        ),
        Column(
            "feature",
            "str",
            "Which defining feature the row is about.",
            allowed=("proteinuria", "albumin", "oedema", "lipids"),
        ),
        Column(
            "measure",
            "str",
            "How the feature is measured.",
            allowed=(
                "protein_24h",
                "upcr",
                "protein_m2_day",
                "protein_m2_hour",
                "dipstick",
                "serum_albumin",
                "cholesterol",
                "clinical",
            ),
        ),
        Column(
            "comparator",
            "str",
            "How a value is compared with the threshold.",
            allowed=(">", ">=", "<", "<=", "present"),
        ),
        Column(
            "threshold",
            "float",
            "Cut-off in the row's unit (empty for clinical signs). Dipstick "
            "grades count 1+ as 1 … 4+ as 4.",
            required=False,
            minimum=0,
            maximum=10_000,
        ),
        Column(
            "unit",
            "str",
            "Unit of the threshold.",
            required=False,
            allowed=(
                "g/day",
                "mg/mmol",
                "g/g",
                "mg/m²/day",
                "mg/m²/h",
                "+",
                "g/L",
                "mmol/L",
            ),
        ),
        Column(
            "role",
            "str",
            "required: must be met; substitute: stands in for albumin when albumin "
            "is not measured; supporting: usually present, not needed.",
            allowed=("required", "substitute", "supporting"),
        ),
        Column("primary", "bool", "Part of the definition the exercise applies."),
        Column("statement", "str", "The rule in plain words, as shown to students."),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

NS_HISTOLOGY_BY_AGE = Schema(
    name="ns_histology_by_age",
    description=(
        "Share of nephrotic syndrome due to each histological lesion, by age "
        "group: biopsy cohorts (one row per lesion) and review estimates (ranges)."
    ),
    key=("id",),
    columns=(
        ROW_ID,
        Column(
            "age_group",
            "str",
            "Age group the figure describes.",
            allowed=("children", "adolescents", "adults", "adults over 40"),
        ),
        Column(
            "lesion",
            "str",
            "Histological lesion.",
            allowed=(
                "minimal change disease",
                "FSGS",
                "membranous nephropathy",
                "MPGN",
                "other",
            ),
        ),
        _percent("percent_low", "Share (lower end if a range)."),
        _percent("percent_high", "Share (upper end; equals low for a point)."),
        Column(
            "kind",
            "str",
            "cohort: counted in one biopsy series; estimate: a review's summary range.",
            allowed=("cohort", "estimate"),
        ),
        Column("cohort", "str", "Who was studied, where and when (or the review)."),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

NS_STEROID_RESPONSE = Schema(
    name="ns_steroid_response",
    description="Definitions of remission, relapse and steroid response in children.",
    key=("id",),
    columns=(
        ROW_ID,
        Column("order", "int", "Display order.", minimum=0, maximum=1000),
        Column(
            "group",
            "str",
            "Which family of terms the row belongs to.",
            allowed=("remission", "first course", "course over time"),
        ),
        Column("term", "str", "The term, e.g. 'Steroid-dependent'."),
        Column("abbreviation", "str", "Usual abbreviation.", required=False),
        Column("definition", "str", "The definition in this project's own words."),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

NS_STEROID_COURSE = Schema(
    name="ns_steroid_course",
    description=(
        "How children with idiopathic nephrotic syndrome fare on steroids: the "
        "share at each step of the usual course, as ranges."
    ),
    key=("id",),
    columns=(
        ROW_ID,
        Column("order", "int", "Position in the course.", minimum=0, maximum=100),
        Column("step", "str", "What happens, e.g. 'steroid-sensitive'."),
        Column("of_whom", "str", "The group the share is a share of."),
        _percent("percent_low", "Share, lower end."),
        _percent("percent_high", "Share, upper end."),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

NS_COMPLICATIONS = Schema(
    name="ns_complications",
    description="How often complications of nephrotic syndrome occur, by study.",
    key=("id",),
    columns=(
        ROW_ID,
        Column(
            "complication",
            "str",
            "Complication family.",
            allowed=(
                "thromboembolism",
                "infection",
                "acute kidney injury",
                "hyperlipidaemia",
            ),
        ),
        Column("population", "str", "Who was studied.", allowed=POPULATIONS),
        Column("setting", "str", "Study population in a few words."),
        Column("measure", "str", "What the percentage counts."),
        Column(
            "qualifier",
            "str",
            "'' for a plain figure, or '>' / 'up to'.",
            required=False,
            allowed=(">", "up to", "about"),
        ),
        _percent("percent_low", "Frequency (lower end)."),
        _percent("percent_high", "Frequency (upper end)."),
        Column(
            "n",
            "int",
            "Patients (or admissions) studied, if given.",
            "patients",
            required=False,
            minimum=1,
        ),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

NS_MODEL_PARAMETERS = Schema(
    name="ns_model_parameters",
    description="Parameters of the teaching model of albumin balance.",
    key=("id",),
    columns=(
        Column("id", "str", "Parameter identifier used in code.", pattern=_ID),
        Column("meaning", "str", "What the parameter is."),
        Column("value", "float", "Value in the row's unit.", minimum=0),
        Column("unit", "str", "Unit of value.", allowed=("g/L", "g/day", "days")),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

MECHANISM_STEPS = Schema(
    name="mechanism_steps",
    description=(
        "Titles and evidence levels of the mechanism step-through; the "
        "narration of each step is Markdown in content/mechanism/steps/."
    ),
    key=("lane", "step"),
    columns=(
        Column(
            "lane",
            "str",
            "Which lane the step belongs to.",
            allowed=("tcell", "podocyte"),
        ),
        Column("step", "int", "Step number within the lane.", minimum=1, maximum=10),
        Column("title", "str", "Short title of the step."),
        Column(
            "evidence",
            "str",
            "Where the step has been shown.",
            allowed=(
                "human",
                "human and animal",
                "animal and cell",
                "structural",
                "biochemical",
            ),
        ),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

MECHANISM_COMPARISON = Schema(
    name="mechanism_comparison",
    description="Where tacrolimus and the regimens it is compared with act.",
    key=("drug",),
    columns=(
        Column("order", "int", "Display order.", minimum=0, maximum=100),
        Column("drug", "str", "Drug or drug class."),
        Column("binds", "str", "What the drug binds first."),
        Column("action", "str", "What that does, in this project's words."),
        Column("cells", "str", "Cells mainly affected."),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

MECHANISM_IDENTIFIERS = Schema(
    name="mechanism_identifiers",
    description="Database identifiers for tacrolimus and its pathway.",
    key=("resource", "identifier"),
    columns=(
        Column("resource", "str", "The database, e.g. DrugBank."),
        Column("identifier", "str", "The identifier in that database."),
        Column("what", "str", "What the entry describes."),
        Column(
            "link", "str", "Address of the entry.", pattern=SOURCE_COLUMNS[1].pattern
        ),
        *SOURCE_COLUMNS,
    ),
)

QUIZ_QUESTIONS = Schema(
    name="quiz_questions",
    description=(
        "Retrieval questions, answered in place; each points back to the part "
        "of a page that answers it."
    ),
    key=("id",),
    columns=(
        ROW_ID,
        Column("page", "str", "Page slug the question belongs to."),
        Column("question", "str", "The question."),
        Column("options", "str", "Answer options separated by ' | '."),
        Column("answer", "str", "The correct option, exactly as in options."),
        Column("explanation", "str", "Why, in one or two sentences."),
        Column(
            "lane",
            "str",
            "Mechanism lane that answers it, if any.",
            required=False,
            allowed=("tcell", "podocyte"),
        ),
        Column(
            "step",
            "int",
            "Mechanism step that answers it, if any.",
            required=False,
            minimum=1,
            maximum=10,
        ),
        *SOURCE_COLUMNS,
    ),
)

SCHEMAS: dict[str, Schema] = {
    s.name: s
    for s in (
        REFERENCES,
        NS_DIAGNOSTIC_CRITERIA,
        NS_HISTOLOGY_BY_AGE,
        NS_STEROID_RESPONSE,
        NS_STEROID_COURSE,
        NS_COMPLICATIONS,
        NS_MODEL_PARAMETERS,
        MECHANISM_STEPS,
        MECHANISM_COMPARISON,
        MECHANISM_IDENTIFIERS,
        QUIZ_QUESTIONS,
    )
}
