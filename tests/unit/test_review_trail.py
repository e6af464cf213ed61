"""The review trail behind ``make content-report``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from dashboard.core import review_trail
from dashboard.core.content import ContentDoc
from dashboard.tools import content_report

TODAY = dt.date(2026, 12, 4)


def _doc(reviewed: dt.date, sources: tuple[str, ...] = ()) -> ContentDoc:
    return ContentDoc(
        path=Path("content/x/10_a.md"),
        title="A",
        page="x",
        order=10,
        sources=sources,
        reviewed=reviewed,
        audience="student",
        body="",
    )


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [
        (dt.date(2025, 12, 4), TODAY, 12),
        (dt.date(2025, 12, 5), TODAY, 11),
        (dt.date(2026, 11, 1), TODAY, 1),
        (TODAY, TODAY, 0),
    ],
)
def test_months_between_counts_whole_months(earlier, later, months) -> None:
    assert review_trail.months_between(earlier, later) == months


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11", dt.date(2026, 11, 1)),
        ("2026-12-04", dt.date(2026, 12, 4)),
        ("", None),
        (None, None),
        ("Nov 2026", None),
    ],
)
def test_checked_date_reads_month_or_day(text, expected) -> None:
    assert review_trail.checked_date(text) == expected


def test_report_finds_weak_sources_stale_rows_and_superseded_guidelines() -> None:
    rows = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d", "e"],
            "source": [
                "KDIGO 2012 glomerulonephritis guideline",
                "Smith 2020 review",
                "Unknown 2016 meta-analysis",
                "Chen M 2010",
                "KDIGO Clinical Practice Guideline for Acute Kidney Injury 2012",
            ],
            "checked": ["2026-12-04", "2025-11", "2026-11", "2026-12-01", "2026-12"],
            "attribution": [
                "primary",
                "secondary",
                "unattributed",
                "primary",
                "primary",
            ],
        }
    )
    timeline = pd.DataFrame(
        {
            "id": ["k12", "k21"],
            "body": ["KDIGO", "KDIGO"],
            "year": [2012, 2021],
            "status": ["superseded", "partly superseded"],
            "superseded_by": ["k21", None],
        }
    )
    rules = review_trail.superseded_guidelines(timeline)
    assert [r.label for r in rules] == ["KDIGO 2012"]
    report = review_trail.build_report(
        {"x": rows},
        [_doc(dt.date(2025, 1, 1), ("k12",)), _doc(TODAY)],
        today=TODAY,
        superseded=rules,
        references={"k12": "Kidney Disease: Improving Global Outcomes (KDIGO) 2012"},
    )
    assert report.rows == 5
    assert report.files == 2
    assert [i.where for i in report.secondary] == ["x.csv `b`"]
    assert [i.where for i in report.unattributed] == ["x.csv `c`"]
    assert [i.where for i in report.stale] == ["x.csv `b`", "content/x/10_a.md"]
    assert [i.where for i in report.superseded] == [
        "x.csv `a`",
        "content/x/10_a.md",
    ]
    text = review_trail.report_markdown(report, today=TODAY, max_age_months=12)
    assert "## Not checked in 12 months: 2" in text
    assert "cites KDIGO 2012 (superseded by KDIGO 2021)" in text
    assert "`e`" not in text  # the 2012 AKI guideline is not the superseded one


def test_the_report_runs_on_the_repository(capsys) -> None:
    assert content_report.main(["--today", "2026-12-04"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Content report (2026-12-04):")
    assert "## Citing a superseded guideline:" in out
    assert "Files that fail their contract" not in out
