"""The question bank is worth polling (issue 19).

Large enough for a term of lectures, spread over every teaching page, with
clinical vignettes, and every fact taken from a data row in ``content/data``:
a question's quote is a verbatim excerpt of a data row citing the same work,
and every figure in its stem is in that quote or in such a row. Each link back
names only the controls of its own page. The rules on the answer itself (one
of the options, not given away by its length or place) are in
``tests/unit/test_quiz.py`` and ``tests/repo/test_repo_data.py``; that the
page accepts every value of a link is checked in ``tests/app/test_quiz.py``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import pandas as pd
import pytest

from dashboard.core import datasets, quiz, schemas
from dashboard.core.paths import DATA_DIR
from dashboard.models.mechanism import LANE_NAMES

BANK = datasets.load_dataset(schemas.QUIZ_QUESTIONS, DATA_DIR)
BY_ID = BANK.set_index("id", drop=False)
DATA = {
    name: datasets.load_dataset(schema, DATA_DIR)
    for name, schema in schemas.SCHEMAS.items()
    if name != "quiz_questions"
}
#: Enough for a term of lectures at a few polls each.
MIN_QUESTIONS = 40
MIN_PER_PAGE = 8
MIN_VIGNETTES = 3
#: A clinical vignette's id reads ``<page>-case-<topic>``.
VIGNETTE_ID = re.compile(r"^[a-z]+-case-[a-z0-9-]+$")
#: Each teaching page, with the prefix of the URL parameters its controls bind.
PAGE_PARAMETERS = {
    "nephrotic-syndrome": "ns_",
    "mechanism": "mech_",
    "efficacy": "eff_",
    "monitoring": "pk_",
}
#: Rows of the first bank checked before quotes were required (December 2026).
NO_QUOTE_YET = frozenset(
    {
        "mech-binding-site",
        "mech-b-cells",
        "mech-podocyte",
        "ns-adult-definition",
        "ns-lesion-children",
        "eff-mn-final",
        "eff-sdns-rituximab",
        "eff-half-dose",
        "mon-reversible",
    }
)
#: Rows of the first bank quoting the work itself: a work no data file cites,
#: or a passage other than the data row's excerpt.
QUOTED_FROM_THE_WORK = frozenset(
    {
        "mech-no-fkbp12",
        "mech-nephrin",
        "ns-srns-genetic",
        "mon-ptdm-hba1c",
        "mon-cosmetic",
        "eff-ln-aurora",
        "eff-ln-kdigo",
        "mon-voriconazole",
    }
)
#: A figure as the quiz tests read it: not part of a name (FKBP-12, CYP3A5,
#: 24-hour), nor a step number.
FIGURE = re.compile(r"(?<![\w-])(?<!step )\d+(?:\.\d+)?(?![\w-])")


def _rows_citing(source_url: str) -> list[dict]:
    return [
        row
        for frame in DATA.values()
        for row in frame[frame["source_url"] == source_url].to_dict("records")
    ]


def _data_row(name: str, row_id: str) -> pd.Series:
    frame = DATA[name]
    found = frame[frame["id"] == row_id]
    assert len(found) == 1, (name, row_id)
    return found.iloc[0]


def _quote_pieces(quote: str) -> list[str]:
    """The verbatim excerpts a quote joins with " … "."""
    return [piece.strip() for piece in quote.split(" … ") if piece.strip()]


# -- size and spread ------------------------------------------------------------
def test_the_bank_has_enough_questions_for_a_term() -> None:
    assert len(BANK) >= MIN_QUESTIONS
    assert BANK["id"].is_unique
    assert BANK["question"].is_unique


@pytest.mark.parametrize("page", PAGE_PARAMETERS)
def test_every_teaching_page_has_its_share(page: str) -> None:
    assert (BANK["page"] == page).sum() >= MIN_PER_PAGE


def test_the_bank_has_clinical_vignettes_on_several_pages() -> None:
    vignettes = BANK[BANK["id"].str.match(VIGNETTE_ID)]
    assert len(vignettes) >= MIN_VIGNETTES
    assert vignettes["page"].nunique() >= 2


@pytest.mark.parametrize("qid", BANK["id"].tolist())
def test_options_are_distinct(qid: str) -> None:
    options = quiz.options(BY_ID.loc[qid])
    assert len(set(options)) == len(options)


# -- the vignettes the issue names ----------------------------------------------
def test_the_third_relapse_vignette_applies_the_ipna_definitions() -> None:
    question = BY_ID.loc["ns-case-third-relapse"]
    relapse = _data_row("ns_steroid_response", "relapse")
    frequent = _data_row("ns_steroid_response", "frequent-relapse")
    assert question["source_url"] == relapse["source_url"] == frequent["source_url"]
    what_counts, how_often = _quote_pieces(question["quote"])
    assert what_counts in relapse["quote"]
    assert how_often in frequent["quote"]
    assert "frequently relapsing" in question["answer"]


def test_the_clarithromycin_vignette_uses_the_macrolide_row() -> None:
    question = BY_ID.loc["mon-case-clarithromycin"]
    macrolide = _data_row("pk_interactions", "macrolide")
    assert "clarithromycin" in macrolide["drug"]
    assert "clarithromycin" in question["question"]
    assert question["source_url"] == macrolide["source_url"]
    assert question["quote"] == macrolide["quote"]
    # the right answer goes the way the row does
    assert macrolide["direction"] == "raises"
    assert question["answer"].startswith("A higher trough")


def test_the_week_6_glucose_vignette_uses_the_case_and_its_threshold() -> None:
    question = BY_ID.loc["mon-case-week6-glucose"]
    case = _data_row("monitoring_case", "w6-glucose")
    threshold = _data_row("monitoring_thresholds", case["threshold_id"])
    assert f"week {case['week']}" in question["question"]
    assert f"{case['value']:g} {case['unit']}" in question["question"]
    assert question["source_url"] == threshold["source_url"]
    assert f"{threshold['threshold']:.1f} mmol/L" in question["quote"]
    assert case["value"] >= threshold["threshold"]  # in the diabetes range: confirm
    assert question["answer"].startswith("Confirm it")


# -- every fact from a data row -------------------------------------------------
def test_the_exemptions_name_rows_of_the_bank() -> None:
    assert set(BANK["id"]) >= NO_QUOTE_YET | QUOTED_FROM_THE_WORK
    assert BANK.set_index("id").loc[sorted(NO_QUOTE_YET), "quote"].isna().all()


@pytest.mark.parametrize(
    "qid", sorted(set(BANK["id"]) - NO_QUOTE_YET - QUOTED_FROM_THE_WORK)
)
def test_each_quote_is_taken_from_a_data_row_citing_the_same_work(qid: str) -> None:
    question = BY_ID.loc[qid]
    assert pd.notna(question["quote"]), qid
    quotes = [
        str(row["quote"])
        for row in _rows_citing(question["source_url"])
        if pd.notna(row.get("quote"))
    ]
    assert quotes, f"{qid}: no data row with a quote cites {question['source_url']}"
    for piece in _quote_pieces(str(question["quote"])):
        assert any(piece in quote for quote in quotes), (qid, piece)


@pytest.mark.parametrize("qid", BANK["id"].tolist())
def test_figures_in_the_question_come_from_rows_of_the_same_work(qid: str) -> None:
    """The stem, like the explanation (tests/unit/test_quiz.py), states no
    figure that neither its quote nor a data row on the same work shows."""
    question = BY_ID.loc[qid]
    own = "" if pd.isna(question["quote"]) else str(question["quote"])
    behind = " ".join(
        [own]
        + [
            " ".join(str(v) for v in row.values() if pd.notna(v))
            for row in _rows_citing(question["source_url"])
        ]
    )
    for number in FIGURE.findall(str(question["question"])):
        assert re.search(rf"(?<![\d.]){re.escape(number)}(?!\d)", behind), (qid, number)


# -- links back -----------------------------------------------------------------
@pytest.mark.parametrize("qid", BANK[BANK["view"].notna()]["id"].tolist())
def test_a_view_names_only_its_own_pages_controls(qid: str) -> None:
    question = BY_ID.loc[qid]
    prefix = PAGE_PARAMETERS[question["page"]]
    pairs = parse_qsl(question["view"], strict_parsing=True)
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), qid
    assert all(key.startswith(prefix) for key in keys), (qid, keys)


@pytest.mark.parametrize("qid", BANK[BANK["lane"].notna()]["id"].tolist())
def test_a_mechanism_step_question_opens_on_its_step(qid: str) -> None:
    question = BY_ID.loc[qid]
    view = dict(parse_qsl(question["view"], strict_parsing=True))
    assert view["mech_lane"] == LANE_NAMES[question["lane"]]
    assert int(view["mech_step"]) == int(question["step"])
