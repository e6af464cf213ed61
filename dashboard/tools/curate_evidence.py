"""Curate ``shared/evidence/evidence.csv`` into ``content/data/efficacy_evidence.csv``.

Run by a developer, never by the app: ``python -m dashboard.tools.curate_evidence``
(with the shared folder beside the repository). The output is committed and
validated by its schema; this script records *how* it was made:

* each study gets a disease group, comparator class, design class, evidence
  base (randomised / non-randomised / mixed or unclear) and caveat codes, set
  by hand in :data:`STUDIES` after reading its row, quote and the notes;
* per-arm values are parsed into events, totals, percentages or per-1000 risks;
  counts computed from a percentage and an arm size are flagged;
* ratios are normalised to "tacrolimus-based vs comparator": rows whose
  ``effect_measure`` names the comparator first are inverted (reciprocal for
  ratios, sign flip for differences) and marked ``inverted``.

Trough-target and guideline rows go to ``tacrolimus_trough_targets.csv``.

**History only since December 2026.** The committed CSVs were then checked row
by row against each work's canonical record: study labels became first author
and year, ``source_url`` the DOI/PMID, the copies read moved to ``read_at``,
and rows without any canonical record were removed (listed in
``content/data/README.md``). This script does not know those edits, so it
refuses to overwrite the files unless given ``--overwrite``; its parsing
functions stay because tests and future curation use them.
"""

from __future__ import annotations

import csv
import re
import sys

from dashboard.core import schemas
from dashboard.core.paths import DATA_DIR, REPO_ROOT

SOURCE = REPO_ROOT.parent / "shared" / "evidence" / "evidence.csv"

# The schema's vocabularies, named for the tables below (the order of each
# tuple in dashboard/core/schemas.py; tests/unit/test_curate_evidence.py pins
# every name to its value).
MN, MCD, SRNS, SDNS, LN, OTHER = schemas.DISEASE_GROUPS
CYC, CSA, STER, RTX, MMF, NONE_IS, TAC_CS, OTHER_REG, SINGLE = schemas.COMPARATORS
R, NR, MIX = schemas.EVIDENCE_BASES
RCT, META, OBS = schemas.DESIGN_CLASSES
REMISSION, COMPLETE, RELAPSE, ADVERSE, KIDNEY, OTHER_OUTCOME = schemas.OUTCOME_GROUPS
SHORT, LONG, FINAL, NOT_STATED = schemas.TIMEPOINT_GROUPS
RR, OR, HR, RD, NNT, DIFFERENCE, P_VALUE = schemas.MEASURES
AS_REPORTED, TURNED = schemas.DIRECTIONS
PROTOCOL, OBSERVATIONAL_STUDY, REVIEW_TABLE, GUIDELINE = schemas.TROUGH_KINDS

