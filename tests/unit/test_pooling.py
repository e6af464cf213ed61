"""The pooling statistics against metafor's documented results.

Reference values are those metafor (W. Viechtbauer's R package) documents in
its own test suite (``tests/testthat`` of github.com/wviechtb/metafor), each
cross-checked there against Stata's ``metan`` or the published source:

* ``test_misc_metan_vs_rma.uni_with_dat.bcg.r``: fixed effect (inverse
  variance) and DerSimonian-Laird for log RR and log OR on ``dat.bcg``.
* ``test_misc_metan_vs_rma.mh_with_dat.bcg.r``: Mantel-Haenszel RR and OR on
  ``dat.bcg``.
* ``test_misc_rma_uni.r``: "rma() works with method='DLIT'", τ² = 0.3181 for
  log RR on ``dat.bcg``. The iterated DL estimate stops where the generalised
  Q equals k − 1, which is the Paule-Mandel equation, so it is the PM value.
* ``test_analysis_example_dersimonian2007.r``: PM and DL on the CLASP trials,
  matching DerSimonian & Kacker (2007) Tables 3 and 4 (pp. 111-112).
* ``test_analysis_example_raudenbush2009.r``: DL with and without the Knapp &
  Hartung adjustment on ``dat.raudenbush1985``, matching Raudenbush (2009) in
  the Handbook of Research Synthesis, Table 16.3 (p. 309).

Data: ``dat.bcg`` is the 13 BCG vaccine trials of Colditz et al. (JAMA
1994;271:698-702), as listed (tpos, tneg, cpos, cneg) on metafor's page
"Testing Factors and Linear Combinations of Parameters"
(metafor-project.org/doku.php/tips:testing_factors_lincoms), which also prints
each trial's log RR and variance (first rows checked below). The CLASP counts
are as written in ``test_analysis_example_dersimonian2007.r``. The teacher
expectancy data (yi to 2 decimals, vi to 4) are as printed on metafor's page
"Models with Multiple Factors and Their Interaction"
(metafor-project.org/doku.php/tips:multiple_factors_interactions).

metafor prints 4 decimals; a value matches when it rounds to the printed one.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

from dashboard.core import pooling, pooling_methods
from dashboard.core.pooling import Counts, Study

#: dat.bcg: trial, (tpos, tneg, cpos, cneg) = vaccinated TB+/TB-, control TB+/TB-.
BCG = (
    ("Aronson 1948", (4, 119, 11, 128)),
    ("Ferguson & Simes 1949", (6, 300, 29, 274)),
    ("Rosenthal et al 1960", (3, 228, 11, 209)),
    ("Hart & Sutherland 1977", (62, 13536, 248, 12619)),
    ("Frimodt-Moller et al 1973", (33, 5036, 47, 5761)),
    ("Stein & Aronson 1953", (180, 1361, 372, 1079)),
    ("Vandiviere et al 1973", (8, 2537, 10, 619)),
    ("TPT Madras 1980", (505, 87886, 499, 87892)),
    ("Coetzee & Berjak 1968", (29, 7470, 45, 7232)),
    ("Rosenthal et al 1961", (17, 1699, 65, 1600)),
    ("Comstock et al 1974", (186, 50448, 141, 27197)),
    ("Comstock & Webster 1969", (5, 2493, 3, 2338)),
    ("Comstock et al 1976", (27, 16886, 29, 17825)),
)
#: CLASP example (DerSimonian & Kacker 2007): events/n per arm.
CLASP = ((5, 156, 8, 74), (5, 303, 17, 303), (12, 565, 9, 477))
CLASP += ((69, 1570, 94, 1565), (9, 103, 11, 105), (313, 4659, 352, 4650))
#: dat.raudenbush1985: standardised mean differences and their variances.
TEACHER_YI = (0.03, 0.12, -0.14, 1.18, 0.26, -0.06, -0.02, -0.32, 0.27, 0.80)
TEACHER_YI += (0.54, 0.18, -0.02, 0.23, -0.18, -0.06, 0.30, 0.07, -0.07)
TEACHER_VI = (0.0156, 0.0216, 0.0279, 0.1391, 0.1362, 0.0106, 0.0106, 0.0484)
TEACHER_VI += (0.0269, 0.0630, 0.0912, 0.0497, 0.0835, 0.0841, 0.0253, 0.0279)
TEACHER_VI += (0.0193, 0.0088, 0.0303)


def printed(value: float) -> pytest.approx:
    """Matches what rounds to ``value`` at metafor's 4 printed decimals."""
    return pytest.approx(value, abs=5.1e-5)


