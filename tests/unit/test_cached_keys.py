"""Shared caches hash value types by ``repr``: it must hold the whole value."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from dashboard.ui import cached

PLAIN = (int, float, str, bool, type(None))


def _plain(kind: object) -> bool:
    """Whether values of the annotated type ``kind`` have a complete, exact repr."""
    if kind in PLAIN or kind in cached.VALUE_TYPES:
        return True
    origin = typing.get_origin(kind)
    if origin in (tuple, typing.Union) or str(origin) == "<class 'types.UnionType'>":
        return all(_plain(arg) for arg in typing.get_args(kind) if arg is not Ellipsis)
    return False


@pytest.mark.parametrize("kind", cached.VALUE_TYPES, ids=lambda k: k.__name__)
def test_value_types_are_frozen_dataclasses_of_plain_values(kind: type) -> None:
    assert dataclasses.is_dataclass(kind)
    assert kind.__dataclass_params__.frozen
    hints = typing.get_type_hints(kind)
    for field in dataclasses.fields(kind):
        assert _plain(hints[field.name]), f"{kind.__name__}.{field.name}"


def test_equal_values_have_equal_keys_and_different_values_do_not() -> None:
    from dashboard.core import pk

    one = pk.Regimen(weight_kg=20.0, interaction=pk.Interaction("x", cl_factor=0.5))
    same = pk.Regimen(weight_kg=20.0, interaction=pk.Interaction("x", cl_factor=0.5))
    other = pk.Regimen(weight_kg=20.0, interaction=pk.Interaction("x", cl_factor=0.51))
    assert repr(one) == repr(same)
    assert repr(one) != repr(other)
