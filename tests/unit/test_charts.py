"""Figure builders: the right traces, labels, alt text and accessible colours."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts import epidemiology, pathophysiology, theme
from dashboard.core import datasets, nephrotic_syndrome, schemas
from dashboard.core.pathophysiology import evaluate_chain
from dashboard.core.paths import DATA_DIR


def _data(name: str) -> pd.DataFrame:
    return datasets.load_dataset(schemas.SCHEMAS[name], DATA_DIR)


@pytest.fixture(scope="module")
def model_and_thresholds():
    parameters = _data("ns_model_parameters")
    criteria = _data("ns_diagnostic_criteria")
    model = nephrotic_syndrome.albumin_model(parameters)
    return model, nephrotic_syndrome.chain_thresholds(criteria, parameters)


#: Okabe & Ito's colour-blind-safe set (https://jfly.uni-koeln.de/color/).
OKABE_ITO = {
    "#000000",  # black
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
}
#: Paul Tol's colour-blind-safe qualitative schemes: bright, high-contrast,
#: vibrant, muted, and dark (https://personal.sron.nl/~pault/, 2021).
TOL = {
    *("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB"),
    *("#004488", "#DDAA33", "#BB5566"),
    *("#EE7733", "#0077BB", "#33BBEE", "#EE3377", "#CC3311", "#009988"),
    *("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77"),
    *("#CC6677", "#882255", "#AA4499", "#DDDDDD"),
    *("#222255", "#225555", "#225522", "#666633", "#663333", "#555555"),
}
MARK_COLOURS = [
    *theme.PALETTE,
    theme.NORMAL,
    theme.ABNORMAL,
    theme.BORDERLINE,
    theme.NEUTRAL,
    theme.KEPT,
]


def _grey(colour: str) -> bool:
    value = colour.upper()
    return value[1:3] == value[3:5] == value[5:7]


def colour_blind_safe(colour: str) -> bool:
    """In Okabe-Ito or a Tol scheme, or a grey (no hue to confuse)."""
    return colour.upper() in OKABE_ITO | TOL or _grey(colour)


@pytest.mark.parametrize("colour", MARK_COLOURS)
def test_mark_colours_reach_3_to_1_on_white(colour: str) -> None:
    assert theme.contrast_ratio(colour) >= 3.0


@pytest.mark.parametrize("colour", MARK_COLOURS)
def test_mark_colours_come_from_colour_blind_safe_sets(colour: str) -> None:
    assert colour_blind_safe(colour), colour


def test_the_plotting_order_is_okabe_ito_plus_one_grey() -> None:
    assert len(set(theme.PALETTE)) == len(theme.PALETTE)
    hues = [c for c in theme.PALETTE if not _grey(c)]
    assert set(hues) <= OKABE_ITO
    assert len(hues) == len(theme.PALETTE) - 1  # the grey stands in for black


@pytest.mark.parametrize("fill", [*theme.PALETTE, theme.BACKGROUND])
def test_text_on_a_fill_reaches_4_5_to_1(fill: str) -> None:
    assert theme.contrast_ratio(theme.text_on(fill), fill) >= 4.5


def test_text_colours_reach_4_5_to_1() -> None:
    assert theme.contrast_ratio(theme.TEXT) >= 4.5
    assert theme.contrast_ratio(theme.MUTED) >= 4.5


def test_contrast_ratio_known_values() -> None:
    assert theme.contrast_ratio("#000000") == pytest.approx(21.0)
    assert theme.contrast_ratio("#FFFFFF") == pytest.approx(1.0)


def test_chain_figure_marks_state_with_text_not_only_colour(model_and_thresholds):
    model, thresholds = model_and_thresholds
    state = evaluate_chain(
        proteinuria=6.0, albumin=model.albumin_for(6.0), thresholds=thresholds
    )
    chart = pathophysiology.chain_chart(state)
    fig = chart.figure
    texts = " ".join(a.text for a in fig.layout.annotations if a.text)
    assert "6.0 g/day" in texts
    assert "25.5 g/L" in texts
    # Direction and state in words, then a separate mark for abnormal.
    assert "↑ nephrotic range<br>! abnormal" in texts
    assert "↓ low<br>! abnormal" in texts
    assert "▲" not in texts
    assert len(fig.layout.shapes) == 7
    alt = chart.alt
    assert "Serum albumin: 25.5 g/L, low" in alt


def test_chain_figure_changes_with_input(model_and_thresholds):
    model, thresholds = model_and_thresholds
    low = evaluate_chain(
        proteinuria=0.1, albumin=model.albumin_for(0.1), thresholds=thresholds
    )
    fig = pathophysiology.chain_chart(low).figure
    texts = " ".join(a.text for a in fig.layout.annotations if a.text)
    assert "✓ normal" in texts
    assert "! abnormal" not in texts
    assert "↓" not in texts


def test_albumin_curve(model_and_thresholds):
    model, thresholds = model_and_thresholds
    chart = pathophysiology.albumin_curve_chart(model, thresholds, proteinuria=6.0)
    fig = chart.figure
    line, point = fig.data
    assert line.y[0] == pytest.approx(42.5)
    assert max(line.x) == pytest.approx(model.max_proteinuria)
    assert point.x[0] == 6.0
    assert point.y[0] == pytest.approx(25.5)
    assert fig.layout.xaxis.title.text == "Urine protein (g/day)"
    alt = chart.alt
    assert "crossing the low-albumin threshold of 30 g/L at about 4.4 g/day" in alt


def test_cohort_table_adds_remainder_to_100() -> None:
    table = epidemiology.histology_chart(_data("ns_histology_by_age")).table
    totals = table.groupby("Cohort")["Share (%)"].sum()
    assert totals.round(1).eq(100.0).all()
    assert epidemiology.REMAINDER in set(table["Lesion"])


def test_histology_figures() -> None:
    histology = _data("ns_histology_by_age")
    chart = epidemiology.histology_chart(histology)
    fig = chart.figure
    assert isinstance(fig, go.Figure)
    assert fig.layout.barmode == "stack"
    assert {t.name for t in fig.data} >= {"minimal change disease", "FSGS"}
    assert "76.6%" in chart.alt
    mcd = epidemiology.mcd_share_chart(histology)
    assert (
        sum(len(t.x) for t in mcd.figure.data)
        == (histology["lesion"] == "minimal change disease").sum()
    )
    assert "70–90%" in mcd.alt


def test_course_and_complications_figures() -> None:
    course = _data("ns_steroid_course")
    chart = epidemiology.steroid_course_chart(course)
    fig = chart.figure
    assert list(fig.data[0].base) == course.sort_values("order")["percent_low"].tolist()
    assert "up to 50%" in chart.alt
    complications = _data("ns_complications")
    chart = epidemiology.complications_chart(complications)
    fig = chart.figure
    assert {t.name for t in fig.data} == {"children", "adults"}
    assert sum(len(t.x) for t in fig.data) == len(complications)
    assert "2.8%" in chart.alt
