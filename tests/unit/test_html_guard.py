"""Raw HTML reaches the page only from presenter.py's constant stylesheet.

Streamlit escapes Markdown by default. The doors that let HTML through are
``st.html``, ``st.iframe``, ``streamlit.components.v1`` (``html``, ``iframe``,
``declare_component``), ``.html(...)`` called on any container, and
``unsafe_allow_html`` on any text element. Ruff bans every door it can name
(``[tool.ruff.lint.flake8-tidy-imports.banned-api]`` in pyproject.toml, rule
TID251) everywhere but ``dashboard/ui/presenter.py``, so an editor flags it as
it is typed. :func:`ruff_cannot_see` checks the rest: keywords and positional
flags, calls on objects ruff cannot resolve, names hidden in strings.
``tests/unit/test_architecture.py`` checks that the presenter's one call stays
``st.html(STYLESHEET)`` with a literal stylesheet. ``unsafe_allow_javascript``
may not appear at all.

The examples below are the ones the former 554-line constant-following guard
was proved with; each must be caught, by ruff, by the small check, or by both.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from dashboard.core.paths import PACKAGE_DIR, REPO_ROOT

#: Calls that insert raw HTML or an iframe, whatever object they are called on.
HTML_CALLS = frozenset({"html", "iframe"})
#: Elements that take ``unsafe_allow_html``; the first two as second argument.
TEXT_ELEMENTS = frozenset({"markdown", "caption", "write", "html", "text", "help"})
SECOND_ARG_UNSAFE = frozenset({"markdown", "caption"})
UNSAFE_FLAGS = frozenset({"unsafe_allow_html", "unsafe_allow_javascript"})


def _is_false(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def ruff_cannot_see(source: str) -> list[tuple[int, str]]:
    """``(line, what)`` for each raw-HTML door that ruff's banned-api misses."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and node.value in UNSAFE_FLAGS:
            found.append((node.lineno, f"{node.value} hidden in a string"))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = getattr(func, "attr", getattr(func, "id", ""))
        if isinstance(func, ast.Attribute) and name in HTML_CALLS:
            found.append((node.lineno, f"raw HTML: {ast.unparse(func)}(...)"))
        if name == "getattr" and any(
            isinstance(a, ast.Constant) and a.value in HTML_CALLS for a in node.args
        ):
            found.append((node.lineno, "getattr hides a raw-HTML call"))
        for keyword in node.keywords:
            if keyword.arg in UNSAFE_FLAGS and not _is_false(keyword.value):
                found.append((node.lineno, f"{keyword.arg}= not False"))
            if keyword.arg is None and name in TEXT_ELEMENTS:
                found.append((node.lineno, "** may hide unsafe_allow_html"))
        second = node.args[1] if len(node.args) > 1 else None
        if name in SECOND_ARG_UNSAFE and second is not None and not _is_false(second):
            found.append((node.lineno, "unsafe_allow_html as 2nd argument"))
    return found


def _ruff() -> str:
    local = Path(sys.executable).with_name("ruff")
    return str(local) if local.exists() else shutil.which("ruff") or "ruff"


