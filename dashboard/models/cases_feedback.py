"""Feedback after a decision and the debrief at the end of a case (pure).

Feedback names the grade, the guideline or trial behind the recommended
choice, the view that teaches it and what the consequence rests on: a data
row (with its source and verbatim quote, and the rate used) or the model.
The debrief scores the path, sets it against the recommended path and lists
the decisions to review, each with its source and link.
"""

from __future__ import annotations

from urllib.parse import urlencode

from dashboard.core import cases as contract
from dashboard.core import cases_text as text
from dashboard.core.cases import Case, Choice, Node
from dashboard.models.cases_pk import PkState
from dashboard.models.cases_play import (
    GRADE_WORDS,
    State,
    Step,
    choose,
    rate_for,
    recommended_path,
    render,
    start,
)
from dashboard.models.cases_views import (
    Cited,
    Debrief,
    Feedback,
    LinkView,
    PathStep,
    ReviewItem,
)


def _row_cited(case: Case, key: tuple[str, str], how: str = "") -> Cited:
    row = case.rows[key]
    quote = row.get("quote")
    return Cited(
        label=f"{key[0]}:{key[1]}",
        source=str(row.get("source", "")),
        locator=str(row.get("source_url", "")),
        quote="" if text.is_missing(quote) else str(quote),
        how=how,
    )


def _model_cited(case: Case) -> Cited:
    row = case.rows[("pk_parameters", "cl-per-70kg")]
    return Cited(
        label="model: pk",
        source=str(row["source"]),
        locator=str(row["source_url"]),
        quote="",
        how=(
            "Trough computed by the dashboard's pharmacokinetic teaching model "
            "(typical patient of this weight and CYP3A5 genotype, at steady state, "
            "twice-daily dosing); the model was fitted in children with nephrotic "
            "syndrome."
        ),
    )


def _cites(case: Case, choice: Choice, step: Step) -> tuple[Cited, ...]:
    cons = choice.consequence
    out: list[Cited] = []
    if cons.row is not None:
        how = ""
        if cons.rate is not None:
            rate = rate_for(case, cons)
            how = f"Rate used: {rate.words}."
            if cons.branches_on == "rate":
                how += " The case follows the more likely outcome."
        out.append(_row_cited(case, cons.row.key, how))
    if cons.model:
        out.append(_model_cited(case))
        for ref in (
            cons.band,
            cons.dose and cons.dose.row,
            cons.dose and cons.dose.times,
        ):
            if ref is not None:
                out.append(_row_cited(case, ref.key))
        if cons.drug not in (None, "none"):
            out.append(_row_cited(case, ("pk_interactions", cons.drug)))
    return tuple(dict.fromkeys(out))


def link_view(case: Case, pk: PkState, link: contract.Link, where: str) -> LinkView:
    """The relative address of the view a link names (``efficacy?eff_…=…``)."""
    params = {
        key: render(case, pk, value, f"{where}.params.{key}", escape=False)
        for key, value in link.params
    }
    href = link.page + (f"?{urlencode(params)}" if params else "")
    if link.section is not None:
        href += f"#{case.anchors[(link.page, link.section)]}"
    return LinkView(label=link.label, href=href)


def _teaching(
    case: Case, here: Node, pk: PkState
) -> tuple[str, Cited, tuple, LinkView]:
    where = f"nodes[{here.id}].teach"
    teach = here.teach
    short, locator = case.references[teach.source]
    source = Cited(label=teach.source, source=short, locator=locator, quote="")
    evidence = tuple(_row_cited(case, ref.key) for ref in teach.evidence)
    why = render(case, PkState(), teach.why, f"{where}.why")
    return why, source, evidence, link_view(case, pk, teach.link, f"{where}.link")


def feedback(case: Case, state: State) -> Feedback | None:
    """What the last choice earned and what followed (``None`` at the start)."""
    if not state.steps:
        return None
    step = state.steps[-1]
    here = case.node(step.node)
    choice = here.choice(step.choice)
    where = f"nodes[{here.id}].choices[{choice.id}]"
    why, source, evidence, link = _teaching(case, here, state.pk)
    return Feedback(
        node_title=render(case, PkState(), here.title, f"nodes[{here.id}].title"),
        choice_label=render(case, PkState(), choice.label, f"{where}.label"),
        grade=choice.grade,
        grade_words=GRADE_WORDS[choice.grade],
        text=render(case, state.pk, choice.feedback, f"{where}.feedback"),
        consequence=render(
            case, state.pk, choice.consequence.text, f"{where}.consequence.text"
        ),
        recommended=tuple(
            render(case, PkState(), ch.label, f"nodes[{here.id}].choices[{ch.id}]")
            for ch in here.choices
            if ch.grade == "recommended"
        ),
        why=why,
        source=source,
        evidence=evidence,
        link=link,
        cites=_cites(case, choice, step),
    )


def _path(case: Case, state: State) -> tuple[PathStep, ...]:
    out = []
    for step in state.steps:
        here = case.node(step.node)
        choice = here.choice(step.choice)
        out.append(
            PathStep(
                node_title=render(case, PkState(), here.title, ""),
                choice_label=render(case, PkState(), choice.label, ""),
                grade=choice.grade,
                grade_words=GRADE_WORDS[choice.grade],
            )
        )
    return tuple(out)


_RECOMMENDED: dict[int, tuple[Case, tuple[PathStep, ...]]] = {}


def _recommended(case: Case) -> tuple[PathStep, ...]:
    """The recommended path as path steps (worked out once per case object)."""
    known = _RECOMMENDED.get(id(case))
    if known is None or known[0] is not case:
        if len(_RECOMMENDED) > 64:
            _RECOMMENDED.clear()
        known = (case, _path(case, recommended_path(case)))
        _RECOMMENDED[id(case)] = known
    return known[1]


def _replayed(case: Case, state: State) -> list[tuple[Step, PkState]]:
    """Each step with the patient's tacrolimus just after it."""
    out, now = [], start(case)
    for step in state.steps:
        now = choose(case, now, step.choice)
        out.append((step, now.pk))
    return out


def debrief(case: Case, state: State) -> Debrief:
    """Score, the path taken against the recommended one, and what to review.

    Each decision to review links to its view as the feedback did then (with
    the dose of that moment).
    """
    best = max(contract.GRADES.values())
    grades = [case.node(s.node).choice(s.choice).grade for s in state.steps]
    review = []
    for step, pk in _replayed(case, state):
        here = case.node(step.node)
        grade = here.choice(step.choice).grade
        if grade != "recommended":
            why, source, _, link = _teaching(case, here, pk)
            title = render(case, PkState(), here.title, "")
            review.append(ReviewItem(title, GRADE_WORDS[grade], why, source, link))
    ending = case.node(state.node_id)
    where = f"nodes[{ending.id}]"
    return Debrief(
        score=sum(contract.GRADES[g] for g in grades),
        possible=best * len(grades),
        recommended_taken=grades.count("recommended"),
        decisions=len(grades),
        path=_path(case, state),
        recommended=_recommended(case),
        review=tuple(review),
        ending_title=render(case, state.pk, ending.title, f"{where}.title"),
        ending_text=render(case, state.pk, ending.text, f"{where}.text"),
    )
