"""The albumin-balance teaching model and the chain states."""

from __future__ import annotations

import itertools

import pytest

from dashboard.core.pathophysiology import AlbuminModel, ChainThresholds, evaluate_chain

MODEL = AlbuminModel(normal_albumin=42.5, synthesis=15.0)
THRESHOLDS = ChainThresholds(
    proteinuria_normal_max=0.15,
    proteinuria_nephrotic=3.5,
    albumin_normal_min=35.0,
    albumin_low=30.0,
)


def test_no_loss_means_normal_albumin() -> None:
    assert MODEL.albumin_for(0) == 42.5


def test_worked_example() -> None:
    # C = C0 (1 − U/S0) = 42.5 × (1 − 6/15) = 25.5 g/L
    assert MODEL.albumin_for(6.0) == pytest.approx(25.5)


def test_albumin_falls_as_loss_rises() -> None:
    values = [MODEL.albumin_for(u / 10) for u in range(0, 114)]
    assert all(a > b for a, b in itertools.pairwise(values))


@pytest.mark.parametrize("albumin", [10.0, 25.5, 30.0, 42.5])
def test_inverse_round_trip(albumin: float) -> None:
    assert MODEL.albumin_for(MODEL.proteinuria_for(albumin)) == pytest.approx(albumin)


def test_floor_and_range() -> None:
    assert MODEL.albumin_for(14.0) == MODEL.floor
    assert MODEL.max_proteinuria == 11.4
    assert MODEL.albumin_for(MODEL.max_proteinuria) >= MODEL.floor


def test_liver_reserve_softens_the_fall() -> None:
    reserve = AlbuminModel(normal_albumin=42.5, synthesis=15.0, liver_reserve=1.0)
    assert reserve.albumin_for(6.0) > MODEL.albumin_for(6.0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"normal_albumin": 40, "synthesis": 0},
        {"normal_albumin": 40, "synthesis": 15, "liver_reserve": -1},
        {"normal_albumin": 40, "synthesis": 15, "floor": 50},
    ],
)
def test_invalid_parameters_are_refused(kwargs: dict) -> None:
    with pytest.raises(ValueError, match=r"must|need"):
        AlbuminModel(**kwargs)


def test_invalid_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        MODEL.albumin_for(-1)
    with pytest.raises(ValueError, match="within"):
        MODEL.proteinuria_for(5)


@pytest.mark.parametrize(
    ("proteinuria", "albumin", "p_state", "a_state", "oedema"),
    [
        (0.1, 42.0, "normal", "normal", "not expected"),
        (0.15, 35.0, "normal", "normal", "not expected"),
        (1.0, 34.9, "above normal", "below normal", "possible"),
        (3.5, 30.0, "nephrotic range", "below normal", "possible"),
        (6.0, 25.5, "nephrotic range", "low", "expected"),
    ],
)
def test_chain_states(
    proteinuria: float, albumin: float, p_state: str, a_state: str, oedema: str
) -> None:
    state = evaluate_chain(
        proteinuria=proteinuria, albumin=albumin, thresholds=THRESHOLDS
    )
    assert state.feature("proteinuria").state == p_state
    assert state.feature("albumin").state == a_state
    assert state.feature("oedema").state == oedema
    assert state.feature("lipids").severity == state.feature("albumin").severity
    assert state.feature("oncotic").value is None  # consequences carry no numbers


@pytest.mark.parametrize(
    ("proteinuria", "albumin", "directions"),
    [
        # Normal features have no direction: nothing has moved.
        (0.1, 42.0, {"proteinuria": None, "albumin": None, "oncotic": None}),
        (1.0, 34.9, {"proteinuria": "up", "albumin": "down", "oncotic": "down"}),
        (6.0, 25.5, {"proteinuria": "up", "albumin": "down", "oncotic": "down"}),
    ],
)
def test_each_feature_says_which_way_it_moved(
    proteinuria: float, albumin: float, directions: dict
) -> None:
    state = evaluate_chain(
        proteinuria=proteinuria, albumin=albumin, thresholds=THRESHOLDS
    )
    for key, direction in directions.items():
        assert state.feature(key).direction == direction
    # Oedema and hyperlipidaemia are present or not: no arrow.
    assert state.feature("oedema").direction is None
    assert state.feature("lipids").direction is None
