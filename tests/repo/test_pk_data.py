"""The sourced PK tables: each simulated factor follows from its quoted figures."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.core import datasets, pk_data, schemas
from dashboard.core.datasets import DataError
from dashboard.core.paths import DATA_DIR
from dashboard.core.pk import (
    Regimen,
    simulate,
    summarise,
    typical_parameters,
    with_interaction,
)

FRAME = datasets.load_dataset(schemas.PK_INTERACTIONS, DATA_DIR)
PARAMETERS = datasets.load_dataset(schemas.PK_PARAMETERS, DATA_DIR)
ROWS = {r["id"]: r for r in FRAME.to_dict("records")}
OFFERED = pk_data.interactions(FRAME)
MODEL = pk_data.population_model(PARAMETERS)
BASE = Regimen(weight_kg=20, dose_mg_per_kg=0.1, interval_h=12, days=28)


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"(?<![\d.])\d+(?:\.\d+)?", text)]


def _quoted(row: dict, *figures: float) -> None:
    found = _numbers(str(row["quote"]))
    for figure in figures:
        assert any(abs(n - figure) < 1e-9 for n in found), (row["id"], figure)


#: How each simulated factor follows from figures in the row's quote:
#: id -> (quoted figures, cl_factor, cl_factor_expresser, f_factor).
DERIVATIONS = {
    "azole": ((0.657,), 0.657, None, None),
    "voriconazole": ((138.8,), 1 / (1 + 1.388), None, None),
    "posaconazole": ((4.58,), 1 / 4.58, None, None),
    "diltiazem": ((34.9, 43.6, 49.4, 71.1), 49.4 / 71.1, 34.9 / 43.6, None),
    "ccb-class": ((0.94,), 0.94, None, None),
    "rifampicin": ((36.0, 52.8, 14.4, 7.0), 52.8 / 36.0, None, 7.0 / 14.4),
    "st-johns-wort": ((349.0, 586.4), 586.4 / 349.0, None, None),
    "wuzhi": ((0.71,), 0.71, None, None),
}


def test_the_simulator_offers_exactly_the_rows_with_a_known_size() -> None:
    assert set(OFFERED) == set(DERIVATIONS)
    assert set(OFFERED) == set(FRAME.loc[FRAME["cl_factor"].notna(), "id"])
    not_offered = set(ROWS) - set(OFFERED)
    assert {"fluconazole", "verapamil", "macrolide", "grapefruit"} <= not_offered
    assert {"phenytoin", "carbamazepine", "dihydropyridine"} <= not_offered
    for drug_id in not_offered:
        assert "No factor" in ROWS[drug_id]["derivation"], drug_id
        assert str(ROWS[drug_id]["notes"]).startswith("Not simulated"), drug_id


def test_old_url_ids_still_exist() -> None:
    assert {"azole", "diltiazem", "rifampicin"} <= set(OFFERED)


@pytest.mark.parametrize("drug_id", sorted(DERIVATIONS))
def test_each_factor_follows_from_its_quoted_figures(drug_id: str) -> None:
    figures, cl, cl_expresser, f = DERIVATIONS[drug_id]
    row = ROWS[drug_id]
    _quoted(row, *figures)
    assert row["cl_factor"] == pytest.approx(cl, abs=6e-4)
    if cl_expresser is None:
        assert pd.isna(row["cl_factor_expresser"])
    else:
        assert row["cl_factor_expresser"] == pytest.approx(cl_expresser, abs=6e-4)
    if f is None:
        assert pd.isna(row["f_factor"])
    else:
        assert row["f_factor"] == pytest.approx(f, abs=6e-4)


def test_every_published_measure_appears_in_its_quote() -> None:
    for row in ROWS.values():
        if pd.notna(row["measure_value"]):
            _quoted(row, row["measure_value"])


def test_every_onset_appears_in_its_time_course_quote() -> None:
    for row in ROWS.values():
        if pd.isna(row["onset_days"]):
            continue
        assert pd.notna(row["time_course_url"]), row["id"]
        found = _numbers(str(row["time_course_quote"]))
        days = row["onset_days"]
        assert days in found or days / 7 in found, row["id"]


def test_inducers_build_up_slowly_and_inhibitors_at_once() -> None:
    for drug_id in ("rifampicin", "st-johns-wort"):
        assert OFFERED[drug_id].onset_days == 14
        assert ROWS[drug_id]["direction"] == "lowers"
    for drug_id in ("azole", "voriconazole", "posaconazole", "diltiazem"):
        assert OFFERED[drug_id].onset_days == 0


def test_strong_azoles_raise_the_trough_more_than_the_cohort_average() -> None:
    """Review A1: the paediatric cohort factor is not a voriconazole estimate."""

    def trough(drug_id: str) -> float:
        regimen = with_interaction(BASE, OFFERED[drug_id], 0.0)
        params = typical_parameters(MODEL, regimen)
        return summarise(simulate(regimen, params), regimen, params).trough

    assert trough("posaconazole") > trough("voriconazole") > trough("azole")


def test_diltiazem_is_not_the_class_wide_average() -> None:
    """Review A2: Passey's 0.94 belongs to the class row, not to diltiazem."""
    assert OFFERED["ccb-class"].cl_factor == 0.94
    assert OFFERED["diltiazem"].cl_factor < 0.94
    assert "Passey" in ROWS["ccb-class"]["source"]
    assert "Passey" not in ROWS["diltiazem"]["source"]


