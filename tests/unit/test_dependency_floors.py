"""Installed packages are at or above the versions that fixed known advisories.

This is the offline half of the dependency audit: ``pip-audit`` in CI needs its
vulnerability service, which is not always reachable (``.ci/audit``). Each floor
below names the advisory that sets it. Streamlit's are in
``shared/reference/streamlit_notes.md`` section 8; the others are for the
packages that face the network under Streamlit 1.67 (Starlette, uvicorn's
``h11``, ``python-multipart``, ``protobuf`` for the websocket messages) or that
parse files (PyYAML for the content's front matter, Jinja2, Pillow), and for the
HTTP client stack. The test also checks that ``requirements.txt`` and
``pyproject.toml`` declare the same floors, and that the environment satisfies
them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from dashboard.core.paths import REPO_ROOT


@dataclass(frozen=True)
class Floor:
    """The first safe version of a package, per release line when there are several.

    ``fixed`` lists the version that fixed the advisories in each maintained
    release line (as the advisories publish them); an installed version is safe
    if it is at or above the fix of its own line, or above every fix.
    """

    package: str
    fixed: tuple[str, ...]
    advisories: str

    def allows(self, installed: Version) -> bool:
        fixes = sorted(Version(f) for f in self.fixed)
        if installed >= fixes[-1]:
            return True
        same_line = [f for f in fixes if f.release[:2] == installed.release[:2]] or [
            f for f in fixes if f.major == installed.major
        ]
        return bool(same_line) and installed >= same_line[0]


FLOORS = (
    Floor(
        "streamlit",
        ("1.54.0",),
        "CVE-2026-33682 / GHSA-7p48-42j8-8846 (SSRF and NTLM leak, fixed 1.54.0); "
        "CVE-2026-10804 / PYSEC-2026-212 (fixed 1.53.1); CVE-2024-42474 (1.37.0); "
        "GHSA-8qw9-gf7w-42x5 (1.30.0); CVE-2022-35918 (1.11.1); "
        "CVE-2023-27494 (0.81.0)",
    ),
    Floor(
        "starlette",
        ("0.49.1",),
        "CVE-2025-62727 / GHSA-7f5h-v6xp-fcq8 (Range header DoS, fixed 0.49.1); "
        "CVE-2025-54121 / GHSA-2c2j-9gv5-cj73 (multipart DoS, 0.47.2); "
        "CVE-2024-47874 (0.40.0); CVE-2023-29159 / PYSEC-2023-83 (path "
        "traversal, 0.27.0). Streamlit 1.67 itself allows starlette>=0.46.0.",
    ),
    Floor(
        "h11",
        ("0.16.0",),
        "CVE-2025-43859 (request smuggling in uvicorn's HTTP parser, fixed 0.16.0)",
    ),
    Floor(
        "python-multipart",
        ("0.0.26",),
        "CVE-2024-53981 (0.0.18); CVE-2026-24486 (path traversal, 0.0.22); "
        "CVE-2026-40347 (DoS, 0.0.26). Streamlit 1.67 allows >=0.0.10.",
    ),
    Floor(
        "protobuf",
        ("4.25.8", "5.29.5", "6.31.1"),
        "CVE-2025-4565 / GHSA-8qvm-5x2c-j2w7 (recursion DoS in the pure-Python "
        "parser; fixed in 4.25.8, 5.29.5 and 6.31.1). Streamlit allows >=5.26.1.",
    ),
    Floor(
        "pyyaml",
        ("5.4",),
        "CVE-2020-14343 / PYSEC-2021-142 (code execution via full_load, fixed 5.4)",
    ),
    Floor(
        "jinja2",
        ("3.1.6",),
        "CVE-2025-27516 and the 2024 sandbox escapes (fixed by 3.1.6)",
    ),
    Floor(
        "pillow",
        ("10.3.0",),
        "CVE-2024-28219 / GHSA-44wm-f244-xhp3 and CVE-2023-50447 / "
        "GHSA-3f63-hfp8-52jq (fixed by 10.3.0). Streamlit allows >=9.2.0.",
    ),
    Floor("requests", ("2.32.4",), "CVE-2024-47081 (netrc credential leak, 2.32.4)"),
    Floor("urllib3", ("2.6.3",), "CVE-2026-21441 (fixed 2.6.3)"),
)


def _installed(package: str) -> Version:
    try:
        return Version(version(package))
    except PackageNotFoundError:
        pytest.fail(f"{package} is not installed")


@pytest.mark.parametrize("floor", FLOORS, ids=lambda f: f.package)
def test_installed_version_is_past_known_advisories(floor: Floor) -> None:
    installed = _installed(floor.package)
    assert floor.allows(installed), (
        f"{floor.package} {installed} is older than the fix for: {floor.advisories}. "
        f"Upgrade it (pip install -U '{floor.package}')."
    )


@pytest.mark.parametrize(
    ("fixed", "installed", "allowed"),
    [
        (("1.54.0",), "1.53.1", False),
        (("1.54.0",), "1.54.0", True),
        (("1.54.0",), "1.67.0", True),
        (("4.25.8", "5.29.5", "6.31.1"), "5.29.4", False),
        (("4.25.8", "5.29.5", "6.31.1"), "5.29.5", True),
        (("4.25.8", "5.29.5", "6.31.1"), "6.30.0", False),
        (("4.25.8", "5.29.5", "6.31.1"), "7.36.2", True),
        (("4.25.8", "5.29.5", "6.31.1"), "3.20.3", False),
    ],
)
def test_a_floor_is_read_per_release_line(fixed, installed, allowed) -> None:
    assert Floor("p", fixed, "").allows(Version(installed)) is allowed


# -- the project's own declarations ------------------------------------------
def _requirements_txt(name: str) -> dict[str, Requirement]:
    out = {}
    for raw in (REPO_ROOT / name).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            requirement = Requirement(line)
            out[canonicalize_name(requirement.name)] = requirement
    return out


def _pyproject() -> dict[str, Requirement]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    return {
        canonicalize_name(r.name): r
        for r in (Requirement(line) for line in project["dependencies"])
    }


def test_requirements_txt_and_pyproject_declare_the_same_dependencies() -> None:
    txt, toml = _requirements_txt("requirements.txt"), _pyproject()
    assert sorted(txt) == sorted(toml)
    for name in txt:
        assert txt[name].specifier == toml[name].specifier, name
        assert txt[name].extras == toml[name].extras, name


@pytest.mark.parametrize("file", ["requirements.txt", "requirements-dev.txt"])
def test_the_environment_satisfies_the_declared_versions(file: str) -> None:
    for name, requirement in _requirements_txt(file).items():
        installed = _installed(name)
        assert requirement.specifier.contains(installed, prereleases=True), (
            f"{name} {installed} does not satisfy {requirement} ({file})"
        )


def test_declared_floors_exclude_known_vulnerable_versions() -> None:
    """A fresh install from requirements.txt can never pick a vulnerable release."""
    declared = _requirements_txt("requirements.txt")
    checked = 0
    for floor in FLOORS:
        requirement = declared.get(canonicalize_name(floor.package))
        if requirement is None:
            continue  # a transitive dependency: checked as installed, above
        lower = [s for s in requirement.specifier if s.operator in (">=", "~=", "==")]
        assert lower, f"{floor.package} has no lower bound in requirements.txt"
        for spec in lower:
            assert floor.allows(Version(spec.version)), (
                f"requirements.txt allows {floor.package} {spec.version}, older "
                f"than the fix for: {floor.advisories}"
            )
        checked += 1
    assert checked >= 2  # streamlit and pyyaml are direct dependencies


def test_pip_audit_is_a_development_requirement() -> None:
    dev = _requirements_txt("requirements-dev.txt")
    assert "pip-audit" in dev
    assert dev["pip-audit"].specifier.contains("2.10.1")