def ruff_banned_api(folder: Path) -> dict[str, set[int]]:
    """Lines that ``ruff check --select TID251`` flags, by path under ``folder``."""
    result = subprocess.run(
        [
            _ruff(),
            "check",
            "--select",
            "TID251",
            "--no-cache",
            "--exit-zero",
            "--output-format",
            "json",
            ".",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    flagged: dict[str, set[int]] = {}
    for item in json.loads(result.stdout):
        path = Path(item["filename"]).resolve().relative_to(folder.resolve())
        flagged.setdefault(path.as_posix(), set()).add(item["location"]["row"])
    return flagged


# -- the package --------------------------------------------------------------
def test_the_repository_passes_the_banned_api_rule() -> None:
    assert ruff_banned_api(REPO_ROOT) == {}


def test_the_package_s_only_raw_html_is_the_presenter_stylesheet() -> None:
    found = {
        (path.relative_to(PACKAGE_DIR).as_posix(), what)
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        for _, what in ruff_cannot_see(path.read_text(encoding="utf-8"))
    }
    assert found == {("ui/presenter.py", "raw HTML: st.html(...)")}


def test_only_the_presenter_is_exempt_from_the_ban() -> None:
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["ruff"]
    exempt = {
        path
        for path, rules in config["lint"]["per-file-ignores"].items()
        if {"TID", "TID251"} & set(rules)
    }
    assert exempt == {"dashboard/ui/presenter.py"}


def test_unsafe_allow_javascript_is_never_used() -> None:
    for path in PACKAGE_DIR.rglob("*.py"):
        assert "unsafe_allow_javascript" not in path.read_text(encoding="utf-8"), path


# -- the examples: (name, source, line ruff flags, line the small check flags) --
BAD = [
    (
        "query parameter into st.html",
        "import streamlit as st\nst.html(st.query_params['x'])\n",
        2,
        2,
    ),
    (
        "f-string of a widget value",
        "import streamlit as st\n"
        "name = st.text_input('Name')\n"
        "st.markdown(f'<b>{name}</b>', unsafe_allow_html=True)\n",
        None,
        3,
    ),
    (
        "session state into st.write",
        "import streamlit as st\n"
        "st.write(st.session_state['note'], unsafe_allow_html=True)\n",
        None,
        2,
    ),
    (
        "unsafe flag as the second positional argument",
        "import streamlit as st\n\ndef show(text):\n    st.markdown(text, True)\n",
        None,
        4,
    ),
    (
        "unsafe flag from a variable",
        "import streamlit as st\n\ndef show(text, raw):\n"
        "    st.caption(text, unsafe_allow_html=raw)\n",
        None,
        4,
    ),
    (
        "components.html with data",
        "import streamlit.components.v1 as components\n"
        "import pandas as pd\n"
        "frame = pd.read_csv('x.csv')\n"
        "components.html(frame.to_html())\n",
        4,
        4,
    ),
    (
        "st.html on a container",
        "import streamlit as st\n\ndef panel(box, text):\n    box.html(text)\n",
        None,
        4,
    ),
    (
        "html imported by name",
        "from streamlit import html\nimport streamlit as st\n"
        "html(st.query_params.get('x', ''))\n",
        1,
        None,
    ),
    (
        "a constant name shadowed by a local",
        "import streamlit as st\nCSS = '<style></style>'\n\n"
        "def show():\n    CSS = st.query_params['css']\n    st.html(CSS)\n",
        6,
        6,
    ),
    (
        "a module constant reassigned",
        "import streamlit as st\nCSS = '<style></style>'\n"
        "CSS = CSS + st.query_params['x']\nst.html(CSS)\n",
        4,
        4,
    ),
    (
        "a module constant changed through global",
        "import streamlit as st\nCSS = '<style></style>'\n\n"
        "def tweak(x):\n    global CSS\n    CSS = x\n\nst.html(CSS)\n",
        8,
        8,
    ),
    (
        "keyword arguments unpacked",
        "import streamlit as st\nopts = {'unsafe_allow_html': True}\n"
        "st.markdown('<b>x</b>', **opts)\n",
        None,
        3,
    ),
    (
        "getattr(st, 'html')",
        "import streamlit as st\ngetattr(st, 'html')(st.query_params['x'])\n",
        None,
        2,
    ),
    (
        "iframe address from the URL",
        "import streamlit.components.v1 as components\nimport streamlit as st\n"
        "components.iframe(src=st.query_params['u'])\n",
        3,
        3,
    ),
    (
        "unsafe_allow_javascript",
        "import streamlit as st\nst.html('<p>x</p>', unsafe_allow_javascript=True)\n",
        2,
        2,
    ),
    # Doors the former guard did not list.
    (
        "st.iframe",
        "import streamlit as st\nst.iframe(st.query_params['u'])\n",
        2,
        2,
    ),
    (
        "an alias of st.html, never called by that name",
        "import streamlit as st\nshow = st.html\nshow(st.query_params['x'])\n",
        2,
        None,
    ),
    (
        "a v1 component (an iframe) declared from a folder",
        "from streamlit.components.v1 import declare_component\n"
        "jar = declare_component('jar', path='build')\n",
        1,
        None,
    ),
]
GOOD = [
    (
        "escaped Markdown is not raw HTML",
        "import streamlit as st\nst.markdown(st.query_params.get('x', ''))\n"
        "st.markdown('x', unsafe_allow_html=False)\nst.caption('x', False)\n",
    ),
    (
        "a table rendered to HTML for a file, not the page",
        "import pandas as pd\nframe = pd.DataFrame()\nsaved = frame.to_html()\n",
    ),
    (
        "a v2 component whose script ships with the code",
        "import streamlit as st\n"
        "jar = st.components.v2.component('jar', js='cookie_jar.js')\n",
    ),
]


@pytest.fixture(scope="module")
def ruff_flags(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[int]]:
    """Ruff run once over every example, with this repository's ruff config."""
    folder = tmp_path_factory.mktemp("ruff")
    shutil.copy(REPO_ROOT / "pyproject.toml", folder / "pyproject.toml")
    (folder / "dashboard" / "ui").mkdir(parents=True)
    for number, (_, source, *_) in enumerate(BAD + GOOD):
        (folder / "dashboard" / "ui" / f"sample_{number}.py").write_text(source)
    return ruff_banned_api(folder)


@pytest.mark.parametrize(
    ("number", "source", "ruff_line", "ast_line"),
    [(n, *b[1:]) for n, b in enumerate(BAD)],
    ids=[b[0] for b in BAD],
)
def test_each_example_is_caught(
    ruff_flags: dict[str, set[int]],
    number: int,
    source: str,
    ruff_line: int | None,
    ast_line: int | None,
) -> None:
    flagged_by_ruff = ruff_flags.get(f"dashboard/ui/sample_{number}.py", set())
    flagged_by_ast = {line for line, _ in ruff_cannot_see(source)}
    assert ruff_line is not None or ast_line is not None
    if ruff_line is None:
        assert flagged_by_ruff == set(), "ruff sees it now: drop it from the check?"
    else:
        assert ruff_line in flagged_by_ruff
    if ast_line is None:
        assert flagged_by_ast == set()
    else:
        assert ast_line in flagged_by_ast


@pytest.mark.parametrize(
    ("number", "source"),
    [(len(BAD) + n, g[1]) for n, g in enumerate(GOOD)],
    ids=[g[0] for g in GOOD],
)
def test_escaped_and_shipped_content_is_accepted(
    ruff_flags: dict[str, set[int]], number: int, source: str
) -> None:
    assert f"dashboard/ui/sample_{number}.py" not in ruff_flags
    assert ruff_cannot_see(source) == []