@pytest.mark.parametrize("drug_id", sorted(DERIVATIONS))
def test_every_offered_drug_moves_the_trough_its_way(drug_id: str) -> None:
    regimen = with_interaction(BASE, OFFERED[drug_id], 0.0)
    params = typical_parameters(MODEL, BASE)
    base = summarise(simulate(BASE, params), BASE, params).trough
    changed = summarise(simulate(regimen, params), regimen, params).trough
    expected = ROWS[drug_id]["direction"]
    assert ("raises" if changed > base else "lowers") == expected


def test_the_azole_row_is_the_paediatric_cohort_relabelled() -> None:
    row = ROWS["azole"]
    assert "paediatric NS cohort" in row["drug"]
    assert "Huang" in row["drug"]
    assert row["source"].startswith("Huang L-F")
    assert OFFERED["azole"].short_name == "azole antifungal"


def test_interaction_table_lists_every_row_and_what_is_simulated() -> None:
    table = pk_data.interaction_table(FRAME)
    assert len(table) == len(FRAME)
    by_drug = dict(zip(table["Drug"], table["In the simulator"], strict=True))
    assert by_drug[ROWS["fluconazole"]["drug"]].startswith("not simulated")
    assert "expressers × 0.8" in by_drug[ROWS["diltiazem"]["drug"]]
    assert "bioavailability × 0.486" in by_drug[ROWS["rifampicin"]["drug"]]
    onset = dict(zip(table["Drug"], table["Effect builds"], strict=True))
    assert onset[ROWS["rifampicin"]["drug"]] == "over 14 days"
    assert onset[ROWS["azole"]["drug"]] == "at once"


# --- pk_parameters.csv --------------------------------------------------------


def test_every_parameter_appears_in_its_quote() -> None:
    for row in PARAMETERS.to_dict("records"):
        _quoted(row, row["value"])


def test_reference_values_come_from_the_table() -> None:
    reference = pk_data.reference_values(PARAMETERS)
    assert reference.residual_error_percent == 25.9
    assert reference.label_half_life_child_h == 11.5
    assert reference.label_half_life_volunteers_h == 43.5
    assert reference.label_steady_state_days == 7
    assert (reference.cpic_start_low, reference.cpic_start_high) == (1.5, 2)
    assert reference.cpic_max_mg_per_kg_day == 0.3


def test_missing_reference_value_is_a_clear_error() -> None:
    broken = PARAMETERS[PARAMETERS["id"] != "residual-error"]
    with pytest.raises(DataError, match="residual-error"):
        pk_data.reference_values(broken)


def test_every_pk_row_was_checked_with_a_canonical_link() -> None:
    for frame in (FRAME, PARAMETERS):
        assert frame["checked"].isin(["2026-12-04", "2026-12-05"]).all()
        assert frame["attribution"].isin(["primary", "secondary"]).all()


# --- rows behind the measured-levels (TDM) lessons (issue 17) ----------------

