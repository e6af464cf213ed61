"""Which values in an opened link were not used (pure).

Streamlit drops a URL-bound parameter from the address both when its value is
invalid and when it equals the control's default. A value was *rejected* only
if it was dropped and does not describe the control's current value in any of
the forms a URL can hold it: the number, the boolean, the option itself, or the
label the control shows for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


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
