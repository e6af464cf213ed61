"""What the virtual-patient engine hands the Cases page (plain frozen values).

Texts are Markdown with placeholders already filled in; ``[@id]`` citations
are left for :func:`dashboard.core.content.render_citations`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Option:
    """One choice as offered: its id (for ``choose``) and its label."""

    id: str
    label: str


@dataclass(frozen=True)
class NodeView:
    """The current decision point or ending.

    ``decisions_made`` counts the choices taken so far; ``note`` is the
    teaching-model notice the page shows with every case.
    """

    id: str
    title: str
    text: str
    question: str
    options: tuple[Option, ...]
    is_end: bool
    decisions_made: int
    note: str


@dataclass(frozen=True)
class Cited:
    """What a consequence or a piece of feedback rests on.

    ``label`` is ``dataset:id`` for a data row, ``model: pk`` for the
    model, or a ``references.csv`` id; ``source`` the citation and
    ``locator`` its URL, PMID or DOI (turn it into a link with
    :func:`dashboard.core.content.locator_to_url`); ``quote`` the row's
    verbatim quote, if it has one; ``how`` how the case used it.
    """

    label: str
    source: str
    locator: str
    quote: str
    how: str = ""


@dataclass(frozen=True)
class LinkView:
    """A link to the view that teaches a point: label and relative address."""

    label: str
    href: str


@dataclass(frozen=True)
class Feedback:
    """After a decision: how it was graded, why, and what followed.

    ``recommended`` lists the labels of the recommended choices; ``why``
    names the guideline or trial behind them (``source``, with ``evidence``
    rows), and ``link`` opens the view that teaches it. ``consequence`` is
    what happened next; ``cites`` what that rests on (a row or the model).
    """

    node_title: str
    choice_label: str
    grade: str
    grade_words: str
    text: str
    consequence: str
    recommended: tuple[str, ...]
    why: str
    source: Cited
    evidence: tuple[Cited, ...]
    link: LinkView
    cites: tuple[Cited, ...]


@dataclass(frozen=True)
class PathStep:
    """One decision on a path: where, what was chosen and its grade."""

    node_title: str
    choice_label: str
    grade: str
    grade_words: str


@dataclass(frozen=True)
class ReviewItem:
    """A decision to go back to: why the recommended choice is better, and where."""

    node_title: str
    grade_words: str
    why: str
    source: Cited
    link: LinkView


@dataclass(frozen=True)
class Debrief:
    """The end of a case.

    ``score`` out of ``possible`` gives 2 points for a recommended choice and
    1 for an acceptable one; ``recommended_taken`` of ``decisions`` were
    recommended. ``path`` is the path taken and ``recommended`` the path the
    recommended choices lead along (they may differ in length).
    """

    score: int
    possible: int
    recommended_taken: int
    decisions: int
    path: tuple[PathStep, ...]
    recommended: tuple[PathStep, ...]
    review: tuple[ReviewItem, ...]
    ending_title: str
    ending_text: str


@dataclass(frozen=True)
class Poll:
    """A decision as a class-check poll."""

    question: str
    options: tuple[str, ...]
    correct: int
