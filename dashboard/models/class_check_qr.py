"""The class check's join link as a QR code, drawn offline with segno.

The projected teacher view shows it beside the large join code, so a room
joins by pointing their phones' cameras at the screen. The code encodes the
full absolute join address (``…/class-check?join=CODE``,
:func:`dashboard.models.class_check.join_address`), nothing else.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

import segno

#: The QR code's PNG: pixels per module, and its error correction (M: about
#: 15 % of the code may be unreadable, e.g. glare on a projector screen).
QR_SCALE = 8
QR_ERROR = "m"


@dataclass(frozen=True)
class JoinQr:
    """The join link as a QR code: the PNG, its alt text and the modules."""

    url: str
    png: bytes
    alt: str
    modules: tuple[tuple[int, ...], ...]


@functools.lru_cache(maxsize=64)
def join_qr(url: str) -> JoinQr | None:
    """The QR code of ``url`` (a full ``http(s)://`` address), drawn offline.

    A regular QR code (never a Micro QR, which many phone cameras cannot
    read), error correction :data:`QR_ERROR`, as a PNG of :data:`QR_SCALE`
    px per module with the standard 4-module quiet zone. Built once per
    address (a few ms). ``None`` if ``url`` is not absolute (a phone could
    not open it) or too long for a QR code.
    """
    if not url.startswith(("http://", "https://")):
        return None
    try:
        code = segno.make(url, error=QR_ERROR, micro=False)
    except segno.DataOverflowError:
        return None
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=QR_SCALE)
    modules = tuple(tuple(row) for row in code.matrix)
    return JoinQr(url, buffer.getvalue(), f"QR code that opens {url}", modules)
