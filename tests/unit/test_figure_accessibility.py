"""Every figure builder, drawn from the real data: accessible marks and a data table.

For each figure the dashboard draws: every line and marker colour reaches 3:1
on the chart background and comes from a colour-blind-safe set; series that
share a plot differ by more than colour (symbol, dash, fill or pattern); and
the builder's ``*_table`` companion gives the data as a non-empty table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts import (
    efficacy,
    epidemiology,
    mechanism,
    monitoring,
    pk,
    polls,
    theme,
)
from dashboard.charts import pathophysiology as patho
from dashboard.charts.chart import Chart
from dashboard.core import datasets, nephrotic_syndrome, pk_data, schemas
from dashboard.core import efficacy as core_efficacy
from dashboard.core import mechanism as core_mechanism
from dashboard.core import pk as core_pk
from dashboard.core.pathophysiology import evaluate_chain
from dashboard.core.paths import DATA_DIR
from tests.unit.test_charts import colour_blind_safe

NAMED = {"white": "#FFFFFF", "black": "#000000"}


def _data(name: str) -> pd.DataFrame:
    return datasets.load_dataset(schemas.SCHEMAS[name], DATA_DIR)


@dataclass(frozen=True)
class Drawn:
    figure: go.Figure
    table: pd.DataFrame


def _chain(proteinuria: float) -> Drawn:
    parameters = _data("ns_model_parameters")
    model = nephrotic_syndrome.albumin_model(parameters)
    criteria = _data("ns_diagnostic_criteria")
    thresholds = nephrotic_syndrome.chain_thresholds(criteria, parameters)
    state = evaluate_chain(
        proteinuria=proteinuria,
        albumin=model.albumin_for(proteinuria),
        thresholds=thresholds,
    )
    chart = patho.chain_chart(state)
    return Drawn(chart.figure, chart.table)


def _albumin_curve() -> Drawn:
    parameters = _data("ns_model_parameters")
    model = nephrotic_syndrome.albumin_model(parameters)
    criteria = _data("ns_diagnostic_criteria")
    thresholds = nephrotic_syndrome.chain_thresholds(criteria, parameters)
    chart = patho.albumin_curve_chart(model, thresholds, proteinuria=6.0)
    return Drawn(chart.figure, chart.table)


def _static(build: Callable[[pd.DataFrame], Chart], name: str) -> Callable[[], Drawn]:
    def draw() -> Drawn:
        chart = build(_data(name))
        return Drawn(chart.figure, chart.table)

    return draw


def _forest() -> Drawn:
    rows = core_efficacy.forest_rows(_data("efficacy_evidence"), "remission")
    chart = efficacy.forest_chart(rows, higher_is_better=True, title="Remission")
    return Drawn(chart.figure, chart.table)


def _arms() -> Drawn:
    rows = efficacy.arm_rows(_data("efficacy_evidence")).head(8)
    chart = efficacy.arms_chart(rows, title="Arms")
    return Drawn(chart.figure, chart.table)


def _absolute() -> Drawn:
    effect = core_efficacy.absolute_effect(300, 1.5, 1.1, 2.0, "RR")
    chart = efficacy.absolute_chart(effect, outcome="remission", alt="Per 1000.")
    return Drawn(chart.figure, chart.table)


def _mechanism(lane: str, step: int, drug: bool) -> Callable[[], Drawn]:
    def draw() -> Drawn:
        state = core_mechanism.diagram_state(lane, step, drug)
        chart = mechanism.diagram_chart(state)
        return Drawn(chart.figure, chart.table)

    return draw


def _plan() -> Drawn:
    chart = monitoring.plan_chart(_data("monitoring_plan"))
    return Drawn(chart.figure, chart.table)


REGIMEN = core_pk.Regimen(weight_kg=20, dose_mg_per_kg=0.1, interval_h=12, days=14)
BAND = (5.0, 10.0, "trials")


def _curve(with_drug: bool) -> Callable[[], Drawn]:
    def draw() -> Drawn:
        model = pk_data.population_model(_data("pk_parameters"))
        params = core_pk.typical_parameters(model, REGIMEN)
        base = core_pk.simulate(REGIMEN, params)
        changed = None
        if with_drug:
            drug = pk_data.interactions(_data("pk_interactions"))["azole"]
            regimen = core_pk.with_interaction(REGIMEN, drug, 5.0)
            changed = core_pk.simulate(regimen, params).conc[0]
        chart = pk.curve_chart(
            base.times_h,
            base.conc[0],
            band=BAND,
            alt="The typical patient's curve.",
            changed=changed,
            changed_label="with an azole",
            change_day=5.0 if with_drug else None,
        )
        return Drawn(chart.figure, chart.table)

    return draw


def _population() -> Drawn:
    model = pk_data.population_model(_data("pk_parameters"))
    params = core_pk.sampled_parameters(model, REGIMEN, 200)
    sim = core_pk.simulate(REGIMEN, params, step_h=0.5)
    bands = core_pk.percentiles(sim)
    chart = pk.population_chart(sim.times_h, bands, band=BAND, n=200)
    return Drawn(chart.figure, chart.table)


def _poll(correct: int | None) -> Callable[[], Drawn]:
    options, counts = ("FKBP-12", "Cyclophilin", "mTOR"), (5, 2, 1)

    def draw() -> Drawn:
        chart = polls.results_chart(options, counts, correct)
        return Drawn(chart.figure, chart.table)

    return draw


FIGURES: dict[str, Callable[[], Drawn]] = {
    "chain-normal": lambda: _chain(0.1),
    "chain-nephrotic": lambda: _chain(6.0),
    "albumin-curve": _albumin_curve,
    "histology": _static(epidemiology.histology_chart, "ns_histology_by_age"),
    "mcd-share": _static(epidemiology.mcd_share_chart, "ns_histology_by_age"),
    "steroid-course": _static(epidemiology.steroid_course_chart, "ns_steroid_course"),
    "complications": _static(epidemiology.complications_chart, "ns_complications"),
    "mechanism-tcell": _mechanism("tcell", 4, True),
    "mechanism-podocyte": _mechanism("podocyte", 3, True),
    "forest": _forest,
    "arms": _arms,
    "absolute": _absolute,
    "monitoring-plan": _plan,
    "pk-curve": _curve(False),
    "pk-curve-azole": _curve(True),
    "pk-population": _population,
    "poll-open": _poll(None),
    "poll-revealed": _poll(0),
}


@pytest.fixture(scope="module", params=sorted(FIGURES))
def drawn(request) -> tuple[str, Drawn]:
    return request.param, FIGURES[request.param]()


def _hex(colour: object) -> str | None:
    if not isinstance(colour, str):
        return None  # numbers on a colour scale, or unset
    value = NAMED.get(colour.lower(), colour)
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", value), f"mark colour {colour!r}"
    return value.upper()


def _colours(value: object) -> list[str]:
    values = value if isinstance(value, list | tuple) else [value]
    return [c for c in (_hex(v) for v in values) if c is not None]


def _visible_line(line: object) -> bool:
    return line is not None and getattr(line, "width", None) != 0


def mark_colours(fig: go.Figure) -> set[str]:
    """Colours of every line, marker, error bar, shape outline and arrow."""
    found: list[str] = []
    for trace in fig.data:
        marker = getattr(trace, "marker", None)
        if marker is not None:
            found += _colours(marker.color)
            if _visible_line(getattr(marker, "line", None)):
                found += _colours(marker.line.color)
        mode = getattr(trace, "mode", None) or ""
        if trace.type == "scatter" and "lines" in mode and _visible_line(trace.line):
            found += _colours(trace.line.color)
        for bars in (getattr(trace, "error_x", None), getattr(trace, "error_y", None)):
            if bars is not None and bars.array is not None:
                found += _colours(bars.color)
    for shape in fig.layout.shapes:
        if _visible_line(shape.line):
            found += _colours(shape.line.color)
    for note in fig.layout.annotations:
        if note.showarrow:
            found += _colours(note.arrowcolor)
    # White outlines separate stacked segments; they are gaps, not marks.
    return set(found) - {theme.BACKGROUND}


def test_every_mark_reaches_3_to_1_and_is_colour_blind_safe(drawn) -> None:
    name, figure = drawn
    for fig in (figure.figure, theme.for_presenter(figure.figure)):
        colours = mark_colours(fig)
        low = {c for c in colours if theme.contrast_ratio(c) < 3.0}
        unsafe = {c for c in colours if not colour_blind_safe(c)}
        assert not low, f"{name}: marks under 3:1 on white: {sorted(low)}"
        assert not unsafe, f"{name}: not from a colour-blind-safe set: {unsafe}"


def _signature(trace: object) -> tuple:
    """How a trace looks apart from its colour."""

    def frozen(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    marker = getattr(trace, "marker", None)
    line = getattr(trace, "line", None)
    pattern = getattr(marker, "pattern", None)
    return (
        trace.type,
        getattr(trace, "mode", None),
        frozen(getattr(marker, "symbol", None)),
        getattr(line, "dash", None) or "solid",
        getattr(trace, "fill", None),
        frozen(getattr(pattern, "shape", None)),
    )


def _series_by_plot(fig: go.Figure) -> dict[tuple, list]:
    plots: dict[tuple, list] = {}
    for trace in fig.data:
        if trace.showlegend is False and not trace.name:
            continue  # a helper trace, e.g. a ribbon's upper edge
        axes = (getattr(trace, "xaxis", None), getattr(trace, "yaxis", None))
        plots.setdefault(axes, []).append(trace)
    return plots


def test_series_sharing_a_plot_differ_by_more_than_colour(drawn) -> None:
    name, figure = drawn
    for series in _series_by_plot(figure.figure).values():
        looks = [_signature(t) for t in series]
        assert len(set(looks)) == len(looks), (
            f"{name}: series {[t.name for t in series]} differ only in colour"
        )


def test_the_check_covers_every_multi_series_figure() -> None:
    multi = {
        name
        for name, draw in FIGURES.items()
        if any(len(s) > 1 for s in _series_by_plot(draw().figure).values())
    }
    assert multi == {
        "albumin-curve",
        "histology",
        "mcd-share",
        "complications",
        "arms",
        "pk-curve-azole",
        "pk-population",
    }


def test_every_figure_has_its_data_as_a_table(drawn) -> None:
    name, figure = drawn
    table = figure.table
    assert isinstance(table, pd.DataFrame)
    assert not table.empty, name
    assert all(isinstance(c, str) and c for c in table.columns), name
    assert table.columns.is_unique, name
    empty = [c for c in table.columns if table[c].isna().all()]
    assert not empty, f"{name}: columns with no values: {empty}"


def test_tables_hold_the_drawn_points() -> None:
    forest = FIGURES["forest"]()
    assert len(forest.table) == sum(len(t.x) for t in forest.figure.data)
    histology = FIGURES["histology"]()
    assert len(histology.table) == sum(len(t.x) for t in histology.figure.data)
    plan = FIGURES["monitoring-plan"]()
    assert len(plan.table) == len(plan.figure.data[0].z)
    curve = FIGURES["pk-curve-azole"]()
    assert len(curve.table) == REGIMEN.days * 24 + 1
    assert list(curve.table.columns[-2:]) == [
        "baseline (ng/mL)",
        "with an azole (ng/mL)",
    ]
    poll = FIGURES["poll-revealed"]()
    assert poll.table["Answers"].tolist() == [5, 2, 1]
    assert poll.table["Correct"].tolist() == ["✓", "", ""]
    assert "Correct" not in FIGURES["poll-open"]().table


def test_bar_labels_reach_4_5_to_1_on_their_segment() -> None:
    fig = FIGURES["histology"]().figure
    for trace in fig.data:
        fill, text = trace.marker.color, trace.insidetextfont.color
        assert theme.contrast_ratio(text, fill) >= 4.5, trace.name


def test_no_legend_sits_on_the_x_axis_title(drawn) -> None:
    # A legend at a negative y in paper units lands on the axis title in a short
    # chart; legends under the plot are anchored to the figure's bottom edge,
    # with a bottom margin that holds ticks, title and legend.
    name, result = drawn
    legend = result.figure.layout.legend
    if legend.y is not None and legend.y < 0:
        raise AssertionError(f"{name}: legend at paper y={legend.y}")
    if legend.yref == "container":
        assert legend.yanchor == "bottom", name
        assert result.figure.layout.margin.b >= 96, name
