"""Words and layout arithmetic shared by the efficacy figures.

Row labels, effect texts ("RR 1.01 [0.89–1.15]"), axis titles and the choice
of log-axis ticks. Figures cannot know how wide the screen is, so every text
here is wrapped to fit a phone: :data:`LABEL_CHARS` characters of
:data:`LABEL_PX` px type take about 300 px in Arial or Liberation Sans
(≈ 0.5 em a character), which fits the ≈ 340 px a chart has on a 390 px
phone; on a laptop or projector the same lines simply leave room to their
right. Pure: no Streamlit.
"""

from __future__ import annotations

import itertools
import math
import re
import textwrap

import pandas as pd

#: Type size of the row labels and panel titles, px (presenter mode adds 5).
LABEL_PX = 15
#: Characters per label line (see the module docstring).
LABEL_CHARS = 42
#: Characters per line of a figure title at 18 px type.
TITLE_CHARS = 32
#: Line height of label text, px per line at :data:`LABEL_PX`.
LINE_PX = 19

#: What each ratio measure's abbreviation stands for.
MEASURE_NAMES = {"RR": "risk ratio", "OR": "odds ratio", "HR": "hazard ratio"}
#: The plot width, px, that the log-axis ticks must fit (a phone's chart).
NARROW_PLOT_PX = 330
#: Room one tick label needs, px (its text and a gap).
TICK_ROOM_PX = 44
#: Candidate tick sets, densest first: every set is tried, the first that
#: fits :data:`NARROW_PLOT_PX` is used.
TICK_SETS: tuple[tuple[float, ...], ...] = (
    (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100),
    (0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100),
    (0.01, 0.1, 0.5, 1, 2, 10, 100),
    (0.01, 0.1, 1, 10, 100),
)


def row_label(row: pd.Series, width: int = 44, detail: str = "") -> str:
    """A short, wrapped row label: source, comparator and time point.

    ``†`` marks a row turned round to read tacrolimus-based vs comparator;
    ``‡`` marks a work whose authorship could not be established (weaker
    evidence, ``attribution == "unattributed"``).

    ``detail`` (an outcome or an arm) is added on a line of its own when the
    label alone would not tell the row from another in the same chart.
    """
    parts = [str(row["study"])]
    parts.append(f"vs {row['comparator_class']}")
    if isinstance(row.get("timepoint"), str) and row["timepoint"]:
        parts.append(str(row["timepoint"])[:32])
    text = ", ".join(parts)
    if row.get("direction") == "inverted" or row.get("converted"):
        text += " †"
    if row.get("attribution") == "unattributed":
        text += " ‡"
    lines = textwrap.wrap(text, width)
    if detail:
        lines += [f"<i>{line}</i>" for line in textwrap.wrap(detail, width)]
    return "<br>".join(lines)


def short_outcome(outcome: object) -> str:
    """An outcome's name without the curator's notes.

    The data's outcome text carries notes after a semicolon and in brackets
    (units, how a figure was read) and a trailing ``, n`` or ``, %``; a chart
    label needs only the name: ``"tremor (decimal points stripped ...)"``
    gives ``"tremor"``.
    """
    text = str(outcome)
    while True:  # innermost brackets first, so nested notes go too
        shorter = re.sub(r"\s*\([^()]*\)", "", text)
        if shorter == text:
            break
        text = shorter
    text = re.sub(r",\s*(n/N|n|%)$", "", text.split(";")[0].strip())
    return " ".join(text.split()) or str(outcome).strip()


def _details(row: pd.Series) -> tuple[str, str, str]:
    """What can tell a row from its neighbours, in order of preference."""
    arm = row.get("arm_tac")
    return (
        short_outcome(row["outcome"]),
        str(arm) if isinstance(arm, str) else "",
        str(row["id"]),
    )


def row_labels(rows: pd.DataFrame, width: int = 44) -> list[str]:
    """One distinct label per row, in order.

    Rows that share study, comparator and time point (several harms of one
    meta-analysis, two arms of a network meta-analysis) would otherwise sit on
    one line of a chart, their points told apart by nothing. Each such row gets
    its outcome's name, or where that is shared too, its tacrolimus arm, or
    failing both its row id (ids are unique).
    """
    records = [row for _, row in rows.iterrows()]
    plain = [row_label(row, width) for row in records]
    details = [""] * len(records)
    for label in {text for text in plain if plain.count(text) > 1}:
        group = [i for i, text in enumerate(plain) if text == label]
        options = [_details(records[i]) for i in group]
        for i, own in zip(group, options, strict=True):
            for kind, candidate in enumerate(own):
                shared = sum(other[kind] == candidate for other in options)
                if candidate and shared == 1:
                    details[i] = candidate
                    break
    return [
        row_label(row, width, detail) if detail else label
        for row, label, detail in zip(records, plain, details, strict=True)
    ]


