"""The population view: % of simulated patients in the band, and trough ribbons."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.charts import pk as pk_charts
from dashboard.core import datasets, pk, pk_data, schemas
from dashboard.core.paths import DATA_DIR
from dashboard.models import monitoring_population as simulator

MODEL = pk_data.population_model(datasets.load_dataset(schemas.PK_PARAMETERS, DATA_DIR))
REGIMEN = pk.Regimen(weight_kg=20.0, dose_mg_per_kg=0.1, interval_h=12.0, days=14)
BAND = (5.0, 10.0, "Chen 2010 RCT")


def test_band_shares_count_the_edges_as_inside() -> None:
    troughs = np.array([4.9, 5.0, 7.0, 10.0, 10.1])
    shares = simulator.band_shares(troughs, BAND)
    assert shares == simulator.Shares(below=20, within=60, above=20)


def test_band_shares_add_up_to_100_by_largest_remainder() -> None:
    # 1/3 each: 33.3% rounds to 33, 33, 33 (99) unless one gets the remainder.
    shares = simulator.band_shares(np.array([1.0, 7.0, 20.0]), BAND)
    assert shares.below + shares.within + shares.above == 100
    assert sorted((shares.below, shares.within, shares.above)) == [33, 33, 34]
    with pytest.raises(ValueError, match="no troughs"):
        simulator.band_shares(np.array([]), BAND)


def test_population_shares_match_its_own_troughs() -> None:
    population = simulator.population(MODEL, REGIMEN, 1000)
    assert population.last_troughs.shape == (1000,)
    assert population.last_dose_day == pytest.approx(13.5)
    inside = np.mean((population.last_troughs >= 5) & (population.last_troughs <= 10))
    shares = simulator.band_shares(population.last_troughs, BAND)
    assert shares.within == pytest.approx(100 * inside, abs=1)
    # The median of the last troughs is the median ribbon at the last dose.
    at_last = np.searchsorted(population.times_h, population.last_dose_day * 24)
    assert np.median(population.last_troughs) == pytest.approx(
        population.bands[2][at_last]
    )
    sentence = simulator.shares_sentence(population, BAND)
    assert f"**{shares.within}%** have a trough inside the 5-10 ng/mL band" in sentence
    assert f"**{shares.below}%** are below it and **{shares.above}%** above it" in (
        sentence
    )
    assert "not clinical advice" in sentence


def test_a_higher_dose_moves_patients_from_below_to_above() -> None:
    low = simulator.population(MODEL, REGIMEN, 1000)
    high = simulator.population(
        MODEL, pk.Regimen(weight_kg=20.0, dose_mg_per_kg=0.2, interval_h=12.0), 1000
    )
    before = simulator.band_shares(low.last_troughs, BAND)
    after = simulator.band_shares(high.last_troughs, BAND)
    assert after.below < before.below
    assert after.above > before.above


def test_population_chart_draws_troughs_only_when_given_the_interval() -> None:
    population = simulator.population(MODEL, REGIMEN, 200)
    chart = pk_charts.population_chart(
        population.times_h,
        population.bands,
        band=BAND,
        n=200,
        interval_h=12.0,
        in_band_percent=42,
    )
    median = chart.figure.data[-1]
    days = np.asarray(median.x)
    # One point per dose after the first, up to the last dose: smooth, no saw-tooth.
    assert np.allclose(np.diff(days), 0.5)
    assert days[0] == pytest.approx(0.5)
    assert days[-1] == pytest.approx(13.5)
    assert median.mode == "lines+markers"
    assert "troughs of 200 simulated patients" in chart.title
    assert chart.figure.layout.yaxis.title.text == "Trough before each dose (ng/mL)"
    assert "42% of patients end inside the 5-10 ng/mL band" in chart.alt
    assert len(chart.table) == days.size
    whole = pk_charts.population_chart(
        population.times_h, population.bands, band=BAND, n=200
    )
    assert len(whole.figure.data[-1].x) > 10 * days.size
