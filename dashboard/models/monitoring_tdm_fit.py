"""Fit a patient's levels and say what the fit means, in numbers and words.

A teaching model, not for dosing patients. Pure: :func:`analyse` takes a
:class:`~dashboard.models.monitoring_tdm.Patient` and how many of its levels
to use, and returns the fit, the population and individual bands, how the
clearance estimate narrowed level by level, and the dose proposed for the
middle of the target band. The sentences below turn these into words; every
number in them comes from the analysis or a sourced row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dashboard.core import pk, tdm
from dashboard.core.pk_data import ReferenceValues
from dashboard.models.monitoring_tdm import (
    BAND_DRAWS,
    BAND_PERCENTILES,
    HAEMATOCRIT_AFTER,
    HAEMATOCRIT_BEFORE,
    LATE_H,
    PREDNISOLONE_MG,
    LessonValues,
    Patient,
    Virtual,
    prednisolone_f,
)

TEACHING = "Teaching estimate, not a dose."


@dataclass(frozen=True)
class Step:
    """The clearance estimate after the first ``levels`` levels (L/h, 95 %)."""

    levels: int
    cl: float
    low: float
    high: float


@dataclass(frozen=True)
class Analysis:
    """Everything the measured-levels mode shows for one patient and choice."""

    patient: Patient
    used: int
    fit: tdm.Fit
    steps: tuple[Step, ...]
    times_h: np.ndarray
    population: np.ndarray  # (3, times): 5th, 50th, 95th percentiles, ng/mL
    individual: np.ndarray
    proposal: tdm.Proposal
    target: float
    target_band: tuple[float, float]
    omega_cl: float


def analyse(
    model: pk.PopulationModel,
    patient: Patient,
    used: int,
    band: tuple[float, float],
    values: LessonValues,
) -> Analysis:
    """Fit the first ``used`` levels and propose a dose for the band's middle.

    The population band is the prior (no level); the individual band is the
    posterior of this fit. Both are troughs (the level just before each dose)
    up to the day after the last level (or a week without levels). The
    narrowing table refits with 0, 1, … ``used`` levels.
    """
    used = max(0, min(used, len(patient.levels)))
    regimen = patient.regimen
    levels = patient.levels[:used]
    steps = []
    for count in range(used + 1):
        found = tdm.fit(model, regimen, levels[:count], values.residual_cv)
        low, high = found.cl_interval()
        steps.append(Step(count, found.cl, low, high))
    last = max((lv.time_h for lv in patient.levels), default=6 * 24.0)
    end_h = (math.floor(last / 24) + 1) * 24
    # The bands are drawn at the troughs, just before each dose: the level
    # clinics measure, and smooth ribbons instead of one saw-tooth per dose.
    tau = patient.interval_h
    times = np.arange(tau, end_h + tau / 2, tau)
    population = tdm.band(
        model,
        regimen,
        times,
        tdm.draws(None, model, BAND_DRAWS, seed=11),
        BAND_PERCENTILES,
    )
    individual = tdm.band(
        model,
        regimen,
        times,
        tdm.draws(found, model, BAND_DRAWS, seed=11),
        BAND_PERCENTILES,
    )
    target = (band[0] + band[1]) / 2
    proposal = tdm.propose(model, regimen, found, target, step_mg=values.capsule_mg)
    return Analysis(
        patient=patient,
        used=used,
        fit=found,
        steps=tuple(steps),
        times_h=times,
        population=population,
        individual=individual,
        proposal=proposal,
        target=target,
        target_band=(band[0], band[1]),
        omega_cl=float(tdm.omegas(model)[0]),
    )


def _every(patient: Patient) -> str:
    return f"every {patient.interval_h:g} h"


def fit_sentence(analysis: Analysis) -> str:
    """What the levels say about this patient's clearance."""
    fit, step = analysis.fit, analysis.steps[-1]
    ratio = fit.cl / fit.typical_cl
    if analysis.used == 0:
        return (
            f"With no level, the estimate is the typical patient of this weight and "
            f"genotype: clearance {fit.typical_cl:.1f} L/h, but any patient's could "
            f"lie between {step.low:.1f} and {step.high:.1f} L/h (95 %)."
        )
    plural = "level" if analysis.used == 1 else "levels"
    return (
        f"From {analysis.used} {plural}, this patient's clearance is estimated at "
        f"**{fit.cl:.1f} L/h** (95 % interval {step.low:.1f}-{step.high:.1f}), "
        f"{ratio:.2f} times the typical patient's {fit.typical_cl:.1f} L/h."
    )


