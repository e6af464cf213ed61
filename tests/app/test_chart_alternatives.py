"""Every chart on every page has alt text and, right below it, its data as a table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.paths import APP_PATH
from dashboard.core.polls import PollStore
from dashboard.core.site import PAGES
from tests.app.conftest import open_page

TABLE_LABEL = "Data behind this chart"


def _in_order(node) -> Iterator:
    """Every element below ``node``, in the order the page shows them."""
    children = getattr(node, "children", None)
    if children is None:
        yield node
        return
    if node.type == "expander":
        yield node
    for key in sorted(children):
        yield from _in_order(children[key])


def _charts_with_tables(at: AppTest) -> list[tuple[object, object | None]]:
    """(chart, the element right after it) for every Plotly chart on the page.

    The wide and the narrow form of one chart (``ui/responsive.py``: the
    browser shows one of them) stand side by side and share the table after
    the pair, so a chart followed by its twin is paired with what follows that.
    """
    elements = [e for e in _in_order(at.main) if e.type != "empty"]

    def after(i: int):
        j = i + 1
        if (
            j < len(elements)
            and elements[j].type == "plotly_chart"
            and _twins(elements[i], elements[j])
        ):
            j += 1
        return elements[j] if j < len(elements) else None

    return [(e, after(i)) for i, e in enumerate(elements) if e.type == "plotly_chart"]


def _twins(first, second) -> bool:
    """Whether two charts are the wide and narrow forms of one chart.

    Their ids end with their keys; the forms' keys share their first word
    (``ns_chain_chart`` / ``ns_chain_vertical``).
    """
    a, b = _chart_key(first).split("_"), _chart_key(second).split("_")
    return a[:2] == b[:2] and a != b


def _chart_key(chart) -> str:
    """The ``key`` given to ``chart()``: element ids end ``-<key>``."""
    return chart.proto.id.split("-", 2)[2]


def _open_the_tables(at: AppTest) -> None:
    """Open every chart's table: ``chart()`` keys its expander ``<key>_data``.

    The tables are built only while open (:mod:`dashboard.ui.lazy`).
    """
    for chart in at.get("plotly_chart"):
        at.session_state[f"{_chart_key(chart)}_data"] = True
    at.run()


def _assert_every_chart_has_alternatives(at: AppTest, where: str) -> int:
    assert not at.exception, where
    _open_the_tables(at)
    assert not at.exception, where
    pairs = _charts_with_tables(at)
    for chart, after in pairs:
        assert chart.proto.alt.strip(), f"{where}: a chart has no alt text"
        assert after is not None, f"{where}: nothing after the last chart"
        assert after.type == "expander", f"{where}: no data table after a chart"
        assert after.label.startswith(TABLE_LABEL), after.label
        frames = after.dataframe
        assert len(frames) == 1, f"{where}: {after.label}"
        assert len(frames[0].value) > 0, f"{where}: {after.label} is empty"
    return len(pairs)


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.slug)
def test_every_chart_on_every_page_has_alt_text_and_a_table(spec) -> None:
    at = open_page(spec.view_path)
    _assert_every_chart_has_alternatives(at, spec.slug)


def test_the_chart_pages_draw_the_charts_checked() -> None:
    counts = {
        spec.slug: len(_charts_with_tables(open_page(spec.view_path))) for spec in PAGES
    }
    assert counts == {
        "home": 0,
        "nephrotic-syndrome": 7,  # the chain in its wide and narrow forms
        "mechanism": 2,  # the step diagram in its wide and narrow forms
        "efficacy": 6,  # forest, arms, the pooling forest, the icon array, …
        "monitoring": 4,  # plan, simulator, measured levels (before the reveal), harms
        "cases": 0,
        "quiz": 0,
        "class-check": 0,  # no poll yet; see the test below
        "presenter-view": 0,
    }


def test_the_simulator_population_view_has_a_table() -> None:
    at = open_page("views/monitoring.py")
    # The control reruns the simulator's outputs alone; a full run shows the page.
    at.segmented_control(key="pk_view").set_value("1,000 patients").run().run()
    # plan, population, measured levels and harms
    assert _assert_every_chart_has_alternatives(at, "population view") == 4
    assert any("simulated patients" in e.label for e in at.expander if e.label), (
        "the population chart's table is labelled with its title"
    )


def test_an_azole_adds_its_column_to_the_curve_table() -> None:
    at = open_page("views/monitoring.py")
    at.selectbox(key="pk_drug").set_value("azole").run()
    # Predicting first is the default: the changed curve waits for Reveal.
    at.toggle(key="pk_predict").set_value(False).run().run()
    _assert_every_chart_has_alternatives(at, "with an azole")
    columns = {c for frame in at.dataframe for c in frame.value.columns}
    assert any(c.startswith("with ") and c.endswith("(ng/mL)") for c in columns)


def test_the_class_check_results_have_a_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'polls.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    store = PollStore(url)
    poll = store.create("mech-no-fkbp12", "Without FKBP-12?", ("a", "b"), 1)
    # The distribution, and so its chart, is drawn only after the reveal.
    store.reveal(poll.code, poll.teacher_token)
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    at.query_params["poll"] = poll.code
    at.query_params["teacher"] = poll.teacher_token
    at.run()
    at.switch_page("views/class_check.py").run()
    assert _assert_every_chart_has_alternatives(at, "class check") == 1
