"""Raw HTML reaches the page only from constants, never from a student.

Streamlit escapes Markdown by default. Three doors let HTML through: ``st.html``
(and any ``*.html(...)`` call, such as ``components.html``), ``iframe`` and any
element called with ``unsafe_allow_html=True``. This test parses every module of
the package with :mod:`ast` and checks that what goes through those doors is
*constant*: a string literal, a module-level name assigned once from constants
(followed across ``dashboard`` imports), or a path built from constants. Query
parameters, widget values, session state and data are never constant, so they
can never reach them. ``unsafe_allow_javascript`` may not appear at all.

The checker is conservative: a call it cannot prove constant is a finding, and
each finding names ``file:line`` and the offending expression.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dashboard.core.paths import PACKAGE_DIR, REPO_ROOT

#: Attribute calls that insert HTML (``st.html``, ``components.html``,
#: ``components.iframe``) whatever object they are called on.
HTML_CALLS = frozenset({"html", "iframe"})
#: Keyword arguments that carry the markup or address of those calls.
HTML_KEYWORDS = frozenset({"body", "html", "src"})
#: Elements whose second positional argument is ``unsafe_allow_html``.
SECOND_ARG_UNSAFE = frozenset({"markdown", "caption"})
#: Elements that take ``unsafe_allow_html``.
TEXT_ELEMENTS = frozenset({"markdown", "caption", "write", "html", "text", "help"})
FORBIDDEN_NAMES = frozenset({"unsafe_allow_javascript"})
#: Calls whose result is constant when all their arguments are: building a
#: path, or reading a file that ships with the code.
PATH_CALLS = frozenset({"Path", "PurePath", "PurePosixPath", "pathlib.Path"})
CONSTANT_METHODS = frozenset(
    {"format", "strip", "replace", "join", "read_text", "dedent", "joinpath"}
)
CONSTANT_FUNCTIONS = frozenset({"textwrap.dedent", "dedent", "str"})


@dataclass(frozen=True)
class Finding:
    """One place where raw HTML may get input that is not constant."""

    path: str
    line: int
    expression: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}: {self.expression}"


@dataclass
class Module:
    """What the checker knows about one module."""

    name: str
    tree: ast.Module
    #: Module-level names bound exactly once, to the expression bound.
    assigned: dict[str, ast.expr] = field(default_factory=dict)
    #: Local alias -> (module, name) for ``from dashboard... import name``.
    imported_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Local alias -> module for ``import dashboard...`` / ``from dashboard import m``.
    imported_modules: dict[str, str] = field(default_factory=dict)


def _module_level_bindings(tree: ast.Module) -> dict[str, ast.expr]:
    """Names assigned exactly once at module level and never declared global."""
    counts: dict[str, int] = {}
    values: dict[str, ast.expr] = {}
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        elif isinstance(node, ast.AugAssign):
            targets = [node.target]
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    counts[name.id] = counts.get(name.id, 0) + 1
                    if isinstance(target, ast.Name) and value is not None:
                        values[name.id] = value
    rebound = {
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Global)
        for name in node.names
    }
    return {
        name: value
        for name, value in values.items()
        if counts[name] == 1 and name not in rebound
    }


def _parse(name: str, source: str) -> Module:
    tree = ast.parse(source)
    module = Module(name=name, tree=tree, assigned=_module_level_bindings(tree))
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                local = alias.asname or alias.name
                module.imported_names[local] = (node.module, alias.name)
                module.imported_modules[local] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                module.imported_modules[alias.asname or alias.name] = alias.name
    return module


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _locally_bound(function: ast.AST) -> set[str]:
    """Every name a function (or lambda) binds: parameters and assignments."""
    names: set[str] = set()
    arguments = getattr(function, "args", None)
    if isinstance(arguments, ast.arguments):
        every = [
            *arguments.posonlyargs,
            *arguments.args,
            *arguments.kwonlyargs,
            *(a for a in (arguments.vararg, arguments.kwarg) if a is not None),
        ]
        names.update(a.arg for a in every)
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


class Checker:
    """Finds non-constant input to raw-HTML calls in a set of modules."""

    def __init__(self, modules: dict[str, Module]) -> None:
        self.modules = modules

    # -- constant expressions ---------------------------------------------
    def _name_is_constant(
        self, module: Module, name: str, shadowed: set[str], seen: frozenset
    ) -> bool:
        if name in shadowed or (module.name, name) in seen:
            return False
        seen = seen | {(module.name, name)}
        if name in module.assigned:
            return self.is_constant(module, module.assigned[name], set(), seen)
        if name in module.imported_names:
            source, original = module.imported_names[name]
            if source == "dashboard.core.paths":
                return True  # folders of the installed package and repository
            target = self.modules.get(source)
            if target is not None:
                return self._name_is_constant(target, original, set(), seen)
        return False

    def is_constant(
        self,
        module: Module,
        node: ast.expr,
        shadowed: set[str],
        seen: frozenset = frozenset(),
    ) -> bool:
        """Whether ``node`` can only ever evaluate to the same value."""

        def constant(child: ast.expr) -> bool:
            return self.is_constant(module, child, shadowed, seen)

        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.JoinedStr):
            return all(constant(v) for v in node.values)
        if isinstance(node, ast.FormattedValue):
            return constant(node.value)
        if isinstance(node, ast.BinOp):
            return constant(node.left) and constant(node.right)
        if isinstance(node, ast.IfExp):
            return constant(node.body) and constant(node.orelse)
        if isinstance(node, ast.Tuple | ast.List):
            return all(constant(e) for e in node.elts)
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return True
            return self._name_is_constant(module, node.id, shadowed, seen)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            alias = node.value.id
            target = self.modules.get(module.imported_modules.get(alias, ""))
            if alias not in shadowed and target is not None:
                return self._name_is_constant(target, node.attr, set(), seen)
        if isinstance(node, ast.Attribute) and node.attr in {"parent", "name"}:
            return constant(node.value)
        if isinstance(node, ast.Call) and not node.keywords:
            function = ast.unparse(node.func)
            if function in PATH_CALLS | CONSTANT_FUNCTIONS:
                return all(constant(a) for a in node.args)
            if (
                isinstance(node.func, ast.Attribute)
                and node.func.attr in CONSTANT_METHODS
            ):
                return constant(node.func.value) and all(constant(a) for a in node.args)
        return False

    # -- the doors -------------------------------------------------------
    def check(self, module: Module, path: str) -> list[Finding]:
        findings: list[Finding] = []
        self._visit(module, path, module.tree, set(), findings)
        return findings

    def _visit(
        self,
        module: Module,
        path: str,
        node: ast.AST,
        shadowed: set[str],
        findings: list[Finding],
    ) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            shadowed = shadowed | _locally_bound(node)
        if isinstance(node, ast.Call):
            findings.extend(self._check_call(module, path, node, shadowed))
        if isinstance(node, ast.keyword) and node.arg in FORBIDDEN_NAMES:
            findings.append(
                Finding(path, node.value.lineno, f"{node.arg}=…", "forbidden keyword")
            )
        if isinstance(node, ast.Constant) and node.value in FORBIDDEN_NAMES:
            findings.append(Finding(path, node.lineno, repr(node.value), "forbidden"))
        if isinstance(node, ast.Constant) and node.value == "unsafe_allow_html":
            findings.append(
                Finding(
                    path, node.lineno, repr(node.value), "unsafe flag passed hidden"
                )
            )
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in FORBIDDEN_NAMES:
                findings.append(Finding(path, node.lineno, name, "forbidden name"))
        for child in ast.iter_child_nodes(node):
            self._visit(module, path, child, shadowed, findings)

    def _check_call(
        self, module: Module, path: str, call: ast.Call, shadowed: set[str]
    ) -> list[Finding]:
        function = call.func
        name = (
            function.attr
            if isinstance(function, ast.Attribute)
            else function.id
            if isinstance(function, ast.Name)
            else ""
        )
        html_call = isinstance(function, ast.Attribute) and name in HTML_CALLS
        if isinstance(function, ast.Name) and name in module.imported_names:
            source, original = module.imported_names[name]
            html_call = source.startswith("streamlit") and original in HTML_CALLS
        if (
            name == "getattr"
            and len(call.args) > 1
            and isinstance(call.args[1], ast.Constant)
            and call.args[1].value in HTML_CALLS
        ):
            return [self._finding(path, call, "getattr hides a raw-HTML call")]
        unsafe = False
        for keyword in call.keywords:
            if keyword.arg == "unsafe_allow_html" and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            ):
                unsafe = True
        if (
            name in SECOND_ARG_UNSAFE
            and len(call.args) > 1
            and not (
                isinstance(call.args[1], ast.Constant) and call.args[1].value is False
            )
        ):
            unsafe = True
        reason = "raw HTML from a value that is not constant"
        if name in TEXT_ELEMENTS and any(k.arg is None for k in call.keywords):
            return [
                self._finding(path, call, "** arguments may hide unsafe_allow_html")
            ]
        if not (html_call or unsafe):
            return []
        if any(k.arg is None for k in call.keywords) or any(
            isinstance(a, ast.Starred) for a in call.args
        ):
            return [self._finding(path, call, f"{reason} (** or * arguments)")]
        inputs = list(call.args[:1] if name in SECOND_ARG_UNSAFE else call.args)
        if html_call:
            inputs = list(call.args)
        inputs += [k.value for k in call.keywords if k.arg in HTML_KEYWORDS]
        return [
            self._finding(path, call, f"{reason} ({ast.unparse(value)})")
            for value in inputs
            if not self.is_constant(module, value, shadowed)
        ]

    @staticmethod
    def _finding(path: str, call: ast.Call, reason: str) -> Finding:
        return Finding(path, call.lineno, ast.unparse(call)[:160], reason)


def package_modules() -> dict[str, tuple[Path, Module]]:
    out = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        name = _module_name(path)
        out[name] = (path, _parse(name, path.read_text(encoding="utf-8")))
    return out


def check_package() -> list[Finding]:
    parsed = package_modules()
    checker = Checker({name: module for name, (_, module) in parsed.items()})
    findings = []
    for path, module in parsed.values():
        relative = path.relative_to(REPO_ROOT).as_posix()
        findings.extend(checker.check(module, relative))
    return findings


def check_source(source: str, extra: dict[str, str] | None = None) -> list[Finding]:
    """Check one module's source (named ``dashboard.ui.sample``).

    ``extra`` maps other module names to their source, for imports.
    """
    modules = {
        name: _parse(name, text)
        for name, text in {**(extra or {}), "dashboard.ui.sample": source}.items()
    }
    checker = Checker(modules)
    return checker.check(modules["dashboard.ui.sample"], "dashboard/ui/sample.py")


# -- the package --------------------------------------------------------------
def test_raw_html_in_the_package_gets_only_constants() -> None:
    findings = check_package()
    assert not findings, "\n".join(str(f) for f in findings)


def test_the_checker_sees_the_package_s_one_raw_html_call() -> None:
    """Guards against a checker that silently finds nothing to check."""
    parsed = package_modules()
    calls = [
        (name, node.lineno)
        for name, (_, module) in parsed.items()
        for node in ast.walk(module.tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in HTML_CALLS
    ]
    assert "dashboard.ui.presenter" in [name for name, _ in calls]


def test_the_checker_would_catch_the_presenter_echoing_the_address() -> None:
    """The real presenter module, changed to inject a query parameter, fails."""
    source = (PACKAGE_DIR / "ui" / "presenter.py").read_text(encoding="utf-8")
    assert "st.html(PRESENTER_CSS)" in source
    tampered = source.replace(
        "st.html(PRESENTER_CSS)", "st.html(PRESENTER_CSS + st.query_params['css'])"
    )
    [finding] = check_source(tampered)
    assert "st.query_params['css']" in str(finding)


def test_unsafe_allow_javascript_is_never_used() -> None:
    for path in PACKAGE_DIR.rglob("*.py"):
        assert "unsafe_allow_javascript" not in path.read_text(encoding="utf-8"), path


# -- the checker finds what it must ----------------------------------------
BAD = [
    (
        "query parameter into st.html",
        "import streamlit as st\nst.html(st.query_params['x'])\n",
        2,
    ),
    (
        "f-string of a widget value",
        "import streamlit as st\n"
        "name = st.text_input('Name')\n"
        "st.markdown(f'<b>{name}</b>', unsafe_allow_html=True)\n",
        3,
    ),
    (
        "session state into st.write",
        "import streamlit as st\n"
        "st.write(st.session_state['note'], unsafe_allow_html=True)\n",
        2,
    ),
    (
        "unsafe flag as the second positional argument",
        "import streamlit as st\n\ndef show(text):\n    st.markdown(text, True)\n",
        4,
    ),
    (
        "unsafe flag from a variable",
        "import streamlit as st\n\ndef show(text, raw):\n"
        "    st.caption(text, unsafe_allow_html=raw)\n",
        4,
    ),
    (
        "components.html with data",
        "import streamlit.components.v1 as components\n"
        "import pandas as pd\n"
        "frame = pd.read_csv('x.csv')\n"
        "components.html(frame.to_html())\n",
        4,
    ),
    (
        "st.html on a container",
        "import streamlit as st\n\ndef panel(box, text):\n    box.html(text)\n",
        4,
    ),
    (
        "html imported by name",
        "from streamlit import html\nimport streamlit as st\n"
        "html(st.query_params.get('x', ''))\n",
        3,
    ),
    (
        "a constant name shadowed by a local",
        "import streamlit as st\nCSS = '<style></style>'\n\n"
        "def show():\n    CSS = st.query_params['css']\n    st.html(CSS)\n",
        6,
    ),
    (
        "a module constant reassigned",
        "import streamlit as st\nCSS = '<style></style>'\n"
        "CSS = CSS + st.query_params['x']\nst.html(CSS)\n",
        4,
    ),
    (
        "a module constant changed through global",
        "import streamlit as st\nCSS = '<style></style>'\n\n"
        "def tweak(x):\n    global CSS\n    CSS = x\n\nst.html(CSS)\n",
        8,
    ),
    (
        "keyword arguments unpacked",
        "import streamlit as st\nopts = {'unsafe_allow_html': True}\n"
        "st.markdown('<b>x</b>', **opts)\n",
        3,
    ),
    (
        "getattr(st, 'html')",
        "import streamlit as st\ngetattr(st, 'html')(st.query_params['x'])\n",
        2,
    ),
    (
        "iframe address from the URL",
        "import streamlit.components.v1 as components\nimport streamlit as st\n"
        "components.iframe(src=st.query_params['u'])\n",
        3,
    ),
    (
        "unsafe_allow_javascript",
        "import streamlit as st\nst.html('<p>x</p>', unsafe_allow_javascript=True)\n",
        2,
    ),
]


@pytest.mark.parametrize(
    ("source", "line"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_the_checker_finds_unsafe_input(source: str, line: int) -> None:
    findings = check_source(source)
    assert findings, "the checker missed it"
    assert line in {f.line for f in findings}
    assert all(
        str(f).startswith(f"dashboard/ui/sample.py:{f.line}: ") for f in findings
    )


def test_a_finding_names_file_line_and_expression() -> None:
    [finding] = check_source(
        "import streamlit as st\n\n\nst.html(f'<p>{st.query_params[\"q\"]}</p>')\n"
    )
    text = str(finding)
    assert text.startswith("dashboard/ui/sample.py:4: ")
    assert "st.query_params['q']" in text


def test_a_value_imported_from_another_module_is_followed() -> None:
    extra = {
        "dashboard.ui.styles": "import streamlit as st\nCSS = st.query_params['c']\n"
    }
    source = (
        "import streamlit as st\nfrom dashboard.ui.styles import CSS\nst.html(CSS)\n"
    )
    assert check_source(source, extra)
    extra = {"dashboard.ui.styles": "CSS = '<style>p { color: red; }</style>'\n"}
    assert not check_source(source, extra)
    source = (
        "import streamlit as st\nfrom dashboard.ui import styles\nst.html(styles.CSS)\n"
    )
    assert not check_source(source, extra)


GOOD = [
    (
        "literal",
        "import streamlit as st\nst.html('<style>p { margin: 0; }</style>')\n",
    ),
    (
        "module constant, as presenter.py does",
        "import streamlit as st\n"
        "CSS = '''<style>\nhtml { font-size: 22px; }\n</style>'''\n"
        "\ndef on():\n    st.html(CSS)\n",
    ),
    (
        "constant built from constants",
        "import streamlit as st\nA = '<style>'\nB = A + 'p {}' + '</style>'\n"
        "st.html(f'{B}')\n",
    ),
    (
        "a Path to a file shipped with the code",
        "from pathlib import Path\nimport streamlit as st\n"
        "HERE = Path(__file__).parent\nst.html(HERE / 'banner.html')\n",
    ),
    (
        "a Path under the package folder",
        "import streamlit as st\nfrom dashboard.core.paths import PACKAGE_DIR\n"
        "st.html(PACKAGE_DIR / 'ui' / 'banner.html')\n",
    ),
    (
        "escaped Markdown is not raw HTML",
        "import streamlit as st\nst.markdown(st.query_params.get('x', ''))\n"
        "st.markdown('x', unsafe_allow_html=False)\n",
    ),
    (
        "a choice between constants",
        "import streamlit as st\n"
        "LIGHT = '<style>a{}</style>'\nDARK = '<style>b{}</style>'\n"
        "\ndef show(dark):\n    st.html(DARK if dark else LIGHT)\n",
    ),
]


@pytest.mark.parametrize("source", [g[1] for g in GOOD], ids=[g[0] for g in GOOD])
def test_the_checker_accepts_constant_input(source: str) -> None:
    assert check_source(source) == []