def proposal_sentence(analysis: Analysis, capsule_mg: float) -> str:
    """The dose to the target, rounded to the capsule, with its trough and AUC."""
    p, patient = analysis.proposal, analysis.patient
    return (
        f"For a steady trough of {analysis.target:g} ng/mL (the middle of the band), "
        f"the fit proposes **{p.dose_mg:g} mg {_every(patient)}** ({p.exact_mg:.2f} mg "
        f"rounded to the {capsule_mg:g} mg capsule). Predicted trough "
        f"{p.trough:.1f} ng/mL (90 % range {p.trough_low:.1f}-{p.trough_high:.1f}); "
        f"exposure over one dosing interval (AUC) {p.auc:.0f} ng·h/mL. On the "
        f"current {patient.dose_mg:g} mg the fitted steady trough is "
        f"{p.current_trough:.1f} ng/mL. {TEACHING}"
    )


def guess_sentence(analysis: Analysis, guess_mg: float) -> str:
    """How far the student's guess was from the fit's proposal."""
    dose = analysis.proposal.dose_mg
    gap = guess_mg - dose
    if abs(gap) < 1e-9:
        return f"Your guess, {guess_mg:g} mg, is the fit's proposal."
    share = abs(gap) / dose * 100
    side = "above" if gap > 0 else "below"
    return (
        f"Your guess, {guess_mg:g} mg, is {abs(gap):g} mg ({share:.0f} %) {side} "
        f"the fit's {dose:g} mg."
    )


def narrowing_rows(analysis: Analysis) -> list[dict[str, object]]:
    """The clearance estimate and its 95 % interval as each level is added."""
    return [
        {
            "Levels": s.levels,
            "Clearance (L/h)": round(s.cl, 1),
            "95 % interval": f"{s.low:.1f}-{s.high:.1f}",
            "Width (%)": round((s.high - s.low) / s.cl * 100),
        }
        for s in analysis.steps
    ]


def true_trough(model: pk.PopulationModel, virtual: Virtual, dose_mg: float) -> float:
    """The virtual patient's real steady trough (ng/mL) on ``dose_mg`` from now on."""
    eta = np.array(virtual.truth.eta)[:, None]
    return float(tdm.steady_troughs(model, virtual.truth.now, eta, dose_mg)[0])


def truth_sentence(
    model: pk.PopulationModel, virtual: Virtual, analysis: Analysis
) -> str:
    """The hidden clearance against the fit's, and the real trough on the dose."""
    error = (analysis.fit.cl / virtual.truth.cl - 1) * 100
    dose = analysis.proposal.dose_mg
    real = true_trough(model, virtual, dose)
    low, high = analysis.target_band
    where = "inside" if low <= real <= high else "outside"
    return (
        f"**Revealed:** this virtual patient's true clearance is "
        f"{virtual.truth.cl:.1f} L/h; the fit's estimate is {analysis.fit.cl:.1f} L/h "
        f"({error:+.0f} %). On the proposed {dose:g} mg, the patient's real steady "
        f"trough would be {real:.1f} ng/mL, {where} the {low:g}-{high:g} ng/mL band"
        + (
            " (at the earlier haematocrit: the level that tracks the active drug)."
            if virtual.lesson == "haematocrit"
            else "."
        )
    )


def lesson_sentence(
    virtual: Virtual, analysis: Analysis, values: LessonValues
) -> str | None:
    """What the lesson changed, and what it did to the fit (after the reveal)."""
    if virtual.lesson == "late":
        return (
            f"The day-5 level was drawn {LATE_H:g} h after the morning dose, near "
            "the peak, but the form records it as a trough (the label says to draw "
            "the trough about 12 hours after a dose, just before the next). Read as "
            "a trough it looks too high, so the fit lowers its clearance estimate "
            "and proposes too small a dose. Use levels up to day 5 and compare."
        )
    if virtual.lesson == "inducer":
        told = virtual.patient.interaction is not pk.NO_INTERACTION
        return (
            "Rifampicin was started on day 6. Induction builds up over days, so "
            "the day-8 and day-12 troughs fall step by step. "
            + (
                "The fit knows about it, so it separates the drug's effect from "
                "the patient's own clearance."
                if told
                else "The fit does not know about it, so it blames the patient's "
                "clearance and averages the levels before and after. Switch on "
                '"Tell the fit about rifampicin" and compare.'
            )
            + " The sources give only the time to the full effect, about two weeks; "
            "the model ramps it in a straight line."
        )
    if virtual.lesson == "steroid":
        f_rel = prednisolone_f(values, PREDNISOLONE_MG)
        return (
            f"The patient took prednisolone {PREDNISOLONE_MG:g} mg a day while the "
            "levels were drawn. In a kidney-transplant model, prednisolone lowers "
            f"tacrolimus bioavailability (at most by {values.prednisolone_f_max:.0%}, "
            f"half of that at {values.prednisolone_dose50:g} mg/day): here to "
            f"{f_rel:.0%} of its value. The fit cannot tell this from a high "
            "clearance. Prednisolone stops after the levels, so the same dose now "
            f"gives levels about {1 / f_rel:.1f} times higher (see the real trough "
            "below). The effect comes from adults after transplant; it is used here "
            "to show the direction."
        )
    if virtual.lesson == "haematocrit":
        return (
            f"Haematocrit fell from {HAEMATOCRIT_BEFORE:.0%} to "
            f"{HAEMATOCRIT_AFTER:.0%} before the day-8 level. Most tacrolimus in "
            f"blood is carried by red cells ({values.erythrocyte_share:.1%} in "
            "liver-transplant recipients) and only "
            f"{values.unbound_share:.2%} of the drug in plasma is unbound, so "
            "whole-blood levels fall with haematocrit (this model assumes in "
            "proportion) while the unbound, active drug does not. The fit reads "
            "the lower levels as a higher clearance and proposes "
            "a larger dose, which would raise the active drug. Whole-blood models "
            f"are standardised to a haematocrit of {values.haematocrit_standard:.0%}."
        )
    return None


