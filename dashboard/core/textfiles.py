"""Read a content or data file as UTF-8 text; every way that fails names a line.

Markdown and CSV files are written by hand, so they break in ordinary ways: a
file saved as Latin-1 or Windows-1252, two stray bytes pasted in, a copy cut
off part-way, a file that was deleted or cannot be opened. :func:`read_utf8`
turns each of these into one :class:`UnreadableFileError` with a plain cause and,
for bad bytes, the line they are on (a decoder reports a byte offset; authors
look for lines).
"""

from __future__ import annotations

from pathlib import Path


class UnreadableFileError(Exception):
    """A file that cannot be read as UTF-8 text.

    Attributes
    ----------
    cause
        What is wrong, in plain words, without the file name.
    line
        The 1-based line of the fault, when there is one.
    """

    def __init__(self, cause: str, line: int | None = None) -> None:
        super().__init__(cause)
        self.cause = cause
        self.line = line


def line_of_offset(data: bytes, offset: int) -> int:
    """The 1-based line that byte ``offset`` of ``data`` is on."""
    return data.count(b"\n", 0, max(offset, 0)) + 1


def decoding_cause(data: bytes, error: UnicodeDecodeError) -> str:
    """Why ``data`` is not UTF-8, naming the bad bytes and where they are."""
    bad = " ".join(f"0x{b:02x}" for b in data[error.start : error.end])
    column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
    where = f"byte {column} of the line, byte {error.start} of the file"
    if error.reason == "unexpected end of data":
        return (
            f"not valid UTF-8: the file ends in the middle of a character ({bad}, "
            f"{where}); was it cut off?"
        )
    return (
        f"not valid UTF-8: {bad} cannot be decoded ({error.reason}; {where}); "
        "save the file as UTF-8"
    )


def read_utf8(path: Path) -> str:
    """The text of ``path``, decoded strictly as UTF-8 (newlines as read).

    Raises
    ------
    UnreadableFileError
        If the file is missing, cannot be opened or read (an ``OSError``), or
        holds bytes that are not UTF-8 (with the line of the first bad byte).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFileError("file not found") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise UnreadableFileError(f"cannot be read: {reason}") from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            decoding_cause(data, error), line=line_of_offset(data, error.start)
        ) from error
