"""The simulator's teaching captions: labels and numbers from the sourced rows."""

from __future__ import annotations

from dashboard.core import datasets, pk_data, schemas
from dashboard.core.paths import DATA_DIR
from dashboard.core.pk import Interaction
from dashboard.models import monitoring_simulator as simulator

PARAMETERS = datasets.load_dataset(schemas.PK_PARAMETERS, DATA_DIR)
REFERENCE = pk_data.reference_values(PARAMETERS)
MODEL = pk_data.population_model(PARAMETERS)


def test_kinetics_caption_calls_the_half_life_model_apparent() -> None:
    text = simulator.kinetics_caption(REFERENCE)
    assert "*model-apparent*" in text
    assert "terminal half-life of tacrolimus is longer" in text
    assert "11.5 h" in text
    assert "43.5 h" in text
    assert "several days" in text
    assert "about 7 days" in text


def test_variability_caption_says_within_patient_variation_is_not_shown() -> None:
    text = simulator.variability_caption(MODEL, REFERENCE)
    assert "Within-patient day-to-day variation" in text
    assert "are not shown" in text
    assert "25.9%" in text
    assert "clearance 43.8%" in text
    assert "Measurement noise" not in text


def test_genotype_caption_names_cpic_and_is_labelled_teaching() -> None:
    text = simulator.genotype_caption(REFERENCE)
    assert "CPIC" in text
    assert "Birdwell 2015" in text
    assert "1.5-2 times" in text
    assert "0.3 mg/kg/day" in text
    assert "transplant recipients, not nephrotic syndrome" in text
    assert "not clinical advice" in text


def test_onset_caption_describes_the_ramp_or_its_absence() -> None:
    slow = simulator.onset_caption(Interaction("Rifampicin", 1.5, onset_days=14))
    assert "builds up linearly over 14 days" in slow
    assert "not simulated" in slow
    fast = simulator.onset_caption(Interaction("Posaconazole (strong)", 0.2))
    assert "posaconazole acts in full from the day it starts" in fast
