"""Chart toolbars download SVG or PNG, as chosen in the sidebar, on every page."""

from __future__ import annotations

import json

import pytest

from tests.app.conftest import open_page

CHART_PAGES = [
    "views/nephrotic_syndrome.py",
    "views/mechanism.py",
    "views/efficacy.py",
    "views/monitoring.py",
]


def _export_options(at) -> list[dict]:
    return [
        json.loads(c.proto.config)["toImageButtonOptions"]
        for c in at.get("plotly_chart")
    ]


@pytest.mark.parametrize("view", CHART_PAGES)
def test_every_chart_downloads_svg_by_default_and_png_when_chosen(view: str) -> None:
    at = open_page(view)
    options = _export_options(at)
    assert options
    assert {o["format"] for o in options} == {"svg"}
    assert all(o["filename"].startswith("tacrolimus-") for o in options)
    at.radio(key="chart_format_choice").set_value("PNG").run()
    assert not at.exception
    assert {o["format"] for o in _export_options(at)} == {"png"}


def test_the_chosen_format_is_kept_on_other_pages() -> None:
    at = open_page("views/nephrotic_syndrome.py")
    at.radio(key="chart_format_choice").set_value("PNG").run()
    at.switch_page("views/efficacy.py").run()
    assert at.radio(key="chart_format_choice").value == "PNG"
    assert {o["format"] for o in _export_options(at)} == {"png"}
