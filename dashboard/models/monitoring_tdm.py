"""Measured-levels mode: a patient's levels, the fit, and the dose to a target.

A teaching model, not for dosing patients. Pure (no Streamlit): the section
(:mod:`dashboard.sections.monitoring_tdm`) draws what this module computes.

Two ways in:

* **A virtual patient** (:func:`virtual_patient`): weight, genotype and the
  "true" clearance and volume are drawn from the population model (M1) with
  a seed, and hidden; four troughs are simulated on days 3, 5, 8 and 12 with
  the model's residual error. A *lesson* changes what happened between the
  levels (:data:`LESSONS`), and the fit sees only what the form records.
* **Entered levels** (:func:`entered_patient`): weight, genotype, the dose
  given every 12 or 24 hours since day 1, and up to four levels, each with
  the day and the hours after that day's first dose. Bad entries come back
  as messages, never as exceptions.

:func:`analyse` fits the levels the student chooses to use
(:func:`dashboard.core.tdm.fit`), draws the population's band against the
individual band, and proposes the dose for the middle of the target band,
rounded to the smallest capsule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from dashboard.core import pk, tdm
from dashboard.core.datasets import DataError, Problem

#: Planned troughs of the virtual patient: just before the morning dose on
#: days 3, 5, 8 and 12 (hours from the first dose).
PLANNED_H = (48.0, 96.0, 168.0, 264.0)
#: Days the fit's regimen covers (the last planned level is on day 12).
DAYS = 14
#: Most levels the form takes.
MAX_LEVELS = 4
#: Percentiles of the bands (a 90 % band around the median).
BAND_PERCENTILES = (5.0, 50.0, 95.0)
#: Draws for each band: enough for a smooth 90 % band, cheap to simulate.
BAND_DRAWS = 300


@dataclass(frozen=True)
class Lesson:
    """What happened to the virtual patient between the levels."""

    id: str
    label: str


LESSONS = {
    lesson.id: lesson
    for lesson in (
        Lesson("planned", "Nothing unusual: four troughs, drawn on time"),
        Lesson("late", "The day-5 level was drawn 2 hours after the dose"),
        Lesson("inducer", "Rifampicin was started on day 6"),
        Lesson("steroid", "Prednisolone was given while the levels were drawn"),
        Lesson("haematocrit", "Haematocrit fell before the day-8 level"),
    )
}


@dataclass(frozen=True)
class LessonValues:
    """Sourced numbers the lessons use (each from a ``pk_parameters`` row).

    ``prednisolone_f_max`` is the largest fall in bioavailability (fraction)
    and ``prednisolone_dose50`` the daily prednisolone dose (mg) that gives half
    of it, in the transplant model's Emax effect. ``haematocrit_standard`` is
    the haematocrit (fraction) the whole-blood model is standardised to.
    ``residual_cv`` is the model's residual error (fraction);
    ``within_patient_cv`` a published within-patient CV of levels (fraction,
    children after kidney transplant). ``erythrocyte_share`` is the share of
    blood tacrolimus carried by red cells and ``unbound_share`` the unbound
    share of plasma tacrolimus (fractions, liver-transplant recipients).
    ``apriori_within_30`` is the share (fraction) that no published model's
    predictions before any level exceeded when counted within ±30 %.
    ``capsule_mg`` is the smallest capsule strength (mg).
    """

    residual_cv: float
    within_patient_cv: float
    prednisolone_f_max: float
    prednisolone_dose50: float
    haematocrit_standard: float
    erythrocyte_share: float
    unbound_share: float
    apriori_within_30: float
    levels_to_improve: tuple[float, float]
    capsule_mg: float


#: The rows of ``pk_parameters.csv`` behind :class:`LessonValues`, with scale.
LESSON_ROWS = {
    "residual-error": ("residual_cv", 0.01),
    "ipv-children-kidney-tx": ("within_patient_cv", 0.01),
    "prednisolone-f-max": ("prednisolone_f_max", 0.01),
    "prednisolone-f-dose50": ("prednisolone_dose50", 1.0),
    "haematocrit-standard": ("haematocrit_standard", 0.01),
    "erythrocyte-fraction": ("erythrocyte_share", 0.01),
    "unbound-fraction": ("unbound_share", 0.01),
    "apriori-within-30pct": ("apriori_within_30", 0.01),
    "capsule-smallest": ("capsule_mg", 1.0),
}

#: The virtual patients' starting dose, mg/kg every 12 h (the simulator's
#: default), rounded to the smallest capsule.
START_MG_PER_KG = 0.1


def lesson_values(parameters: pd.DataFrame) -> LessonValues:
    """The lessons' numbers, each from its row of ``pk_parameters.csv``."""
    values = dict(zip(parameters["id"], parameters["value"], strict=True))
    missing = sorted({*LESSON_ROWS, *LEVEL_ROWS} - set(values))
    if missing:
        raise DataError(
            [Problem("pk_parameters.csv", f"missing parameters: {', '.join(missing)}")]
        )
    found = {
        field: float(values[row]) * scale for row, (field, scale) in LESSON_ROWS.items()
    }
    return LessonValues(
        **found,
        levels_to_improve=(float(values[LEVEL_ROWS[0]]), float(values[LEVEL_ROWS[1]])),
    )


