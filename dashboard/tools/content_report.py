"""Print what in the content needs a person's attention: ``make content-report``.

Lists data rows and references that rest on secondary or unattributed sources,
rows and Markdown files not checked against their sources for 12 months, and
anything that cites a guideline the guidance timeline marks as superseded
(:mod:`dashboard.core.review_trail`). A file that fails its schema is reported
as such, with the validator's message, and the rest is still checked.

Usage::

    python -m dashboard.tools.content_report [--today YYYY-MM-DD] [--months 12]
        [--summary] [--strict]

``--summary`` prints only the counts by file and kind (the table in the README).

``--strict`` exits with status 1 when anything needs attention (for a CI job
that wants to enforce the trail); the default exits 0 and only reports.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from dashboard.core import content, datasets, review_trail, schemas
from dashboard.core.paths import CONTENT_DIR, DATA_DIR
from dashboard.core.site import PAGE_SLUGS


def main(argv: list[str] | None = None) -> int:
    """Build and print the report; see the module docstring for the options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--summary", action="store_true")
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args(argv)

    frames, broken = {}, []
    for name, schema in schemas.SCHEMAS.items():
        try:
            frames[name] = datasets.load_dataset(schema, DATA_DIR)
        except datasets.DataError as error:
            broken.append(f"- {schema.filename}: {error}")
    references = frames.get("references")
    known = None if references is None else references["id"].tolist()
    try:
        docs = content.load_all(
            CONTENT_DIR, known_pages=PAGE_SLUGS, known_sources=known
        )
    except content.ContentError as error:
        broken.append(f"- Markdown content: {error}")
        docs = []
    timeline = frames.get("guidance_timeline")
    superseded = (
        [] if timeline is None else review_trail.superseded_guidelines(timeline)
    )
    report = review_trail.build_report(
        frames,
        docs,
        today=args.today,
        superseded=superseded,
        max_age_months=args.months,
        references=(
            {}
            if references is None
            else dict(zip(references["id"], references["source"], strict=True))
        ),
    )
    render = (
        review_trail.report_summary if args.summary else review_trail.report_markdown
    )
    print(render(report, today=args.today, max_age_months=args.months))
    if broken:
        print("\n## Files that fail their contract: " + str(len(broken)))
        print("\n".join(broken))
    return 1 if args.strict and (broken or report.needs_attention) else 0


if __name__ == "__main__":
    sys.exit(main())
