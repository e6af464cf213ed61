"""The Efficacy page's sources: each evidence row in words, the claims, the dialog.

Built from the validated ``efficacy_evidence.csv`` (one row per figure, each
quoted from its source) and ``efficacy_claims.csv`` (verdicts on common
claims, each naming the evidence rows it rests on). Pure: nothing here reads a
file or imports streamlit.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from dashboard.core import efficacy
from dashboard.core.efficacy import ALL
from dashboard.core.schemas import CAVEATS
from dashboard.core.tables import attribution_note, read_at_text, source_markdown

VERDICT_MARKS = {
    "supported": ":green[:material/check_circle:] **Supported**",
    "partly supported": ":orange[:material/contrast:] **Partly supported**",
    "not supported": ":red[:material/cancel:] **Not supported**",
    "not shown": ":gray[:material/help:] **Not shown**",
}


def caveats_markdown(row: pd.Series) -> str:
    """The row's caveats as ``**Caveats:** a; b.``, or ``""`` if it has none."""
    words = efficacy.caveat_words(row["caveats"], CAVEATS)
    return "**Caveats:** " + "; ".join(words) + "." if words else ""


def caveat_text(row: pd.Series) -> str:
    """The row's attribution note (if any), then its caveats, joined by ``; ``."""
    return "; ".join(_caveat_list(row))


def _caveat_list(row: pd.Series) -> list[str]:
    words = efficacy.caveat_words(row["caveats"], CAVEATS)
    note = attribution_note(row.get("attribution"))
    return [note, *words] if note else words


@dataclasses.dataclass(frozen=True)
class Claim:
    """One checked claim: its verdict in words and the evidence rows behind it.

    Parameters
    ----------
    id
        The claim's id in ``efficacy_claims.csv``.
    text
        Markdown: the claim, its disease, the verdict mark and the summary.
    evidence_ids
        The ids of the evidence rows the verdict rests on.
    """

    id: str
    text: str
    evidence_ids: tuple[str, ...]

    @property
    def rows_label(self) -> str:
        """The label of the expander listing the rows behind the verdict."""
        return f"The {len(self.evidence_ids)} rows behind this verdict"


def claims_for(claims: pd.DataFrame, disease: str) -> tuple[Claim, ...]:
    """The checked claims for ``disease`` (or all, for ``ALL``), in file order.

    Parameters
    ----------
    claims
        The validated ``efficacy_claims.csv``.
    disease
        A disease group, or ``ALL``.
    """
    if disease != ALL:
        claims = claims[claims["disease_group"] == disease]
    return tuple(
        Claim(
            id=str(row.id),
            text=f"**{row.claim}** · *{row.disease_group}*  \n"
            f"{VERDICT_MARKS[row.verdict]}: {row.summary}",
            evidence_ids=tuple(str(row.evidence_ids).split(";")),
        )
        for row in claims.itertuples(index=False)
    )


def rows_behind(evidence: pd.DataFrame, ids: tuple[str, ...]) -> str:
    """The evidence rows ``ids`` as a Markdown list (:func:`row_line` each)."""
    behind = evidence[evidence["id"].isin(ids)]
    return "\n".join(row_line(r) for _, r in behind.iterrows())


def row_line(row: pd.Series) -> str:
    """One evidence row as a Markdown bullet: id, outcome, figures, caveats, source."""
    values = " vs ".join(
        v
        for v in (row["value_tac"], row["value_comparator"])
        if isinstance(v, str) and v
    )
    effect = f"{row['measure']} {row['effect']:g}" if pd.notna(row["effect"]) else ""
    figures = "; ".join(x for x in (values, effect) if x)
    words = _caveat_list(row)
    caveat = f" ⚠ *{'; '.join(words)}*" if words else ""
    timepoint = value_or(row["timepoint"], "time not stated")
    return (
        f"- `{row['id']}` {row['outcome']} ({timepoint})"
        f": **{figures or 'no numbers'}**, {row['evidence_base']}. "
        f"{source_markdown(str(row['study']), str(row['source_url']))}"
        f"{caveat}"
    )


@dataclasses.dataclass(frozen=True)
class SourceView:
    """Everything about one evidence row, for the "where this comes from" dialog.

    Parameters
    ----------
    heading
        The outcome, as a Markdown heading.
    facts
        Source, design, population, arms, n and time point, one per line.
    line
        The row's figures (:func:`row_line`).
    quote
        The source's words, or ``None``.
    small_print
        Where it was read, when it was checked, and the row id.
    caveats
        :func:`caveats_markdown` of the row.
    """

    heading: str
    facts: str
    line: str
    quote: str | None
    small_print: str
    caveats: str


def source_view(evidence: pd.DataFrame, row_id: str) -> SourceView:
    """The dialog's content for the evidence row ``row_id``.

    Raises
    ------
    ValueError
        If ``evidence`` has no row ``row_id``.
    """
    match = evidence[evidence["id"] == row_id]
    if match.empty:
        raise ValueError(f"No evidence row called {row_id!r}.")
    r = match.iloc[0]
    note = attribution_note(r.get("attribution"))
    facts = {
        "Source": source_markdown(str(r["source"]), str(r["source_url"]))
        + (f" ⚠ *{note}*" if note else ""),
        "Design": f"{r['design']} ({r['evidence_base']})",
        "Population": r["population"],
        "Tacrolimus arm": r["arm_tac"],
        "Comparator": value_or(r["arm_comparator"], "none"),
        "n": value_or(r["participants"], "not shown"),
        "Time point": value_or(r["timepoint"], "not stated"),
    }
    audit = read_at_text(r.get("read_at"))
    checked = f"Checked against its source {r['checked']}."
    return SourceView(
        heading=f"### {r['outcome'].capitalize()}",
        facts="  \n".join(f"**{k}:** {v}" for k, v in facts.items()),
        line=row_line(r),
        quote=str(r["quote"]) if pd.notna(r["quote"]) else None,
        small_print=" ".join(
            x for x in (audit + "." if audit else "", checked, f"Row `{r['id']}`.") if x
        ),
        caveats=caveats_markdown(r),
    )


def value_or(value: object, fallback: str) -> object:
    """``value``, or ``fallback`` where the data has no value (``None``, NA)."""
    return fallback if value is None or pd.isna(value) else value