#: Study prefix → (group, comparator, design class, evidence base, caveats).
STUDIES: dict[str, tuple[str, str, str, str, str]] = {
    "IMN-CHEN": (MN, CYC, RCT, R, ""),
    "IMN-LOWDOSE": (MN, CYC, RCT, MIX, "randomisation_unclear"),
    "IMN-COHORT18651550": (MN, CYC, OBS, NR, ""),
    "IMN-STARMEN": (MN, CYC, RCT, R, "secondary_report;sequential"),
    "IMN-MA-DRUGS2017": (MN, CYC, META, MIX, ""),
    "IMN-MA-LIN2019": (MN, CYC, META, R, ""),
    "IMN-COCHRANE2021-SOF4": (MN, CYC, META, R, "cni_pooled"),
    "IMN-COCHRANE2021-SOF3": (MN, NONE_IS, META, R, "cni_pooled"),
    "IMN-COCHRANE2021-CONCL": (MN, CYC, META, R, "cni_pooled"),
    "IMN-NMA-REN2017": (MN, NONE_IS, META, R, ""),
    "IMN-MA-MED2021": (MN, TAC_CS, META, MIX, "mostly_observational"),
    "IMN-MA-THAPA2017": (MN, CYC, META, MIX, "congress_abstract"),
    "IMN-MA-LIYC2019": (MN, CYC, META, MIX, ""),
    "IMN-MA-THESIS": (MN, CYC, META, MIX, "unpublished_thesis"),
    "IMN-RETRO-SCIELO": (MN, CYC, OBS, NR, ""),
    "IMN-RETRO-RENFAIL2019": (MN, CYC, OBS, NR, ""),
    "IMN-COHORT-JINLING": (MN, SINGLE, OBS, NR, "single_arm"),
    "IMN-3REG": (MN, CYC, OBS, MIX, "randomisation_unclear"),
    "IMN-SMALLRCT-CN": (MN, OTHER_REG, RCT, R, ""),
    "NS-LOWSTEROID-MA-XJ2016": (
        OTHER,
        OTHER_REG,
        META,
        R,
        "comparator_unspecified",
    ),
    "NS-MESPGN-NEPHROLOGY2006": (OTHER, STER, RCT, R, ""),
    "MCD-LI2017": (MCD, STER, RCT, R, ""),
    "MCD-CHIN2021": (MCD, STER, RCT, R, "secondary_report"),
    "MCD-SD-NDT": (
        MCD,
        CYC,
        OBS,
        MIX,
        "secondary_report;randomisation_unclear",
    ),
    "SRNS-CHOUDHRY2009": (SRNS, CSA, RCT, R, ""),
    "SRNS-GULATI2012": (SRNS, CYC, RCT, R, "secondary_report"),
    "SRNS-COCHRANE2019-SOF2": (SRNS, CYC, META, R, "cni_pooled"),
    "SRNS-COCHRANE2016": (SRNS, CSA, META, R, "secondary_report"),
    "SRNS-COCHRANE-PLS": (SRNS, CSA, META, R, ""),
    "SRNS-IJN2018": (SRNS, CSA, OBS, MIX, "randomisation_unclear"),
    "SRNS-WJP": (SRNS, SINGLE, OBS, NR, "single_arm"),
    "SRNS-BANERJEE2018": (SRNS, SINGLE, OBS, NR, "single_arm"),
    "SDNS-BASU": (SDNS, RTX, RCT, R, ""),
    "SSNS-ROBINSON2025": (SDNS, CYC, OBS, NR, ""),
    "SSNS-MMF-MA-2021": (SDNS, MMF, META, MIX, "cni_pooled"),
    "LN-MULTITARGET": (LN, CYC, RCT, R, "multitarget"),
    "LN-ZHENG": (LN, CYC, RCT, R, "quote_reassembled"),
    "LN-3ARM": (LN, CYC, RCT, R, ""),
    "LN-NMA-PALMER": (LN, CYC, META, R, "cni_pooled"),
    "LN-MA-COLOMBIA": (LN, CYC, META, MIX, ""),
    "LN-MMTT": (LN, CYC, RCT, R, "multitarget"),
}
#: Short study names for chart labels.
STUDY_NAMES = {
    "IMN-CHEN": "Chen 2010 RCT",
    "IMN-LOWDOSE": "Low-dose TAC study",
    "IMN-COHORT18651550": "Cohort 2008 (PMID 18651550)",
    "IMN-STARMEN": "STARMEN 2021",
    "IMN-MA-DRUGS2017": "Zhu 2017 meta-analysis",
    "IMN-MA-LIN2019": "Lin 2019 meta-analysis",
    "IMN-COCHRANE2021-SOF4": "Cochrane 2021",
    "IMN-COCHRANE2021-SOF3": "Cochrane 2021",
    "IMN-COCHRANE2021-CONCL": "Cochrane 2021",
    "IMN-NMA-REN2017": "Ren 2017 network MA",
    "IMN-MA-MED2021": "Medicine 2021 meta-analysis",
    "IMN-MA-THAPA2017": "Congress abstract MA 2017",
    "IMN-MA-LIYC2019": "Li 2019 meta-analysis",
    "IMN-MA-THESIS": "Chinese thesis MA",
    "IMN-RETRO-SCIELO": "SciELO cohort 2017",
    "IMN-RETRO-RENFAIL2019": "Ren Fail cohort 2019",
    "IMN-COHORT-JINLING": "Jinling cohort",
    "IMN-3REG": "Three-regimen study",
    "IMN-SMALLRCT-CN": "Jiujiang small RCT",
    "NS-LOWSTEROID-MA-XJ2016": "Xinjiang 2016 MA",
    "NS-MESPGN-NEPHROLOGY2006": "Nephrology 2006 RCT",
    "MCD-LI2017": "Li 2017 RCT",
    "MCD-CHIN2021": "Chin 2021 RCT",
    "MCD-SD-NDT": "NDT 2007 study",
    "SRNS-CHOUDHRY2009": "Choudhry 2009 RCT",
    "SRNS-GULATI2012": "Gulati 2012 RCT",
    "SRNS-COCHRANE2019-SOF2": "Cochrane 2019",
    "SRNS-COCHRANE2016": "Cochrane 2016",
    "SRNS-COCHRANE-PLS": "Cochrane summary",
    "SRNS-IJN2018": "IJN 2018 study",
    "SRNS-WJP": "WJP single-arm study",
    "SRNS-BANERJEE2018": "Banerjee 2018",
    "SDNS-BASU": "Basu 2018 RCT",
    "SSNS-ROBINSON2025": "Toronto cohort 2025",
    "SSNS-MMF-MA-2021": "MMF meta-analysis 2021",
    "LN-MULTITARGET": "Multitarget 2015 RCT",
    "LN-ZHENG": "Zheng RCT",
    "LN-3ARM": "Three-arm RCT 2025",
    "LN-NMA-PALMER": "Palmer network MA",
    "LN-MA-COLOMBIA": "Colombian MA",
    "LN-MMTT": "Modified multitarget RCT",
}
#: Row-level caveats on top of the study's.
ROW_CAVEATS = {
    "IMN-MA-DRUGS2017-06": "decimals_inferred",
    "IMN-COCHRANE2021-SOF4-08": "ci_truncated",
    "LN-NMA-PALMER-01": "multitarget",
    "LN-NMA-PALMER-02": "ci_truncated",
    "SDNS-BASU-01": "ci_truncated",
    "SRNS-GULATI2012-01": "ci_truncated",
    "MCD-CHIN2021-02": "numbers_truncated",
}
#: Outcome classifications set by hand where keywords mislead: row → (group, better).
OUTCOME_OVERRIDES: dict[str, tuple[str, bool]] = {
    "IMN-LOWDOSE-02": (OTHER_OUTCOME, True),  # partial remission, not total
    "IMN-COCHRANE2021-SOF4-05": (OTHER_OUTCOME, False),  # death
    "SRNS-COCHRANE2019-SOF2-03": (OTHER_OUTCOME, False),  # composite failure
    "MCD-SD-NDT-02": (OTHER_OUTCOME, True),  # successful steroid withdrawal
    "IMN-MA-LIN2019-05": (ADVERSE, False),
}
#: Follow-up bands set by hand where the text does not say months or weeks.
TIMEPOINT_OVERRIDES = {
    "MCD-LI2017-01": SHORT,  # end of a 16-20-week induction
    "MCD-SD-NDT-03": LONG,
}
#: Rows whose effect_measure names the comparator first.
INVERTED = {"SRNS-CHOUDHRY2009-03", "SDNS-BASU-01", "SSNS-MMF-MA-2021-01"}


