"""Which values of an opened link were rejected."""

from __future__ import annotations

import pytest

from dashboard.core.urls import rejected

LABELS = {"ns_driver": {"protein": "Urine protein", "albumin": "Serum albumin"}.get}


@pytest.mark.parametrize(
    ("before", "after", "current", "expected"),
    [
        (
            {"ns_proteinuria": "abc"},
            {},
            {"ns_proteinuria": 6.0},
            ["ns_proteinuria=abc"],
        ),
        ({"ns_proteinuria": "6.0"}, {}, {"ns_proteinuria": 6.0}, []),  # the default
        (
            {"ns_proteinuria": "3.2"},
            {"ns_proteinuria": "3.2"},
            {"ns_proteinuria": 3.2},
            [],
        ),  # kept
        ({"ns_driver": "Urine protein"}, {}, {"ns_driver": "protein"}, []),
        (
            {"ns_driver": "sideways"},
            {},
            {"ns_driver": "protein"},
            ["ns_driver=sideways"],
        ),
        ({"mech_drug": "maybe"}, {}, {"mech_drug": False}, ["mech_drug=maybe"]),
        ({"mech_drug": "False"}, {}, {"mech_drug": False}, []),
        ({"unknown": "1"}, {}, {}, []),  # unknown keys are ignored
        ({"eff_designs": "nope"}, {}, {"eff_designs": []}, []),
    ],
)
def test_rejected(before, after, current, expected) -> None:
    assert rejected(before, after, current, LABELS) == expected
