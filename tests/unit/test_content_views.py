"""No section's failure can leave a later section with a missing name.

A view runs each section inside ``with section_guard(...)``. A name bound
inside one guard and read after it is unbound when that section fails: the
efficacy page once raised ``NameError: name 'view' is not defined`` below a
clear message about a broken CSV. Every view must bind such a name before the
guard (``view = None``) and pass it on through ``errors.needs``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dashboard.core.paths import VIEWS_DIR


def _is_guard(node: ast.AST) -> bool:
    return isinstance(node, ast.With) and any(
        isinstance(item.context_expr, ast.Call)
        and ast.unparse(item.context_expr.func).endswith("section_guard")
        for item in node.items
    )


def _stored(node: ast.AST) -> set[str]:
    return {
        n.id
        for n in ast.walk(node)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }


def guard_leaks(source: str) -> list[str]:
    """``name (line N)`` for each read of a name that only a failed guard binds."""
    tree = ast.parse(source)
    guards = [n for n in ast.walk(tree) if _is_guard(n)]
    inside = {id(n) for g in guards for n in ast.walk(g)}
    outside_stores = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Name)
        and isinstance(n.ctx, ast.Store)
        and id(n) not in inside
    ]
    leaks = []
    for guard in guards:
        own = {id(n) for n in ast.walk(guard)}
        for name in _stored(guard):
            safe = any(s.id == name and s.lineno < guard.lineno for s in outside_stores)
            if safe:
                continue
            leaks.extend(
                f"{name} (line {n.lineno})"
                for n in ast.walk(tree)
                if isinstance(n, ast.Name)
                and isinstance(n.ctx, ast.Load)
                and n.id == name
                and id(n) not in own
                and n.lineno > guard.end_lineno
            )
    return leaks


def test_the_check_finds_the_old_efficacy_pattern() -> None:
    old = (
        "with section_guard('the evidence charts'):\n"
        "    chosen = filters()\n"
        "    view = evidence_view(chosen)\n"
        "with section_guard('the data table'):\n"
        "    table(view)\n"
    )
    assert guard_leaks(old) == ["view (line 5)"]
    fixed = "view = None\n" + old.replace("table(view)", "table(needs(view, 'x'))")
    assert guard_leaks(fixed) == []


@pytest.mark.parametrize("path", sorted(VIEWS_DIR.glob("*.py")), ids=lambda p: p.name)
def test_no_view_reads_a_name_only_a_failed_section_binds(path: Path) -> None:
    assert guard_leaks(path.read_text(encoding="utf-8")) == []
