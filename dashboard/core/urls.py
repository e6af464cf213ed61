"""Which values in an opened link were not used (pure).

Streamlit drops a URL-bound parameter from the address both when its value is
invalid and when it equals the control's default. A value was *rejected* only
if it was dropped and does not describe the control's current value in any of
the forms a URL can hold it: the number, the boolean, the option itself, or the
label the control shows for it.

Values in a link are untrusted: :func:`shown` turns one into text that a
Markdown notice can only display, never format, link or run.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

#: Longest ``key=value`` a notice repeats; the rest is cut off with "…".
SHOWN_LIMIT = 60


def _describes(text: str, value: Any, label: Callable[[Any], Any] | None) -> bool:
    if isinstance(value, bool):
        return text.lower() == str(value).lower()
    if isinstance(value, int | float):
        try:
            return float(text) == float(value)
        except ValueError:
            return False
    if isinstance(value, list | tuple):
        return True  # repeated parameters: Streamlit keeps the valid ones
    if value is None:
        return False  # the control got nothing it could use from the link
    forms = {str(value)}
    if label is not None:
        forms.add(str(label(value)))
    return text in forms


def rejected(
    before: Mapping[str, str],
    after: Mapping[str, str],
    current: Mapping[str, Any],
    labels: Mapping[str, Callable[[Any], Any]],
) -> list[str]:
    """``key=value`` pairs from the opened link that the page could not use.

    Parameters
    ----------
    before, after
        The query parameters when the page started and after it ran.
    current
        Each URL-bound control's value after the run, by key; keys of other
        pages are absent and are ignored, as are unknown keys.
    labels
        For controls that show labels, the function from option to label.
    """
    out = []
    for key, text in before.items():
        if key in after or key not in current:
            continue
        if not _describes(str(text), current[key], labels.get(key)):
            out.append(f"{key}={text}")
    return out


def shown(item: str, limit: int = SHOWN_LIMIT) -> str:
    """``item`` as inline Markdown code, safe to put in a notice.

    Inline code shows its text as it is: no links, images, emphasis or HTML.
    Backticks (which would end the code span), control and format characters
    (line breaks, bidirectional overrides) are replaced by a space or dropped,
    and the text is cut to ``limit`` characters.
    """
    cleaned = "".join(
        " " if char == "`" or char.isspace() else char
        for char in str(item)
        if unicodedata.category(char) not in {"Cc", "Cf"} or char.isspace()
    )
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return f"`{cleaned}`" if cleaned else "`(empty)`"