#: id -> (value, a word the citation must contain, attribution). Each figure is
#: in its row's verbatim quote (checked below and by tests/repo/test_repo_data).
TDM_ROWS = {
    # Steroids lower bioavailability: the Emax effect of prednisolone on F.
    "prednisolone-f-max": (67, "Størset", "primary"),
    "prednisolone-f-dose50": (35, "Størset", "primary"),
    # Haematocrit moves whole-blood levels, not the unbound drug.
    "haematocrit-standard": (45, "Importance of hematocrit", "primary"),
    "blood-plasma-ratio": (50, "Importance of hematocrit", "secondary"),
    "erythrocyte-fraction": (83.2, "Zahir", "primary"),
    "unbound-fraction": (0.47, "Zahir", "primary"),
    "haematocrit-children-kidney-tx": (0.29, "Schijvens", "primary"),
    # Within-patient variation: one level is not a verdict.
    "ipv-children-kidney-tx": (30, "Piburn", "primary"),
    # A level drawn late read as a trough; the dose rounded to a capsule.
    "label-trough-draw-time": (12, "Prograf", "primary"),
    "capsule-smallest": (0.5, "Prograf", "primary"),
    # Population models predict a new patient poorly until levels are added.
    "apriori-within-30pct": (50, "Zhao", "primary"),
    "bayes-prior-levels-low": (2, "Zhao", "primary"),
    "bayes-prior-levels-high": (3, "Zhao", "primary"),
}
PARAMETER_ROWS = {r["id"]: r for r in PARAMETERS.to_dict("records")}


@pytest.mark.parametrize("row_id", sorted(TDM_ROWS))
def test_each_tdm_lesson_row_carries_its_published_figure(row_id: str) -> None:
    value, cited, attribution = TDM_ROWS[row_id]
    row = PARAMETER_ROWS[row_id]
    assert row["value"] == pytest.approx(value)
    _quoted(row, value)
    assert cited in row["source"]
    assert row["attribution"] == attribution
    assert row["checked"] == "2026-12-05"


def test_tdm_lesson_rows_are_not_model_inputs() -> None:
    """The new rows are read by the lessons only; the simulator's model is unchanged."""
    assert not set(TDM_ROWS) & set(pk_data.REFERENCE_VALUES)
    without = PARAMETERS[~PARAMETERS["id"].isin(list(TDM_ROWS))]
    assert pk_data.population_model(without) == MODEL


def test_emax_rows_describe_a_partial_fall_in_bioavailability() -> None:
    f_max = PARAMETER_ROWS["prednisolone-f-max"]["value"] / 100
    dose50 = PARAMETER_ROWS["prednisolone-f-dose50"]["value"]
    assert 0 < f_max < 1  # bioavailability falls but never to zero
    half_effect = 1 - f_max * dose50 / (dose50 + dose50)
    assert half_effect == pytest.approx(1 - f_max / 2)


def test_most_blood_tacrolimus_is_in_red_cells_and_almost_none_is_free() -> None:
    """Why haematocrit moves the whole-blood level but not the unbound drug."""
    in_cells = PARAMETER_ROWS["erythrocyte-fraction"]["value"]
    unbound = PARAMETER_ROWS["unbound-fraction"]["value"]
    assert in_cells > 50
    assert unbound < 1
    assert PARAMETER_ROWS["blood-plasma-ratio"]["value"] > 1
    standard = PARAMETER_ROWS["haematocrit-standard"]["value"] / 100
    assert PARAMETER_ROWS["haematocrit-children-kidney-tx"]["value"] < standard


def test_the_measured_levels_mode_finds_its_rows() -> None:
    from dashboard.models import monitoring_tdm

    values = monitoring_tdm.lesson_values(PARAMETERS)
    assert values.prednisolone_f_max == pytest.approx(0.67)
    assert values.prednisolone_dose50 == pytest.approx(35)
    assert values.haematocrit_standard == pytest.approx(0.45)
    assert values.capsule_mg == pytest.approx(0.5)


def test_model_ignores_the_added_reference_rows() -> None:
    assert MODEL.cl_per_70kg == 30.9
    assert MODEL.cyp3a5_expresser_factor == 1.6
    assert (
        pk_data.population_model(
            PARAMETERS[~PARAMETERS["id"].isin(list(pk_data.REFERENCE_VALUES))]
        )
        == MODEL
    )


def test_interaction_cards_give_one_item_per_drug_with_what_is_simulated() -> None:
    table = pk_data.interaction_table(FRAME)
    cards = pk_data.interaction_cards(table)
    assert cards.count("\n- **") + 1 == len(table)
    assert "*Simulator:* clearance × 0.657, at once" in cards
    assert "*Simulator:* not simulated (no usable factor)." in cards
    assert "over 14 days" in cards  # an inducer's onset


def test_the_fits_residual_error_is_the_models_row() -> None:
    """tests/unit/test_tdm.py fits with the residual error of this row."""
    from dashboard.core.pk_data import reference_values
    from dashboard.ui import cached

    values = reference_values(cached.dataset("pk_parameters"))
    assert values.residual_error_percent == 25.9