#: How many levels it took published models to predict well (low, high).
LEVEL_ROWS = ("bayes-prior-levels-low", "bayes-prior-levels-high")

#: The rows behind the fit and the lessons, by table.
SOURCE_IDS = {
    "pk_parameters": (
        *("ka", "v-per-70kg", "cl-per-70kg", "cv-cl", "cv-v"),
        *LESSON_ROWS,
        *LEVEL_ROWS,
        "label-trough-draw-time",
        *(
            "cpic-expresser-start-low",
            "cpic-expresser-start-high",
            "cpic-max-daily-dose",
        ),
    ),
    "pk_interactions": ("rifampicin",),
    "monitoring_plan": ("trough-timing",),
}


def source_rows(
    parameters: pd.DataFrame, interactions: pd.DataFrame, plan: pd.DataFrame
) -> pd.DataFrame:
    """Every row behind the fit's and the lessons' numbers, in one table."""
    frames = []
    for frame, name in (
        (parameters, "pk_parameters"),
        (interactions, "pk_interactions"),
        (plan, "monitoring_plan"),
    ):
        frames.append(frame[frame["id"].isin(SOURCE_IDS[name])])
    return pd.concat(frames, ignore_index=True)


def describe_source(row: pd.Series) -> str:
    """One :func:`source_rows` row in words."""
    if pd.notna(row.get("meaning")):
        unit = row["unit"] if pd.notna(row.get("unit")) else ""
        return f"{row['meaning']}: {row['value']:g} {unit}".strip()
    if pd.notna(row.get("drug")):
        return f"{row['drug']}: {row['measure']}"
    return f"{row['parameter']}: {row['when_starting']}"


#: The steroid lesson's prednisolone dose, mg/day, and the haematocrit lesson's
#: fall (fractions): the student's controls, not sourced values.
PREDNISOLONE_MG = 40.0
HAEMATOCRIT_BEFORE = 0.40
HAEMATOCRIT_AFTER = 0.30
#: Hours after the dose that the late level was drawn.
LATE_H = 2.0
#: The day rifampicin starts in the inducer lesson (after the day-5 level).
INDUCER_DAY = 6.0


def prednisolone_f(values: LessonValues, dose_mg_per_day: float) -> float:
    """Bioavailability relative to no prednisolone: ``1 − Fmax·D/(D50 + D)``."""
    if dose_mg_per_day <= 0:
        return 1.0
    return 1.0 - values.prednisolone_f_max * dose_mg_per_day / (
        values.prednisolone_dose50 + dose_mg_per_day
    )


