"""Canonical citation links: which addresses a student may be sent to.

The link a student clicks must go to the canonical record of a work: its DOI,
its PubMed or PMC record, the publisher's page, the issuing guideline body or
the regulator's label. The copy the numbers were actually read from (often a
mirror, proxy or aggregator, because that was the copy that could be read) is
kept in a row's ``read_at`` audit column and shown as "read at", never as the
main link.

:func:`locator_problem` is the rule. It accepts ``PMID n`` and ``doi:10.…``
locators and web addresses whose host is on :data:`CANONICAL_HOSTS`; it names
the reason for anything else (a bare IP address, a known mirror or a host not
on the list). The allow-list is deliberate: an unknown host is refused until a
person has checked that it is the work's own record and added it here.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlparse

#: Hosts that publish the canonical record of a work, by kind. A host is added
#: here only after checking that it is the publisher, the indexing service
#: (PubMed/PMC), the guideline body, the regulator or the curated database.
CANONICAL_HOSTS: dict[str, str] = {
    # Identifier resolvers and indexes
    "doi.org": "DOI resolver",
    "pubmed.ncbi.nlm.nih.gov": "PubMed",
    "pmc.ncbi.nlm.nih.gov": "PubMed Central",
    "www.ncbi.nlm.nih.gov": "NCBI",
    # Guideline bodies and professional societies
    "kdigo.org": "KDIGO",
    "www.kdigo.org": "KDIGO",
    "ipna-online.org": "IPNA",
    "www.kidney.org": "National Kidney Foundation",
    "www.niddk.nih.gov": "NIDDK",
    "www2.niddk.nih.gov": "NIDDK",
    "www.nice.org.uk": "NICE",
    "cpicpgx.org": "CPIC",
    "www.bcrenal.ca": "BC Renal",
    "www.kidneynews.org": "ASN Kidney News (the society's own publication)",
    # Regulators and official product information
    "www.accessdata.fda.gov": "US FDA",
    "dailymed.nlm.nih.gov": "DailyMed (US NLM)",
    "www.ema.europa.eu": "European Medicines Agency",
    "www.medicines.org.uk": "UK electronic Medicines Compendium",
    # Laboratories that issue their own reference intervals
    "southtees.nhs.uk": "South Tees NHS pathology",
    "pathology.alfred.org.au": "Alfred Health pathology",
    # Publishers and journals
    "www.cochranelibrary.com": "Cochrane Library",
    "www.cochrane.org": "Cochrane",
    "www.nejm.org": "NEJM",
    "www.thelancet.com": "The Lancet",
    "www.bmj.com": "BMJ",
    "ep.bmj.com": "BMJ (Arch Dis Child E&P)",
    "bestpractice.bmj.com": "BMJ Best Practice",
    "link.springer.com": "Springer",
    "www.nature.com": "Nature Portfolio",
    "onlinelibrary.wiley.com": "Wiley",
    "academic.oup.com": "Oxford University Press",
    "www.sciencedirect.com": "Elsevier",
    "www.elsevier.es": "Elsevier España",
    "www.kidney-international.org": "Kidney International",
    "www.ajkd.org": "AJKD",
    # American Family Physician's own article pages (the AAFP is its publisher)
    "www.aafp.org": "American Family Physician (AAFP)",
    "journals.lww.com": "Wolters Kluwer",
    "jasn.asnjournals.org": "JASN",
    "cjasn.asnjournals.org": "CJASN",
    "bmcnephrol.biomedcentral.com": "BMC Nephrology",
    "www.frontiersin.org": "Frontiers",
    "journals.plos.org": "PLOS",
    "www.dovepress.com": "Dove Medical Press",
    "karger.com": "Karger",
    "www.karger.com": "Karger",
    "www.jci.org": "Journal of Clinical Investigation",
    "publications.aap.org": "American Academy of Pediatrics",
    "diabetesjournals.org": "American Diabetes Association",
    # ADA's Clinical Diabetes (Standards of Care abridged for primary care)
    "clinical.diabetesjournals.org": "ADA (Clinical Diabetes)",
    "www.samj.org.za": "South African Medical Journal",
    "www.scielo.br": "SciELO Brazil (the journal's own host)",
    "revistanefrologia.com": "Nefrología (the journal's own site)",
    "www.revistanefrologia.com": "Nefrología (the journal's own site)",
    "indianjnephrol.org": "Indian Journal of Nephrology",
    "www.indianjnephrol.org": "Indian Journal of Nephrology",
    "www.npjournal.org": "Journal of Nephropathology",
    # JAMA Network's own article pages (e.g. JAMA Netw Open full text)
    "jamanetwork.com": "JAMA Network",
    # The US NLM trial registry: the canonical record of a registered protocol
    "clinicaltrials.gov": "ClinicalTrials.gov (US NLM trial registry)",
    "www.statpearls.com": "StatPearls (NCBI Bookshelf publisher)",
    "www.msdmanuals.com": "MSD Manual",
    "accessmedicine.mhmedical.com": "McGraw Hill AccessMedicine",
    "www.pharmaceutical-journal.com": "The Pharmaceutical Journal",
    "pharmaceutical-journal.com": "The Pharmaceutical Journal",
    # The magazine's own site (Horn & Hansten's drug-interaction column).
    "pharmacytimes.com": "Pharmacy Times",
    "www.pharmacytimes.com": "Pharmacy Times",
    # Curated molecular databases (identifiers on the mechanism page)
    "www.uniprot.org": "UniProt",
    "rest.uniprot.org": "UniProt",
    "www.kegg.jp": "KEGG",
    "reactome.org": "Reactome",
    "www.wikipathways.org": "WikiPathways",
    "go.drugbank.com": "DrugBank",
    "www.drugbank.ca": "DrugBank",
    "www.pharmgkb.org": "PharmGKB",
    "www.clinpgx.org": "ClinPGx (PharmGKB)",
    "pubchem.ncbi.nlm.nih.gov": "PubChem",
    "www.ebi.ac.uk": "EMBL-EBI",
    # The wwPDB partner that hosts the PDB ligand (chemical component) pages
    "www.rcsb.org": "RCSB Protein Data Bank",
}

#: Hosts known to be mirrors, proxies, aggregators or document-sharing sites,
#: with the reason a student must not be sent there. Listed so that the error
#: message can say *why*; anything not in :data:`CANONICAL_HOSTS` is refused.
NON_CANONICAL_HOSTS: dict[str, str] = {
    "proxy.weglot.com": "a translation proxy",
    "globethesis.com": "a thesis aggregator",
    "paperexplained.cn": "an aggregator",
    "m.fx361.cc": "an article aggregator",
    "123docz.net": "a document-sharing site",
    "vdocuments.net": "a document-sharing site",
    "www.scribd.com": "a document-sharing site",
    "scribd.com": "a document-sharing site",
    "pdf-paper.com": "a document-sharing site",
    "www.120ty.net": "a label mirror",
    "discovery.researcher.life": "an aggregator",
    "scilit.com": "an aggregator",
    "scilit.net": "an aggregator",
    "medworm.com": "an aggregator",
    "step2.medbullets.com": "a study aid re-hosting an abstract",
    "everything.explained.today": "a Wikipedia mirror",
    "www.handmsg.com": "an aggregator",
    "wprim.whocc.org.cn": "an index mirror",
    "old.scielo.br": "an old mirror of SciELO",
    "staging.scite.ai": "a staging aggregator",
    "crick.ai": "an aggregator",
    "milho.net": "a mirror",
    "awardpharm.awardspace.info": "a personal mirror",
    "medlibrary.org": "a label mirror",
    "globalrph.com": "a secondary drug-information site",
    "cfu288.github.io": "a personal study deck",
    "info.5y1.org": "a document aggregator",
    "api-pubmed-ncbi.laibokeji.com": "a PubMed proxy",
    "www.ai-bt.com": "a PubMed proxy",
    "acnpsearch.tweb-dev.unibo.it": "a development index mirror",
    "ouci.dntb.gov.ua": "a citation index",
    "doaj.org": "a journal directory (link the article itself)",
    "guidelinecentral.com": "a guideline summary site",
    "www.gpnotebook.co.uk": "a secondary reference site",
    "www.wikilectures.eu": "a wiki",
    "www.openanesthesia.org": "a secondary reference site",
    "www.renalandurologynews.com": "a news site",
    "outreachhs.org": "a secondary reference site",
    "rmmonline.co.uk": "a secondary reference site",
    "paedstudent.cardiff.ac.uk": "a student teaching site",
    "www.iomcworld.com": "a predatory-publisher proceedings page",
    "ebmg-az.uimconsulting.com": "a commercial mirror of a guideline digest",
    "www.clinlabnavigator.com": "a secondary reference site",
    "www.renalfellow.org": "a blog",
    "elsevier.es": "use the journal's own address (www.elsevier.es)",
    "frontiersin.org": "use the journal's own address (www.frontiersin.org)",
    "pubmed.gov": "use pubmed.ncbi.nlm.nih.gov or 'PMID n'",
    "www.pubmed.gov": "use pubmed.ncbi.nlm.nih.gov or 'PMID n'",
    "dx.doi.org": "use doi.org or 'doi:10.…'",
}

_PMID = re.compile(r"PMID:? ?\d{5,9}", re.IGNORECASE)
_DOI = re.compile(r"doi:10\.\d{4,9}/\S+", re.IGNORECASE)


def host_of(url: str) -> str:
    """The lower-cased host name of a web address (``""`` if it has none)."""
    return (urlparse(url.strip()).hostname or "").lower()


def locator_problem(locator: str) -> str | None:
    """Why ``locator`` is not a canonical citation link, or ``None`` if it is.

    Accepted: ``PMID n``, ``doi:10.…`` and ``https://`` (or ``http://``)
    addresses on :data:`CANONICAL_HOSTS`.
    """
    text = locator.strip()
    if _PMID.fullmatch(text) or _DOI.fullmatch(text):
        return None
    if not text.startswith(("http://", "https://")):
        return "not a web address, 'PMID n' or 'doi:10.…'"
    host = host_of(text)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return f"{host} is a bare IP address, not the work's canonical record"
    if host in CANONICAL_HOSTS:
        return None
    if host in NON_CANONICAL_HOSTS:
        return (
            f"{host} is {NON_CANONICAL_HOSTS[host]}; link the canonical record "
            "(DOI, PubMed/PMC, publisher, guideline body or label) and keep "
            "this address in 'read_at'"
        )
    return (
        f"{host} is not a known canonical host; link the DOI, PubMed/PMC, "
        "publisher, guideline body or label, or add the host to "
        "dashboard.core.citations.CANONICAL_HOSTS after checking it"
    )


#: A study label: first author's surname and year, with an optional letter for
#: two works of one author and year, and an optional trial acronym or kind in
#: parentheses: ``Chen 2010``, ``Fernández-Juárez 2021 (STARMEN)``.
STUDY_LABEL = re.compile(
    r"(?P<name>[A-ZÀ-Þ][\w'’\-]*(?: [A-Za-zÀ-ÿ][\w'’\-]*){0,2}) "
    r"(?P<year>(19|20)\d{2})[a-z]?(?: \((?P<extra>[^()]{1,40})\))?"
)
#: Words that name a website, journal, place or design rather than an author.
_NOT_AUTHOR = re.compile(
    r"\b(study|studies|cohort|thesis|trial|rct|ma|meta-analysis|network|"
    r"review|scielo|medicine|journal|chinese|colombian|congress|abstract|"
    r"jinling|xinjiang|jiujiang|toronto|ijn|ndt|wjp|multitarget|modified|"
    r"three|low-dose|summary|cochrane)\b",
    re.IGNORECASE,
)


def study_label_problem(label: str) -> str | None:
    """Why ``label`` is not "first author year (ACRONYM)", or ``None`` if it is."""
    match = STUDY_LABEL.fullmatch(label.strip())
    if match is None:
        return (
            f"{label!r} is not 'Surname YYYY' with an optional '(ACRONYM)', "
            "e.g. 'Chen 2010' or 'Fernández-Juárez 2021 (STARMEN)'"
        )
    if _NOT_AUTHOR.search(match.group("name")):
        return (
            f"{label!r} names a website, place, journal or design, not the first "
            "author: use the first author's surname and the year"
        )
    return None
