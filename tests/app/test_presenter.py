"""Presenter mode and the link to the current view, on every page."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.paths import APP_PATH
from dashboard.core.site import PAGES
from tests.app.conftest import open_page

TEACHING = [
    p
    for p in PAGES
    if p.slug in ("nephrotic-syndrome", "mechanism", "efficacy", "monitoring")
]


def _presenting(view: str) -> AppTest:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    at.query_params["present"] = "true"
    at.run()
    at.switch_page(view).run()
    return at


def _sidebar_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.sidebar.markdown)


def _page_text(at: AppTest) -> str:
    return " ".join(
        [m.value for m in at.sidebar.markdown]
        + [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [e.label for e in at.expander]
    )


@pytest.mark.parametrize("spec", TEACHING, ids=lambda s: s.slug)
def test_a_projected_page_carries_no_teacher_notes(spec) -> None:
    at = _presenting(spec.view_path)
    assert not at.exception
    assert at.toggle(key="presenter_switch").value is True
    assert "Ten-minute script" not in _page_text(at)
    way = " ".join(c.value for c in at.sidebar.caption)
    assert f"presenter-view?pv_page={spec.slug}" in way


@pytest.mark.parametrize("spec", TEACHING, ids=lambda s: s.slug)
def test_the_presenter_view_shows_each_pages_notes(spec) -> None:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    at.query_params["pv_page"] = spec.slug
    at.run()
    at.switch_page("views/presenter_view.py").run()
    assert not at.exception
    assert f"Teacher notes: {spec.title}" in [s.value for s in at.subheader]
    assert "**Ten-minute script.**" in _page_text(at)
    assert all(e.proto.expanded for e in at.expander)
    links = " ".join(m.value for m in at.markdown)
    assert f"(/{spec.url_path}?present=true)" in links


def test_the_presenter_view_folds_its_notes_when_projected() -> None:
    at = _presenting("views/presenter_view.py")
    assert not at.exception
    assert at.expander
    assert not any(e.proto.expanded for e in at.expander)
    assert "may be projected" in " ".join(w.value for w in at.warning)


def test_an_unknown_notes_page_in_a_link_falls_back_to_the_first() -> None:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    at.query_params["pv_page"] = "<script>"
    at.run()
    at.switch_page("views/presenter_view.py").run()
    assert not at.exception
    assert "Teacher notes: Nephrotic syndrome" in [s.value for s in at.subheader]


@pytest.mark.parametrize("spec", TEACHING, ids=lambda s: s.slug)
def test_students_never_see_teacher_notes(spec) -> None:
    at = open_page(spec.view_path)
    assert at.toggle(key="presenter_switch").value is False
    text = _sidebar_text(at) + " ".join(m.value for m in at.markdown)
    assert "Ten-minute script" not in text


def test_presenter_mode_draws_bolder_charts() -> None:
    normal = open_page("views/nephrotic_syndrome.py")
    bold = _presenting("views/nephrotic_syndrome.py")
    size = [
        json.loads(at.get("plotly_chart")[1].proto.spec)["layout"]["font"]["size"]
        for at in (normal, bold)
    ]
    assert size[1] == size[0] + 6


def test_link_to_this_view_keeps_every_value_of_a_multiselect() -> None:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    # A bound multiselect carries each chosen option's label.
    at.query_params["eff_designs"] = ["Randomised trial", "Observational"]
    at.run()
    at.switch_page("views/efficacy.py").run()
    assert at.multiselect(key="eff_designs").value == ["rct", "observational"]
    link = next(m.value for m in at.sidebar.markdown if "eff_designs=" in m.value)
    assert "eff_designs=Randomised+trial" in link
    assert "eff_designs=Observational" in link


def test_link_to_this_view_carries_the_state() -> None:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    at.query_params["ns_proteinuria"] = "3.2"
    at.run()
    at.switch_page("views/nephrotic_syndrome.py").run()
    link = next(m.value for m in at.sidebar.markdown if "ns_proteinuria=" in m.value)
    assert "ns_proteinuria=3.2" in link
    assert not at.sidebar.code