@dataclass(frozen=True)
class Patient:
    """What the form records: the fit sees only this.

    ``dose_mg`` is per administration, every ``interval_h`` hours from time 0;
    ``levels`` are whole-blood levels (ng/mL) at hours from the first dose.
    ``interaction`` is an interacting drug the fit is told about, if any.
    """

    weight_kg: float
    expresser: bool
    dose_mg: float
    interval_h: float
    levels: tuple[tdm.Level, ...]
    interaction: pk.Interaction = pk.NO_INTERACTION
    interaction_start_day: float = 0.0

    @property
    def regimen(self) -> pk.Regimen:
        """The regimen the fit uses (long enough to hold every level)."""
        last = max((lv.time_h for lv in self.levels), default=0.0)
        return pk.Regimen(
            weight_kg=self.weight_kg,
            dose_mg_per_kg=self.dose_mg / self.weight_kg,
            interval_h=self.interval_h,
            expresser=self.expresser,
            days=max(DAYS, math.ceil(last / 24) + 1),
            interaction=self.interaction,
            interaction_start_day=self.interaction_start_day,
        )


@dataclass(frozen=True)
class Truth:
    """The virtual patient's hidden parameters and what really happened."""

    eta: tuple[float, float]
    cl: float
    v: float
    true_times_h: tuple[float, ...]
    now: pk.Regimen  # what the patient takes from now on (the drug kept, or none)


@dataclass(frozen=True)
class Virtual:
    """A virtual patient: what the form records, and the hidden truth."""

    seed: int
    patient: Patient
    truth: Truth
    lesson: str


def virtual_patient(
    model: pk.PopulationModel,
    values: LessonValues,
    *,
    seed: int,
    lesson: str = "planned",
    occasion: int = 0,
    told: bool = False,
    interactions: dict[str, pk.Interaction] | None = None,
) -> Virtual:
    """Draw patient ``seed`` and simulate its four levels under ``lesson``.

    Weight (12-45 kg), genotype, η_CL and η_V come from ``seed``; the noise on
    the levels from ``seed`` and ``occasion`` (another occasion: the same
    patient's levels drawn on other days). The dose is 0.1 mg/kg every 12 h
    rounded to the smallest capsule (the simulator's default dose). With
    ``told`` the fit is told about the interacting drug of the inducer lesson.
    """
    if lesson not in LESSONS:
        raise ValueError(f"unknown lesson {lesson!r}")
    rng = np.random.default_rng(seed)
    weight = float(round(rng.uniform(12, 45)))
    expresser = bool(rng.random() < 0.5)
    eta = rng.normal(0.0, 1.0, 2) * tdm.omegas(model)
    step = values.capsule_mg
    dose = max(step, round(START_MG_PER_KG * weight / step) * step)
    noise_rng = np.random.default_rng([seed, occasion])
    noise = np.exp(noise_rng.normal(0.0, tdm.sigma(values.residual_cv), MAX_LEVELS))
    recorded = Patient(weight, expresser, dose, 12.0, ())
    true_regimen = recorded.regimen
    true_times = list(PLANNED_H)
    scale = np.ones(MAX_LEVELS)
    now = true_regimen
    if lesson == "late":
        true_times[1] += LATE_H
    elif lesson == "inducer":
        drug = (interactions or {})["rifampicin"]
        true_regimen = pk.with_interaction(true_regimen, drug, INDUCER_DAY)
        now = true_regimen  # rifampicin goes on
    elif lesson == "steroid":
        f_rel = prednisolone_f(values, PREDNISOLONE_MG)
        true_regimen = pk.with_interaction(
            true_regimen, pk.Interaction("prednisolone", f_factor=f_rel), 0.0
        )
        # prednisolone stops after the levels: ``now`` stays without it
    elif lesson == "haematocrit":
        scale[2:] = HAEMATOCRIT_AFTER / HAEMATOCRIT_BEFORE
    true = tdm.predict(model, true_regimen, true_times, eta) * noise * scale
    levels = tuple(
        tdm.Level(t, max(float(round(c, 1)), 0.1))
        for t, c in zip(PLANNED_H, true, strict=True)
    )
    patient = replace(recorded, levels=levels)
    if lesson == "inducer" and told:
        patient = replace(
            patient,
            interaction=(interactions or {})["rifampicin"],
            interaction_start_day=INDUCER_DAY,
        )
    typical = pk.typical_parameters(model, patient.regimen)
    return Virtual(
        seed=seed,
        patient=patient,
        truth=Truth(
            eta=(float(eta[0]), float(eta[1])),
            cl=float(typical.cl[0] * math.exp(eta[0])),
            v=float(typical.v[0] * math.exp(eta[1])),
            true_times_h=tuple(true_times),
            now=now,
        ),
        lesson=lesson,
    )


