"""Every registered page opens from the entrypoint without an exception."""

from __future__ import annotations

import pytest

from dashboard.core.site import PAGES
from tests.app.conftest import all_text, open_page


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.slug)
def test_every_page_runs(spec) -> None:
    at = open_page(spec.view_path)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value


def test_home_is_the_default_page_and_maps_every_other_page() -> None:
    at = open_page()
    assert at.title[0].value == "Tacrolimus in nephrotic syndrome"
    text = all_text(at)
    for spec in PAGES:
        if spec.slug != "home":
            assert spec.summary in text
    links = at.get("page_link")
    assert len(links) == len(PAGES) - 1


def test_home_states_objectives_and_both_audiences() -> None:
    text = all_text(open_page())
    assert "What you will be able to do" in text
    assert "If you are studying on your own" in text
    assert "If you are teaching with it" in text
