"""The efficacy figures lay themselves out for a phone and a projector alike.

Figures cannot know the screen's width, so these tests check the layout rules
that make one figure work from 390 px to 3840 px: labels are annotations above
their rows (not y tick labels in a wide left margin), every row prints its
measure, effect and interval, the axis names the measure, log ticks fit a
phone's plot width, texts are wrapped, and presenter mode keeps type large.
"""

from __future__ import annotations

import itertools
import math
import re

import pandas as pd
import pytest

from dashboard.charts import efficacy as charts
from dashboard.charts import efficacy_labels as labels
from dashboard.charts import theme
from dashboard.core import datasets, schemas
from dashboard.core.efficacy import AbsoluteEffect, forest_rows
from dashboard.core.paths import DATA_DIR

EVIDENCE = datasets.load_dataset(schemas.EFFICACY_EVIDENCE, DATA_DIR)
MN_CYC = EVIDENCE[
    (EVIDENCE["disease_group"] == "membranous nephropathy")
    & (EVIDENCE["comparator_class"] == "cyclophosphamide")
]
EFFECT = re.compile(r"<b>(RR|OR|HR) (\d+\.?\d*(?:e-?\d+)?) \[([^\]]+)\]</b>")


def _plain(text: str) -> list[str]:
    """The lines of an annotation as a reader sees them (markup removed)."""
    return [re.sub(r"<[^>]+>", "", line) for line in text.split("<br>")]


@pytest.fixture(scope="module")
def forest() -> tuple[pd.DataFrame, object]:
    rows = forest_rows(MN_CYC, "remission")
    return rows, charts.forest_chart(rows, higher_is_better=True, title="t").figure


def test_labels_are_annotations_above_the_rows_not_y_tick_labels(forest) -> None:
    rows, fig = forest
    for key in fig.layout:
        if key.startswith("yaxis"):
            assert fig.layout[key].visible is False, key
            assert not fig.layout[key].ticktext, key
    # The plot keeps the chart's width: no wide left margin for labels.
    assert fig.layout.margin.l <= 10
    texts = [a.text for a in fig.layout.annotations]
    for study in rows["study"]:
        assert any(t.startswith(str(study)) for t in texts), study
    row_notes = [a for a in fig.layout.annotations if EFFECT.search(a.text)]
    assert len(row_notes) == len(rows)
    for note in row_notes:
        assert (note.xref, note.x, note.xanchor) == ("paper", 0, "left")
        assert note.yanchor == "top"


def test_each_label_sits_above_its_own_point(forest) -> None:
    _, fig = forest
    for trace in fig.data:
        ref = trace.yaxis or "y"
        notes = sorted(
            (
                a
                for a in fig.layout.annotations
                if a.yref == ref and EFFECT.search(a.text)
            ),
            key=lambda a: a.y,
        )
        points = sorted(trace.y)
        assert len(notes) == len(points)
        for i, (note, point) in enumerate(zip(notes, points, strict=True)):
            bottom = note.y + labels.line_count(note.text) * labels.LINE_PX
            assert note.y < bottom <= point  # the label ends above its point
            if i + 1 < len(notes):
                assert point < notes[i + 1].y  # and the next label below it


def test_every_row_prints_its_measure_effect_and_interval(forest) -> None:
    rows, fig = forest
    printed = [
        m.groups() for a in fig.layout.annotations if (m := EFFECT.search(a.text))
    ]
    expected = [
        (
            r["measure"],
            labels.number(r["effect_tac"]),
            f"{labels.number(r['ci_low_tac'])}–{labels.number(r['ci_high_tac'])}",
        )
        for _, r in rows.iterrows()
    ]
    assert sorted(printed) == sorted(expected)
    assert ("RR", "1.01", "0.89–1.15") in printed  # Cochrane 2021, final follow-up


@pytest.mark.parametrize(
    ("values", "text"),
    [
        (("RR", 1.01, 0.89, 1.15), "RR 1.01 [0.89–1.15]"),
        (("OR", 1.86, float("nan"), float("nan")), "OR 1.86 [no interval]"),
        (("RR", 0.86, 0.43, float("nan")), "RR 0.86 [0.43, upper bound not reported]"),
        (("RR", 0.86, float("nan"), 1.2), "RR 0.86 [lower bound not reported, 1.20]"),
        (("RR", 0.203, 0.045, 0.916), "RR 0.20 [0.045–0.92]"),
    ],
)
def test_effect_text(values, text) -> None:
    assert labels.effect_text(*values) == text


