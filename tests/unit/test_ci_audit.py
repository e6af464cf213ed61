"""``.ci/audit`` fails on known vulnerabilities and never passes silently.

Each test runs the real script with a stub in place of ``pip-audit`` that acts
out one outcome: a vulnerability, a clean report, packages it could not look up
(what pip-audit does here, where the PyPI vulnerability data cannot be read),
a crash with no network, a hang, and a partial report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.core.paths import REPO_ROOT

AUDIT = REPO_ROOT / ".ci" / "audit"
NOT_AUDITED = (
    "pip-audit could not reach its vulnerability data; dependencies were NOT "
    "audited (version floors are checked offline by "
    "tests/unit/test_dependency_floors.py)"
)


def _stub(tmp_path: Path, report: dict | None, status: int, stderr: str = "") -> Path:
    """A fake pip-audit that writes ``report`` to its ``-o`` file and exits."""
    script = tmp_path / "pip-audit"
    payload = json.dumps(report) if report is not None else ""
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "args = sys.argv[1:]\n"
        f"assert '--no-deps' in args and '--disable-pip' in args, args\n"
        f"payload = {payload!r}\n"
        "if payload:\n"
        "    open(args[args.index('-o') + 1], 'w').write(payload)\n"
        f"sys.stderr.write({stderr!r})\n"
        f"sys.exit({status})\n"
    )
    script.chmod(0o755)
    return script


def _run(stub: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(AUDIT)],
        env={**os.environ, "PIP_AUDIT": str(stub), "PYTHON": sys.executable, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_known_vulnerability_fails_with_its_details(tmp_path: Path) -> None:
    report = {
        "dependencies": [
            {"name": "streamlit", "version": "1.0.0", "vulns": []},
            {
                "name": "starlette",
                "version": "0.46.0",
                "vulns": [
                    {
                        "id": "GHSA-7f5h-v6xp-fcq8",
                        "fix_versions": ["0.49.1"],
                        "aliases": ["CVE-2025-62727"],
                        "description": "O(n^2) DoS via Range header merging",
                    }
                ],
            },
        ],
        "fixes": [],
    }
    result = _run(_stub(tmp_path, report, 1, "Found 1 known vulnerability"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "pip-audit found 1 known vulnerabilities in 1 packages" in result.stdout
    assert "starlette 0.46.0: GHSA-7f5h-v6xp-fcq8 (CVE-2025-62727)" in result.stdout
    assert "fixed in 0.49.1" in result.stdout
    assert NOT_AUDITED not in result.stdout


def test_a_vulnerability_fails_even_when_other_packages_were_skipped(
    tmp_path: Path,
) -> None:
    report = {
        "dependencies": [
            {"name": "altair", "skip_reason": "Dependency not found on PyPI"},
            {
                "name": "h11",
                "version": "0.14.0",
                "vulns": [{"id": "GHSA-vqfr-h8mv-ghfj", "fix_versions": ["0.16.0"]}],
            },
        ]
    }
    result = _run(_stub(tmp_path, report, 1))
    assert result.returncode == 1
    assert "h11 0.14.0: GHSA-vqfr-h8mv-ghfj" in result.stdout


def test_a_clean_report_passes(tmp_path: Path) -> None:
    report = {"dependencies": [{"name": "streamlit", "version": "1.67.0", "vulns": []}]}
    result = _run(_stub(tmp_path, report, 0))
    assert result.returncode == 0
    assert "no known vulnerabilities in 1 packages" in result.stdout


def test_nothing_could_be_looked_up_is_said_plainly_and_does_not_fail(
    tmp_path: Path,
) -> None:
    """What pip-audit does on this machine (measured): every package skipped."""
    report = {
        "dependencies": [
            {
                "name": name,
                "skip_reason": "Dependency not found on PyPI and could not be "
                f"audited: {name} (1.0)",
            }
            for name in ("altair", "streamlit")
        ]
    }
    result = _run(_stub(tmp_path, report, 0, "No known vulnerabilities found"))
    assert result.returncode == 0
    assert NOT_AUDITED in result.stdout
    assert "No known vulnerabilities" not in result.stdout  # no false all-clear


def test_some_packages_skipped_are_named_as_not_audited(tmp_path: Path) -> None:
    report = {
        "dependencies": [
            {"name": "streamlit", "version": "1.67.0", "vulns": []},
            {"name": "private-pkg", "skip_reason": "Dependency not found on PyPI"},
        ]
    }
    result = _run(_stub(tmp_path, report, 0))
    assert result.returncode == 0
    assert "NOT audited: private-pkg" in result.stdout


def test_no_network_is_said_plainly_and_does_not_fail(tmp_path: Path) -> None:
    """``-s osv`` without DNS: pip-audit dies with a traceback and no report."""
    error = (
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev',"
        " port=443): Max retries exceeded (Failed to resolve 'api.osv.dev')\n"
    )
    result = _run(_stub(tmp_path, None, 1, error))
    assert result.returncode == 0
    assert NOT_AUDITED in result.stdout
    assert "Failed to resolve" in result.stdout


def test_a_hanging_service_times_out_and_does_not_fail(tmp_path: Path) -> None:
    script = tmp_path / "pip-audit"
    script.write_text("#!/usr/bin/env bash\nexec sleep 30\n")
    script.chmod(0o755)
    result = _run(script, PIP_AUDIT_TIMEOUT="1")
    assert result.returncode == 0
    assert NOT_AUDITED in result.stdout
    assert "exit status 124" in result.stdout


def test_a_missing_pip_audit_is_a_setup_error(tmp_path: Path) -> None:
    result = _run(tmp_path / "nowhere" / "pip-audit")
    assert result.returncode == 1
    assert "pip-audit is not installed" in result.stderr


@pytest.mark.parametrize("needle", ["make setup\nbash .ci/audit\n", "\nmake test\n"])
def test_ci_runs_the_audit_before_the_tests(needle: str) -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert needle in ci
    assert ci.index("bash .ci/audit") < ci.rindex("make test")
