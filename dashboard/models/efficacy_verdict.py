"""The Efficacy page's answer first: the verdict, in summary-of-findings form.

For the chosen disease, comparator and outcome family the page opens with
one line per follow-up time: what tacrolimus-based treatment did against the
comparator, with the effect, its 95 % interval, its certainty and its source
(``"Up to 6 months: more remission (favours tacrolimus). OR 2.62
[1.38–4.96], Lin 2019 (meta-analysis)"``), then the project's verdict on the
common claim about that outcome from ``efficacy_claims.csv``.

Which row speaks for a time point: among the ratio rows the filters leave
(:attr:`dashboard.models.efficacy.EvidenceView.oriented`), randomised before
mixed before non-randomised evidence; then pooled results before single
studies; then rows with a GRADE certainty, then with an interval, then with
more participants; the data's order breaks ties. The other rows are in the
forest plot below. "Little or no difference" is said whenever the 95 %
interval includes 1 (a simplification of GRADE, which the page says), and
"direction only" when the source gave no interval.

Every number comes from a data row that names its source; nothing here
reads a file or imports streamlit.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from dashboard.charts.efficacy_labels import effect_text, short_outcome
from dashboard.core import efficacy
from dashboard.core.efficacy import ALL, EvidenceFilter
from dashboard.core.tables import source_markdown
from dashboard.models.efficacy import row_outcome
from dashboard.models.efficacy_sources import VERDICT_MARKS

#: Follow-up groups in the order a reader meets them.
TIME_ORDER = ("up to 6 months", "12 months or more", "final follow-up", "not stated")
TIME_WORDS = {
    "up to 6 months": "Up to 6 months",
    "12 months or more": "12 months or more",
    "final follow-up": "At final follow-up",
    "not stated": "Time not stated",
}
BASE_RANK = {"randomised": 0, "mixed or unclear": 1, "non-randomised": 2}
#: Outcome family → the id prefix of its claim in ``efficacy_claims.csv``.
CLAIM_PREFIX = {
    "remission": "remission-",
    "complete remission": "remission-",
    "relapse": "relapse-",
    "kidney outcomes": "kidney-",
}
#: A single comparator for each disease to open on (the most studied one).
DEFAULT_COMPARATORS = {
    "membranous nephropathy": "cyclophosphamide",
    "minimal change disease": "steroids alone",
    "steroid-resistant NS": "cyclophosphamide",
    "steroid-dependent or frequently relapsing NS": "rituximab",
    "lupus nephritis": "cyclophosphamide",
    "other nephrotic syndrome": "steroids alone",
}
#: The most lines the verdict lists before pointing to the plot.
MAX_FINDINGS = 6


def default_comparator(disease: str) -> str:
    """The single comparator the page opens on for ``disease`` (ALL for all)."""
    return DEFAULT_COMPARATORS.get(disease, "cyclophosphamide")


@dataclasses.dataclass(frozen=True)
class Verdict:
    """The answer to "does tacrolimus do better here?", for one filter choice.

    Parameters
    ----------
    heading
        Markdown: what is compared ("Membranous nephropathy: tacrolimus-based vs
        cyclophosphamide, remission").
    findings
        Markdown lines, one per follow-up time (and comparator, under "All"):
        the direction in words, then effect, interval, certainty and source.
    claim
        Markdown: the project's verdict on the common claim for this disease
        and outcome, or ``""`` when none rests on these rows.
    more
        Markdown: how many rows the lines leave to the plot, or ``""``.
    """

    heading: str
    findings: tuple[str, ...]
    claim: str
    more: str


def _direction(row: pd.Series, outcome: str, higher_is_better: bool) -> str:
    low, high = row["ci_low_tac"], row["ci_high_tac"]
    more = float(row["effect_tac"]) > 1
    likely = f"{outcome} {'more' if more else 'less'} likely with tacrolimus"
    if pd.isna(low) or pd.isna(high):
        return f"{likely}, by direction only (no interval given)"
    if low <= 1 <= high:
        return f"little or no difference in {outcome}"
    side = "tacrolimus" if more == higher_is_better else "the comparator"
    return f"{likely} (favours {side})"


def _rank(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` ordered best first (see the module docstring)."""
    keys = pd.DataFrame(
        {
            "ratio": (~rows["_ratio"].astype(bool)).astype(int),
            "base": rows["evidence_base"].map(BASE_RANK).fillna(3),
            "pooled": (rows["design_class"] != "meta-analysis").astype(int),
            "graded": rows["certainty"].isna().astype(int),
            "interval": rows["ci_low_tac"].isna().astype(int),
            "people": -rows["participants"].fillna(0),
            "order": range(len(rows)),
        },
        index=rows.index,
    )
    order = keys.sort_values(list(keys.columns)).index
    return rows.loc[order]


def _where(row: pd.Series) -> str:
    design = "meta-analysis" if row["design_class"] == "meta-analysis" else "study"
    source = source_markdown(str(row["study"]), str(row["source_url"]))
    return f"{source} ({design}, {row['evidence_base']})"


def finding_line(
    row: pd.Series, outcome: str, higher_is_better: bool, when: str
) -> str:
    """One summary-of-findings line for a ratio ``row`` (tacrolimus-based vs other)."""
    certainty = (
        f", {row['certainty']} certainty (GRADE)" if pd.notna(row["certainty"]) else ""
    )
    effect = effect_text(
        row["measure"], row["effect_tac"], row["ci_low_tac"], row["ci_high_tac"]
    )
    return (
        f"**{when}:** {_direction(row, outcome, higher_is_better)}. "
        f"{effect}{certainty}; {_where(row)}."
    )


def percent_line(row: pd.Series, when: str) -> str:
    """A line for a row with both arms' percentages and no ratio."""
    return (
        f"**{when}:** {short_outcome(row['outcome'])} in {row['pct_tac']:g}% with "
        f"tacrolimus vs {row['pct_comparator']:g}% with {row['comparator_class']} "
        f"(no ratio or interval given); {_where(row)}."
    )


def _claim(claims: pd.DataFrame, chosen: EvidenceFilter, ids: set[str]) -> str:
    prefix = CLAIM_PREFIX.get(chosen.outcome)
    if prefix is None or chosen.disease == ALL:
        return ""
    found = claims[
        (claims["disease_group"] == chosen.disease)
        & claims["id"].astype(str).str.startswith(prefix)
    ]
    for row in found.itertuples(index=False):
        behind = set(str(row.evidence_ids).split(";"))
        if behind & ids:
            return f"Claim “{row.claim}”: {VERDICT_MARKS[row.verdict]}. {row.summary}"
    return ""


def verdict(
    rows: pd.DataFrame,
    oriented: pd.DataFrame,
    claims: pd.DataFrame,
    chosen: EvidenceFilter,
) -> Verdict:
    """The verdict for ``chosen``: one line per follow-up time, then the claim.

    Parameters
    ----------
    rows
        The evidence rows the filters leave
        (:attr:`dashboard.models.efficacy.EvidenceView.rows`): rows with both
        arms' percentages speak for a time point no ratio covers.
    oriented
        The ratio rows among them, tacrolimus-based vs comparator
        (:attr:`dashboard.models.efficacy.EvidenceView.oriented`).
    claims
        The validated ``efficacy_claims.csv``: a claim is shown when a row it
        rests on is among ``rows``.
    chosen
        The student's filter.
    """
    better = efficacy.GROUP_HIGHER_IS_BETTER[chosen.outcome]
    disease = "All diseases" if chosen.disease == ALL else chosen.disease
    versus = "any comparator" if chosen.comparator == ALL else chosen.comparator
    heading = (
        f"**{_capital(disease)}: tacrolimus-based treatment vs "
        f"{versus}, {chosen.outcome}**"
    )
    percents = rows[
        rows["pct_tac"].notna()
        & rows["pct_comparator"].notna()
        & ~rows["id"].isin(oriented["id"])
    ]
    candidates = pd.concat(
        [oriented.assign(_ratio=True), percents.assign(_ratio=False)]
    )
    groups = [
        *(["disease_group"] if chosen.disease == ALL else []),
        *(["comparator_class"] if chosen.comparator == ALL else []),
        "timepoint_group",
    ]
    best = _rank(candidates).drop_duplicates(subset=groups)
    best = best.assign(
        _t=best["timepoint_group"].map({t: i for i, t in enumerate(TIME_ORDER)})
    ).sort_values([*groups[:-1], "_t"], kind="stable")
    lines: list[str] = []
    for _, row in best.iterrows():
        when = TIME_WORDS.get(str(row["timepoint_group"]), str(row["timepoint_group"]))
        named = [
            *([_capital(str(row["disease_group"]))] if chosen.disease == ALL else []),
            *([f"vs {row['comparator_class']}"] if chosen.comparator == ALL else []),
        ]
        if named:
            when = ", ".join([*named, when[0].lower() + when[1:]])
        if not row["_ratio"]:
            lines.append(percent_line(row, when))
        else:
            outcome = row_outcome(row, chosen.outcome)
            lines.append(finding_line(row, outcome, better, when))
    shown = lines[:MAX_FINDINGS]
    rest = len(oriented) + len(percents) - len(shown)
    more = (
        f"{rest} more row{'s' if rest != 1 else ''} in the charts below."
        if rest > 0 and shown
        else ""
    )
    return Verdict(
        heading=heading,
        findings=tuple(shown),
        claim=_claim(claims, chosen, set(rows["id"])),
        more=more,
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def direction_note(outcome: str) -> str:
    """A visible note when lower is better (relapse, harms), else ``""``."""
    if efficacy.GROUP_HIGHER_IS_BETTER[outcome]:
        return ""
    return (
        f"**For {outcome}, lower is better.** A ratio below 1 means less of it with "
        "tacrolimus-based treatment, so here the side favouring tacrolimus is the "
        "**left** of the plot (for remission it is the right)."
    )
