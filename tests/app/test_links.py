"""A link with values the page cannot use gives a notice, never an error."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.paths import APP_PATH


def _open(view: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(view).run()
    return at


@pytest.mark.parametrize(
    ("view", "params", "named"),
    [
        (
            "views/nephrotic_syndrome.py",
            {"ns_proteinuria": "abc"},
            "ns_proteinuria=abc",
        ),
        ("views/mechanism.py", {"mech_step": "99"}, "mech_step=99"),
        ("views/efficacy.py", {"eff_disease": "kidneys"}, "eff_disease=kidneys"),
        ("views/monitoring.py", {"pk_weight": "-5"}, "pk_weight=-5"),
    ],
)
def test_tampered_values_get_a_notice(view, params, named) -> None:
    at = _open(view, params)
    assert not at.exception
    assert any(named in t.value for t in at.toast), [t.value for t in at.toast]


@pytest.mark.parametrize(
    ("view", "params"),
    [
        ("views/nephrotic_syndrome.py", {"ns_proteinuria": "6.0"}),
        ("views/nephrotic_syndrome.py", {"ns_driver": "Urine protein"}),
        ("views/mechanism.py", {"mech_lane": "Podocyte", "mech_step": "2"}),
        ("views/efficacy.py", {"eff_disease": "Membranous nephropathy"}),
        ("views/monitoring.py", {"pk_dose": "0.1", "unknown": "x"}),
    ],
)
def test_valid_or_default_values_get_no_notice(view, params) -> None:
    at = _open(view, params)
    assert not at.exception
    assert not at.toast, [t.value for t in at.toast]
