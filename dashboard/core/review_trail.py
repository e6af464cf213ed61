"""The review trail: which content needs a person's attention (pure functions).

Every data row records when it was last checked against its source
(``checked``) and how directly that source gives the figure (``attribution``);
every Markdown file records its last review (``reviewed`` in its front matter).
:func:`build_report` turns those into the list ``make content-report`` prints:

* rows that rest on a **secondary or unattributed** source;
* rows and files **not checked for 12 months** (or more, as asked);
* rows, references and files that cite a **superseded guideline** (a guideline
  whose ``status`` in ``guidance_timeline.csv`` says it has been replaced).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard.core.content import ContentDoc


@dataclass(frozen=True)
class Superseded:
    """A guideline that has been replaced, and how to spot a citation of it."""

    label: str
    pattern: re.Pattern[str]
    replaced_by: str


@dataclass(frozen=True)
class Item:
    """One thing to look at: where it is, and why."""

    where: str
    what: str


@dataclass
class Report:
    """Everything :func:`build_report` found, by kind."""

    rows: int = 0
    files: int = 0
    secondary: list[Item] = field(default_factory=list)
    unattributed: list[Item] = field(default_factory=list)
    stale: list[Item] = field(default_factory=list)
    superseded: list[Item] = field(default_factory=list)

    @property
    def needs_attention(self) -> int:
        """How many items in all (a row can appear under several kinds)."""
        return (
            len(self.secondary)
            + len(self.unattributed)
            + len(self.stale)
            + len(self.superseded)
        )


def checked_date(text: object) -> dt.date | None:
    """``YYYY-MM-DD`` or ``YYYY-MM`` (read as the month's first day); else ``None``."""
    value = "" if text is None or pd.isna(text) else str(text).strip()  # type: ignore[arg-type]
    for fmt in ("%Y-%m-%d", "%Y-%m"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (day of month counted)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


#: Topics of guidelines by the same bodies that are *not* on the timeline (and
#: so not superseded by it): a citation naming one of them is not flagged.
OTHER_GUIDELINE_TOPICS = re.compile(
    r"acute kidney injury|\bAKI\b|lipid|blood pressure|an(a)?emia|\bCKD\b|"
    r"chronic kidney disease|transplant",
    re.IGNORECASE,
)


def superseded_guidelines(timeline: pd.DataFrame) -> list[Superseded]:
    """Guidelines the guidance timeline marks as fully ``superseded``.

    A citation is taken to name one when it names the same body and year
    (within a few words) and no other guideline topic of that body
    (:data:`OTHER_GUIDELINE_TOPICS`: KDIGO's 2012 AKI guideline is current
    although its 2012 glomerulonephritis guideline is not). "Partly
    superseded" guidelines (one chapter replaced) are not flagged.
    """
    labels = {
        str(r.id): f"{r.body} {int(float(r.year))}"  # type: ignore[attr-defined]
        for r in timeline.itertuples(index=False)
    }
    found = []
    for row in timeline.itertuples(index=False):
        status = str(getattr(row, "status", "") or "").strip().lower()
        if status != "superseded":
            continue
        body, year = str(row.body), str(int(float(row.year)))  # type: ignore[attr-defined]
        pattern = re.compile(
            rf"\b{re.escape(body)}\b[^;]{{0,80}}?\b{year}\b", re.IGNORECASE
        )
        later = str(getattr(row, "superseded_by", "") or "")
        names = [
            labels.get(x.strip(), x.strip()) for x in later.split(";") if x.strip()
        ]
        replaced = "superseded" + (f" by {', '.join(names)}" if names else "")
        found.append(Superseded(f"{body} {year}", pattern, replaced))
    return found


def _cites(rule: Superseded, source: str) -> bool:
    return bool(rule.pattern.search(source)) and not OTHER_GUIDELINE_TOPICS.search(
        source
    )


def _row_label(name: str, row: Mapping[str, object]) -> str:
    """``file.csv `key```: the row's ``id``, else its first column's value."""
    key = row.get("id") or row.get("identifier") or next(iter(row.values()), "?")
    return f"{name}.csv `{key}`"


def build_report(
    datasets: Mapping[str, pd.DataFrame],
    docs: Iterable[ContentDoc],
    *,
    today: dt.date,
    superseded: Iterable[Superseded] = (),
    max_age_months: int = 12,
    references: Mapping[str, str] | None = None,
) -> Report:
    """Collect what needs attention across datasets and Markdown files.

    ``datasets`` maps a dataset name to its validated frame; ``references``
    maps a reference id to its ``source`` text (to see which Markdown files
    cite a superseded guideline through ``[@id]``).
    """
    report = Report()
    rules = list(superseded)
    for name, frame in sorted(datasets.items()):
        for row in frame.to_dict("records"):
            report.rows += 1
            where = _row_label(name, row)
            source = str(row.get("source", ""))
            kind = str(row.get("attribution", "") or "")
            if kind == "secondary":
                report.secondary.append(Item(where, source))
            elif kind == "unattributed":
                report.unattributed.append(Item(where, source))
            when = checked_date(row.get("checked"))
            if when is None:
                report.stale.append(Item(where, "no date of last check"))
            elif months_between(when, today) >= max_age_months:
                report.stale.append(Item(where, f"last checked {row['checked']}"))
            report.superseded.extend(
                Item(where, f"cites {rule.label} ({rule.replaced_by})")
                for rule in rules
                if name != "guidance_timeline" and _cites(rule, source)
            )
    refs = dict(references or {})
    for doc in docs:
        report.files += 1
        where = doc.path.as_posix()
        if months_between(doc.reviewed, today) >= max_age_months:
            report.stale.append(Item(where, f"last reviewed {doc.reviewed}"))
        for source_id in doc.sources:
            text = refs.get(source_id, "")
            report.superseded.extend(
                Item(where, f"cites [@{source_id}], {rule.label} ({rule.replaced_by})")
                for rule in rules
                if _cites(rule, text)
            )
    return report


def _where_file(item: Item) -> str:
    return item.where.split(" ", 1)[0]


def report_summary(report: Report, *, today: dt.date, max_age_months: int) -> str:
    """Counts by kind and file, as a Markdown table (for the README)."""
    kinds = (
        ("unattributed", report.unattributed),
        ("secondary", report.secondary),
        (f"not checked in {max_age_months} months", report.stale),
        ("cites a superseded guideline", report.superseded),
    )
    files = sorted({_where_file(i) for _, items in kinds for i in items})
    lines = [
        f"Content report ({today.isoformat()}): {report.rows} data rows and "
        f"{report.files} Markdown files checked.",
        "",
        "| file | " + " | ".join(k for k, _ in kinds) + " |",
        "| --- |" + " ---: |" * len(kinds),
    ]
    for file in files:
        counts = [sum(_where_file(i) == file for i in items) for _, items in kinds]
        lines.append(f"| {file} | " + " | ".join(str(c) for c in counts) + " |")
    totals = [len(items) for _, items in kinds]
    lines.append("| **all** | " + " | ".join(f"**{t}**" for t in totals) + " |")
    return "\n".join(lines)


def report_markdown(report: Report, *, today: dt.date, max_age_months: int) -> str:
    """The report as Markdown text for the terminal and the README."""
    lines = [
        f"Content report ({today.isoformat()}): {report.rows} data rows and "
        f"{report.files} Markdown files checked; "
        f"{report.needs_attention} item(s) need attention.",
    ]
    sections = (
        ("Unattributed sources (authorship not established)", report.unattributed),
        ("Secondary sources (a review, textbook or summary)", report.secondary),
        (f"Not checked in {max_age_months} months", report.stale),
        ("Citing a superseded guideline", report.superseded),
    )
    for title, items in sections:
        lines += ["", f"## {title}: {len(items)}"]
        lines += [f"- {i.where}: {i.what}" for i in items] or ["- none"]
    return "\n".join(lines)
