"""The pharmacokinetic side of a virtual patient: dose, interacting drug, trough.

A teaching model, not dosing advice. A consequence with ``model: pk`` sets the
patient's tacrolimus dose (mg/kg per day, given twice daily), the interacting
drug in force and the target band; the trough is then the *steady-state*
trough of the typical patient of the case's weight and CYP3A5 genotype under
the population model of :mod:`dashboard.core.pk` (every parameter from a row of
``pk_parameters.csv``), with an interacting drug's full effect on clearance
and bioavailability (``pk_interactions.csv``). Between-patient variability and
the time course of a change are left out: the case shows the level the typical
patient settles at, so a link to the case always shows the same number.

Assumptions (stated to students in the case text):

- the model was fitted in children with nephrotic syndrome; for an adult it
  is an extrapolation;
- the dose per administration is rounded to 0.01 mg/kg, the step of the
  monitoring page's dose control, so a link to the simulator shows this dose;
- troughs are proportional to the dose (linear kinetics), so ``band-middle``
  scales the dose by middle of band / current trough;
- stopping an interacting drug returns clearance to baseline at once (the
  simulator does not model the wearing off either).

The lead may later swap :func:`trough` for the measured-levels fit of
:mod:`dashboard.core.tdm`; the rest of the engine only reads :class:`PkState`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.core import cases_text as text
from dashboard.core import pk, pk_data
from dashboard.core.cases import Case, Consequence

#: Hours between doses: tacrolimus twice daily, as in the trial protocols.
INTERVAL_H = 12.0
#: Doses a day at that interval.
DOSES_PER_DAY = 24 / INTERVAL_H
#: Rounding of the dose per administration, mg/kg (the simulator's step).
DOSE_STEP = 0.01


class CaseRenderError(ValueError):
    """A text or consequence that cannot be worked out in this state.

    ``field`` names the case-file field, as a
    :class:`~dashboard.core.cases.CaseProblem` does.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PkState:
    """The patient's tacrolimus as the case stands.

    ``dose`` in mg/kg per day (``None``: not started or stopped); ``drug`` a
    ``pk_interactions`` id; ``band`` a ``tacrolimus_trough_targets`` id;
    ``trough`` the model trough in ng/mL, rounded to one decimal.
    """

    dose: float | None = None
    drug: str | None = None
    band: str | None = None
    trough: float | None = None


#: Built once per set of rows: a walk of every path asks thousands of times.
_MODELS: dict[tuple, pk.PopulationModel] = {}
_DRUGS: dict[tuple, pk.Interaction] = {}
_TROUGHS: dict[tuple, float] = {}


def _key(row: dict) -> tuple:
    return tuple(sorted((str(k), str(v)) for k, v in row.items()))


_BY_ROWS: dict[int, tuple[object, pk.PopulationModel]] = {}


def population(case: Case) -> pk.PopulationModel:
    """The population model from the ``pk_parameters`` rows the case carries."""
    known = _BY_ROWS.get(id(case.rows))
    if known is not None and known[0] is case.rows:
        return known[1]
    rows = [r for (ds, _), r in case.rows.items() if ds == "pk_parameters"]
    key = tuple(sorted(_key(r) for r in rows))
    if key not in _MODELS:
        _MODELS[key] = pk_data.population_model(pd.DataFrame(rows))
    if len(_BY_ROWS) > 64:
        _BY_ROWS.clear()
    _BY_ROWS[id(case.rows)] = (case.rows, _MODELS[key])
    return _MODELS[key]


def _interaction(case: Case, drug: str | None) -> pk.Interaction:
    if drug is None:
        return pk.NO_INTERACTION
    row = case.rows[("pk_interactions", drug)]
    key = (
        drug,
        row.get("cl_factor"),
        row.get("f_factor"),
        row.get("cl_factor_expresser"),
        row.get("onset_days"),
        row.get("drug"),
    )
    if key not in _DRUGS:
        _DRUGS[key] = pk_data.interactions(pd.DataFrame([row]))[drug]
    return _DRUGS[key]


def expresser(case: Case) -> bool:
    """Whether the patient is a CYP3A5 expresser (fact ``cyp3a5``)."""
    return case.facts.get("cyp3a5") == "expresser"


def raw_trough(case: Case, dose: float, drug: str | None) -> float:
    """Steady-state trough (ng/mL, unrounded) at ``dose`` mg/kg/day."""
    model, drug_effect = population(case), _interaction(case, drug)
    key = (model, drug_effect, case.facts["weight_kg"], expresser(case), dose)
    if key not in _TROUGHS:
        _TROUGHS[key] = _steady_trough(model, drug_effect, case, dose)
    return _TROUGHS[key]