def outcome_group(outcome: str) -> tuple[str, bool]:
    """(group, higher_is_better) for an outcome text."""
    text = outcome.lower()
    if text.startswith("adverse"):
        return ADVERSE, False
    if any(
        w in text
        for w in ("relapse-free", "sustained remission", "prolonged remission")
    ):
        return RELAPSE, True
    if "relapse" in text or "recurrence" in text:
        return RELAPSE, False
    if any(
        w in text
        for w in ("end-stage", "creatinine", "renal survival", "egfr", "nephrotoxicity")
    ):
        return KIDNEY, "survival" in text
    if any(
        w in text
        for w in (
            "adverse",
            "infection",
            "leukopenia",
            "leucopenia",
            "tremor",
            "glucose",
            "drop-out",
            "death",
            "ceased",
            "obesity",
            "treatment failure",
            "withdrawals",
        )
    ):
        return ADVERSE, False
    if "complete remission" in text and "partial" not in text:
        return COMPLETE, True
    if any(w in text for w in ("remission", "response", "effective")):
        return REMISSION, True
    return OTHER_OUTCOME, True


def timepoint_group(timepoint: str) -> str:
    """Coarse follow-up band for filtering: first number with a unit decides."""
    text = timepoint.lower()
    unit = re.search(r"(\d+(?:\.\d+)?)\s*(week|mo|month|y)", text)
    if unit:
        value, kind = float(unit.group(1)), unit.group(2)
        months = (
            value / 4.345 if kind == "week" else value * 12 if kind == "y" else value
        )
        return SHORT if months <= 6.5 else LONG
    if not text.strip():
        return NOT_STATED
    return FINAL


