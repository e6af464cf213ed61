"""The pooling sandbox's forest plot and the icon array of 100 people."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.charts import icon_array, pooling, theme
from dashboard.charts.efficacy_labels import LABEL_CHARS
from dashboard.core import datasets, schemas
from dashboard.core.paths import DATA_DIR
from dashboard.models import efficacy_pooling as model
from dashboard.models import efficacy_pooling_figure as figure
from dashboard.models import efficacy_pooling_rows as rows
from tests.unit.test_charts import colour_blind_safe
from tests.unit.test_figure_accessibility import mark_colours

EVIDENCE = datasets.load_dataset(schemas.SCHEMAS["efficacy_evidence"], DATA_DIR)
CHEN = "IMN-CHEN-01"


def _view(left_out: tuple[str, ...] = (), **options) -> model.PoolView:
    selection = rows.default_selection(EVIDENCE, observational=True)
    for row_id in left_out:
        selection = rows.toggle(EVIDENCE, selection, row_id)
    return model.pool_view(EVIDENCE, selection, model.PoolOptions(**options))


def _traces(chart, name: str) -> list:
    return [t for t in chart.figure.data if t.name == name]


def test_pooled_and_left_out_studies_are_two_traces_with_their_row_ids() -> None:
    view = _view(left_out=(CHEN,))
    chart = figure.forest(view)
    (pooled,) = _traces(chart, "studies in the pool")
    (left,) = _traces(chart, "studies left out")
    assert CHEN in [c[0] for c in left.customdata]
    assert CHEN not in [c[0] for c in pooled.customdata]
    assert set(left.marker.color) == {pooling.LEFT_OUT_COLOUR}
    assert all(s.endswith("-open") for s in left.marker.symbol)
    # Observational rows are circles, trials squares, so shape tells them apart.
    assert set(pooled.marker.symbol) == {"circle"}


def test_the_diamond_spans_the_pooled_interval() -> None:
    view = _view()
    (diamond,) = _traces(figure.forest(view), "pooled result")
    estimate = view.result.shown
    assert min(diamond.x) == pytest.approx(estimate.low)
    assert max(diamond.x) == pytest.approx(estimate.high)
    assert estimate.ratio in diamond.x
    assert diamond.fill == "toself"


def test_the_prediction_bar_appears_only_from_three_studies() -> None:
    view = _view()
    (bar,) = _traces(figure.forest(view), "prediction interval")
    assert tuple(bar.x) == pytest.approx(view.result.prediction)
    two = _view(left_out=(CHEN, "IMN-3REG-01"))
    assert two.result.k == 2
    assert not _traces(figure.forest(two), "prediction interval")


def test_labels_sit_above_rows_at_the_left_edge_and_fit_a_phone() -> None:
    chart = figure.forest(_view(left_out=(CHEN,)))
    labels = [a for a in chart.figure.layout.annotations if a.xref == "paper"]
    assert len(labels) >= 6  # 5 studies, the pooled row, the prediction bar
    for note in labels:
        assert note.x == 0
        assert note.xanchor == "left"
        assert note.yanchor == "top"
        for line in note.text.split("<br>"):
            plain = line.replace("<b>", "").replace("</b>", "")
            plain = plain.replace("<i>", "").replace("</i>", "")
            assert len(plain) <= LABEL_CHARS + 2, plain
    texts = " ".join(a.text for a in labels)
    assert "left out" in texts
    assert "IMN-RETRO-SCIELO-02" in texts
    # Each mark sits below its own label: y grows downwards, in px.
    assert chart.figure.layout.yaxis.range[0] > chart.figure.layout.yaxis.range[1]


def test_every_mark_is_colour_blind_safe_at_3_to_1_also_for_a_projector() -> None:
    chart = figure.forest(_view(left_out=(CHEN,)))
    for fig in (chart.figure, theme.for_presenter(chart.figure)):
        colours = mark_colours(fig)
        assert colours
        assert all(theme.contrast_ratio(c) >= 3.0 for c in colours), colours
        assert all(colour_blind_safe(c) for c in colours), colours


def test_alt_text_and_table_hold_every_study_and_the_pool() -> None:
    view = _view(left_out=(CHEN,))
    chart = figure.forest(view)
    for row_id in view.studies["id"]:
        assert row_id in chart.alt
        assert row_id in set(chart.table["Row id"])
    assert "left out" in chart.alt
    assert f"Pooled RR {view.result.shown.ratio:.2f}" in chart.alt
    pooled_line = chart.table[chart.table["Design"] == "pooled result"].iloc[0]
    assert pooled_line["Row id"] == ", ".join(view.ids)
    assert pooled_line["RR"] == pytest.approx(round(view.result.shown.ratio, 2))
    assert chart.table.columns.is_unique


def test_an_empty_pool_is_drawn_without_a_diamond_and_says_so() -> None:
    selection = rows.default_selection(EVIDENCE)
    empty = rows.toggle(EVIDENCE, selection, CHEN)
    view = model.pool_view(EVIDENCE, empty, model.PoolOptions())
    chart = figure.forest(view)
    assert not _traces(chart, "pooled result")
    assert "The pool is empty" in chart.alt


def test_odds_ratios_name_their_measure_and_a_study_without_one_says_why() -> None:
    chart = figure.forest(_view(measure="OR", method="fixed"))
    assert "Odds ratio (OR)" in chart.figure.layout.xaxis.title.text
    assert "fixed effect (MH)" in chart.alt
    studies = pd.DataFrame(
        [
            {
                "id": "X-1",
                "label": "A study, 6 months",
                "design": "rct",
                "events_tac": None,
                "total_tac": None,
                "events_comparator": None,
                "total_comparator": None,
                "ratio": math.nan,
                "low": math.nan,
                "high": math.nan,
                "weight": math.nan,
                "pooled": False,
                "note": "reported only as OR, not RR",
            }
        ]
    )
    chart = pooling.pool_forest_chart(
        studies, None, measure="RR", higher_is_better=True, title="t"
    )
    assert "not pooled: reported only as OR" in chart.figure.layout.annotations[0].text


def test_a_forest_without_studies_or_with_another_measure_is_refused() -> None:
    view = _view()
    with pytest.raises(ValueError, match="at least one study"):
        pooling.pool_forest_chart(
            view.studies.iloc[0:0], None, measure="RR", higher_is_better=True, title="t"
        )
    with pytest.raises(ValueError, match="measure"):
        pooling.pool_forest_chart(
            view.studies, None, measure="HR", higher_is_better=True, title="t"
        )


# --- icon array ----------------------------------------------------------------------


def _icons(without: int, with_tac: int):
    return icon_array.icon_array_chart(
        without, with_tac, comparator="cyclophosphamide", outcome="remission", alt="x"
    )


def _count(chart, name: str) -> int:
    return sum(len(t.x) for t in chart.figure.data if t.name == name)


@pytest.mark.parametrize(("without", "with_tac"), [(40, 79), (54, 17), (30, 30)])
def test_icon_array_draws_two_hundred_people_with_the_difference_by_shape(
    without: int, with_tac: int
) -> None:
    chart = _icons(without, with_tac)
    assert sum(len(t.x) for t in chart.figure.data) == 200
    assert _count(chart, "with the outcome") == without + min(without, with_tac)
    assert _count(chart, "extra with tacrolimus") == max(0, with_tac - without)
    assert _count(chart, "spared with tacrolimus") == max(0, without - with_tac)
    symbols = {t.name: t.marker.symbol for t in chart.figure.data}
    assert len(set(symbols.values())) == len(symbols)  # never colour alone
    assert chart.table["With the outcome (of 100)"].tolist() == [without, with_tac]
    texts = " ".join(a.text for a in chart.figure.layout.annotations)
    assert f"{without} in 100" in texts
    assert f"{with_tac} in 100" in texts


def test_icon_array_marks_are_safe_and_its_axes_hidden() -> None:
    chart = _icons(40, 79)
    for fig in (chart.figure, theme.for_presenter(chart.figure)):
        colours = mark_colours(fig)
        assert all(theme.contrast_ratio(c) >= 3.0 for c in colours), colours
        assert all(colour_blind_safe(c) for c in colours), colours
    assert chart.figure.layout.xaxis.visible is False
    assert chart.figure.layout.yaxis.scaleanchor == "x"


@pytest.mark.parametrize(("without", "with_tac"), [(-1, 5), (5, 101)])
def test_icon_array_refuses_counts_outside_100(without: int, with_tac: int) -> None:
    with pytest.raises(ValueError, match="0-100"):
        _icons(without, with_tac)


def test_the_continuity_correction_is_stated_for_every_pool() -> None:
    assert "no study in this pool has one" in figure.continuity_line(_view())
    zero = EVIDENCE.copy()
    chen = zero["id"] == CHEN
    zero.loc[chen, "events_comparator"] = 0
    selection = rows.default_selection(zero)
    view = model.pool_view(zero, selection, model.PoolOptions())
    assert figure.continuity_line(view).endswith(f"here {CHEN}.")
