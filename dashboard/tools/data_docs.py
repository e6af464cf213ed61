"""Print a Markdown table of columns for every dataset schema.

Usage: ``make data-docs``; paste the output into ``content/data/README.md``.
``tests/unit/test_repo_data.py`` fails if a table there is out of date.
"""

from __future__ import annotations

from dashboard.core.datasets import Schema, describe_schema
from dashboard.core.schemas import SCHEMAS


def schema_markdown(schema: Schema) -> str:
    """The README section for ``schema``: heading, description and column table."""
    lines = [
        f"## {schema.filename}",
        "",
        schema.description,
        "",
        "| column | type | unit | required | rule | meaning |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines.extend(
        f"| `{r['column']}` | {r['type']} | {r['unit']} | {r['required']} | "
        f"{r['rule']} | {r['meaning']} |"
        for r in describe_schema(schema)
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print("\n\n".join(schema_markdown(s) for s in SCHEMAS.values()))
