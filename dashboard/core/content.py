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
(:func:`uncited_numeric_lines`). Every rule fails loudly with the file, the
field and, where there is one, the line.

The app reads content **per page and per file** (:func:`load_page`): a page's
sections are the files in its folder (``content/nephrotic_syndrome/`` for the
page ``nephrotic-syndrome``), and a file that cannot be read, is cut off or
breaks the contract becomes a :class:`ContentProblem` that stands in for its
section, while every other section and page is unaffected. Tools and tests
that want all-or-nothing use :func:`load_all`, which raises on the first bad
file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from dashboard.core.textfiles import UnreadableFileError, read_utf8

REQUIRED_KEYS = ("title", "page", "order", "sources", "reviewed")
OPTIONAL_KEYS = ("audience",)
AUDIENCES = ("student", "educator")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.DOTALL)
_OPENING = re.compile(r"\A---[ \t]*(?:\n|\Z)")
_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:")
_AUDIENCE_LINE = re.compile(r"^audience:[ \t]*['\"]?(student|educator)\b", re.MULTILINE)
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
    """A content file breaks the contract; the message names file and field.

    ``line`` is the 1-based line of the fault in the file, when there is one
    (it is also in the message).
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _error(file: str, cause: str, line: int | None = None) -> ContentError:
    """``file, line N: cause`` (or ``file: cause`` without a line)."""
    where = file if line is None else f"{file}, line {line}"
    return ContentError(f"{where}: {cause}", line)


def section_slug(path: Path) -> str:
    """The file name without its order prefix: ``10_features.md`` → ``features``."""
    prefix, _, rest = path.stem.partition("_")
    return rest if prefix.isdigit() and rest else path.stem


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
        return section_slug(self.path)


@dataclass(frozen=True)
class ContentProblem:
    """A content file that cannot be shown, standing in for its section.

    Attributes
    ----------
    path
        The file (relative to the content folder's parent, like
        ``ContentDoc.path``), or the page folder when the file is missing.
    slug
        The section the file would give (from its name, which needs no reading).
    message
        ``file, line N: cause``, ready to show.
    line
        The 1-based line of the fault, when there is one.
    audience
        ``educator`` or ``student`` if the file says so in a line that could be
        read, else ``None`` (unknown: treat it as shown to students).
    """

    path: Path
    slug: str
    message: str
    line: int | None = None
    audience: str | None = None

    def __str__(self) -> str:
        return self.message

    def error(self) -> ContentError:
        """The problem as the exception a section's guard shows."""
        return ContentError(self.message, self.line)


@dataclass(frozen=True)
class PageContent:
    """What one page's folder holds: its usable sections and its broken files.

    ``folder`` is the page's folder (relative to the content folder's parent);
    ``docs`` maps section slug to doc, in page order (``order``, then path);
    ``problems`` lists, in file order, every file that could not be used.
    """

    page: str
    folder: Path
    docs: Mapping[str, ContentDoc]
    problems: tuple[ContentProblem, ...] = ()

    def missing(self, slug: str) -> ContentProblem:
        """The problem for a section the page expects but no file gives."""
        folder = self.folder.as_posix()
        return ContentProblem(
            self.folder,
            slug,
            f"{folder}/: no file gives the section '{slug}' (a file named like "
            f"10_{slug}.md); was it deleted or renamed?",
        )


@dataclass(frozen=True)
class _Parts:
    meta: dict[str, object]
    body: str
    key_lines: dict[str, int]  # front matter key -> its line in the file
    body_line: int  # the line the body starts on


def _split(text: str, file: str) -> _Parts:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _error(file, "the file is empty")
    match = _FRONT_MATTER.match(text)
    if match is None:
        if _OPENING.match(text):
            last = text.count("\n") + (0 if text.endswith("\n") else 1)
            raise _error(
                file,
                "front matter not closed with ---: it opens on line 1 and the "
                f"file ends at line {last} (was the file cut off?)",
                last,
            )
        raise _error(file, "no front matter (the file must start with ---)", 1)
    front = match.group(1)
    try:
        meta = yaml.safe_load(front)
    except yaml.YAMLError as e:
        raise _yaml_error(file, e) from e
    if not isinstance(meta, dict):
        raise _error(file, "front matter must be a mapping of keys", 2)
    key_lines: dict[str, int] = {}
    for number, line in enumerate(front.splitlines(), start=2):
        key = _KEY.match(line)
        if key:
            key_lines.setdefault(key.group(1), number)
    body_line = text.count("\n", 0, match.end()) + 1
    return _Parts(meta, text[match.end() :], key_lines, body_line)


def _yaml_error(file: str, error: yaml.YAMLError) -> ContentError:
    """The YAML parser's complaint, with lines counted in the file (not the header)."""
    mark = getattr(error, "problem_mark", None)
    line = None if mark is None else mark.line + 2
    cause = getattr(error, "problem", None) or str(error).splitlines()[0]
    context, opened = (
        getattr(error, "context", None),
        getattr(error, "context_mark", None),
    )
    if context and opened is not None:
        cause += f" ({context} that starts on line {opened.line + 2})"
    elif context:
        cause += f" ({context})"
    return _error(file, f"front matter is not valid YAML: {cause}", line)