_PATTERNS = (
    (re.compile(r"^(\d+)/(\d+)(?:\s*\(([\d.]+)%\))?$"), "fraction"),
    (re.compile(r"^(\d+)\s*\(([\d.]+)%\)$"), "count_pct"),
    (re.compile(r"^([\d.]+)\s*per 1,?000$"), "per1000"),
    (re.compile(r"^([\d.]+)$"), "number"),
)


def parse_value(text: str, n: str, *, percent: bool) -> dict[str, str]:
    """Events, total, percentage or per-1000 risk from one arm's value text."""
    out = {"events": "", "total": "", "pct": "", "per1000": "", "derived": ""}
    for pattern, kind in _PATTERNS:
        match = pattern.match(text.strip())
        if not match:
            continue
        if kind == "fraction":
            events, total = int(match.group(1)), int(match.group(2))
            out |= {
                "events": str(events),
                "total": str(total),
                "pct": match.group(3) or f"{100 * events / total:.1f}",
            }
        elif kind == "count_pct":
            events, pct = int(match.group(1)), float(match.group(2))
            out |= {"events": str(events), "pct": match.group(2)}
            if n:
                out["total"] = n
            elif _whole(events * 100 / pct):
                out |= {"total": str(round(events * 100 / pct)), "derived": "total"}
        elif kind == "per1000":
            out["per1000"] = match.group(1)
        elif percent:
            out["pct"] = match.group(1)
            pct = float(match.group(1))
            events = round(pct * int(n) / 100) if n else None
            # Only when a whole number of patients reproduces the percentage to
            # the precision it was reported with ("85" ±0.5, "16.3" ±0.05).
            decimals = len(match.group(1).partition(".")[2])
            tolerance = 0.5 * 10**-decimals + 1e-9
            if events is not None and abs(100 * events / int(n) - pct) <= tolerance:
                out |= {"events": str(events), "total": n, "derived": "events"}
        break
    return out


def _whole(value: float) -> bool:
    return abs(value - round(value)) < 0.05


def _measure(effect_measure: str) -> str:
    for name in (RR, OR, HR, NNT):
        if effect_measure.startswith(name):
            return name
    if "risk difference" in effect_measure:
        return RD
    if "difference in median" in effect_measure:
        return DIFFERENCE
    if "p-value" in effect_measure:
        return P_VALUE
    return ""


def _normalise(row: dict[str, str], measure: str) -> tuple[str, str, str, str]:
    effect, low, high = row["effect"], row["ci_low"], row["ci_high"]
    if row["id"] not in INVERTED or not effect:
        return AS_REPORTED, effect, low, high
    if measure in (RR, OR, HR):
        inv = lambda v: f"{1 / float(v):.3g}" if v else ""  # noqa: E731
        return TURNED, inv(effect), inv(high), inv(low)
    neg = lambda v: f"{-float(v):g}" if v else ""  # noqa: E731
    return TURNED, neg(effect), neg(high), neg(low)


def _participants(row: dict[str, str]) -> str:
    """People behind the figure: both arms, or the count the population states."""
    if row["n_a"] and row["n_b"]:
        return str(int(row["n_a"]) + int(row["n_b"]))
    for pattern in (
        r"participants \(studies\) = (\d+)",
        r"n=(\d+)",
        r"(\d+) patients",
        r"(\d+) (?:randomized|children|adults)",
    ):
        match = re.search(pattern, row["population"])
        if match:
            return match.group(1)
    return ""


