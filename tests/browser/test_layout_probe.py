"""The layout probe finds what it looks for: each check fails on a bad page.

A page made here (no server) with Plotly's own bundled plotly.js: a chart
whose long labels squeeze its plot and run past its edge, two annotations
drawn on top of each other, a table wider than the phone, and two small
buttons side by side; then the same page mended.
"""

from __future__ import annotations

from pathlib import Path

import plotly
import pytest
from playwright.sync_api import Page

from dashboard.tools.layout_probe import measure

pytestmark = pytest.mark.browser
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

CHART = """
const labels = ['A very long study label that takes the width, 2021',
                'Another long study label, vs cyclophosphamide, 12 months'];
Plotly.newPlot('chart', [{x: [1, 2], y: labels, type: 'scatter',
  mode: 'markers'}], {width: 360, height: 300, margin: {l: LEFT},
  annotations: [{x: 1, y: 0, text: 'same place', showarrow: false},
                {x: 1, y: 0, text: 'same place too', showarrow: false}]});
"""


def _page(page: Page, *, bad: bool) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    table = "<table><tr>" + "<td>wide cell</td>" * (40 if bad else 2) + "</tr></table>"
    size = "12px" if bad else "30px"
    page.set_content(
        "<html><body style='margin:0'>"
        f"<div data-testid='stMain' style='overflow:auto'>{table}</div>"
        "<div id='chart'></div>"
        f"<button style='width:{size};height:{size};padding:0'>a</button>"
        f"<button style='width:{size};height:{size};padding:0'>b</button>"
        "</body></html>"
    )
    page.add_script_tag(path=str(PLOTLY_JS))
    script = CHART.replace("LEFT", "340" if bad else "40")
    if not bad:
        script = (
            script.replace("'same place too'", "''")
            .replace("A very long study label that takes the width, 2021", "A")
            .replace("Another long study label, vs cyclophosphamide, 12 months", "B")
        )
    page.evaluate(f"() => {{ {script} }}")
    page.wait_for_selector("#chart .main-svg")


def test_a_bad_page_fails_every_check(page: Page) -> None:
    _page(page, bad=True)
    found = measure(page)
    assert found.sideways > 0
    assert found.squeezed(0.5)
    assert found.cut
    assert any(o["a"].startswith("same place") for o in found.overlaps)
    assert {t["target"] for t in found.small_targets} == {"a", "b"}


def test_the_mended_page_passes(page: Page) -> None:
    _page(page, bad=False)
    found = measure(page)
    assert found.sideways == 0
    assert not found.squeezed(0.5)
    assert not found.cut
    assert not found.overlaps
    assert not found.small_targets