def bcg(measure: str) -> list[Study]:
    return [
        pooling.study_from_counts(name, Counts(a, a + b, c, c + d), measure)
        for name, (a, b, c, d) in BCG
    ]


def teacher() -> list[Study]:
    return [
        Study(f"T{i}", y, v)
        for i, (y, v) in enumerate(zip(TEACHER_YI, TEACHER_VI, strict=True))
    ]


# --- study effects -------------------------------------------------------------------


def test_bcg_study_effects_match_metafors_escalc() -> None:
    studies = bcg("RR")
    # escalc(measure="RR") as printed on the metafor page named in the docstring.
    assert [round(s.log_ratio, 4) for s in studies[:3]] == [-0.8893, -1.5854, -1.3481]
    assert [round(s.variance, 4) for s in studies[:3]] == [0.3256, 0.1946, 0.4154]
    assert not any(s.corrected for s in studies)


def test_a_zero_cell_adds_half_to_every_cell_of_that_study_only() -> None:
    zero = pooling.study_from_counts("Z", Counts(0, 10, 5, 10), "RR")
    # a, b, c, d = 0.5, 10.5, 5.5, 5.5: RR = (0.5 / 11) / (5.5 / 11).
    assert zero.corrected
    assert zero.log_ratio == pytest.approx(math.log(0.5 / 5.5))
    assert zero.variance == pytest.approx(1 / 0.5 - 1 / 11 + 1 / 5.5 - 1 / 11)
    odds = pooling.study_from_counts("Z", Counts(0, 10, 5, 10), "OR")
    assert odds.variance == pytest.approx(1 / 0.5 + 1 / 10.5 + 1 / 5.5 + 1 / 5.5)
    plain = pooling.study_from_counts("P", Counts(2, 10, 5, 10), "RR")
    assert not plain.corrected
    assert plain.log_ratio == pytest.approx(math.log(0.2 / 0.5))


@pytest.mark.parametrize("counts", [Counts(0, 10, 0, 12), Counts(10, 10, 12, 12)])
def test_a_study_with_all_or_none_in_both_arms_gives_no_ratio(counts) -> None:
    with pytest.raises(pooling.UninformativeError):
        pooling.study_from_counts("X", counts, "OR")


def test_counts_outside_their_arm_are_refused() -> None:
    with pytest.raises(ValueError, match="events <= total"):
        Counts(11, 10, 1, 10)


def test_a_ratio_row_gets_its_se_from_the_95_interval() -> None:
    study = pooling.study_from_ratio("R", 2.0, 1.0, 4.0)
    assert study.log_ratio == pytest.approx(math.log(2))
    assert math.sqrt(study.variance) == pytest.approx(math.log(4) / (2 * 1.959964))
    assert study.estimate.low == pytest.approx(1.0)
    assert study.counts is None
    with pytest.raises(ValueError, match="0 < low < high"):
        pooling.study_from_ratio("R", 2.0, 4.0, 1.0)


# --- metafor's documented results ----------------------------------------------------


def test_inverse_variance_and_dl_match_metafor_for_log_rr() -> None:
    result = pooling.pool(bcg("RR"), measure="RR", method="dl")
    iv = pooling.pool(_without_counts(bcg("RR")), measure="RR", method="fixed")
    assert iv.fixed_kind == "inverse variance"
    assert (iv.fixed.log_ratio, iv.fixed.log_low, iv.fixed.log_high) == (
        printed(-0.4303),
        printed(-0.5097),
        printed(-0.3509),
    )
    assert result.q == printed(152.2330)
    random = result.random
    assert (random.log_ratio, random.log_low, random.log_high) == (
        printed(-0.7141),
        printed(-1.0644),
        printed(-0.3638),
    )
    assert result.tau2 == printed(0.3088)
    assert result.i2 == printed(92.1173)
    assert (random.ratio, random.low, random.high) == (
        printed(0.4896),
        printed(0.3449),
        printed(0.6950),
    )


