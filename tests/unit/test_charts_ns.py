"""The Nephrotic syndrome page's charts on narrow and wide screens.

The chain drawn top to bottom for phones must not let its boxes overlap at any
input; the row charts (biopsy, minimal change share, steroid course,
complications) write their labels above their rows, so no category label
takes width from the plot, and their titles and labels are wrapped to fit a
390 px phone.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from dashboard.charts import chain_vertical, epidemiology, labelled_rows, theme
from dashboard.core import datasets, nephrotic_syndrome, schemas
from dashboard.core.pathophysiology import evaluate_chain
from dashboard.core.paths import DATA_DIR


def _data(name: str) -> pd.DataFrame:
    return datasets.load_dataset(schemas.SCHEMAS[name], DATA_DIR)


@pytest.fixture(scope="module")
def chain_inputs():
    parameters = _data("ns_model_parameters")
    model = nephrotic_syndrome.albumin_model(parameters)
    thresholds = nephrotic_syndrome.chain_thresholds(
        _data("ns_diagnostic_criteria"), parameters
    )
    return model, thresholds


def _state(chain_inputs, proteinuria: float):
    model, thresholds = chain_inputs
    return evaluate_chain(
        proteinuria=proteinuria,
        albumin=model.albumin_for(proteinuria),
        thresholds=thresholds,
    )


def _overlap(a, b) -> bool:
    """Whether two rectangles share area (edges touching do not count)."""
    ax0, ax1 = sorted((a.x0, a.x1))
    ay0, ay1 = sorted((a.y0, a.y1))
    bx0, bx1 = sorted((b.x0, b.x1))
    by0, by1 = sorted((b.y0, b.y1))
    return ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1


@pytest.mark.parametrize("proteinuria", [0.0, 0.1, 2.0, 3.5, 6.0, 11.4])
def test_vertical_chain_boxes_never_overlap(chain_inputs, proteinuria) -> None:
    fig = chain_vertical.vertical_chain_figure(_state(chain_inputs, proteinuria))
    boxes = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(boxes) == 7
    for a, b in itertools.combinations(boxes, 2):
        assert not _overlap(a, b), (a, b)
    # One box under another, top to bottom, with room for an arrow between.
    tops = sorted(min(s.y0, s.y1) for s in boxes)
    bottoms = sorted(max(s.y0, s.y1) for s in boxes)
    for bottom, next_top in zip(bottoms, tops[1:], strict=False):
        assert next_top - bottom >= chain_vertical.GAP_PX - 1e-9
    # The y-axis is px from the top: the whole chain is inside the figure.
    assert fig.layout.yaxis.range[0] >= max(bottoms)
    assert fig.layout.height >= fig.layout.yaxis.range[0]


def test_the_overlap_check_can_fail() -> None:
    class Box:
        def __init__(self, x0, x1, y0, y1):
            self.x0, self.x1, self.y0, self.y1 = x0, x1, y0, y1

    assert _overlap(Box(0, 2, 0, 2), Box(1, 3, 1, 3))
    assert not _overlap(Box(0, 2, 0, 2), Box(2, 3, 0, 2))


def test_vertical_chain_runs_top_to_bottom_in_causal_order(chain_inputs) -> None:
    placed = chain_vertical.place(_state(chain_inputs, 6.0))
    main = ["injury", "proteinuria", "albumin", "oncotic", "oedema"]
    tops = [placed[key].top for key in main]
    assert tops == sorted(tops)
    # Main arrows run left of the indented side boxes, so they cross none.
    for key in ("lipids", "sodium"):
        assert placed[key].node.side
        assert placed[key].x0 > chain_vertical.MAIN_ARROW_X


def test_vertical_chain_says_direction_and_abnormal_in_words(chain_inputs) -> None:
    fig = chain_vertical.vertical_chain_figure(_state(chain_inputs, 6.0))
    texts = " ".join(a.text for a in fig.layout.annotations if a.text)
    assert "<b>Serum albumin</b>  25.5 g/L<br>↓ low · ! abnormal" in texts
    assert "↑ nephrotic range · ! abnormal" in texts
    assert "▲" not in texts
    normal = chain_vertical.vertical_chain_figure(_state(chain_inputs, 0.1))
    texts = " ".join(a.text for a in normal.layout.annotations if a.text)
    assert "✓ normal" in texts
    assert "!" not in texts


def _row_charts():
    histology = _data("ns_histology_by_age")
    return {
        "histology": epidemiology.histology_chart(histology),
        "mcd": epidemiology.mcd_share_chart(histology),
        "course": epidemiology.steroid_course_chart(_data("ns_steroid_course")),
        "complications": epidemiology.complications_chart(_data("ns_complications")),
    }


@pytest.mark.parametrize("name", ["histology", "mcd", "course", "complications"])
def test_row_labels_sit_above_their_rows_not_beside_the_plot(name: str) -> None:
    fig = _row_charts()[name].figure
    assert fig.layout.yaxis.visible is False  # no category labels beside the plot
    assert fig.layout.margin.l <= 20
    labels = [a for a in fig.layout.annotations if a.xref == "paper"]
    assert labels, "each row has a label"
    for label in labels:
        assert (label.x, label.xanchor, label.yanchor) == (0, "left", "top")
        for line in label.text.split("<br>"):
            plain = line.replace("<b>", "").replace("</b>", "")
            assert len(plain) <= labelled_rows.LABEL_CHARS, plain
    for line in fig.layout.title.text.split("<br>"):
        assert len(line) <= labelled_rows.TITLE_CHARS, line
    # Each row's mark sits below its own label, inside the plot.
    y_low, y_high = sorted(fig.layout.yaxis.range)
    tops = sorted(label.y for label in labels)
    marks = sorted(y for trace in fig.data for y in trace.y if y is not None)
    assert y_low <= min(tops)
    assert max(marks) <= y_high
    assert min(marks) > min(tops)


def test_presenter_copy_keeps_labels_inside_their_rows() -> None:
    # The bold copy grows the height about as much as the type.
    fig = _row_charts()["complications"].figure
    bold = theme.for_presenter(fig)
    grow_height = bold.layout.height / fig.layout.height
    grow_type = (bold.layout.annotations[0].font.size) / fig.layout.annotations[
        0
    ].font.size
    assert grow_height >= grow_type * 0.95


def test_wrap_keeps_short_text_and_breaks_long_text() -> None:
    assert labelled_rows.wrap("short") == "short"
    long = "word " * 20
    assert all(len(line) <= 10 for line in labelled_rows.wrap(long, 10).split("<br>"))


def test_presenter_copy_enlarges_text_inside_bars() -> None:
    import plotly.graph_objects as go

    from dashboard.charts.theme import for_presenter

    fig = go.Figure(go.Bar(x=[1], y=["a"], text=["50%"], insidetextfont={"size": 13}))
    bold = for_presenter(fig)
    assert bold.data[0].insidetextfont.size == 19
    assert fig.data[0].insidetextfont.size == 13  # the shared figure is untouched