def number(value: float) -> str:
    """A ratio or bound for print: two decimals, or two significant digits below 0.1."""
    return f"{value:.2g}" if abs(value) < 0.1 else f"{value:.2f}"


def effect_text(measure: object, effect: float, low: object, high: object) -> str:
    """``"RR 1.01 [0.89–1.15]"``; a bound the source did not give is said so.

    With neither bound: ``"OR 1.86 [no interval]"``; with one:
    ``"RR 0.86 [0.43, upper bound not reported]"``.
    """
    if pd.isna(low) and pd.isna(high):
        interval = "[no interval]"
    elif pd.isna(high):
        interval = f"[{number(float(low))}, upper bound not reported]"
    elif pd.isna(low):
        interval = f"[lower bound not reported, {number(float(high))}]"
    else:
        interval = f"[{number(float(low))}–{number(float(high))}]"
    return f"{measure} {number(float(effect))} {interval}"


def with_effect(label: str, effect: str, width: int = LABEL_CHARS) -> str:
    """``label`` (``<br>``-wrapped) with ``effect`` in bold at the end of its last line.

    The effect goes on a line of its own when the last line has no room for it,
    so the two never run into each other and no line grows past ``width``.
    """
    lines = label.split("<br>")
    last = re.sub(r"</?i>", "", lines[-1])
    if len(last) + 3 + len(effect) <= width:
        lines[-1] += f" · <b>{effect}</b>"
    else:
        lines.append(f"<b>{effect}</b>")
    return "<br>".join(lines)


def title_layout(text: str) -> dict:
    """A title at the top of the figure, every line of it inside the figure.

    Plotly lifts a title of several lines by about half a line when it is
    anchored at its top, so such a title gets more padding; the top margin
    (:func:`title_margin`) leaves room for each line also at presenter mode's
    larger type.
    """
    return {
        "text": text,
        "yref": "container",
        "y": 1,
        "yanchor": "top",
        "pad": {"t": 10 if line_count(text) == 1 else 28},
    }


def title_margin(text: str) -> int:
    """The top margin, px, that holds :func:`title_layout`'s ``text``."""
    return 16 + 30 * line_count(text)


def wrap(text: str, width: int) -> str:
    """``text`` wrapped to ``width`` characters a line, joined with ``<br>``."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def line_count(text: str) -> int:
    """How many lines a ``<br>``-joined text takes."""
    return text.count("<br>") + 1


def measure_title(measures: object) -> str:
    """The axis's name for the measures drawn: one named, or each abbreviation spelled.

    ``["RR"]`` gives ``"Risk ratio (RR), log scale"``; ``["OR", "RR"]`` gives
    ``"OR odds ratio · RR risk ratio (each row names its own), log scale"``.
    """
    found = sorted({str(m) for m in measures})  # type: ignore[union-attr]
    if len(found) == 1:
        name = MEASURE_NAMES.get(found[0], "ratio")
        return f"{name.capitalize()} ({found[0]}), log scale"
    spelled = " · ".join(f"{m} {MEASURE_NAMES.get(m, 'ratio')}" for m in found)
    return f"{spelled}, log scale"


def log_range(values: list[float]) -> tuple[float, float]:
    """The x range (not logged) that holds ``values`` and 1, with a margin."""
    finite = [v for v in values if v is not None and v > 0 and math.isfinite(v)]
    low = min([1.0, *finite])
    high = max([1.0, *finite])
    return low / 1.6, high * 1.6


def log_ticks(low: float, high: float, plot_px: float = NARROW_PLOT_PX) -> list[float]:
    """The densest tick set whose labels do not collide on a ``plot_px`` wide axis.

    Ticks sit at ``log10`` positions; two neighbours need :data:`TICK_ROOM_PX`
    between them at ``plot_px`` across ``[low, high]``.
    """
    span = math.log10(high) - math.log10(low)
    per_decade = plot_px / span
    for ticks in TICK_SETS:
        inside = [t for t in ticks if low <= t <= high]
        gaps = [
            (math.log10(b) - math.log10(a)) * per_decade
            for a, b in itertools.pairwise(inside)
        ]
        if all(gap >= TICK_ROOM_PX for gap in gaps):
            return inside
    return [t for t in TICK_SETS[-1] if low <= t <= high]


def tick_text(value: float) -> str:
    """A tick's label: ``0.1``, ``1``, ``10`` (no trailing zeros)."""
    return f"{value:g}"
