"""The Efficacy page's guidance section: timeline, text by disease, trials."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.paths import APP_PATH
from dashboard.sections.efficacy_guidance import DISEASE_TABS, TIMELINE_HEADING
from tests.app.conftest import all_text, open_page

VIEW = "views/efficacy.py"


@pytest.fixture(scope="module")
def eff() -> AppTest:
    return open_page(VIEW)


def _chart(at: AppTest, key: str) -> dict | None:
    for chart in at.get("plotly_chart"):
        if key in chart.proto.id:
            return json.loads(chart.proto.spec)
    return None


def test_section_renders_without_errors(eff: AppTest) -> None:
    assert not eff.exception
    # Other sections' data may be broken; this section must not be.
    assert not [e.value for e in eff.error if "current guidance" in str(e.value)]
    text = all_text(eff)
    assert TIMELINE_HEADING in [h.value for h in eff.subheader]
    assert "Current guidance, by disease" in text


def test_timeline_chart_is_drawn_with_its_labels(eff: AppTest) -> None:
    spec = _chart(eff, "guidance_timeline")
    assert spec is not None
    labels = " ".join(t for trace in spec["data"] for t in trace["text"])
    for name in ("KDIGO 2012", "KDIGO 2021", "KDIGO 2024", "KDIGO 2025", "IPNA 2020"):
        assert name in labels


def test_one_tab_per_disease_with_cited_text(eff: AppTest) -> None:
    labels = [tab.label for tab in eff.tabs]
    for label in DISEASE_TABS.values():
        assert label in labels
    text = all_text(eff)
    assert "MENTOR" in text
    assert "AURORA 1" in text
    assert "second-line" in text


def test_trials_table_lists_the_alternatives(eff: AppTest) -> None:
    text = all_text(eff)
    assert "60% vs 20%; risk difference 40 points (95% CI 25 to 55)" in text
    assert "41% vs 23%; odds ratio 2.65 (95% CI 1.64 to 4.27)" in text
    assert "not dosing advice" in text


def test_trough_text_no_longer_frames_tacrolimus_as_the_only_choice(
    eff: AppTest,
) -> None:
    text = all_text(eff)
    assert "one of three first options" in text


def test_source_lists_and_chart_table_open(eff: AppTest) -> None:
    for key in (
        "guidance_timeline_sources",
        "guidance_trials_sources",
        "guidance_timeline_data",
    ):
        eff.session_state[key] = True
    eff.run()
    assert not eff.exception
    text = all_text(eff)
    assert "73 [41%] of 179 patients" in text  # AURORA 1, verbatim
    assert "doi.org/10.1016/j.kint.2021.05.021" in text
    labels = [e.label for e in eff.expander if e.label]
    assert any(label.startswith("Data behind this chart: Guidance") for label in labels)


def test_presenter_mode_draws_the_timeline_bolder(eff: AppTest) -> None:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    at.query_params["present"] = "true"
    at.run()
    at.switch_page(VIEW).run()
    assert not at.exception
    normal, bold = (_chart(a, "guidance_timeline") for a in (eff, at))
    assert bold["layout"]["font"]["size"] == normal["layout"]["font"]["size"] + 6
    assert bold["layout"]["height"] > normal["layout"]["height"]
    assert all(
        b["textfont"]["size"] > n["textfont"]["size"]
        for n, b in zip(normal["data"], bold["data"], strict=True)
    )