def test_the_axis_names_the_measure_and_the_marks(forest) -> None:
    rows, fig = forest
    assert set(rows["measure"]) == {"OR", "RR"}  # this panel mixes them
    title = fig.layout.xaxis2.title.text
    assert title.startswith("OR odds ratio · RR risk ratio, log scale")
    assert "← favours comparator · favours tacrolimus →" in title
    assert "bigger mark: more participants" in title
    one = forest_rows(
        EVIDENCE[EVIDENCE["id"] == "IMN-COCHRANE2021-SOF4-01"], "remission"
    )
    fig = charts.forest_chart(one, higher_is_better=True, title="t").figure
    assert fig.layout.xaxis.title.text.startswith("Risk ratio (RR), log scale")


@pytest.mark.parametrize("group", ["remission", "relapse", "adverse events"])
def test_log_ticks_fit_a_phone(group: str) -> None:
    rows = forest_rows(EVIDENCE, group)
    fig = charts.forest_chart(rows, higher_is_better=True, title="t").figure
    low, high = (10**v for v in fig.layout.xaxis.range)
    ticks = list(fig.layout.xaxis.tickvals)
    assert 1 in ticks
    per_decade = labels.NARROW_PLOT_PX / (math.log10(high) - math.log10(low))
    for a, b in itertools.pairwise(ticks):
        assert (math.log10(b) - math.log10(a)) * per_decade >= labels.TICK_ROOM_PX
    # every point and interval is inside the axis
    finite = pd.concat([rows["effect_tac"], rows["ci_low_tac"], rows["ci_high_tac"]])
    assert low < finite.min()
    assert finite.max() < high


def test_the_densest_tick_set_is_kept_when_it_fits() -> None:
    assert labels.log_ticks(0.5, 2.5, plot_px=1000) == [0.5, 1, 2]
    assert labels.log_ticks(0.01, 100, plot_px=330) == [0.01, 0.1, 1, 10, 100]


def test_texts_are_wrapped_for_a_phone() -> None:
    harms = forest_rows(EVIDENCE, "adverse events")
    fig = charts.forest_chart(
        harms,
        higher_is_better=False,
        title="Harms: ratios, tacrolimus-based vs comparator",
    ).figure
    for note in fig.layout.annotations:
        for line in _plain(note.text):
            assert len(line) <= labels.LABEL_CHARS, line
    for line in _plain(fig.layout.title.text):
        assert len(line) <= labels.TITLE_CHARS, line
    # a title of several lines is padded so that its first line stays inside
    assert fig.layout.title.pad.t > 10


def test_presenter_mode_keeps_chart_type_large(forest) -> None:
    _, fig = forest
    bold = theme.for_presenter(fig)
    assert all(a.font.size >= 20 for a in bold.layout.annotations)
    assert bold.layout.font.size >= 20


def test_arm_rows_print_both_arms_above_their_marks() -> None:
    rows = charts.arm_rows(MN_CYC).head(3)
    fig = charts.arms_chart(rows, title="Remission in each arm").figure
    assert fig.layout.yaxis.visible is False
    assert fig.layout.margin.l <= 10
    chen = next(a.text for a in fig.layout.annotations if a.text.startswith("Chen"))
    assert "● 85% (33/39) vs ■ 65% (22/34)" in chen
    assert "● tacrolimus-based · ■ comparator" in fig.layout.xaxis.title.text


def test_per_1000_bars_carry_their_numbers_above_them() -> None:
    effect = AbsoluteEffect(784, 792, 698, 902)
    fig = charts.absolute_chart(effect, outcome="remission", alt="Per 1000.").figure
    texts = [a.text for a in fig.layout.annotations]
    assert texts[0] == "Comparator: 784 per 1000"
    assert _plain(texts[1]) == [
        "Tacrolimus-based: 792 per 1000 (95% range",
        "698–902)",
    ]
    assert fig.layout.yaxis.visible is False
    assert fig.layout.margin.l <= 10
