"""The data contract: typed column schemas, a validator and a loader for CSV datasets.

Every CSV that a chart plots lives in ``content/data/`` and has a :class:`Schema`
in :mod:`dashboard.core.schemas`. The validator reports *every* problem at once,
each naming the file, the CSV line (the header is line 1) and the column, so that
a broken file is a readable error rather than a silently empty chart.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from dashboard.core.citations import locator_problem
from dashboard.core.textfiles import UnreadableFileError, read_utf8

ColumnType = Literal["str", "int", "float", "bool"]

#: A citation locator: a web address, a PubMed ID or a DOI.
SOURCE_LOCATOR = re.compile(
    r"^(https?://\S+|PMID:? ?\d{5,9}|doi:10\.\d{4,9}/\S+)$", re.IGNORECASE
)

_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


@dataclass(frozen=True)
class Column:
    """One column of a dataset.

    Parameters
    ----------
    name
        Header text in the CSV.
    type
        ``str``, ``int``, ``float`` or ``bool``.
    description
        What the column means, for the data README and error messages.
    unit
        Unit of a numeric column (``""`` when dimensionless or text).
    required
        Whether an empty cell is an error.
    allowed
        The only values a text column may take, if restricted.
    minimum, maximum
        Inclusive bounds of a numeric column.
    pattern
        A regular expression that every non-empty text cell must match in full.
    check
        A further rule on a non-empty text cell: returns why the value is
        refused, or ``None`` (e.g. :func:`dashboard.core.citations.locator_problem`).
    """

    name: str
    type: ColumnType
    description: str
    unit: str = ""
    required: bool = True
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: re.Pattern[str] | None = None
    check: Callable[[str], str | None] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Schema:
    """The contract of one CSV file in ``content/data``.

    Every schema must carry the provenance columns of :data:`SOURCE_COLUMNS`:
    ``source`` (the citation), ``source_url`` (the canonical record: a PMID, a
    DOI or an address on :data:`dashboard.core.citations.CANONICAL_HOSTS`),
    ``read_at`` (the copy actually read, for audit), ``checked`` (when the row
    was last checked against its source) and ``attribution``.
    :func:`validate_schema_definition` enforces it.
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        """The CSV's file name inside ``content/data``."""
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")


@dataclass(frozen=True)
class Problem:
    """One validation failure, located as precisely as possible."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


@dataclass
class DataError(Exception):
    """Raised when a dataset breaks its contract; lists every problem found."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        shown = "\n".join(f"- {p}" for p in self.problems[:20])
        more = len(self.problems) - 20
        if more > 0:
            shown += f"\n- … and {more} more"
        return f"Invalid data ({len(self.problems)} problem(s)):\n{shown}"


#: A date a row was last checked against its source: ``YYYY-MM-DD`` or ``YYYY-MM``.
CHECKED_DATE = re.compile(r"20\d{2}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?")
#: How directly a row's source gives the figure.
ATTRIBUTIONS = ("primary", "secondary", "unattributed")

SOURCE_COLUMNS = (
    Column(
        "source",
        "str",
        "Citation: first author (or issuing body), year, title, journal.",
    ),
    Column(
        "source_url",
        "str",
        "The canonical record a student is sent to: 'PMID n', 'doi:10.…', or a "
        "page of the publisher, guideline body or regulator (never a mirror).",
        pattern=SOURCE_LOCATOR,
        check=locator_problem,
    ),
    Column(
        "read_at",
        "str",
        "Audit only: the copy the figure was actually read from, if not the "
        "canonical record (several separated by ' ; ').",
        required=False,
    ),
    Column(
        "checked",
        "str",
        "When the row was last checked against its source (YYYY-MM-DD or YYYY-MM).",
        pattern=CHECKED_DATE,
    ),
    Column(
        "attribution",
        "str",
        "primary: the work that produced the figure; secondary: a review, "
        "textbook or summary that reports it; unattributed: authorship of the "
        "work could not be established (shown as weaker evidence).",
        allowed=ATTRIBUTIONS,
    ),
)
#: The provenance column names every schema must carry.
PROVENANCE = tuple(c.name for c in SOURCE_COLUMNS)


