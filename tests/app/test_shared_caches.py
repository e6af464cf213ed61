"""Shared caches stay as loaded: no page changes the data every session reads.

``dashboard.ui.cached`` hands the same data frames and figures to every
session instead of copies. After every page has run (with its main controls
moved), each cached dataset must still equal a fresh load from disk, and each
shared figure must still equal the figure its builder makes.
"""

from __future__ import annotations

import pandas as pd
import plotly.io
import pytest

from dashboard.charts import epidemiology
from dashboard.core import datasets, schemas
from dashboard.core.paths import DATA_DIR
from dashboard.core.site import PAGES
from dashboard.ui import cached
from tests.app.conftest import open_page

MOVES = {
    "nephrotic-syndrome": ("ns_proteinuria", 9.0),
    "monitoring": ("pk_dose", 0.2),
}


def _visit_every_page() -> None:
    for spec in PAGES:
        at = open_page(spec.view_path)
        assert not at.exception, spec.slug
        if spec.slug in MOVES:
            key, value = MOVES[spec.slug]
            at.slider(key=key).set_value(value).run()
            assert not at.exception, spec.slug


def test_cached_datasets_are_unchanged_after_every_page() -> None:
    _visit_every_page()
    for name, schema in schemas.SCHEMAS.items():
        fresh = datasets.load_dataset(schema, DATA_DIR)
        pd.testing.assert_frame_equal(cached.dataset(name), fresh, obj=name)


def test_shared_figures_are_frozen_and_equal_a_fresh_build() -> None:
    _visit_every_page()
    figure = cached.static_chart("histology").figure
    assert isinstance(figure, cached.SharedFigure)
    fresh = epidemiology.histology_chart(cached.dataset("ns_histology_by_age")).figure
    assert plotly.io.to_json(figure.to_dict()) == plotly.io.to_json(fresh.to_dict())


def test_a_shared_figure_hands_out_the_same_dict_each_time() -> None:
    figure = cached.static_chart("complications").figure
    assert figure.to_dict() is figure.to_dict()


@pytest.mark.parametrize("kind", ["histology", "mcd_share", "steroid_course"])
def test_static_figures_are_built_once(kind: str) -> None:
    assert cached.static_chart(kind) is cached.static_chart(kind)


def test_a_shared_frame_is_converted_to_arrow_once() -> None:
    frame = cached.dataset("tacrolimus_trough_targets")
    table = cached.arrow_table(frame)
    assert cached.arrow_table(frame) is table
    assert table.num_rows == len(frame)
    assert table.column_names == list(frame.columns)
    pd.testing.assert_frame_equal(
        table.to_pandas(), frame.reset_index(drop=True), check_dtype=False
    )


def test_a_frame_arrow_cannot_type_is_left_to_streamlit() -> None:
    mixed = pd.DataFrame({"value": [1, "two", 3.0]})
    assert cached.arrow_table(mixed) is mixed
