"""Build Markdown tables and provenance lists from data rows (pure text)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from dashboard.core.content import locator_to_url


def escape_cell(value: object) -> str:
    """Make ``value`` safe inside a Markdown table cell (pipes, newlines, HTML)."""
    text = "" if value is None else str(value)
    for old, new in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(old, new)
    return " ".join(text.split())


def markdown_table(
    rows: Iterable[Mapping[str, object]],
    columns: Sequence[str],
    *,
    raw_columns: Sequence[str] = (),
) -> str:
    """A GitHub-flavoured Markdown table with ``columns`` as headers, in order.

    Cells are escaped, except in ``raw_columns``, which already hold trusted
    Markdown (links built by :func:`source_markdown`); only their pipes and
    line breaks are neutralised.
    """
    lines = [
        "| " + " | ".join(columns) + " |",
        "|" + "|".join(" --- " for _ in columns) + "|",
    ]

    def cell(row: Mapping[str, object], column: str) -> str:
        value = row.get(column, "")
        if column in raw_columns:
            return " ".join(str(value).replace("|", "\\|").split())
        return escape_cell(value)

    lines.extend(
        "| " + " | ".join(cell(row, c) for c in columns) + " |" for row in rows
    )
    return "\n".join(lines)


_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def short_citation(source: str, *, limit: int = 48) -> str:
    """A compact label for a citation: first author (et al.) or title, and year.

    ``"Hull RP, Goldsmith DJA. Nephrotic syndrome in adults. BMJ 2008;336:1185"``
    becomes ``"Hull RP, Goldsmith DJA 2008"``; three or more authors become
    ``"Trautmann A et al. 2023"``.
    """
    head = source.split(". ")[0].split(", Table")[0].strip()
    abbreviation = re.search(r"\(([A-Z]{2,10})\)", head)
    if abbreviation:
        head = abbreviation.group(1)
    elif len(head) > limit and ": " in head:
        head = head.split(": ")[0]
    names = [n.strip() for n in head.split(",")]
    looks_like_authors = all(
        len(n.split()) <= 3 and len(n) <= 30 for n in names if n != "et al"
    )
    if looks_like_authors and (len(names) >= 3 or "et al" in names):
        head = f"{names[0]} et al."
    if len(head) > limit:
        head = head[: limit - 1].rstrip(" ,:;") + "…"
    year = _YEAR.search(source)
    if year and year.group() not in head:
        head += f" {year.group()}"
    return head


def source_markdown(source: str, locator: str) -> str:
    """The citation as a Markdown link when the locator resolves to a URL."""
    url = locator_to_url(locator)
    label = escape_cell(source).replace("[", "(").replace("]", ")")
    return f"[{label}]({url})" if url else label


def self_link(url: str) -> str:
    """``url`` as a Markdown link that shows itself (in code type, so no emphasis).

    Only http(s) addresses become links; anything else is shown as plain code
    text. Characters that would end the link or the code span are encoded.
    """
    shown = url.replace("`", "%60")
    if not url.startswith(("http://", "https://")):
        return f"`{shown}`"
    target = shown
    for old, new in (
        (" ", "%20"),
        ("(", "%28"),
        (")", "%29"),
        ("<", "%3C"),
        (">", "%3E"),
    ):
        target = target.replace(old, new)
    return f"[`{shown}`]({target})"


#: What a row's ``attribution`` tells the reader, when it is not ``primary``.
ATTRIBUTION_NOTES: dict[str, str] = {
    "secondary": "reported by a secondary source (a review, textbook or summary), "
    "not the original study",
    "unattributed": "weaker evidence: the authors of this work could not be "
    "established",
}


def attribution_note(attribution: object) -> str:
    """A short warning for a secondary or unattributed source (``""`` if primary)."""
    return ATTRIBUTION_NOTES.get(str(attribution or "").strip(), "")


def read_at_text(read_at: object) -> str:
    """The audit addresses a figure was read from, as plain code text (no links).

    The canonical record is the link; these copies (mirrors, proxies) are shown
    only so that a reader can audit the reading, and are deliberately not
    clickable. Returns ``""`` when there is nothing to show.
    """
    text = "" if read_at is None else str(read_at).strip()
    if not text or text.lower() == "nan" or text == "<NA>":
        return ""
    parts = [p.strip().replace("`", "%60") for p in text.split(" ; ") if p.strip()]
    return "Read at: " + " ; ".join(f"`{p}`" for p in parts)


def provenance_item(
    figure: str,
    source: str,
    locator: str,
    quote: str | None,
    *,
    read_at: object = None,
    attribution: object = None,
) -> str:
    """One bullet: the figure, its linked source, the verbatim quote and the audit.

    The source links to the canonical record; a secondary or unattributed source
    is flagged after it, and the copy the figure was read from follows as plain
    text ("Read at: …").
    """
    item = f"- **{escape_cell(figure)}**: {source_markdown(source, locator)}"
    note = attribution_note(attribution)
    if note:
        item += f" ⚠ *{escape_cell(note)}*"
    if quote:
        item += f"  \n  “{escape_cell(quote)}”"
    audit = read_at_text(read_at)
    if audit:
        item += f"  \n  {audit}"
    return item