def validate_schema_definition(schema: Schema) -> list[str]:
    """Return mistakes in a schema itself (missing provenance, bad keys)."""
    names = [c.name for c in schema.columns]
    mistakes = []
    for required in PROVENANCE:
        if required not in names:
            mistakes.append(f"{schema.name}: schema lacks the '{required}' column")
    if len(set(names)) != len(names):
        mistakes.append(f"{schema.name}: duplicate column names")
    mistakes.extend(
        f"{schema.name}: key column '{k}' is not in the schema"
        for k in schema.key
        if k not in names
    )
    return mistakes


def _coerce(raw: str, column: Column) -> tuple[object, str | None]:
    """Convert one non-empty cell; return ``(value, error message or None)``."""
    if column.type == "str":
        value: object = raw
    elif column.type == "int":
        try:
            value = int(raw)
        except ValueError:
            return None, f"expected a whole number, got {raw!r}"
    elif column.type == "float":
        try:
            value = float(raw)
        except ValueError:
            return None, f"expected a number, got {raw!r}"
        if value != value or value in (float("inf"), float("-inf")):
            return None, f"expected a finite number, got {raw!r}"
    else:
        lowered = raw.lower()
        if lowered not in _TRUE | _FALSE:
            return None, f"expected true or false, got {raw!r}"
        value = lowered in _TRUE
    return value, _check_value(value, column)


def _check_value(value: object, column: Column) -> str | None:
    if column.allowed is not None and value not in column.allowed:
        return f"{value!r} is not one of {', '.join(column.allowed)}"
    if column.pattern is not None and not column.pattern.fullmatch(str(value)):
        return f"{value!r} does not match the expected form"
    if column.check is not None:
        refused = column.check(str(value))
        if refused:
            return refused
    if isinstance(value, int | float) and not isinstance(value, bool):
        unit = f" {column.unit}" if column.unit else ""
        if column.minimum is not None and value < column.minimum:
            return f"{value}{unit} is below the minimum {column.minimum}{unit}"
        if column.maximum is not None and value > column.maximum:
            return f"{value}{unit} is above the maximum {column.maximum}{unit}"
    return None


