"""The Nephrotic syndrome page's classify-a-patient exercise: predict, then the verdict.

The student first says what they expect (:data:`PREDICTIONS`); the verdict
(:func:`feedback`) then explains each feature with its source, and
:func:`prediction_check` says whether the call was right. Plain values in,
Markdown out; no Streamlit. Units are those the student chose (converted in
:mod:`dashboard.core.classify`); thresholds come from the sourced rows of
``ns_diagnostic_criteria.csv``.
"""

from __future__ import annotations

import dataclasses

from dashboard.core import classify
from dashboard.core.tables import short_citation, source_markdown


@dataclasses.dataclass(frozen=True)
class Feedback:
    """The verdict on an entered patient, as the exercise shows it.

    Attributes
    ----------
    status
        ``"meets"``, ``"does not meet"``, ``"incomplete"``, or ``"entry error"``
        when the entry cannot be classified (a unit mistake, a negative value).
    message
        The headline in bold, or what is wrong with the entry.
    findings
        A Markdown list: each feature, met or not, why, and its source
        (empty for an entry error).
    """

    status: str
    message: str
    findings: str = ""


_ICONS = {
    True: ":green[:material/check_circle:] met",
    False: ":red[:material/cancel:] not met",
    None: ":gray[:material/help:] unknown",
}


def feedback(
    entry: classify.PatientEntry, criteria: list[classify.Criterion]
) -> Feedback:
    """Classify ``entry`` by the primary ``criteria`` and say why, feature by feature.

    Parameters
    ----------
    entry
        What the student entered (values in the units they chose).
    criteria
        The primary criteria, from
        :func:`dashboard.core.nephrotic_syndrome.primary_criteria`.
    """
    try:
        verdict = classify.classify(entry, criteria)
    except classify.EntryError as error:
        return Feedback("entry error", str(error))
    lines = []
    for finding in verdict.findings:
        line = f"- **{finding.feature.capitalize()}** ({_ICONS[finding.met]}): "
        line += finding.explanation
        if finding.criterion is not None:
            link = source_markdown(
                short_citation(finding.criterion.source), finding.criterion.source_url
            )
            line += f" *Source:* {link}."
        lines.append(line)
    return Feedback(verdict.status, f"**{verdict.headline}**", "\n".join(lines))


# --- Predict first ---------------------------------------------------------

#: What the student can predict before the verdict, in the exercise's words.
PREDICTIONS = {
    "meets": "Meets the definition",
    "does not meet": "Does not meet it",
    "incomplete": "Cannot decide from these results",
}


def prediction_check(predicted: str, verdict: Feedback) -> tuple[bool, str]:
    """Whether the student's prediction matches the verdict, and a sentence saying so.

    Parameters
    ----------
    predicted
        One of :data:`PREDICTIONS`.
    verdict
        The verdict (:func:`feedback`); not an entry error.

    Raises
    ------
    ValueError
        If ``predicted`` is not one of :data:`PREDICTIONS`, or the verdict is
        an entry error (there is nothing to predict until the entry is fixed).
    """
    if predicted not in PREDICTIONS or verdict.status not in PREDICTIONS:
        raise ValueError(f"cannot compare {predicted!r} with {verdict.status!r}")
    said = PREDICTIONS[predicted].lower()
    if predicted == verdict.status:
        return True, f"**Your prediction was right:** you said “{said}”."
    truth = PREDICTIONS[verdict.status].lower()
    return False, (
        f"**Not this time:** you said “{said}”; the definition says “{truth}”. "
        "The reasons are below, feature by feature."
    )
