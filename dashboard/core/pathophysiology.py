"""A teaching model of how the features of nephrotic syndrome follow from proteinuria.

Model
-----
Albumin balance at steady state: what the liver makes equals what is broken
down plus what is lost in the urine::

    synthesis(C) = k · pool(C) + U

with ``C`` the serum albumin (g/L), ``U`` the urinary albumin loss (g/day,
taken equal to the urinary protein: most protein lost in nephrotic syndrome is
albumin), and breakdown proportional to the body's albumin pool. The pool and
its breakdown rate are calibrated so that a healthy person (``U`` ≈ 0) sits at
the normal serum albumin ``C0`` with the normal synthesis rate ``S0``:
``k · pool(C) = S0 · C / C0``. The liver answers a low albumin by making more,
``synthesis(C) = S0 · (1 + r · (C0 − C) / C0)`` where ``r`` is how much extra
synthesis the liver can add (``r = 0``: none). Solving for ``C``::

    C = C0 · (1 − U / (S0 · (1 + r)))

clamped to ``[c_floor, C0]``.

Assumptions and simplifications, on purpose
-------------------------------------------
* Steady state: weeks after a change, not hours.
* All urinary protein is albumin; tubular breakdown of filtered albumin,
  shifts from the interstitium and the effect of diet are ignored.
* Oedema and lipids are shown as *states* (expected or not), never as numbers:
  their link to albumin is loose in real patients, and oedema also depends on
  the kidney retaining sodium.

Units: proteinuria g/day; albumin g/L; synthesis g/day. Parameter values and
their sources live in ``content/data/ns_model_parameters.csv``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Severity = Literal["normal", "borderline", "abnormal"]
#: Which way a feature has moved from normal: ``"up"``, ``"down"`` or ``None``
#: (unchanged, or a feature with no direction, such as oedema).
Direction = Literal["up", "down"] | None


@dataclass(frozen=True)
class AlbuminModel:
    """Parameters of the steady-state albumin balance.

    Parameters
    ----------
    normal_albumin
        ``C0``, serum albumin of a healthy adult, g/L.
    synthesis
        ``S0``, normal hepatic albumin synthesis, g/day.
    liver_reserve
        ``r``, extra synthesis the liver can add as albumin falls
        (0 = none, 1 = can double at zero albumin), dimensionless.
    floor
        Lowest albumin the model reports, g/L (the balance is meaningless below).
    """

    normal_albumin: float
    synthesis: float
    liver_reserve: float = 0.0
    floor: float = 10.0

    def __post_init__(self) -> None:
        if not 0 < self.floor < self.normal_albumin:
            raise ValueError("need 0 < floor < normal_albumin")
        if self.synthesis <= 0 or self.liver_reserve < 0:
            raise ValueError("synthesis must be > 0 and liver_reserve ≥ 0")

    @property
    def max_proteinuria(self) -> float:
        """Largest urine protein (g/day, 1 decimal) the model covers above its floor."""
        return math.floor(self.proteinuria_for(self.floor) * 10) / 10

    def albumin_for(self, proteinuria_g_day: float) -> float:
        """Steady-state serum albumin (g/L) for a urinary protein loss (g/day)."""
        if proteinuria_g_day < 0:
            raise ValueError("proteinuria cannot be negative")
        capacity = self.synthesis * (1 + self.liver_reserve)
        albumin = self.normal_albumin * (1 - proteinuria_g_day / capacity)
        return min(self.normal_albumin, max(self.floor, albumin))

    def proteinuria_for(self, albumin_g_l: float) -> float:
        """Urinary loss (g/day) that holds serum albumin at ``albumin_g_l``."""
        if not self.floor <= albumin_g_l <= self.normal_albumin:
            raise ValueError(
                f"albumin must be within {self.floor}–{self.normal_albumin} g/L"
            )
        capacity = self.synthesis * (1 + self.liver_reserve)
        return capacity * (1 - albumin_g_l / self.normal_albumin)


@dataclass(frozen=True)
class Feature:
    """One link of the chain as the student sees it.

    ``state`` is the state in words ("low", "nephrotic range"); ``direction``
    says which way the feature has moved from normal (``"up"``, ``"down"``,
    or ``None`` when it is normal or has no direction), so a chart can draw
    ↑/↓ beside the words; ``severity`` says how abnormal it is.
    """

    key: str
    label: str
    state: str
    severity: Severity
    value: float | None = None
    unit: str = ""
    direction: Direction = None


@dataclass(frozen=True)
class ChainState:
    """Everything the chain figure and the text need for one input."""

    proteinuria: float
    albumin: float
    features: tuple[Feature, ...]

    def feature(self, key: str) -> Feature:
        """Return the feature called ``key``."""
        return next(f for f in self.features if f.key == key)


@dataclass(frozen=True)
class ChainThresholds:
    """Cut-offs that decide each feature's state (adult values, sourced).

    Parameters
    ----------
    proteinuria_normal_max
        Upper limit of normal urinary protein, g/day.
    proteinuria_nephrotic
        Nephrotic-range urinary protein, g/day.
    albumin_normal_min
        Lower limit of the normal serum albumin range, g/L.
    albumin_low
        Serum albumin below which the definition counts it as low, g/L.
    """

    proteinuria_normal_max: float
    proteinuria_nephrotic: float
    albumin_normal_min: float
    albumin_low: float


_STATE_WORDS: dict[str, dict[Severity, str]] = {
    "proteinuria": {
        "normal": "normal",
        "borderline": "above normal",
        "abnormal": "nephrotic range",
    },
    "albumin": {"normal": "normal", "borderline": "below normal", "abnormal": "low"},
    "oncotic": {"normal": "normal", "borderline": "lower", "abnormal": "falls"},
    "oedema": {
        "normal": "not expected",
        "borderline": "possible",
        "abnormal": "expected",
    },
    "lipids": {
        "normal": "not expected",
        "borderline": "possible",
        "abnormal": "expected",
    },
}
#: The way each feature moves when it is not normal. Oedema and
#: hyperlipidaemia are present or not: their labels and words say it.
_DIRECTIONS: dict[str, Direction] = {
    "proteinuria": "up",
    "albumin": "down",
    "oncotic": "down",
    "oedema": None,
    "lipids": None,
}
_LABELS = {
    "proteinuria": "Proteinuria",
    "albumin": "Serum albumin",
    "oncotic": "Oncotic pressure",
    "oedema": "Oedema",
    "lipids": "Hyperlipidaemia",
}


def _band(value: float, *, normal_edge: float, abnormal_edge: float) -> Severity:
    """Severity of ``value``; edges are ordered by increasing severity."""
    rising = abnormal_edge > normal_edge
    if (value >= abnormal_edge) if rising else (value < abnormal_edge):
        return "abnormal"
    if (value > normal_edge) if rising else (value < normal_edge):
        return "borderline"
    return "normal"


def evaluate_chain(
    *, proteinuria: float, albumin: float, thresholds: ChainThresholds
) -> ChainState:
    """Classify each feature of the chain for a (proteinuria, albumin) pair.

    Proteinuria is *borderline* between the upper limit of normal and the
    nephrotic range; albumin is *borderline* between the lower limit of normal
    and the "low" threshold. Oncotic pressure, oedema and lipids follow the
    albumin state: they are consequences, shown as states and never as numbers.
    """
    t = thresholds
    p_sev = _band(
        proteinuria,
        normal_edge=t.proteinuria_normal_max,
        abnormal_edge=t.proteinuria_nephrotic,
    )
    a_sev = _band(
        albumin, normal_edge=t.albumin_normal_min, abnormal_edge=t.albumin_low
    )
    severities: dict[str, Severity] = {
        "proteinuria": p_sev,
        "albumin": a_sev,
        "oncotic": a_sev,
        "oedema": a_sev,
        "lipids": a_sev,
    }
    values = {"proteinuria": (proteinuria, "g/day"), "albumin": (albumin, "g/L")}
    features = tuple(
        Feature(
            key=key,
            label=_LABELS[key],
            state=_STATE_WORDS[key][severity],
            severity=severity,
            value=values.get(key, (None, ""))[0],
            unit=values.get(key, (None, ""))[1],
            direction=None if severity == "normal" else _DIRECTIONS[key],
        )
        for key, severity in severities.items()
    )
    return ChainState(proteinuria=proteinuria, albumin=albumin, features=features)
