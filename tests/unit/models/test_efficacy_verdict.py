"""The Efficacy page's verdict: summary-of-findings lines from sourced rows."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.core import datasets, schemas
from dashboard.core.efficacy import ALL, EvidenceFilter
from dashboard.core.paths import DATA_DIR
from dashboard.models import efficacy as model
from dashboard.models import efficacy_verdict as verdicts

EVIDENCE = datasets.load_dataset(schemas.SCHEMAS["efficacy_evidence"], DATA_DIR)
CLAIMS = datasets.load_dataset(schemas.SCHEMAS["efficacy_claims"], DATA_DIR)


def _verdict(**chosen: str) -> verdicts.Verdict:
    wanted = EvidenceFilter(**chosen)
    view = model.evidence_view(EVIDENCE, wanted)
    return verdicts.verdict(view.rows, view.oriented, CLAIMS, wanted)


def test_membranous_vs_cyclophosphamide_reads_ahead_early_level_later() -> None:
    shown = _verdict(disease="membranous nephropathy", comparator="cyclophosphamide")
    assert shown.heading == (
        "**Membranous nephropathy: tacrolimus-based treatment vs cyclophosphamide, "
        "remission**"
    )
    early, later, final = shown.findings
    assert early.startswith("**Up to 6 months:** remission more likely with tacrolimus")
    assert "(favours tacrolimus). OR 2.62 [1.38–4.96]; [Lin 2019](" in early
    assert later.startswith("**12 months or more:** little or no difference")
    # The Cochrane summary-of-findings row wins over Lin 2019's ungraded 12 months.
    assert "RR 1.01 [0.89–1.15], moderate certainty (GRADE)" in later
    assert "Cochrane" in later
    assert final.startswith("**At final follow-up:** little or no difference")
    assert "Partly supported" in shown.claim
    assert "Ahead early, level later." in shown.claim


def test_every_number_in_a_line_comes_from_its_row() -> None:
    shown = _verdict(disease=ALL, comparator=ALL)
    rows = EVIDENCE.set_index("study")
    for line in shown.findings:
        study = line.split("; [", 1)[1].split("](", 1)[0]
        row = rows.loc[[study]]
        effects = {f"{v:.2f}" for v in row["effect_tac"].dropna()}
        effects |= {f"{1 / v:.2f}" for v in row["effect_tac"].dropna()}
        effects |= {f"{v:g}%" for v in row["pct_tac"].dropna()}
        assert any(e in line for e in effects), line


def test_a_disease_with_only_percentages_shows_them() -> None:
    shown = _verdict(disease="minimal change disease", comparator="steroids alone")
    (line,) = shown.findings
    assert "98.3% with tacrolimus vs 96.2% with steroids alone" in line
    assert "no ratio or interval given" in line
    assert "Not supported" in shown.claim


def test_a_ratio_without_interval_says_direction_only() -> None:
    shown = _verdict(
        disease="steroid-dependent or frequently relapsing NS",
        comparator="rituximab",
        outcome="relapse",
    )
    (line,) = shown.findings
    assert "relapse more likely with tacrolimus, by direction only" in line
    assert "[no interval]" in line


def test_lower_is_better_names_the_side_that_favours_tacrolimus() -> None:
    harms = _verdict(
        disease="steroid-resistant NS",
        comparator="cyclophosphamide",
        outcome="adverse events",
    )
    favoured = "less likely with tacrolimus (favours tacrolimus)"
    assert any(favoured in line for line in harms.findings)
    note = verdicts.direction_note("relapse")
    assert note.startswith("**For relapse, lower is better.**")
    assert verdicts.direction_note("remission") == ""


def test_all_comparators_name_each_comparator_and_the_rest_go_to_the_plot() -> None:
    shown = _verdict(disease="membranous nephropathy", comparator=ALL)
    assert len(shown.findings) == verdicts.MAX_FINDINGS
    assert any(f.startswith("**vs no immunosuppression, ") for f in shown.findings)
    assert shown.more.endswith("in the charts below.")


def test_nothing_to_compare_gives_no_lines_and_no_claim() -> None:
    shown = _verdict(disease="membranous nephropathy", comparator="rituximab")
    assert shown.findings == ()
    assert shown.claim == ""
    assert shown.more == ""


@pytest.mark.parametrize("disease", schemas.DISEASE_GROUPS)
def test_each_disease_opens_on_a_single_comparator_that_has_rows(disease) -> None:
    comparator = verdicts.default_comparator(disease)
    assert comparator in schemas.COMPARATORS
    rows = EVIDENCE[
        (EVIDENCE["disease_group"] == disease)
        & (EVIDENCE["comparator_class"] == comparator)
    ]
    assert not rows.empty


def test_ranking_prefers_randomised_pooled_graded_rows() -> None:
    rows = pd.DataFrame(
        {
            "_ratio": [True, True, True],
            "evidence_base": ["non-randomised", "randomised", "randomised"],
            "design_class": ["meta-analysis", "rct", "meta-analysis"],
            "certainty": [None, None, "low"],
            "ci_low_tac": [0.5, 0.5, 0.5],
            "participants": [900, 900, 10],
        },
        index=["cohort", "trial", "review"],
    )
    assert list(verdicts._rank(rows).index) == ["review", "trial", "cohort"]
