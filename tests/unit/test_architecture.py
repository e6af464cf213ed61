"""Layering: pure code never imports streamlit; one literal stylesheet; pages wired."""

from __future__ import annotations

import ast
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

from dashboard.core.paths import PACKAGE_DIR, REPO_ROOT
from dashboard.core.site import PAGES

PURE_PACKAGES = ("core", "charts", "models")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path",
    [p for pkg in PURE_PACKAGES for p in sorted((PACKAGE_DIR / pkg).glob("*.py"))],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_pure_modules_never_import_streamlit(path: Path) -> None:
    bad = {n for n in _imports(path) if n.split(".")[0] == "streamlit"}
    bad |= {
        n for n in _imports(path) if n.startswith(("dashboard.ui", "dashboard.views"))
    }
    assert bad == set()


def _injects_only_a_literal_stylesheet(source: str) -> bool:
    """One ``st.html(STYLESHEET)``, STYLESHEET a string literal bound once.

    presenter.py is the one file exempt from ruff's raw-HTML ban (TID251, see
    tests/unit/test_html_guard.py), so this is what keeps it constant.
    """
    tree = ast.parse(source)
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("html")
    ]
    bound = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign)
        and "STYLESHEET" in ast.unparse(node).split("=")[0]
    ]
    return (
        len(calls) == 1
        and ast.unparse(calls[0]) == "st.html(STYLESHEET)"
        and len(bound) == 1
        and isinstance(bound[0], ast.Constant)
        and isinstance(bound[0].value, str)
    )


def test_the_only_injected_css_is_a_constant() -> None:
    source = (PACKAGE_DIR / "ui" / "presenter.py").read_text(encoding="utf-8")
    assert _injects_only_a_literal_stylesheet(source)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("st.html(STYLESHEET)", "st.html(STYLESHEET + st.query_params['css'])"),
        ("st.html(STYLESHEET)", "st.html(STYLESHEET)\n    st.html(notes)"),
        ('STYLESHEET = """', 'STYLESHEET = st.query_params["css"] + """'),
        ("    return on\n", "    STYLESHEET += 'x'\n    return on\n"),
    ],
    ids=["echoes the address", "a second call", "built from input", "changed later"],
)
def test_a_presenter_injecting_anything_else_fails(old: str, new: str) -> None:
    source = (PACKAGE_DIR / "ui" / "presenter.py").read_text(encoding="utf-8")
    assert old in source
    assert not _injects_only_a_literal_stylesheet(source.replace(old, new, 1))


def test_cache_lives_only_in_ui_cached() -> None:
    users = {
        p.relative_to(PACKAGE_DIR).as_posix()
        for p in PACKAGE_DIR.rglob("*.py")
        if "st.cache_data" in (text := p.read_text(encoding="utf-8"))
        or "st.cache_resource" in text
    }
    assert users == {"ui/cached.py"}


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.slug)
def test_every_page_has_a_view(spec) -> None:
    assert (PACKAGE_DIR / spec.view_path).is_file()


def test_every_view_is_registered() -> None:
    registered = {spec.view_path for spec in PAGES}
    views = {f"views/{p.name}" for p in (PACKAGE_DIR / "views").glob("*.py")}
    assert views - {"views/__init__.py"} == registered


def test_no_pages_folder_beside_the_entrypoint() -> None:
    assert not (PACKAGE_DIR / "pages").exists()


def test_app_only_configures_and_routes() -> None:
    source = (PACKAGE_DIR / "app.py").read_text(encoding="utf-8")
    calls = [
        ast.unparse(node.func)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
    ]
    assert sorted(calls) == sorted(
        [
            "st.set_page_config",
            "st.query_params.get",
            "st.navigation",
            "current.run",
            "page.footer",
            "build_pages",
            "url_state.snapshot",
            "url_state.report",
            "patches.apply",
            "presenter.forget_link_slot",
            "presenter.refresh_link",
            "heap.after_run",
        ]
    )


def test_streamlit_config_hides_errors_and_developer_menus() -> None:
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["enableXsrfProtection"] is True


def test_streamlit_is_new_enough() -> None:
    major, minor = (int(x) for x in version("streamlit").split(".")[:2])
    assert (major, minor) >= (1, 67)


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme
    assert "\nmake test" in ci


def test_pages_are_built_once_and_copied_for_each_run(monkeypatch):
    """Each run gets its own Page objects (Streamlit sets per-run flags on them)."""
    from types import SimpleNamespace

    from dashboard import navigation
    from dashboard.core.paths import PACKAGE_DIR

    ctx = SimpleNamespace(pages_manager=SimpleNamespace(main_script_parent=PACKAGE_DIR))
    monkeypatch.setattr(navigation, "get_script_run_ctx", lambda: ctx)
    monkeypatch.setattr(navigation, "_TEMPLATES", {})
    built = []

    def new_pages():
        built.append(1)
        return [SimpleNamespace(title="Home", _can_be_called=False)]

    monkeypatch.setattr(navigation, "_new_pages", new_pages)
    first, second = navigation.build_pages(), navigation.build_pages()
    assert built == [1]
    assert first[0] is not second[0]
    first[0]._can_be_called = True  # Streamlit ordains the page it will run
    assert second[0]._can_be_called is False
    assert second[0].title == "Home"


#: Page-layer modules used by several pages, and by which.
SHARED_PARTS = {"retrieval": ("quiz", "mechanism")}


def _module_name(spec) -> str:
    return spec.slug.replace("-", "_")


@pytest.mark.parametrize("layer", ["models", "sections"])
def test_every_module_of_a_page_layer_is_named_after_its_page(layer: str) -> None:
    """One name per page in every layer: ``<page>.py`` or ``<page>_<part>.py``.

    The one exception is named in :data:`SHARED_PARTS`, with its users.
    """
    names = {_module_name(spec) for spec in PAGES} | set(SHARED_PARTS)
    strays = [
        path.name
        for path in (PACKAGE_DIR / layer).glob("*.py")
        if path.stem != "__init__"
        and not any(path.stem == n or path.stem.startswith(f"{n}_") for n in names)
    ]
    assert strays == []


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.slug)
def test_every_page_has_a_model_named_like_its_view(spec) -> None:
    assert (PACKAGE_DIR / "models" / f"{_module_name(spec)}.py").is_file()