@dataclass(frozen=True)
class Entry:
    """One level as typed; ``None`` where the box was left empty.

    ``day`` counts from 1 (the first day), ``hours`` run from that day's
    first dose, and ``conc`` is the level in ng/mL.
    """

    day: float | None
    hours: float | None
    conc: float | None


#: The largest whole-blood level the form takes, ng/mL: far above any target
#: band, so a larger number is a typing slip (or µg/L read as ng/L).
MAX_CONC = 100.0


def entered_patient(
    *,
    weight_kg: float | None,
    expresser: bool,
    dose_mg: float | None,
    interval_h: float,
    entries: list[Entry],
) -> tuple[Patient | None, list[str]]:
    """The patient the form describes, or ``None`` and the problems in words.

    Rows left wholly empty are skipped; a row with only some boxes filled,
    a level before the first dose, a time past the form's 28 days, a level of
    zero, below zero or above :data:`MAX_CONC`, or more than
    :data:`MAX_LEVELS` rows, each gets its own message.
    """
    problems: list[str] = []
    if weight_kg is None or not 2 <= weight_kg <= 150:
        problems.append("Enter a body weight between 2 and 150 kg.")
    if dose_mg is None or not 0 < dose_mg <= 50:
        problems.append("Enter the dose given each time, between 0 and 50 mg.")
    if len(entries) > MAX_LEVELS:
        problems.append(f"The form takes at most {MAX_LEVELS} levels.")
    levels: list[tdm.Level] = []
    for number, entry in enumerate(entries[:MAX_LEVELS], start=1):
        filled = [x is not None for x in (entry.day, entry.hours, entry.conc)]
        if not any(filled):
            continue
        if not all(filled):
            problems.append(
                f"Level {number}: give the day, the hours after the dose and the level."
            )
            continue
        time_h = (entry.day - 1) * 24 + entry.hours
        if not (1 <= entry.day <= 28 and 0 <= entry.hours <= 24):
            problems.append(
                f"Level {number}: the day must be 1 to 28 and the hours 0 to 24."
            )
        elif time_h <= 0:
            problems.append(
                f"Level {number}: it is drawn before the first dose, so it says "
                "nothing about this patient's clearance."
            )
        elif not 0 < entry.conc <= MAX_CONC:
            problems.append(
                f"Level {number}: a level must be above 0 and at most "
                f"{MAX_CONC:g} ng/mL."
            )
        else:
            levels.append(tdm.Level(time_h, float(entry.conc)))
    if problems:
        return None, problems
    times = [lv.time_h for lv in levels]
    if len(set(times)) < len(times):
        return None, ["Two levels have the same time: give each its own."]
    levels.sort(key=lambda lv: lv.time_h)
    return (
        Patient(
            weight_kg=float(weight_kg),
            expresser=expresser,
            dose_mg=float(dose_mg),
            interval_h=float(interval_h),
            levels=tuple(levels),
        ),
        [],
    )
