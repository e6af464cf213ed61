"""Turn the nephrotic syndrome datasets into model objects (pure, validated).

Raises :class:`~dashboard.core.datasets.DataError` naming the file and row id
when a parameter the models need is missing, so a broken file is a clear message.
"""

from __future__ import annotations

import pandas as pd

from dashboard.core.classify import Criterion
from dashboard.core.datasets import DataError, Problem
from dashboard.core.pathophysiology import AlbuminModel, ChainThresholds

_PARAMS = "ns_model_parameters.csv"
_CRITERIA = "ns_diagnostic_criteria.csv"


def _parameter(parameters: pd.DataFrame, key: str) -> float:
    match = parameters.loc[parameters["id"] == key, "value"]
    if match.empty:
        raise DataError(
            [Problem(_PARAMS, f"parameter '{key}' is missing", column="id")]
        )
    return float(match.iloc[0])


def _optional_float(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def _optional_text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)  # type: ignore[arg-type]


def primary_criteria(criteria: pd.DataFrame) -> list[Criterion]:
    """The rows flagged ``primary``, as :class:`Criterion` objects."""
    rows = criteria[criteria["primary"].fillna(False).astype(bool)]
    return [
        Criterion(
            population=str(r.population),
            feature=str(r.feature),
            measure=str(r.measure),
            comparator=str(r.comparator),
            threshold=None if pd.isna(r.threshold) else float(r.threshold),
            unit="" if pd.isna(r.unit) else str(r.unit),
            role=str(r.role),
            statement=str(r.statement),
            source=str(r.source),
            source_url=str(r.source_url),
            alt_threshold=_optional_float(getattr(r, "alt_threshold", None)),
            alt_unit=_optional_text(getattr(r, "alt_unit", None)),
        )
        for r in rows.itertuples(index=False)
    ]


def _adult_threshold(criteria: list[Criterion], measure: str) -> float:
    for c in criteria:
        if c.population == "adult" and c.measure == measure and c.threshold is not None:
            return c.threshold
    raise DataError(
        [Problem(_CRITERIA, f"no primary adult row with a threshold for '{measure}'")]
    )


def chain_thresholds(
    criteria: pd.DataFrame, parameters: pd.DataFrame
) -> ChainThresholds:
    """Cut-offs for the pathophysiology chain, all from sourced rows."""
    primary = primary_criteria(criteria)
    return ChainThresholds(
        proteinuria_normal_max=_parameter(parameters, "proteinuria-normal-max"),
        proteinuria_nephrotic=_adult_threshold(primary, "protein_24h"),
        albumin_normal_min=_parameter(parameters, "albumin-normal-low"),
        albumin_low=_adult_threshold(primary, "serum_albumin"),
    )


def albumin_model(parameters: pd.DataFrame) -> AlbuminModel:
    """The albumin balance model; normal albumin is the middle of the sourced range."""
    low = _parameter(parameters, "albumin-normal-low")
    high = _parameter(parameters, "albumin-normal-high")
    return AlbuminModel(
        normal_albumin=(low + high) / 2,
        synthesis=_parameter(parameters, "albumin-synthesis"),
        liver_reserve=0.0,
    )