#: "GRADE <level>" in a population text; longest level first ("very low").
_GRADE = re.compile(
    "GRADE ({})".format("|".join(sorted(schemas.CERTAINTIES, key=len, reverse=True)))
)


def _certainty(population: str) -> str:
    match = _GRADE.search(population)
    return match.group(1) if match else ""


def _prefix(row_id: str) -> str:
    for prefix in sorted(STUDIES, key=len, reverse=True):
        if row_id.startswith(prefix):
            return prefix
    raise KeyError(f"no study annotation for {row_id}")


def _study(row_id: str) -> tuple[str, str, str, str, str]:
    return STUDIES[_prefix(row_id)]


def _locator(row: dict[str, str]) -> str:
    for part in re.split(r";\s*", row["pmid_or_doi"]):
        part = part.strip()
        if re.fullmatch(r"PMID:? ?\d{5,9}|doi:10\.\d{4,9}/\S+", part, re.IGNORECASE):
            return part
    return row["url_seen"].split(" ; ")[0].strip()


COLUMNS = [
    "id",
    "study",
    "disease_group",
    "comparator_class",
    "design_class",
    "evidence_base",
    "outcome_group",
    "higher_is_better",
    "timepoint_group",
    "population",
    "design",
    "arm_tac",
    "arm_comparator",
    "n_tac",
    "n_comparator",
    "participants",
    "outcome",
    "timepoint",
    "value_tac",
    "value_comparator",
    "events_tac",
    "total_tac",
    "events_comparator",
    "total_comparator",
    "pct_tac",
    "pct_comparator",
    "per1000_tac",
    "per1000_comparator",
    "effect_measure",
    "measure",
    "effect",
    "ci_low",
    "ci_high",
    "direction",
    "effect_tac",
    "ci_low_tac",
    "ci_high_tac",
    "certainty",
    "caveats",
    "year",
    "url_seen",
    "source",
    "source_url",
    "quote",
]


def curate(rows: list[dict[str, str]]) -> tuple[list[dict], list[dict]]:
    """Split and transform source rows into (evidence rows, trough rows)."""
    evidence, troughs = [], []
    for row in rows:
        if row["id"].startswith(("TROUGH", "GUIDE")):
            troughs.append(row)
            continue
        group, comparator, design_class, base, caveats = _study(row["id"])
        codes = [c for c in (caveats, ROW_CAVEATS.get(row["id"], "")) if c]
        outcome, better = OUTCOME_OVERRIDES.get(
            row["id"], outcome_group(row["outcome"])
        )
        # Survival and probability estimates are not counts: never derive events.
        estimate = any(w in row["outcome"] for w in ("estimated", "probability"))
        percent = not estimate and (
            any(w in row["outcome"] for w in ("%", "n/N", "n (%)"))
            or bool(re.search(r"remission \(complete or partial\)$", row["outcome"]))
        )
        tac = parse_value(row["value_a"], row["n_a"], percent=percent)
        comp = parse_value(row["value_b"], row["n_b"], percent=percent)
        if tac["derived"] or comp["derived"]:
            codes.append("counts_derived")
        measure = _measure(row["effect_measure"])
        direction, eff, low, high = _normalise(row, measure)
        evidence.append(
            {
                "id": row["id"],
                "study": STUDY_NAMES[_prefix(row["id"])],
                "disease_group": group,
                "comparator_class": comparator,
                "design_class": design_class,
                "evidence_base": base,
                "outcome_group": outcome,
                "higher_is_better": str(better).lower(),
                "timepoint_group": TIMEPOINT_OVERRIDES.get(
                    row["id"], timepoint_group(row["timepoint"])
                ),
                "population": row["population"],
                "design": row["design"],
                "arm_tac": row["arm_a"],
                "arm_comparator": row["arm_b"],
                "n_tac": row["n_a"],
                "n_comparator": row["n_b"],
                "participants": _participants(row),
                "outcome": row["outcome"],
                "timepoint": row["timepoint"],
                "value_tac": row["value_a"],
                "value_comparator": row["value_b"],
                "events_tac": tac["events"],
                "total_tac": tac["total"],
                "events_comparator": comp["events"],
                "total_comparator": comp["total"],
                "pct_tac": tac["pct"],
                "pct_comparator": comp["pct"],
                "per1000_tac": tac["per1000"],
                "per1000_comparator": comp["per1000"],
                "effect_measure": row["effect_measure"],
                "measure": measure,
                "effect": row["effect"],
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
                "direction": direction,
                "effect_tac": eff,
                "ci_low_tac": low,
                "ci_high_tac": high,
                "certainty": _certainty(row["population"]),
                "caveats": ";".join(dict.fromkeys(";".join(codes).split(";")))
                if codes
                else "",
                "year": row["year"][:4],
                "url_seen": row["url_seen"],
                "source": row["reference"],
                "source_url": _locator(row),
                "quote": row["quote"],
            }
        )
    return evidence, troughs


