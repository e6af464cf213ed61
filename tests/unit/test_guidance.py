"""The guidance timeline and the alternative trials: data, figures and their quotes."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.charts import guidance, theme
from dashboard.core import datasets, schemas
from dashboard.core.paths import DATA_DIR
from tests.unit.test_charts import colour_blind_safe
from tests.unit.test_figure_accessibility import mark_colours


@pytest.fixture(scope="module")
def timeline() -> pd.DataFrame:
    return datasets.load_dataset(schemas.GUIDANCE_TIMELINE, DATA_DIR)


@pytest.fixture(scope="module")
def trials() -> pd.DataFrame:
    return datasets.load_dataset(schemas.ALTERNATIVE_TRIALS, DATA_DIR)


def _normalised(quote: str) -> str:
    """The quote with printed decimal points (·) and minus signs made plain."""
    return quote.replace("·", ".").replace("−", "-").replace("–", "-")


def _appears(value: float, quote: str) -> bool:
    text = f"{value:g}"
    candidates = {text, f"{value:.1f}"} if float(value).is_integer() else {text}
    return any(
        re.search(rf"(?<![\d.]){re.escape(c)}(?![\d])", _normalised(quote))
        for c in candidates
    )


# --- data -----------------------------------------------------------------

TRIAL_FIGURES = (
    "value_intervention",
    "value_comparator",
    "n_intervention",
    "n_comparator",
    "effect",
    "ci_low",
    "ci_high",
)


def test_every_trial_figure_appears_in_its_quote(trials) -> None:
    missing = [
        f"{row['id']}: {column}={row[column]:g}"
        for _, row in trials.iterrows()
        for column in TRIAL_FIGURES
        if pd.notna(row[column]) and not _appears(float(row[column]), row["quote"])
    ]
    assert missing == []


def test_every_row_has_a_quote_and_was_checked(timeline, trials) -> None:
    for frame in (timeline, trials):
        assert frame["quote"].notna().all()
        assert (frame["quote"].str.len() < 200).all()
        assert (frame["checked"] == "2026-12-04").all()


def test_trials_are_not_tacrolimus_rows(trials) -> None:
    # Read raw: this only needs the study names, not a valid file.
    evidence = pd.read_csv(DATA_DIR / "efficacy_evidence.csv", dtype=str)
    studies = " ".join(evidence["study"].str.upper())
    for name in trials["trial"].unique():
        assert name.upper() not in studies, f"{name} is already in the forest plot"
    for arm in trials["intervention"]:
        assert "tacrolimus" not in arm.lower()


def test_known_trial_results(trials) -> None:
    rows = trials.set_index("id")
    assert rows.loc[
        "mentor-24m", ["value_intervention", "value_comparator"]
    ].tolist() == [
        60,
        20,
    ]
    assert rows.loc["aurora1-52w", "effect"] == pytest.approx(2.65)
    assert rows.loc["blissln-perr-104w", "n_intervention"] == 224


def test_timeline_years_and_numbers_match_their_sources(timeline) -> None:
    for _, row in timeline.iterrows():
        assert str(row["year"]) in row["citation"] + row["source"] or (
            row["id"] == "ipna-2022-ssns"  # online 2022, in print 2023
        ), row["id"]
        for number in re.findall(r"\d+(?:\.\d+)?", row["headline"]):
            assert _appears(float(number), row["quote"]), (row["id"], number)


def test_supersession_links_are_consistent(timeline) -> None:
    ids = set(timeline["id"])
    for _, row in timeline.iterrows():
        targets = (
            str(row["superseded_by"]).split(";")
            if isinstance(row["superseded_by"], str)
            else []
        )
        assert set(targets) <= ids, row["id"]
        if row["status"] == "current":
            assert targets == [], row["id"]
        else:
            assert targets, f"{row['id']} is {row['status']} but names no successor"
        years = timeline.set_index("id").loc[targets, "year"] if targets else []
        assert all(y > row["year"] for y in years), row["id"]


def test_the_2021_guideline_is_current_for_membranous_nephropathy(timeline) -> None:
    rows = timeline.set_index("id")
    assert rows.loc["kdigo-2012-gn", "status"] == "superseded"
    assert rows.loc["kdigo-2021-gd", "status"] == "partly superseded"
    assert "rituximab" in rows.loc["kdigo-2021-gd", "quote"]
    assert "CNI" in rows.loc["kdigo-2021-gd", "quote"]


# --- figure ---------------------------------------------------------------


def test_one_marker_per_guideline_grouped_by_status(timeline) -> None:
    fig = guidance.timeline_chart(timeline).figure
    assert sum(len(t.x) for t in fig.data) == len(timeline)
    assert {t.name for t in fig.data} == {
        guidance.STATUS_STYLE[s][0] for s in timeline["status"].unique()
    }
    symbols = [t.marker.symbol for t in fig.data]
    assert len(set(symbols)) == len(symbols), "statuses differ by symbol too"
    labels = [text for t in fig.data for text in t.text]
    for _, row in timeline.iterrows():
        assert any(f"{row['body']} {row['year']}" in text for text in labels)


def test_arrows_join_superseded_guidelines(timeline) -> None:
    fig = guidance.timeline_chart(timeline).figure
    superseded = timeline[timeline["status"] == "superseded"]
    expected = sum(len(str(s).split(";")) for s in superseded["superseded_by"])
    assert sum(1 for a in fig.layout.annotations if a.showarrow) == expected


@pytest.mark.parametrize("presenter", [False, True])
def test_marks_are_colour_blind_safe_and_reach_3_to_1(timeline, presenter) -> None:
    fig = guidance.timeline_chart(timeline).figure
    if presenter:
        fig = theme.for_presenter(fig)
    colours = mark_colours(fig)
    assert colours
    assert all(theme.contrast_ratio(c) >= 3.0 for c in colours), colours
    assert all(colour_blind_safe(c) for c in colours), colours


def test_fits_a_phone(timeline) -> None:
    fig = guidance.timeline_chart(timeline).figure
    # Short title, labels inside the figure, no zoom to get lost in.
    assert len(fig.layout.title.text) <= 32
    assert fig.layout.xaxis.fixedrange
    assert fig.layout.yaxis.fixedrange
    assert all(t.cliponaxis is False for t in fig.data)
    for label in (text for t in fig.data for text in t.text):
        for line in re.sub(r"<[^>]+>", "", label.replace("<br>", "\n")).split("\n"):
            assert len(line) <= 40, line
    legend = fig.layout.legend
    assert legend.yref == "container"
    assert legend.yanchor == "bottom"


def test_alt_text_and_table_name_every_guideline(timeline) -> None:
    alt = guidance.timeline_chart(timeline).alt
    table = guidance.timeline_chart(timeline).table
    assert len(table) == len(timeline)
    assert not table.isna().any().any()
    for _, row in timeline.iterrows():
        assert f"{row['body']} {row['year']}" in alt
        assert row["headline"] in alt
    assert "superseded by KDIGO 2021" in alt


def test_trials_table_and_results(trials) -> None:
    table = guidance.trials_table(trials)
    assert len(table) == len(trials)
    results = dict(zip(trials["id"], table["Result"], strict=True))
    assert results["mentor-12m"] == (
        "60% vs 52%; risk difference 8 points (95% CI −9 to 25)"
    )
    assert results["aurora1-52w"] == "41% vs 23%; odds ratio 2.65 (95% CI 1.64 to 4.27)"
    assert results["blissln-perr-104w"] == (
        "43% vs 32%; odds ratio 1.6 (95% CI 1.0 to 2.3)"
    )
    assert table["n per arm"].tolist()[0] == "65 vs 65"
