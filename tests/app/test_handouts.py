"""Every page offers its one-page PDF handout in the sidebar."""

from __future__ import annotations

import pytest

from dashboard.core.site import PAGES
from tests.app.conftest import open_page

HANDOUT_KEYS = {
    "home": "handout_course-map",
    "nephrotic-syndrome": "handout_nephrotic-syndrome",
    "mechanism": "handout_mechanism",
    "efficacy": "handout_efficacy",
    "monitoring": "handout_trough-simulator",
    "cases": "handout_virtual-patient",
    "quiz": "handout_quiz",
}


@pytest.mark.parametrize("spec", [p for p in PAGES if p.slug in HANDOUT_KEYS])
def test_the_page_offers_a_handout(spec) -> None:
    at = open_page(spec.view_path)
    keys = [b.key for b in at.sidebar.get("download_button")]
    assert HANDOUT_KEYS[spec.slug] in keys


def test_every_page_is_covered() -> None:
    # The class check offers its handout in the teacher's view (tested there);
    # the presenter view is the educator's own notes, with nothing to hand out.
    exempt = {"class-check", "presenter-view"}
    assert set(HANDOUT_KEYS) | exempt == {p.slug for p in PAGES}