def split_front_matter(text: str, *, file: str) -> tuple[dict[str, object], str]:
    """Split ``text`` into (front matter mapping, Markdown body)."""
    parts = _split(text, file)
    return parts.meta, parts.body


def _field_error(
    file: str, key: str, problem: str, lines: Mapping[str, int] | None = None
) -> ContentError:
    return _error(file, f"field '{key}' {problem}", (lines or {}).get(key))


def parse_doc(
    text: str,
    *,
    path: Path,
    known_pages: Iterable[str],
    known_sources: Iterable[str] | None = None,
    folder_page: str | None = None,
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
    folder_page
        The page whose folder holds the file; ``page`` must name it. ``None``
        skips that check.

    Raises
    ------
    ContentError
        Naming the file, the offending field and (when it is there) its line.
    """
    file = path.as_posix()
    parts = _split(text, file)
    meta, body, lines = parts.meta, parts.body, parts.key_lines
    for key in REQUIRED_KEYS:
        if key not in meta:
            raise _field_error(file, key, "is missing")
    for key in meta:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            allowed = ", ".join(REQUIRED_KEYS + OPTIONAL_KEYS)
            raise _field_error(
                file, str(key), f"is not allowed (allowed: {allowed})", lines
            )

    title, page, order = meta["title"], meta["page"], meta["order"]
    if not isinstance(title, str) or not title.strip():
        raise _field_error(file, "title", "must be non-empty text", lines)
    pages = set(known_pages)
    if page not in pages:
        raise _field_error(
            file, "page", f"must be one of {sorted(pages)}, got {page!r}", lines
        )
    if folder_page is not None and page != folder_page:
        raise _field_error(
            file,
            "page",
            f"is {page!r}, but the file is in the folder of page {folder_page!r}",
            lines,
        )
    if not isinstance(order, int) or isinstance(order, bool):
        raise _field_error(
            file, "order", f"must be a whole number, got {order!r}", lines
        )
    sources = _validate_sources(meta["sources"], file, known_sources, lines)
    reviewed = meta["reviewed"]
    if not isinstance(reviewed, dt.date) or isinstance(reviewed, dt.datetime):
        raise _field_error(
            file, "reviewed", f"must be a date YYYY-MM-DD: {reviewed!r}", lines
        )
    audience = meta.get("audience", "student")
    if audience not in AUDIENCES:
        raise _field_error(file, "audience", f"must be one of {AUDIENCES}", lines)
    _validate_body(body, file, sources, parts.body_line)
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
    value: object,
    file: str,
    known: Iterable[str] | None,
    lines: Mapping[str, int] | None = None,
) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise _field_error(file, "sources", "must be a list of reference ids", lines)
    bad = [s for s in value if not _SOURCE_ID.match(s)]
    if bad:
        raise _field_error(file, "sources", f"has malformed ids {bad}", lines)
    if known is not None:
        unknown = sorted(set(value) - set(known))
        if unknown:
            raise _field_error(
                file, "sources", f"names ids not in references.csv: {unknown}", lines
            )
    return tuple(value)


def _validate_body(
    body: str, file: str, sources: tuple[str, ...], first_line: int = 1
) -> None:
    """Check the body; ``first_line`` is the file line the body starts on."""

    def line_of(fragment: str) -> int | None:
        at = body.find(fragment)
        return None if at < 0 else first_line + body.count("\n", 0, at)

    if not body.strip():
        raise _error(file, "the body is empty")
    html = _RAW_HTML.search(_strip_code(body))
    if html:
        raise _error(
            file,
            f"raw HTML is not allowed in bodies: {html.group()!r}",
            line_of(html.group()),
        )
    cited = set(CITATION.findall(body))
    missing = sorted(cited - set(sources))
    if missing:
        raise _error(
            file,
            f"the body cites {missing} but field 'sources' does not list them",
            line_of(f"[@{missing[0]}]"),
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


def _is_content_file(path: Path, content_dir: Path) -> bool:
    return (
        path.name.lower() != "readme.md"
        and "data" not in path.relative_to(content_dir).parts
    )


def content_files(content_dir: Path) -> list[Path]:
    """Every Markdown content file, skipping ``data/`` and README files."""
    return sorted(
        p for p in content_dir.rglob("*.md") if _is_content_file(p, content_dir)
    )


def page_folder(content_dir: Path, page: str) -> Path:
    """The folder that holds ``page``'s sections: its slug, with ``_`` or ``-``.

    ``nephrotic-syndrome`` lives in ``content/nephrotic_syndrome/`` and
    ``class-check`` in ``content/class-check/``. If neither exists, the name
    with underscores is returned (it is what a message should point to).
    """
    for name in (page, page.replace("-", "_")):
        if (content_dir / name).is_dir():
            return content_dir / name
    return content_dir / page.replace("-", "_")


def _with_newlines(text: str) -> str:
    """Line ends as newline characters only, as text mode would give them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _audience_hint(path: Path) -> str | None:
    """The audience a broken file names in a readable line, if any."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    found = _AUDIENCE_LINE.search(_with_newlines(text))
    return found.group(1) if found else None


def read_doc(
    path: Path,
    *,
    content_dir: Path,
    known_pages: Iterable[str],
    known_sources: Iterable[str] | None = None,
    folder_page: str | None = None,
) -> ContentDoc | ContentProblem:
    """Read and validate one file; a file that cannot be used gives its problem.

    Never raises for the file's own faults: a missing or unreadable file, bytes
    that are not UTF-8 (located by line), a cut-off or broken front matter and
    every contract rule of :func:`parse_doc` come back as a
    :class:`ContentProblem` naming the file, the line and the cause.
    ``path`` is shown relative to ``content_dir``'s parent.
    """
    shown = path.relative_to(content_dir.parent)
    file = shown.as_posix()
    try:
        text = _with_newlines(read_utf8(path))
    except UnreadableFileError as fault:
        error = _error(file, fault.cause, fault.line)
        return ContentProblem(
            shown, section_slug(path), str(error), fault.line, _audience_hint(path)
        )
    try:
        return parse_doc(
            text,
            path=shown,
            known_pages=known_pages,
            known_sources=known_sources,
            folder_page=folder_page,
        )
    except ContentError as error:
        found = _AUDIENCE_LINE.search(text)
        return ContentProblem(
            shown,
            section_slug(path),
            str(error),
            error.line,
            found.group(1) if found else None,
        )


def load_page(
    content_dir: Path,
    page: str,
    *,
    known_pages: Iterable[str],
    known_sources: Iterable[str] | None = None,
) -> PageContent:
    """Read the files in ``page``'s folder, each on its own; never raises for them.

    Each file gives a section or a :class:`ContentProblem` (see
    :func:`read_doc`); a file whose ``page`` names another page, or whose slug
    an earlier file of the page already uses, is a problem too. Other pages'
    files are not read, so a fault there cannot reach this page.
    """
    folder = page_folder(content_dir, page)
    shown = folder.relative_to(content_dir.parent)
    pages = tuple(known_pages)
    sources = None if known_sources is None else tuple(known_sources)
    try:
        paths = sorted(
            p for p in folder.rglob("*.md") if _is_content_file(p, content_dir)
        )
    except OSError as fault:
        reason = fault.strerror or type(fault).__name__
        message = f"{shown.as_posix()}/: the folder cannot be read: {reason}"
        return PageContent(page, shown, {}, (ContentProblem(shown, "", message),))
    docs: dict[str, ContentDoc] = {}
    problems: list[ContentProblem] = []
    for path in paths:
        result = read_doc(
            path,
            content_dir=content_dir,
            known_pages=pages,
            known_sources=sources,
            folder_page=page,
        )
        if isinstance(result, ContentProblem):
            problems.append(result)
        elif result.slug in docs:
            other = docs[result.slug].path.as_posix()
            problems.append(
                ContentProblem(
                    result.path,
                    result.slug,
                    f"{result.path.as_posix()}: section slug '{result.slug}' of "
                    f"page '{page}' is already used by {other}",
                    audience=result.audience,
                )
            )
        else:
            docs[result.slug] = result
    ordered = sorted(docs.values(), key=lambda d: (d.order, d.path.as_posix()))
    return PageContent(page, shown, {d.slug: d for d in ordered}, tuple(problems))


def load_all(
    content_dir: Path,
    *,
    known_pages: Iterable[str],
    known_sources: Iterable[str] | None = None,
) -> list[ContentDoc]:
    """Load and validate every content file; the first bad file raises.

    For tools and tests that check the whole tree (the app uses
    :func:`load_page`). Raises :class:`ContentError` naming the file, the line
    and the cause, including for a file that cannot be read or decoded.
    """
    pages = tuple(known_pages)
    sources = None if known_sources is None else tuple(known_sources)
    docs = []
    for path in content_files(content_dir):
        result = read_doc(
            path, content_dir=content_dir, known_pages=pages, known_sources=sources
        )
        if isinstance(result, ContentProblem):
            raise result.error()
        docs.append(result)
    seen: dict[tuple[str, str], ContentDoc] = {}
    for doc in docs:
        other = seen.setdefault((doc.page, doc.slug), doc)
        if other is not doc:
            raise ContentError(
                f"{doc.path.as_posix()}: section slug '{doc.slug}' of page "
                f"'{doc.page}' is already used by {other.path.as_posix()}"
            )
    return sorted(docs, key=lambda d: (d.page, d.order, d.path.as_posix()))
