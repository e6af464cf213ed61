"""Text in a poll that nobody reviewed: an educator's own question, made safe.

An educator may write a question in the class check's teacher view (stem,
2 to :data:`MAX_OWN_OPTIONS` options, the correct one, an optional
explanation and source). That text is untrusted: it is typed in a browser,
stored with the session and shown on every student's phone. So it is

* **checked** (:func:`own_question`): lengths within :data:`LIMITS`, options
  distinct, control and format characters (line breaks, bidirectional
  overrides) replaced by a space or dropped;
* **shown as plain Markdown** (:func:`plain_markdown`): every character that
  Markdown, GitHub's autolinks or Streamlit's directives would read as markup
  is escaped, so it can neither format, nor link, nor run HTML;
* **safe in a chart** (:func:`chart_text`: Plotly reads a few HTML tags,
  links among them) and **in a spreadsheet** (:func:`csv_text`: a cell that
  starts like a formula is prefixed with an apostrophe).

Poll text from the question bank goes through the same functions, which
leave ordinary prose as it is. Pure Python: no Streamlit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dashboard.core.polls_common import PollError

MAX_OWN_OPTIONS = 5
#: Most characters of each part of an educator's question.
LIMITS = {"stem": 300, "option": 120, "explanation": 600, "source": 300}
#: Markdown, GFM and Streamlit markup characters, escaped with a backslash.
_MARKUP = set("\\`*_{}[]<>#+!|~$:@&^=")
#: Where GitHub's autolinks start ("www.", "http://", "me@host"): markdown
#: renderers link these even when the punctuation is escaped, so a word
#: joiner (U+2060, invisible) goes in front of the punctuation instead.
_AUTOLINK = re.compile(r"(?i)(www|https?|ftp|mailto|xmpp)(\\?[.:])|(\\?@)")
WORD_JOINER = "\u2060"
#: A line that starts like an ordered list item ("1. ", "2) ").
_ORDERED = re.compile(r"^(\d+)([.)])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class OwnQuestion:
    """An educator's question, checked and cleaned (see :func:`own_question`)."""

    stem: str
    options: tuple[str, ...]
    correct: int
    explanation: str | None = None
    source: str | None = None


def clean(text: object) -> str:
    """``text`` on one line: control and format characters out, spaces collapsed."""
    kept = "".join(
        " " if char.isspace() else char
        for char in str(text or "")
        if char.isspace() or unicodedata.category(char) not in {"Cc", "Cf", "Co", "Cs"}
    )
    return " ".join(kept.split())


def _limited(part: str, text: object, *, required: bool) -> str | None:
    value = clean(text)
    if not value:
        if required:
            raise PollError(f"Write the question's {part}.")
        return None
    limit = LIMITS["option" if part.startswith("option") else part]
    if len(value) > limit:
        raise PollError(
            f"The {part} is {len(value)} characters long; keep it to {limit}."
        )
    return value


def own_question(
    stem: object,
    options: list[object] | tuple[object, ...],
    correct: int,
    explanation: object = None,
    source: object = None,
) -> OwnQuestion:
    """An educator's question as it will be stored; :class:`PollError` if unusable.

    Empty option fields are left out (the form offers
    :data:`MAX_OWN_OPTIONS` fields); ``correct`` is the index among the
    fields as typed, so it must name a filled one.
    """
    text = _limited("stem", stem, required=True)
    filled = [(i, clean(o)) for i, o in enumerate(options) if clean(o)]
    if not 2 <= len(filled) <= MAX_OWN_OPTIONS:
        raise PollError(f"Give 2 to {MAX_OWN_OPTIONS} options.")
    for number, (_, option) in enumerate(filled, start=1):
        _limited(f"option {number}", option, required=True)
    values = [o for _, o in filled]
    if len({o.casefold() for o in values}) != len(values):
        raise PollError("Two options say the same; make each one different.")
    indexes = [i for i, _ in filled]
    if correct not in indexes:
        raise PollError("Mark which option is correct (one you filled in).")
    return OwnQuestion(
        stem=str(text),
        options=tuple(values),
        correct=indexes.index(correct),
        explanation=_limited("explanation", explanation, required=False),
        source=_limited("source", source, required=False),
    )


def plain_markdown(text: object) -> str:
    """``text`` as Markdown that shows it literally: no formatting, links or HTML.

    One line (see :func:`clean`); markup characters are escaped with a
    backslash, as is a leading list number, and an invisible word joiner
    breaks every autolink ("www.", "https:", "@") and every Streamlit
    shortcode after a colon (``:material/…:``, emoji, ``:red[…]``).
    """
    escaped = "".join(
        f"\\{c}{WORD_JOINER}" if c == ":" else f"\\{c}" if c in _MARKUP else c
        for c in clean(text)
    )
    escaped = _AUTOLINK.sub(
        lambda m: f"{m[1] or ''}{WORD_JOINER}{m[2] or m[3]}", escaped
    )
    escaped = _ORDERED.sub(r"\1\\\2", escaped)
    if escaped[:1] == "-":
        escaped = "\\" + escaped
    return escaped


def chart_text(text: object) -> str:
    """``text`` for a Plotly label: angle brackets (Plotly's HTML) replaced."""
    return clean(text).replace("<", "‹").replace(">", "›")


def csv_text(text: object) -> str:
    """``text`` for a CSV cell a spreadsheet will not run as a formula."""
    value = clean(text)
    return f"'{value}" if value.startswith(_FORMULA_START) else value