def _steady_trough(
    model: pk.PopulationModel, drug_effect: pk.Interaction, case: Case, dose: float
) -> float:
    regimen = pk.Regimen(
        weight_kg=float(case.facts["weight_kg"]),
        dose_mg_per_kg=dose / DOSES_PER_DAY * drug_effect.f_factor,
        interval_h=INTERVAL_H,
        expresser=expresser(case),
    )
    typical = pk.typical_parameters(model, regimen)
    cl = typical.cl * drug_effect.clearance_factor(regimen.expresser)
    params = pk.Parameters(ka=typical.ka, v=typical.v, cl=cl)
    return float(pk.steady_state_trough(regimen, params)[0])


def trough(case: Case, dose: float, drug: str | None) -> float:
    """The trough a student reads: :func:`raw_trough` to one decimal."""
    return round(raw_trough(case, dose, drug), 1)


def band_of(case: Case, band: str) -> tuple[float, float]:
    """(low, high) ng/mL of a ``tacrolimus_trough_targets`` row."""
    row = case.rows[("tacrolimus_trough_targets", band)]
    return float(row["trough_low"]), float(row["trough_high"])


def position(case: Case, state: PkState) -> str:
    """``low``, ``in`` or ``high``: the trough against the band."""
    if state.trough is None or state.band is None:
        raise CaseRenderError("", "no trough and band to compare yet")
    low, high = band_of(case, state.band)
    if state.trough < low:
        return "low"
    return "high" if state.trough > high else "in"


def rounded(dose: float) -> float:
    """The daily dose whose per-dose amount is on the simulator's 0.01 mg/kg step."""
    steps = round(dose / DOSES_PER_DAY / DOSE_STEP)
    return round(steps * DOSE_STEP * DOSES_PER_DAY, 6)


def _number(case: Case, ref, where: str) -> float:
    value = case.rows[ref.key][ref.column]
    number = text.dose_in_text(value) if isinstance(value, str) else float(value)
    if number is None:
        raise CaseRenderError(where, f"{ref} states no number")
    return number


def apply(case: Case, state: PkState, cons: Consequence, where: str) -> PkState:
    """The patient's tacrolimus after a ``model: pk`` consequence."""
    band = cons.band.id if cons.band is not None else state.band
    drug = state.drug
    if cons.drug is not None:
        drug = None if cons.drug == "none" else cons.drug
    dose = state.dose
    how = cons.dose
    if how is not None and how.word == "stop":
        return PkState(dose=None, drug=drug, band=band, trough=None)
    if how is not None and how.row is not None:
        dose = _number(case, how.row, f"{where}.dose.row")
        if how.times is not None:
            dose *= _number(case, how.times, f"{where}.dose.times")
    elif how is not None and how.word == "band-middle":
        if dose is None or band is None:
            raise CaseRenderError(
                f"{where}.dose", "band-middle needs a dose and a band set earlier"
            )
        low, high = band_of(case, band)
        dose = dose * (low + high) / 2 / raw_trough(case, dose, drug)
    if dose is None:
        raise CaseRenderError(f"{where}.dose", "no dose is set on this path yet")
    dose = rounded(dose)
    if dose <= 0:
        raise CaseRenderError(f"{where}.dose", "the dose rounds to zero")
    return PkState(dose=dose, drug=drug, band=band, trough=trough(case, dose, drug))


_POSITION_WORDS = {"low": "below", "in": "within", "high": "above"}


def values(case: Case, state: PkState) -> dict[str, str]:
    """The ``{model:…}`` values in this state (only those that exist yet)."""
    out: dict[str, str] = {}
    if state.drug is not None:
        out["drug"] = str(case.rows[("pk_interactions", state.drug)]["drug"])
    else:
        out["drug"] = "no interacting drug"
    if state.dose is not None:
        per_dose = state.dose / DOSES_PER_DAY
        out["dose"] = f"{state.dose:g}"
        out["dose_per_dose"] = f"{per_dose:g}"
        out["dose_mg"] = f"{per_dose * float(case.facts['weight_kg']):.1f}"
    if state.trough is not None:
        out["trough"] = f"{state.trough:.1f}"
    if state.band is not None:
        row = case.rows[("tacrolimus_trough_targets", state.band)]
        low, high = band_of(case, state.band)
        out["band"] = f"{low:g}–{high:g}"
        out["band_label"] = (
            f"{low:g}-{high:g} ng/mL: {row['disease_group']}, {row['setting']}"
        )
        if state.trough is not None:
            out["band_position"] = _POSITION_WORDS[position(case, state)]
    return out
