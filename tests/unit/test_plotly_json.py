"""The JSON of a shared, frozen figure is made once; every other call is Plotly's."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io
import pytest

from dashboard.patches import plotly_json
from dashboard.ui import cached


@pytest.fixture
def patched(monkeypatch):
    monkeypatch.setattr(plotly.io, "to_json", plotly.io.to_json)
    plotly_json.enable()
    return plotly.io.to_json


def _figure(y: int = 1) -> go.Figure:
    return go.Figure(go.Scatter(x=[1, 2], y=[y, y + 1]))


def test_a_frozen_figure_is_serialised_once(patched, monkeypatch) -> None:
    frozen = cached.freeze(_figure()).to_dict()
    calls = []
    original = plotly_json.PLOTLY_TO_JSON

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(plotly_json, "PLOTLY_TO_JSON", counting)
    first = patched(frozen, validate=False)
    assert patched(frozen, validate=False) is first
    assert len(calls) == 1
    assert first == original(frozen, validate=False)


def test_other_dicts_and_arguments_go_to_plotly_every_time(patched) -> None:
    loose = _figure().to_dict()
    assert patched(loose, validate=False) == plotly_json.PLOTLY_TO_JSON(
        loose, validate=False
    )
    loose["data"][0]["y"] = [5, 6]  # an ordinary dict may change between calls
    assert '"y":[5,6]' in patched(loose, validate=False).replace(" ", "")
    frozen = cached.freeze(_figure(3)).to_dict()
    pretty = patched(frozen, validate=False, pretty=True)
    assert "\n" in pretty


def test_the_table_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(plotly_json, "LIMIT", 3)
    monkeypatch.setattr(plotly_json, "_FROZEN", type(plotly_json._FROZEN)())
    kept = [{"data": [], "i": i} for i in range(5)]
    for item in kept:
        plotly_json.remember(item)
    assert len(plotly_json._FROZEN) == 3
    assert [entry[0]["i"] for entry in plotly_json._FROZEN.values()] == [2, 3, 4]
