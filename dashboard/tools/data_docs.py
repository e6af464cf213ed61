"""Print a Markdown table of columns for every dataset schema.

Usage: ``make data-docs`` prints every section; ``python -m
dashboard.tools.data_docs --write`` replaces each dataset's section of
``content/data/README.md`` in place (new datasets are appended), leaving the
prose above them alone. ``tests/repo/test_repo_data.py`` fails if a table there
is out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from dashboard.core.datasets import Schema, describe_schema
from dashboard.core.paths import DATA_DIR
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


def rewrite_readme(text: str) -> str:
    """``text`` with every dataset section replaced by its current schema table."""
    for schema in SCHEMAS.values():
        section = schema_markdown(schema)
        heading = re.escape(f"## {schema.filename}")
        pattern = re.compile(rf"^{heading}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
        if pattern.search(text):
            text = pattern.sub(lambda _m, s=section: s + "\n\n", text, count=1)
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
    return text.rstrip("\n") + "\n"


def main(argv: list[str]) -> None:
    """Print the sections, or with ``--write`` update the README in place."""
    if "--write" in argv:
        readme: Path = DATA_DIR / "README.md"
        readme.write_text(rewrite_readme(readme.read_text("utf-8")), "utf-8")
        print(f"updated {readme}")
    else:
        print("\n\n".join(schema_markdown(s) for s in SCHEMAS.values()))


if __name__ == "__main__":
    main(sys.argv[1:])
