"""The content contract: Markdown files with a small YAML front matter.

Each file in ``content/<page folder>/`` starts with::

    ---
    title: Defining features          # section heading shown to students
    page: nephrotic-syndrome          # a slug from dashboard.core.site.PAGES
    order: 10                         # position within the page
    sources: [kdigo-2021]             # ids from content/data/references.csv
    reviewed: 2026-11-24              # date of the last content review
    audience: student                 # optional: student (default) or educator
    ---

Bodies are Markdown without raw HTML. A citation is written ``[@id]`` and must
name one of the file's ``sources``; it renders as a link to the reference.
Any sentence with a clinical number must carry a citation
(:func:`uncited_numeric_lines`). Every rule fails loudly with the file and field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

REQUIRED_KEYS = ("title", "page", "order", "sources", "reviewed")
OPTIONAL_KEYS = ("audience",)
AUDIENCES = ("student", "educator")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.DOTALL)
_RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(\s[^>]*)?/?\s*>|<!--")
CITATION = re.compile(r"\[@([a-z0-9][a-z0-9-]*)\]")
_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: A number followed by a clinical unit: what needs a citation.
_CLINICAL_NUMBER = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:%|g/L|g/dL|g/day|g/d\b|g/24|mg|mmol|µmol|ng|mL|"
    r"g per|per cent|percent|weeks?|days?|months?|years?|\+)",
    re.IGNORECASE,
)


_CONVENTIONS = re.compile(r"95\s?% (?:confidence )?(?:interval|CI)", re.IGNORECASE)


class ContentError(ValueError):
    """A content file breaks the contract; the message names file and field."""


@dataclass(frozen=True)
class ContentDoc:
    """One validated Markdown section."""

    path: Path
    title: str
    page: str
    order: int
    sources: tuple[str, ...]
    reviewed: dt.date
    audience: str
    body: str

    @property
    def slug(self) -> str:
        """The file name without its order prefix: ``10_features.md`` → ``features``."""
        prefix, _, rest = self.path.stem.partition("_")
        return rest if prefix.isdigit() and rest else self.path.stem


def split_front_matter(text: str, *, file: str) -> tuple[dict[str, object], str]:
    """Split ``text`` into (front matter mapping, Markdown body)."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if match is None:
        raise ContentError(f"{file}: no front matter (the file must start with ---)")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as e:
        raise ContentError(f"{file}: front matter is not valid YAML: {e}") from e
    if not isinstance(meta, dict):
        raise ContentError(f"{file}: front matter must be a mapping of keys")
    return meta, text[match.end() :]


def _field_error(file: str, key: str, problem: str) -> ContentError:
    return ContentError(f"{file}: field '{key}' {problem}")


def parse_doc(
    text: str,
    *,
    path: Path,
    known_pages: Iterable[str],
    known_sources: Iterable[str] | None = None,
) -> ContentDoc:
    """Parse and validate one content file.

    Parameters
    ----------
    text
        The whole file.
    path
        Where it came from (for messages and ``ContentDoc.path``).
    known_pages
        Page slugs that ``page`` may name.
    known_sources
        Reference ids that ``sources`` may name; ``None`` skips that check.

    Raises
    ------
    ContentError
        Naming the file and the offending field.
    """
    file = path.as_posix()
    meta, body = split_front_matter(text, file=file)
    for key in REQUIRED_KEYS:
        if key not in meta:
            raise _field_error(file, key, "is missing")
    for key in meta:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            allowed = ", ".join(REQUIRED_KEYS + OPTIONAL_KEYS)
            raise _field_error(file, str(key), f"is not allowed (allowed: {allowed})")

    title, page, order = meta["title"], meta["page"], meta["order"]
    if not isinstance(title, str) or not title.strip():
        raise _field_error(file, "title", "must be non-empty text")
    pages = set(known_pages)
    if page not in pages:
        raise _field_error(
            file, "page", f"must be one of {sorted(pages)}, got {page!r}"
        )
    if not isinstance(order, int) or isinstance(order, bool):
        raise _field_error(file, "order", f"must be a whole number, got {order!r}")
    sources = _validate_sources(meta["sources"], file, known_sources)
    reviewed = meta["reviewed"]
    if not isinstance(reviewed, dt.date) or isinstance(reviewed, dt.datetime):
        raise _field_error(file, "reviewed", f"must be a date YYYY-MM-DD: {reviewed!r}")
    audience = meta.get("audience", "student")
    if audience not in AUDIENCES:
        raise _field_error(file, "audience", f"must be one of {AUDIENCES}")
    _validate_body(body, file, sources)
    return ContentDoc(
        path=path,
        title=title.strip(),
        page=str(page),
        order=order,
        sources=sources,
        reviewed=reviewed,
        audience=str(audience),
        body=body.strip() + "\n",
    )