GROUP_OF_CONDITION = (
    ("membranous", MN),
    ("minimal change", MCD),
    ("MCNS", MCD),
    ("steroid-resistant", SRNS),
    ("SRNS", SRNS),
    ("steroid-dependent", SDNS),
)
TROUGH_SETTINGS = {
    "TROUGH-01": "Chen 2010 RCT, first 6 months",
    "TROUGH-02": "Li 2017 RCT",
    "TROUGH-03": "Basu 2018 RCT",
    "TROUGH-04": "Trial in a Cochrane 2019 review",
    "TROUGH-05": "Low-dose TAC study",
    "TROUGH-06": "Cohort 2008 (PMID 18651550)",
    "TROUGH-07": "CJASN review table",
    "TROUGH-08": "NCT03549663 protocol",
    "TROUGH-09": "Refractory MCD cohort, start",
    "TROUGH-10": "Banerjee 2018",
    "GUIDE-KDIGO2021-01": "KDIGO 2021 guideline",
    "GUIDE-KDIGO2021-02": "KDIGO 2021 guideline (summary)",
}
TROUGH_COLUMNS = [
    "id",
    "disease_group",
    "setting",
    "dose",
    "trough_low",
    "trough_high",
    "schedule",
    "kind",
    "source",
    "source_url",
    "quote",
]


def troughs_table(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Trough-target rows: dose, first target range (ng/mL = µg/L), schedule."""
    out = []
    for row in rows:
        group = next(
            (
                g
                for word, g in GROUP_OF_CONDITION
                if word.lower() in row["condition"].lower()
            ),
            OTHER,
        )
        schedule = row["value_a"] or row["outcome"]
        target = re.search(
            r"(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*(?:ng/mL|ug/L)", schedule
        )
        dose = schedule.split(";")[0] if "mg" in schedule.split(";")[0] else ""
        kind = (
            GUIDELINE
            if row["id"].startswith("GUIDE")
            else REVIEW_TABLE
            if "Review table" in row["design"]
            else OBSERVATIONAL_STUDY
            if "observational" in row["design"].lower()
            else PROTOCOL
        )
        out.append(
            {
                "id": row["id"],
                "disease_group": group,
                "setting": TROUGH_SETTINGS[row["id"]],
                "dose": dose.strip(),
                "trough_low": target.group(1) if target else "",
                "trough_high": target.group(2) if target else "",
                "schedule": schedule,
                "kind": kind,
                "source": row["reference"],
                "source_url": _locator(row),
                "quote": row["quote"],
            }
        )
    return out


def main(argv: list[str] | None = None) -> None:
    """Read the shared CSV, write the curated one (only with ``--overwrite``)."""
    if "--overwrite" not in (sys.argv[1:] if argv is None else argv):
        sys.exit(
            "The committed efficacy CSVs were curated by hand after this script "
            "(canonical citations, December 2026); rerunning it would undo that. "
            "Pass --overwrite if you really mean to regenerate them."
        )
    if not SOURCE.is_file():
        sys.exit(f"{SOURCE} not found: run from a checkout with shared/ beside it")
    with SOURCE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    evidence, troughs = curate(rows)
    for name, columns, table in (
        ("efficacy_evidence", COLUMNS, evidence),
        ("tacrolimus_trough_targets", TROUGH_COLUMNS, troughs_table(troughs)),
    ):
        with (DATA_DIR / f"{name}.csv").open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(table)
        print(f"wrote {len(table)} rows to {name}.csv")


if __name__ == "__main__":
    main()
