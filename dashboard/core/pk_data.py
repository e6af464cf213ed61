"""Build the PK model and interactions from their sourced tables (pure)."""

from __future__ import annotations

import pandas as pd

from dashboard.core.datasets import DataError, Problem
from dashboard.core.pk import Interaction, PopulationModel

_FIELDS = {
    "ka": ("ka", 1.0),
    "v-per-70kg": ("v_per_70kg", 1.0),
    "cl-per-70kg": ("cl_per_70kg", 1.0),
    "cl-weight-exponent": ("cl_weight_exponent", 1.0),
    "cyp3a5-expresser-factor": ("cyp3a5_expresser_factor", 1.0),
    "cv-ka": ("cv_ka", 0.01),  # percent → fraction
    "cv-v": ("cv_v", 0.01),
    "cv-cl": ("cv_cl", 0.01),
}


def population_model(parameters: pd.DataFrame) -> PopulationModel:
    """The model whose every value comes from a row of ``pk_parameters.csv``."""
    values = dict(zip(parameters["id"], parameters["value"], strict=True))
    missing = sorted(set(_FIELDS) - set(values))
    if missing:
        raise DataError(
            [Problem("pk_parameters.csv", f"missing parameters: {', '.join(missing)}")]
        )
    return PopulationModel(
        **{field: float(values[key]) * scale for key, (field, scale) in _FIELDS.items()}
    )


def interactions(frame: pd.DataFrame) -> dict[str, Interaction]:
    """Interacting drugs by id, with their multipliers."""
    return {
        str(r.id): Interaction(
            name=str(r.drug), cl_factor=float(r.cl_factor), f_factor=float(r.f_factor)
        )
        for r in frame.itertuples(index=False)
    }
