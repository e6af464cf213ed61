"""How a summary-of-findings table is shown: Markdown, phone cards, 100 people.

* :func:`markdown_table` – one line per outcome with numbers only, for wide
  screens; :func:`statements` – the GRADE plain-language statements under it;
* :func:`card` – one outcome as a short block, for phones;
* :func:`icon_view` – one outcome at its lower or higher sourced comparator
  risk as an icon array of 100 people (:mod:`dashboard.charts.icon_array`),
  with the sentence that is also its alt text.

Built from :class:`dashboard.models.efficacy_sof.SofTable`. Pure: no file
access, no streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.charts import icon_array
from dashboard.charts.chart import Chart
from dashboard.models.efficacy_sof import SofLine, SofTable


def _cell(text: str) -> str:
    return " ".join(str(text).replace("|", "/").split())


def rows_text(line: SofLine) -> str:
    """Which row gives what: the effect, the comparator risks, the others."""
    parts = [f"effect {line.row_id}"]
    risks = [at.baseline.row_id for at in (line.lower, line.higher) if at is not None]
    if risks:
        parts.append(f"risk{'s' if len(risks) > 1 else ''} {', '.join(risks)}")
    if line.also:
        parts.append(f"also {', '.join(line.also)}")
    return "; ".join(parts)


def markdown_table(table: SofTable) -> str:
    """The table as Markdown, one line per outcome (wide screens).

    The GRADE statements follow as a list (:func:`statements`), so the
    table keeps to numbers and stays readable on a laptop.
    """
    head = (
        "| Outcome | Studies (participants) | Relative effect (95% CI) "
        "| Lower comparator risk → with tacrolimus, per 1000 "
        "| Higher comparator risk → with tacrolimus, per 1000 "
        "| Certainty | Rows |\n|" + " --- |" * 7
    )
    lines = [head]
    for line in table.lines:
        if line.higher is not None:
            higher = line.higher.cell
        else:
            higher = "only one sourced risk" if line.lower else "–"
        cells = (
            f"**{line.outcome}** ({line.timepoint})",
            line.evidence,
            line.relative,
            line.lower.cell if line.lower else "no sourced comparator risk",
            higher,
            line.certainty_words,
            rows_text(line),
        )
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def statements(table: SofTable) -> str:
    """The GRADE plain-language statement of every line, as a Markdown list."""
    return "\n".join(
        f"- **{line.outcome}** ({line.timepoint}): {line.statement}"
        for line in table.lines
    )


def card(line: SofLine) -> str:
    """One outcome as a short Markdown block (phones)."""
    parts = [
        f"**{line.outcome}** ({line.timepoint})",
        f"- {line.evidence}; {line.relative}",
    ]
    for at in (line.lower, line.higher):
        if at is not None:
            parts.append(f"- {at.cell} ({at.baseline.source}, {at.baseline.row_id})")
    if line.higher is None:
        parts.append(f"- {line.baseline_note}")
    parts += [f"- Certainty: {line.certainty_words}", f"- {line.statement}"]
    parts.append(f"- Rows: {rows_text(line)}")
    return "\n".join(parts)


@dataclass(frozen=True)
class IconView:
    """The icon array of 100 people for one line and baseline, and its sentence."""

    chart: Chart
    words: str


def icon_view(line: SofLine, comparator: str, which: str = "lower") -> IconView | None:
    """The line at its ``lower`` or ``higher`` baseline as 100 people; ``None`` if none.

    Falls back to the one baseline there is when ``higher`` is asked of a line
    with only one.
    """
    at = line.higher if which == "higher" and line.higher else line.lower
    if at is None:
        return None
    without = round(at.baseline.per_1000 / 10)
    with_tac = round(at.effect.tacrolimus_per_1000 / 10)
    diff = with_tac - without
    change = (
        "the same number"
        if diff == 0
        else f"{abs(diff)} {'more' if diff > 0 else 'fewer'}"
    )
    words = (
        f"Of 100 people like those in the comparator group ({at.baseline.source}, "
        f"{at.baseline.row_id}), {without} have {line.outcome} with {comparator}; "
        f"with tacrolimus-based treatment {with_tac} would ({change}), if the "
        f"{line.measure} of {line.ratio:.2f} from {line.row_id} applies. "
        f"Certainty: {line.certainty or 'not rated'}."
    )
    chart = icon_array.icon_array_chart(
        without,
        with_tac,
        comparator=comparator,
        outcome=line.outcome,
        alt=words,
    )
    return IconView(chart, words)