def validate_frame(
    raw: pd.DataFrame, schema: Schema, *, file: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate a frame of raw strings against ``schema``.

    Parameters
    ----------
    raw
        The CSV read with every cell as text (``dtype=str``, empty cells as NaN).
    schema
        The contract to check against.
    file
        The file name to put in problem reports.

    Returns
    -------
    tuple
        The typed frame (columns in schema order) and the list of problems.
        The frame is only meaningful when the list is empty.
    """
    problems: list[Problem] = []
    expected = [c.name for c in schema.columns]
    header = [str(c) for c in raw.columns]
    missing = [c for c in expected if c not in header]
    unknown = [c for c in header if c not in expected]
    problems.extend(
        Problem(file, "required column is missing", line=1, column=c) for c in missing
    )
    problems.extend(
        Problem(file, "column is not in the schema", line=1, column=c) for c in unknown
    )
    if missing or unknown:
        return pd.DataFrame(columns=expected), problems
    if raw.empty:
        return pd.DataFrame(columns=expected), [Problem(file, "the file has no rows")]
    raw = raw[expected]

    typed: dict[str, list[object]] = {name: [] for name in expected}
    for index, row in enumerate(raw.itertuples(index=False, name=None)):
        line = index + 2
        for column, cell in zip(schema.columns, row[: len(expected)], strict=False):
            text = "" if pd.isna(cell) else str(cell).strip()
            if not text:
                if column.required:
                    problems.append(Problem(file, "empty cell", line, column.name))
                typed[column.name].append(None)
                continue
            value, error = _coerce(text, column)
            if error:
                problems.append(Problem(file, error, line, column.name))
            typed[column.name].append(value)
    problems.extend(_duplicate_keys(raw, schema, file))
    return _to_frame(typed, schema), problems


def _duplicate_keys(raw: pd.DataFrame, schema: Schema, file: str) -> list[Problem]:
    if not schema.key:
        return []
    keys = raw[list(schema.key)].astype(str).agg(" | ".join, axis=1)
    duplicated = keys[keys.duplicated()]
    return [
        Problem(file, f"duplicate key {value!r}", int(i) + 2, ", ".join(schema.key))
        for i, value in duplicated.items()
    ]


def _to_frame(typed: dict[str, list[object]], schema: Schema) -> pd.DataFrame:
    frame = pd.DataFrame(typed)
    for column in schema.columns:
        if column.type == "int":
            frame[column.name] = frame[column.name].astype("Int64")
        elif column.type == "float":
            frame[column.name] = frame[column.name].astype("float64")
        elif column.type == "bool":
            frame[column.name] = frame[column.name].astype("boolean")
        else:
            frame[column.name] = frame[column.name].astype("string")
    return frame


def read_raw_csv(path: Path) -> pd.DataFrame:
    """Read a CSV with every cell as text; raise :class:`DataError` if unreadable.

    The file must be UTF-8 (a byte-order mark is allowed). A missing or
    unopenable file, bytes that are not UTF-8, and a file pandas cannot
    tokenise (a quoted cell never closed because the file was cut off, a row
    with more cells than the header) each give one problem naming the file,
    the line where one can be found, and the cause.
    """
    try:
        text = read_utf8(path)
    except UnreadableFileError as fault:
        cause = fault.cause
        if fault.line is not None:
            cause = f"not a readable CSV: {cause}"
        raise DataError([Problem(path.name, cause, line=fault.line)]) from None
    try:
        return pd.read_csv(
            io.StringIO(text.removeprefix("\ufeff")),
            dtype=str,
            keep_default_na=False,
            na_values=[""],
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        message = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        line, cause = csv_fault(text) or (None, message)
        raise DataError(
            [Problem(path.name, f"not a readable CSV: {cause}", line=line)]
        ) from e


def csv_fault(text: str) -> tuple[int, str] | None:
    """The line and cause of the first tokenising fault in CSV ``text``, if found.

    pandas reports such faults by a 0-based row count or not at all; this
    reads the text again with the standard library to name the line (1-based,
    the header is line 1) where the faulty record starts.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start, width = 1, None
    try:
        for row in reader:
            if width is None:
                width = len(row)
            elif len(row) > width:
                return start, f"this row has {len(row)} cells; the header has {width}"
            start = reader.line_num + 1
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            return start, (
                "a quoted cell that starts on this line is never closed "
                "(was the file cut off?)"
            )
        return start, str(error)
    return None


def load_dataset(schema: Schema, directory: Path) -> pd.DataFrame:
    """Load ``directory/<schema.name>.csv``, validated and typed.

    Raises
    ------
    DataError
        Naming the file, line and column of every problem found.
    """
    path = directory / schema.filename
    frame, problems = validate_frame(read_raw_csv(path), schema, file=path.name)
    if problems:
        raise DataError(problems)
    return frame


def describe_schema(schema: Schema) -> list[dict[str, str]]:
    """Rows for a human-readable table of ``schema`` (used by docs and tests)."""
    rows = []
    for c in schema.columns:
        rule = ""
        if c.allowed:
            rule = "one of: " + ", ".join(c.allowed)
        elif c.minimum is not None or c.maximum is not None:
            rule = f"{c.minimum if c.minimum is not None else '−∞'} to "
            rule += f"{c.maximum if c.maximum is not None else '∞'}"
        rows.append(
            {
                "column": c.name,
                "type": c.type,
                "unit": c.unit,
                "required": "yes" if c.required else "no",
                "rule": rule,
                "meaning": c.description,
            }
        )
    return rows


def names(columns: Sequence[Column]) -> list[str]:
    """Names of ``columns`` in order."""
    return [c.name for c in columns]
