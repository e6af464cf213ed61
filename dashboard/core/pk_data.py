"""Build the PK model and interactions from their sourced tables (pure)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.core.datasets import DataError, Problem
from dashboard.core.pk import Interaction, PopulationModel
from dashboard.core.tables import escape_cell

MODEL_FIELDS = {
    "ka": ("ka", 1.0),
    "v-per-70kg": ("v_per_70kg", 1.0),
    "cl-per-70kg": ("cl_per_70kg", 1.0),
    "cl-weight-exponent": ("cl_weight_exponent", 1.0),
    "cyp3a5-expresser-factor": ("cyp3a5_expresser_factor", 1.0),
    "cv-ka": ("cv_ka", 0.01),  # percent → fraction
    "cv-v": ("cv_v", 0.01),
    "cv-cl": ("cv_cl", 0.01),
}

#: Rows of ``pk_parameters.csv`` that the captions quote (not part of the model).
REFERENCE_VALUES = {
    "residual-error": "residual_error_percent",
    "label-half-life-child-iv": "label_half_life_child_h",
    "label-half-life-volunteers-iv": "label_half_life_volunteers_h",
    "label-steady-state-once-daily": "label_steady_state_days",
    "cpic-expresser-start-low": "cpic_start_low",
    "cpic-expresser-start-high": "cpic_start_high",
    "cpic-max-daily-dose": "cpic_max_mg_per_kg_day",
}


def _values(parameters: pd.DataFrame, wanted) -> dict[str, float]:
    values = dict(zip(parameters["id"], parameters["value"], strict=True))
    missing = sorted(set(wanted) - set(values))
    if missing:
        raise DataError(
            [Problem("pk_parameters.csv", f"missing parameters: {', '.join(missing)}")]
        )
    return {key: float(values[key]) for key in wanted}


def population_model(parameters: pd.DataFrame) -> PopulationModel:
    """The model whose every value comes from a row of ``pk_parameters.csv``."""
    values = _values(parameters, MODEL_FIELDS)
    return PopulationModel(
        **{field: values[key] * scale for key, (field, scale) in MODEL_FIELDS.items()}
    )


@dataclass(frozen=True)
class ReferenceValues:
    """Sourced numbers the simulator's captions compare the model with."""

    residual_error_percent: float
    label_half_life_child_h: float
    label_half_life_volunteers_h: float
    label_steady_state_days: float
    cpic_start_low: float
    cpic_start_high: float
    cpic_max_mg_per_kg_day: float


def reference_values(parameters: pd.DataFrame) -> ReferenceValues:
    """The caption figures, each from a row of ``pk_parameters.csv``."""
    values = _values(parameters, REFERENCE_VALUES)
    return ReferenceValues(
        **{field: values[key] for key, field in REFERENCE_VALUES.items()}
    )


def _number(value: object, default: float | None) -> float | None:
    return default if pd.isna(value) else float(value)


def offered(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows whose size is known as a usable factor (``cl_factor`` given)."""
    return frame[frame["cl_factor"].notna()]


def interactions(frame: pd.DataFrame) -> dict[str, Interaction]:
    """The drugs the simulator offers, by id: only rows with a known factor."""
    return {
        str(r.id): Interaction(
            name=str(r.drug),
            cl_factor=float(r.cl_factor),
            f_factor=_number(r.f_factor, 1.0),
            cl_factor_expresser=_number(r.cl_factor_expresser, None),
            onset_days=_number(r.onset_days, 0.0),
        )
        for r in offered(frame).itertuples(index=False)
    }


def interaction_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Every row for students to read, with whether the simulator offers it."""

    def size(r) -> str:
        if pd.isna(r.cl_factor):
            return "not simulated (no usable factor)"
        text = f"clearance × {r.cl_factor:g}"
        if pd.notna(r.cl_factor_expresser):
            text += f" (CYP3A5 expressers × {r.cl_factor_expresser:g})"
        if pd.notna(r.f_factor) and r.f_factor != 1:
            text += f"; bioavailability × {r.f_factor:g}"
        return text

    def onset(r) -> str:
        if pd.isna(r.cl_factor):
            return ""
        if pd.isna(r.onset_days) or r.onset_days == 0:
            return "at once"
        return f"over {r.onset_days:g} days"

    return pd.DataFrame(
        {
            "Drug": frame["drug"],
            "Level": frame["direction"],
            "Published size": frame["measure"],
            "In the simulator": [size(r) for r in frame.itertuples(index=False)],
            "Effect builds": [onset(r) for r in frame.itertuples(index=False)],
            "How": frame["mechanism"],
            "Caveats": frame["notes"].fillna(""),
        }
    ).reset_index(drop=True)


def interaction_cards(table: pd.DataFrame) -> str:
    """:func:`interaction_table` as one Markdown item per drug.

    A list reads on a phone, where a seven-column grid shows one column at a
    time; each item leads with the drug, its direction and what the simulator
    does with it.
    """
    items = []
    for row in table.to_dict("records"):
        onset = f", {row['Effect builds']}" if row["Effect builds"] else ""
        item = (
            f"- **{escape_cell(row['Drug'])}** {escape_cell(row['Level'])} the "
            f"level. *Simulator:* {escape_cell(row['In the simulator'])}{onset}. "
            f"*Published:* {escape_cell(row['Published size'])}."
        )
        if row["Caveats"]:
            item += f"  \n  {escape_cell(row['How'])}. {escape_cell(row['Caveats'])}"
        else:
            item += f"  \n  {escape_cell(row['How'])}."
        items.append(item)
    return "\n".join(items)