def _validate_sources(
    value: object, file: str, known: Iterable[str] | None
) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise _field_error(file, "sources", "must be a list of reference ids")
    bad = [s for s in value if not _SOURCE_ID.match(s)]
    if bad:
        raise _field_error(file, "sources", f"has malformed ids {bad}")
    if known is not None:
        unknown = sorted(set(value) - set(known))
        if unknown:
            raise _field_error(
                file, "sources", f"names ids not in references.csv: {unknown}"
            )
    return tuple(value)


def _validate_body(body: str, file: str, sources: tuple[str, ...]) -> None:
    if not body.strip():
        raise ContentError(f"{file}: the body is empty")
    html = _RAW_HTML.search(_strip_code(body))
    if html:
        raise ContentError(
            f"{file}: raw HTML is not allowed in bodies: {html.group()!r}"
        )
    cited = set(CITATION.findall(body))
    missing = sorted(cited - set(sources))
    if missing:
        raise ContentError(
            f"{file}: the body cites {missing} but field 'sources' does not list them"
        )


def _strip_code(body: str) -> str:
    """Remove fenced and inline code, where angle brackets are plain text."""
    without_fences = re.sub(r"```.*?```", "", body, flags=re.DOTALL)
    return re.sub(r"`[^`]*`", "", without_fences)


def uncited_numeric_lines(doc: ContentDoc) -> list[str]:
    """Paragraphs or list items stating a clinical number without a ``[@id]``."""
    # "95% confidence interval" is a statistical convention, not a clinical figure.
    text = _CONVENTIONS.sub("", _strip_code(doc.body))
    blocks = re.split(r"\n\s*\n|\n(?=\s*(?:[-*]|\d+\.)\s)", text)
    return [
        block.strip()
        for block in blocks
        if _CLINICAL_NUMBER.search(CITATION.sub("", block))
        and not CITATION.search(block)
    ]


def render_citations(body: str, references: Mapping[str, tuple[str, str]]) -> str:
    """Replace ``[@id]`` with a Markdown link ``([label](url))``.

    ``references`` maps id to (short label, URL). PMIDs and DOIs become links.
    """

    def _link(match: re.Match[str]) -> str:
        label, locator = references.get(match.group(1), (match.group(1), ""))
        url = locator_to_url(locator)
        return f"([{label}]({url}))" if url else f"({label})"

    return CITATION.sub(_link, body)


def locator_to_url(locator: str) -> str:
    """Turn a URL, ``PMID n`` or ``doi:…`` into a clickable web address."""
    text = locator.strip()
    pmid = re.fullmatch(r"PMID:? ?(\d+)", text, flags=re.IGNORECASE)
    if pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{pmid.group(1)}/"
    if text.lower().startswith("doi:"):
        return "https://doi.org/" + text[4:]
    return text if text.startswith(("http://", "https://")) else ""


def content_files(content_dir: Path) -> list[Path]:
    """Every Markdown content file, skipping ``data/`` and README files."""
    return sorted(
        p
        for p in content_dir.rglob("*.md")
        if p.name.lower() != "readme.md"
        and "data" not in p.relative_to(content_dir).parts
    )


def load_all(
    content_dir: Path,
    *,
    known_pages: Iterable[str],
    known_sources: Iterable[str] | None = None,
) -> list[ContentDoc]:
    """Load and validate every content file; the first bad file raises."""
    pages = tuple(known_pages)
    sources = None if known_sources is None else tuple(known_sources)
    docs = [
        parse_doc(
            path.read_text(encoding="utf-8"),
            path=path.relative_to(content_dir.parent),
            known_pages=pages,
            known_sources=sources,
        )
        for path in content_files(content_dir)
    ]
    seen: dict[tuple[str, str], ContentDoc] = {}
    for doc in docs:
        other = seen.setdefault((doc.page, doc.slug), doc)
        if other is not doc:
            raise ContentError(
                f"{doc.path.as_posix()}: section slug '{doc.slug}' of page "
                f"'{doc.page}' is already used by {other.path.as_posix()}"
            )
    return sorted(docs, key=lambda d: (d.page, d.order, d.path.as_posix()))


def docs_for_page(docs: Iterable[ContentDoc], page: str) -> dict[str, ContentDoc]:
    """Map each section slug of ``page`` to its doc, in order."""
    return {d.slug: d for d in docs if d.page == page}