def new_patient_sentence(values: LessonValues) -> str:
    """Why measured levels matter: published models' predictions before any level."""
    low, high = values.levels_to_improve
    return (
        "In an external check of published tacrolimus models (adults after kidney "
        f"transplant), fewer than {values.apriori_within_30:.0%} of the predictions "
        "made before any level was measured came within 30 % of the measured "
        f"trough, for every model; {low:g} to {high:g} measured levels improved them."
    )


def occasion_sentence(values: LessonValues) -> str:
    """Within-patient variation: the range one trough can move from day to day."""
    sigma = tdm.sigma(values.residual_cv)
    low, high = math.exp(-1.645 * sigma), math.exp(1.645 * sigma)
    return (
        f"The model's residual error ({values.residual_cv:.1%}) lumps assay error "
        "with day-to-day variation in the same patient: the same true trough can be "
        f"measured anywhere from {low:.2f} to {high:.2f} times its value (90 % of "
        "days). In children after kidney transplant, levels varied within a patient "
        f"with a coefficient of variation near {values.within_patient_cv:.0%}. One "
        "level is not a verdict: draw the levels again on other days and watch the "
        "estimate move."
    )


def cpic_sentence(
    analysis: Analysis, ref: ReferenceValues, start_mg_per_kg_dose: float
) -> str:
    """CPIC's genotype-guided start against what the fit later shows."""
    patient = analysis.patient
    if not patient.expresser:
        return (
            "CYP3A5 non-expresser: the CPIC guideline (Birdwell 2015) keeps the "
            "usual starting dose; the fit then adjusts it to the measured levels."
        )
    per_day = 24 / patient.interval_h
    cap = ref.cpic_max_mg_per_kg_day * patient.weight_kg / per_day
    low = min(ref.cpic_start_low * start_mg_per_kg_dose * patient.weight_kg, cap)
    high = min(ref.cpic_start_high * start_mg_per_kg_dose * patient.weight_kg, cap)
    return (
        f"CYP3A5 expresser: the CPIC guideline (Birdwell 2015, written for transplant "
        f"recipients) would start at {ref.cpic_start_low:g}-{ref.cpic_start_high:g} "
        f"times the usual dose, at most {ref.cpic_max_mg_per_kg_day:g} mg/kg/day: "
        f"{low:.1f}-{high:.1f} mg {_every(patient)} for this patient. The fit of the "
        f"measured levels proposes {analysis.proposal.dose_mg:g} mg. Genotype "
        f"explains part of the difference between patients; the levels show the rest. "
        f"{TEACHING}"
    )


def analysis_alt(analysis: Analysis, *, revealed: bool = True) -> str:
    """Alt text of the course chart: the bands at the end, and the levels."""
    pop, ind = analysis.population, analysis.individual
    used = analysis.patient.levels[: analysis.used]
    shown = "; ".join(f"day {lv.time_h / 24:.1f}: {lv.conc:g}" for lv in used)
    fitted = (
        f"the fitted patient's between {ind[0][-1]:.1f} and {ind[2][-1]:.1f}. "
        if revealed
        else "the fit is hidden until you predict. "
    )
    return (
        f"Troughs of whole-blood tacrolimus over {analysis.times_h[-1] / 24:.0f} "
        f"days. The population's 90 % band ends between {pop[0][-1]:.1f} and "
        f"{pop[2][-1]:.1f} ng/mL; {fitted}"
        + (
            f"Measured levels (ng/mL, days from the first dose) {shown}."
            if used
            else "No level used yet."
        )
    )