def test_inverse_variance_and_dl_match_metafor_for_log_or() -> None:
    iv = pooling.pool(_without_counts(bcg("OR")), measure="OR", method="fixed")
    assert (iv.fixed.log_ratio, iv.fixed.log_low, iv.fixed.log_high) == (
        printed(-0.4361),
        printed(-0.5190),
        printed(-0.3533),
    )
    assert iv.q == printed(163.1649)
    result = pooling.pool(bcg("OR"), measure="OR", method="dl")
    assert result.random.log_ratio == printed(-0.7474)
    assert (result.random.log_low, result.random.log_high) == (
        printed(-1.1242),
        printed(-0.3706),
    )
    assert result.tau2 == printed(0.3663)
    assert result.i2 == printed(92.6455)


@pytest.mark.parametrize(
    ("measure", "expected", "exponentiated"),
    [
        ("RR", (-0.4537, -0.5308, -0.3766), (0.6353, 0.5881, 0.6862)),
        ("OR", (-0.4734, -0.5538, -0.3930), (0.6229, 0.5748, 0.6750)),
    ],
)
def test_mantel_haenszel_matches_metafor(measure, expected, exponentiated) -> None:
    result = pooling.pool(bcg(measure), measure=measure, method="fixed")
    fixed = result.fixed
    assert result.fixed_kind == "Mantel-Haenszel"
    assert (fixed.log_ratio, fixed.log_low, fixed.log_high) == tuple(
        printed(v) for v in expected
    )
    assert (fixed.ratio, fixed.low, fixed.high) == tuple(
        printed(v) for v in exponentiated
    )
    assert result.shown is fixed
    assert sum(result.weights.values()) == pytest.approx(100)


def test_paule_mandel_matches_metafors_bcg_fixed_point() -> None:
    result = pooling.pool(bcg("RR"), measure="RR", method="pm")
    assert result.tau2 == printed(0.3181)


@pytest.mark.parametrize("measure", ["RR", "OR"])
def test_paule_mandel_solves_its_equation(measure) -> None:
    """Q(τ²) = k − 1. statsmodels returns 0 if a step overshoots (log OR here)."""
    studies = bcg(measure)
    tau2 = pooling.pool(studies, measure=measure, method="pm").tau2
    weights = [1 / (s.variance + tau2) for s in studies]
    mean = sum(w * s.log_ratio for w, s in zip(weights, studies, strict=True))
    mean /= sum(weights)
    q = sum(
        w * (s.log_ratio - mean) ** 2 for w, s in zip(weights, studies, strict=True)
    )
    assert tau2 > 0.3
    assert q == pytest.approx(len(studies) - 1, abs=1e-5)


@pytest.mark.parametrize(
    ("method", "tau", "mu", "se"),
    [("pm", 0.3681, -0.3811, 0.2060), ("dl", 0.2323, -0.3240, 0.1540)],
)
def test_pm_and_dl_match_dersimonian_and_kacker(method, tau, mu, se) -> None:
    studies = [
        pooling.study_from_counts(f"C{i}", Counts(*row), "OR")
        for i, row in enumerate(CLASP)
    ]
    result = pooling.pool(studies, measure="OR", method=method)
    assert math.sqrt(result.tau2) == printed(tau)
    assert (result.random.log_ratio, result.random.se) == (printed(mu), printed(se))


def test_hartung_knapp_matches_metafor_and_the_handbook() -> None:
    plain = pooling.pool(teacher(), measure="RR", method="dl")
    knha = pooling.pool(teacher(), measure="RR", method="dl", hksj=True)
    assert plain.fixed.log_ratio == printed(0.0604)
    assert plain.q == printed(35.8295)
    assert plain.tau2 == printed(0.0259)
    assert (plain.random.log_ratio, plain.random.se) == (
        printed(0.0893),
        printed(0.0558),
    )
    assert (plain.random.log_low, plain.random.log_high) == (
        printed(-0.0200),
        printed(0.1987),
    )
    assert (knha.random.log_ratio, knha.random.se) == (printed(0.0893), printed(0.0636))
    assert (knha.random.log_low, knha.random.log_high) == (
        printed(-0.0442),
        printed(0.2229),
    )


# --- prediction interval, small pools, flags --------------------------------------


def test_prediction_interval_uses_t_with_k_minus_2_df() -> None:
    result = pooling.pool(teacher(), measure="RR", method="dl")
    crit = stats.t.isf(0.025, len(TEACHER_YI) - 2)
    half = crit * math.sqrt(result.tau2 + result.random.se**2)
    low, high = result.prediction
    assert math.log(low) == pytest.approx(result.random.log_ratio - half)
    assert math.log(high) == pytest.approx(result.random.log_ratio + half)
    assert pooling.prediction_interval(0.0, 0.1, 0.2, 2) is None
    with_hksj = pooling.pool(teacher(), measure="RR", method="dl", hksj=True)
    assert with_hksj.prediction == pytest.approx(result.prediction)


