"""Schemas of every dataset in ``content/data`` (the machine-readable contract).

Each :class:`~dashboard.core.datasets.Schema` lists column, type, unit, rule
and meaning. ``content/data/README.md`` documents the same tables for people,
and a test checks that the two agree. Every dataset ends with the provenance
columns ``source`` and ``source_url``; most also keep a verbatim ``quote`` (under
200 characters) from the page the figure was read from.
"""

from __future__ import annotations

import re

from dashboard.core.citations import locator_problem, study_label_problem
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
            "alt_threshold",
            "float",
            "The same source's cut-off stated in a second unit, as the source "
            "rounds it (e.g. 3,000 mg/g beside 300 mg/mmol); applied when a "
            "value is entered in that unit.",
            required=False,
            minimum=0,
            maximum=10_000,
        ),
        Column(
            "alt_unit",
            "str",
            "Unit of alt_threshold.",
            required=False,
            allowed=("mg/g", "g/g", "mg/mmol"),
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
            "link",
            "str",
            "Address of the entry (the database's own page).",
            pattern=SOURCE_COLUMNS[1].pattern,
            check=locator_problem,
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
        Column(
            "view",
            "str",
            "URL query that opens the page in the view that answers it.",
            required=False,
            pattern=re.compile(r"[a-z_]+=[^&\s]+(&[a-z_]+=[^&\s]+)*"),
        ),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

#: Caveat codes carried by evidence rows, with the words the page shows.
CAVEATS: dict[str, str] = {
    "secondary_report": "read from a secondary report (news item or summary), "
    "not the primary paper",
    "decimals_inferred": "decimal places inferred: the only copy found had them "
    "stripped",
    "ci_truncated": "confidence interval missing or cut off in the copy read",
    "numbers_truncated": "numbers cut off in the copy read",
    "randomisation_unclear": "randomisation not clearly reported",
    "unpublished_thesis": "from an unpublished thesis",
    "congress_abstract": "congress abstract only",
    "cni_pooled": "pools tacrolimus with cyclosporine (calcineurin inhibitors)",
    "multitarget": "tacrolimus given together with mycophenolate (multitarget)",
    "sequential": "tacrolimus followed by rituximab (sequential regimen)",
    "counts_derived": "counts worked out from the reported percentage and arm size",
    "comparator_unspecified": "comparator regimens not specified in the source",
    "mostly_observational": "pools mostly observational studies",
    "quote_reassembled": "quote reassembled from fragments of the page",
    "single_arm": "single-arm study: no comparison group",
}
_CAVEAT_LIST = re.compile(
    r"(?:{0})(?:;(?:{0}))*".format("|".join(re.escape(c) for c in CAVEATS))
)
DISEASE_GROUPS = (
    "membranous nephropathy",
    "minimal change disease",
    "steroid-resistant NS",
    "steroid-dependent or frequently relapsing NS",
    "lupus nephritis",
    "other nephrotic syndrome",
)
COMPARATORS = (
    "cyclophosphamide",
    "cyclosporine",
    "steroids alone",
    "rituximab",
    "mycophenolate",
    "no immunosuppression",
    "tacrolimus + steroid",
    "other regimen",
    "none (single arm)",
)
OUTCOME_GROUPS = (
    "remission",
    "complete remission",
    "relapse",
    "adverse events",
    "kidney outcomes",
    "other",
)
EVIDENCE_BASES = ("randomised", "non-randomised", "mixed or unclear")
#: Kinds of study (``design_class``).
DESIGN_CLASSES = ("rct", "meta-analysis", "observational")
#: Follow-up bands for filtering (``timepoint_group``).
TIMEPOINT_GROUPS = (
    "up to 6 months",
    "12 months or more",
    "final follow-up",
    "not stated",
)
#: Effect measures (``measure``): ratios, differences, NNT, p-values.
MEASURES = ("RR", "OR", "HR", "RD", "NNT", "difference", "p-value")
#: Whether an effect was turned to read tacrolimus-based vs comparator.
DIRECTIONS = ("as reported", "inverted")
#: GRADE certainty levels.
CERTAINTIES = ("high", "moderate", "low", "very low")
#: Where a trough target comes from (``tacrolimus_trough_targets.kind``).
TROUGH_KINDS = ("trial protocol", "observational study", "review table", "guideline")


def _count(name: str, meaning: str) -> Column:
    return Column(name, "int", meaning, "patients", required=False, minimum=0)


def _text(name: str, meaning: str, *, required: bool = True) -> Column:
    return Column(name, "str", meaning, required=required)


EFFICACY_EVIDENCE = Schema(
    name="efficacy_evidence",
    description=(
        "Figures from trials, cohorts, meta-analyses and Cochrane reviews of "
        "tacrolimus-based regimens, curated from shared/evidence/evidence.csv by "
        "dashboard/tools/curate_evidence.py."
    ),
    key=("id",),
    columns=(
        Column(
            "id",
            "str",
            "Row identifier (from the source table).",
            pattern=re.compile(r"[A-Z0-9][A-Z0-9-]*"),
        ),
        Column(
            "study",
            "str",
            "Study label for charts: first author and year, plus the trial "
            "acronym, e.g. 'Fernández-Juárez 2021 (STARMEN)'.",
            check=study_label_problem,
        ),
        Column("disease_group", "str", "Disease group.", allowed=DISEASE_GROUPS),
        Column(
            "comparator_class",
            "str",
            "What tacrolimus is compared with.",
            allowed=COMPARATORS,
        ),
        Column(
            "design_class",
            "str",
            "Kind of study.",
            allowed=DESIGN_CLASSES,
        ),
        Column(
            "evidence_base",
            "str",
            "randomised (RCTs or pooled RCTs), non-randomised, or mixed/unclear.",
            allowed=EVIDENCE_BASES,
        ),
        Column(
            "outcome_group",
            "str",
            "Outcome family for filtering.",
            allowed=OUTCOME_GROUPS,
        ),
        Column(
            "higher_is_better",
            "bool",
            "True when more of the outcome is good (remission), false when bad.",
        ),
        Column(
            "timepoint_group",
            "str",
            "Follow-up band.",
            allowed=TIMEPOINT_GROUPS,
        ),
        _text("population", "Who was studied, as the source describes them."),
        _text("design", "Design as the source describes it."),
        _text("arm_tac", "The tacrolimus-based arm, with doses where given."),
        _text("arm_comparator", "The comparator arm.", required=False),
        _count("n_tac", "Patients in the tacrolimus arm."),
        _count("n_comparator", "Patients in the comparator arm."),
        _count("participants", "People behind the figure (both arms or pooled)."),
        _text("outcome", "Outcome as the source words it."),
        _text("timepoint", "Time point as the source gives it.", required=False),
        _text("value_tac", "Tacrolimus-arm value as printed.", required=False),
        _text("value_comparator", "Comparator-arm value as printed.", required=False),
        _count("events_tac", "Patients with the outcome, tacrolimus arm."),
        _count("total_tac", "Patients analysed, tacrolimus arm."),
        _count("events_comparator", "Patients with the outcome, comparator arm."),
        _count("total_comparator", "Patients analysed, comparator arm."),
        Column(
            "pct_tac",
            "float",
            "Proportion with the outcome, tacrolimus arm.",
            "%",
            required=False,
            minimum=0,
            maximum=100,
        ),
        Column(
            "pct_comparator",
            "float",
            "Proportion with the outcome, comparator.",
            "%",
            required=False,
            minimum=0,
            maximum=100,
        ),
        Column(
            "per1000_tac",
            "float",
            "Risk per 1000 (summary-of-findings tables).",
            "per 1000",
            required=False,
            minimum=0,
            maximum=1000,
        ),
        Column(
            "per1000_comparator",
            "float",
            "Comparator risk per 1000.",
            "per 1000",
            required=False,
            minimum=0,
            maximum=1000,
        ),
        _text(
            "effect_measure",
            "Effect measure and its direction, as printed.",
            required=False,
        ),
        Column(
            "measure",
            "str",
            "Effect measure.",
            required=False,
            allowed=MEASURES,
        ),
        Column("effect", "float", "Effect as printed.", required=False),
        Column("ci_low", "float", "Lower 95% limit as printed.", required=False),
        Column("ci_high", "float", "Upper 95% limit as printed.", required=False),
        Column(
            "direction",
            "str",
            "Whether the effect was inverted to read tacrolimus-based vs comparator.",
            allowed=DIRECTIONS,
        ),
        Column(
            "effect_tac",
            "float",
            "Effect as tacrolimus-based vs comparator.",
            required=False,
        ),
        Column(
            "ci_low_tac",
            "float",
            "Lower 95% limit, tacrolimus vs comparator.",
            required=False,
        ),
        Column(
            "ci_high_tac",
            "float",
            "Upper 95% limit, tacrolimus vs comparator.",
            required=False,
        ),
        Column(
            "certainty",
            "str",
            "GRADE certainty where the source gives one.",
            required=False,
            allowed=CERTAINTIES,
        ),
        Column(
            "caveats",
            "str",
            "Caveat codes, separated by ';' (see CAVEATS).",
            required=False,
            pattern=_CAVEAT_LIST,
        ),
        Column(
            "year",
            "int",
            "Publication year where shown.",
            required=False,
            minimum=1950,
            maximum=2030,
        ),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

TROUGH_TARGETS = Schema(
    name="tacrolimus_trough_targets",
    description=(
        "Tacrolimus doses and whole-blood trough targets used in trial protocols "
        "and reviews (targets, not outcomes)."
    ),
    key=("id",),
    columns=(
        Column("id", "str", "Row identifier.", pattern=re.compile(r"[A-Z0-9-]+")),
        Column("disease_group", "str", "Disease group.", allowed=DISEASE_GROUPS),
        _text("setting", "Which study or protocol, in a few words."),
        _text("dose", "Starting dose as given.", required=False),
        Column(
            "trough_low",
            "float",
            "Lower end of the trough target.",
            "ng/mL",
            required=False,
            minimum=0,
            maximum=30,
        ),
        Column(
            "trough_high",
            "float",
            "Upper end of the trough target.",
            "ng/mL",
            required=False,
            minimum=0,
            maximum=30,
        ),
        _text("schedule", "Full target and schedule as given."),
        Column(
            "kind",
            "str",
            "Where the target comes from.",
            allowed=TROUGH_KINDS,
        ),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

EFFICACY_CLAIMS = Schema(
    name="efficacy_claims",
    description=(
        "Common claims about tacrolimus weighed against the evidence rows, by "
        "disease: the verdict is this project's reading of the rows listed."
    ),
    key=("id",),
    columns=(
        ROW_ID,
        _text("claim", "The claim as introductory texts make it."),
        Column("disease_group", "str", "Disease group.", allowed=DISEASE_GROUPS),
        Column(
            "verdict",
            "str",
            "What the evidence shows.",
            allowed=("supported", "partly supported", "not supported", "not shown"),
        ),
        _text(
            "summary",
            "The reasoning, in this project's words; every number in "
            "it comes from the rows in evidence_ids.",
        ),
        Column(
            "evidence_ids",
            "str",
            "Ids of efficacy_evidence rows, ';'-separated.",
            pattern=re.compile(r"[A-Z0-9-]+(;[A-Z0-9-]+)*"),
        ),
        *SOURCE_COLUMNS,
    ),
)

PK_PARAMETERS = Schema(
    name="pk_parameters",
    description="Population-PK model of oral tacrolimus in children with nephrotic "
    "syndrome (the simulator's default model), and the reference values its "
    "captions compare the model with (label half-lives, time to steady state, the "
    "CPIC genotype-guided starting dose).",
    key=("id",),
    columns=(
        ROW_ID,
        _text("meaning", "What the parameter is."),
        Column("value", "float", "Typical value.", minimum=0),
        Column(
            "unit",
            "str",
            "Unit of value.",
            required=False,
            allowed=(
                "1/h",
                "L",
                "L/h",
                "%",
                "h",
                "days",
                "times",
                "mg/kg/day",
                "mg",
                "L/L",
            ),
        ),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

#: Multipliers on tacrolimus exposure must stay within these bounds.
_FACTOR_RANGE = {"minimum": 0.05, "maximum": 20}

PK_INTERACTIONS = Schema(
    name="pk_interactions",
    description="Drugs, herbs and foods that change tacrolimus levels: direction, "
    "mechanism, the published size of the effect and, where the size is known as "
    "a usable factor, the multipliers on apparent clearance and bioavailability "
    "that the simulator applies (rows without a factor are shown, not simulated).",
    key=("id",),
    columns=(
        ROW_ID,
        _text("drug", "The interacting drug or group as shown to students."),
        _text("drug_class", "Its class and how strong an inhibitor or inducer."),
        Column(
            "direction",
            "str",
            "What it does to the tacrolimus level.",
            allowed=("raises", "lowers"),
        ),
        _text("mechanism", "How it acts (CYP3A4/5 and P-glycoprotein)."),
        _text("measure", "The published measure of size, in this project's words."),
        Column(
            "measure_value",
            "float",
            "The published figure the factor is derived from (it is in 'quote').",
            required=False,
        ),
        Column(
            "cl_factor",
            "float",
            "Multiplier on apparent oral clearance CL/F (CYP3A5 non-expressers, or "
            "everyone when no expresser value is given). Empty: size not known as a "
            "usable factor, so the simulator does not offer the row.",
            required=False,
            **_FACTOR_RANGE,
        ),
        Column(
            "cl_factor_expresser",
            "float",
            "Multiplier on CL/F for CYP3A5 expressers, when the source gives one.",
            required=False,
            **_FACTOR_RANGE,
        ),
        Column(
            "f_factor",
            "float",
            "Multiplier on oral bioavailability (empty: 1).",
            required=False,
            **_FACTOR_RANGE,
        ),
        Column(
            "onset_days",
            "float",
            "Days for the effect to build to full size (the simulator ramps it "
            "linearly); empty: at once.",
            unit="days",
            required=False,
            minimum=0,
            maximum=60,
        ),
        _text(
            "time_course",
            "How fast the effect comes and goes after the drug is started or "
            "stopped, with what is not known.",
            required=False,
        ),
        _text(
            "time_course_source",
            "Citation of the work the time course was read from.",
            required=False,
        ),
        Column(
            "time_course_url",
            "str",
            "The canonical record the time course was read from.",
            required=False,
            check=locator_problem,
        ),
        Column(
            "time_course_quote",
            "str",
            "Verbatim excerpt (under 200 characters) that shows onset_days.",
            required=False,
            pattern=re.compile(r".{1,200}", re.DOTALL),
        ),
        _text("derivation", "How the multipliers follow from the source, or why none."),
        _text("notes", "Caveats: population, dose, certainty.", required=False),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

MONITORING_PLAN = Schema(
    name="monitoring_plan",
    description="What is monitored on tacrolimus, how often, and what a finding "
    "prompts, from product labels, guidelines and studies.",
    key=("id",),
    columns=(
        ROW_ID,
        Column("order", "int", "Display order.", minimum=0, maximum=1000),
        _text("parameter", "What is measured or watched."),
        _text("when_starting", "How often in the first weeks.", required=False),
        _text("after_a_change", "When to check again after a change.", required=False),
        _text("maintenance", "How often once stable.", required=False),
        _text("finding", "The finding that calls for action."),
        _text("action", "What the source advises, in this project's words."),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

MONITORING_THRESHOLDS = Schema(
    name="monitoring_thresholds",
    description="Cut-offs that decide whether a result in the monitoring case is "
    "abnormal.",
    key=("id",),
    columns=(
        ROW_ID,
        _text("analyte", "What the cut-off applies to."),
        Column(
            "comparator",
            "str",
            "How a value is compared.",
            allowed=(">", ">=", "<", "<="),
        ),
        Column("threshold", "float", "The cut-off, in unit."),
        _text("unit", "Unit of the threshold."),
        _text("meaning", "What crossing it means."),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

MONITORING_CASE = Schema(
    name="monitoring_case",
    description="A constructed teaching patient's results; each row is judged by "
    "the threshold it names, whose source it carries. Whether a result is "
    "abnormal is not stored: it is computed from that threshold.",
    key=("id",),
    columns=(
        ROW_ID,
        Column("week", "int", "Week on tacrolimus.", minimum=0, maximum=104),
        _text("analyte", "What was measured."),
        Column("value", "float", "The result (invented for the exercise)."),
        _text("unit", "Unit of the result."),
        Column(
            "threshold_id",
            "str",
            "Row of monitoring_thresholds that decides it.",
            pattern=_ID,
        ),
        _text("action", "The right response."),
        _text("explanation", "Why, in this project's words."),
        *SOURCE_COLUMNS,
    ),
)

GUIDANCE_LANES = (
    "all glomerular diseases",
    "lupus nephritis",
    "nephrotic syndrome in children",
)
GUIDANCE_STATUSES = ("current", "partly superseded", "superseded")

GUIDANCE_TIMELINE = Schema(
    name="guidance_timeline",
    description=(
        "Guidelines that shaped the place of calcineurin inhibitors and rituximab, "
        "one row per guideline, with what changed (in this project's words) and "
        "whether it is still current."
    ),
    key=("id",),
    columns=(
        ROW_ID,
        Column("order", "int", "Display order.", minimum=0, maximum=1000),
        Column("body", "str", "Issuing body.", allowed=("KDIGO", "IPNA")),
        Column("year", "int", "Year of publication.", minimum=2000, maximum=2030),
        _text("title", "Title of the guideline."),
        _text("citation", "The guideline's bibliographic record."),
        _text("scope", "Diseases and ages it covers."),
        Column(
            "lane",
            "str",
            "Row of the timeline chart the guideline sits on.",
            allowed=GUIDANCE_LANES,
        ),
        Column(
            "headline",
            "str",
            "The change in a few words, for the chart label.",
            pattern=re.compile(r".{1,40}"),
        ),
        _text("cni", "What it says about calcineurin inhibitors, in our words."),
        _text("rituximab", "What it says about rituximab or other B-cell drugs."),
        Column(
            "status",
            "str",
            "Whether it still applies (partly: some chapters updated).",
            allowed=GUIDANCE_STATUSES,
        ),
        Column(
            "superseded_by",
            "str",
            "Ids of the rows that update it, ';'-separated.",
            required=False,
            pattern=re.compile(r"[a-z0-9][a-z0-9-]*(;[a-z0-9][a-z0-9-]*)*"),
        ),
        _text("notes", "Caveats on the reading.", required=False),
        *SOURCE_COLUMNS,
        QUOTE,
    ),
)

ALTERNATIVE_TRIALS = Schema(
    name="alternative_trials",
    description=(
        "Landmark trials of the alternatives that current guidance rests on "
        "(rituximab, voclosporin, belimumab); not tacrolimus-vs-comparator rows, "
        "so they are kept out of the forest plot."
    ),
    key=("id",),
    columns=(
        ROW_ID,
        _text("trial", "Trial name."),
        Column("disease_group", "str", "Disease group.", allowed=DISEASE_GROUPS),
        _text("design", "Design and who was randomised."),
        _text("intervention", "The experimental arm, with doses as given."),
        _text("comparator", "The control arm."),
        _text("outcome", "Outcome as the source names it."),
        _text("timepoint", "When it was measured."),
        _percent("value_intervention", "Share with the outcome, experimental arm."),
        _percent("value_comparator", "Share with the outcome, control arm."),
        _count("n_intervention", "Patients randomised to the experimental arm."),
        _count("n_comparator", "Patients randomised to the control arm."),
        Column(
            "effect_measure",
            "str",
            "Effect measure, experimental vs control.",
            required=False,
            allowed=("risk difference (percentage points)", "odds ratio"),
        ),
        Column("effect", "float", "Effect as printed.", required=False),
        Column("ci_low", "float", "Lower 95% limit as printed.", required=False),
        Column("ci_high", "float", "Upper 95% limit as printed.", required=False),
        _text("notes", "Caveats on the reading.", required=False),
        *SOURCE_COLUMNS,
        QUOTE,
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
        EFFICACY_EVIDENCE,
        TROUGH_TARGETS,
        EFFICACY_CLAIMS,
        PK_PARAMETERS,
        PK_INTERACTIONS,
        MONITORING_PLAN,
        MONITORING_THRESHOLDS,
        MONITORING_CASE,
        GUIDANCE_TIMELINE,
        ALTERNATIVE_TRIALS,
    )
}