def test_one_study_is_its_own_estimate() -> None:
    study = bcg("RR")[0]
    result = pooling.pool([study], measure="RR", method="dl")
    assert result.k == 1
    assert pooling.SINGLE_STUDY in result.flags
    assert result.random is None
    assert result.tau2 is None
    assert result.prediction is None
    assert result.shown.log_ratio == pytest.approx(study.log_ratio)
    assert result.weights == {study.id: pytest.approx(100)}
    assert pooling.leave_one_out([study], measure="RR") == ()


def test_two_studies_are_flagged_and_have_no_prediction_interval() -> None:
    result = pooling.pool(bcg("RR")[:2], measure="RR", method="pm")
    assert pooling.TWO_STUDIES in result.flags
    assert result.prediction is None
    assert result.tau2 is not None


def test_a_negative_dl_tau2_is_truncated_to_zero() -> None:
    studies = [Study("A", 0.2, 0.04), Study("B", 0.21, 0.05), Study("C", 0.19, 0.06)]
    result = pooling.pool(studies, measure="RR", method="dl")
    assert pooling.DL_TRUNCATED in result.flags
    assert result.tau2 == 0.0
    assert result.i2 == 0.0
    assert result.random.log_ratio == pytest.approx(result.fixed.log_ratio)
    assert result.random.se == pytest.approx(result.fixed.se)


def test_ratio_rows_make_the_fixed_effect_inverse_variance() -> None:
    studies = [*bcg("RR")[:3], pooling.study_from_ratio("R", 0.5, 0.3, 0.9)]
    result = pooling.pool(studies, measure="RR", method="fixed", hksj=True)
    assert result.fixed_kind == "inverse variance"
    assert {pooling.MH_UNAVAILABLE, pooling.HKSJ_NEEDS_RANDOM} <= result.flags
    assert result.shown is result.fixed


def test_leave_one_out_pools_every_subset_once() -> None:
    studies = bcg("RR")
    rows = pooling.leave_one_out(studies, measure="RR", method="pm", hksj=True)
    assert [left for left, _ in rows] == [s.id for s in studies]
    left, result = rows[3]
    assert left not in result.ids
    assert result.k == len(studies) - 1
    direct = pooling.pool(
        [s for s in studies if s.id != left], measure="RR", method="pm", hksj=True
    )
    assert result.shown.log_ratio == pytest.approx(direct.shown.log_ratio)


def test_unknown_options_and_empty_pools_are_refused() -> None:
    with pytest.raises(ValueError, match="nothing to pool"):
        pooling.pool([], measure="RR")
    with pytest.raises(ValueError, match="unknown"):
        pooling.pool(bcg("RR"), measure="HR")
    with pytest.raises(ValueError, match="unknown"):
        pooling.pool(bcg("RR"), measure="RR", method="reml")


def _without_counts(studies: list[Study]) -> list[Study]:
    return [_ratio_only(s) for s in studies]


def _ratio_only(study: Study) -> Study:
    return Study(study.id, study.log_ratio, study.variance)


def test_a_paule_mandel_zero_above_its_root_is_retried_then_replaced(
    monkeypatch,
) -> None:
    """statsmodels returns τ² = 0 when a step overshoots; the pool must notice."""
    real = pooling_methods.combine_effects
    calls = []

    def overshooting(effects, variances, method_re, **options):
        calls.append(method_re)
        res = real(effects, variances, method_re=method_re, **options)
        if method_re == "pm" and calls.count("pm") <= failures:
            res.tau2 = 0.0
        return res

    monkeypatch.setattr(pooling_methods, "combine_effects", overshooting)
    failures = 1
    retried = pooling.pool(bcg("RR"), measure="RR", method="pm")
    assert retried.tau2 == printed(0.3181)
    assert pooling.PM_FAILED not in retried.flags
    calls.clear()
    failures = 2
    replaced = pooling.pool(bcg("RR"), measure="RR", method="pm")
    assert pooling.PM_FAILED in replaced.flags
    assert replaced.tau2 == printed(0.3088)  # DerSimonian-Laird
