"""Shared fixtures and helpers for every test layer."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.core.paths import REPO_ROOT


def missing_tool(reason: str, ci_must: str) -> None:
    """Skip the test because a system tool is missing; under ``CI``, fail it.

    ``reason`` says what is missing and how to install it; ``ci_must`` what
    CI must do with it. A CI run can never pass green without it.
    """
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must {ci_must}")
    pytest.skip(reason)


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for the session (Debian's ``postgresql``).

    Skips with a reason when PostgreSQL is not installed, except under ``CI``,
    where a missing server fails: CI must test both poll backends.
    """
    from dashboard.tools.pgserver import pg_bin, running_postgres

    if pg_bin() is None:
        missing_tool(
            "PostgreSQL is not installed (apt-get install -y postgresql)",
            "test the PostgreSQL backend",
        )
    with running_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def poll_store(request: pytest.FixtureRequest, tmp_path: Path):
    """An empty poll store on each backend."""
    from dashboard.core.polls import PollStore

    if request.param == "sqlite":
        return PollStore(f"sqlite:///{tmp_path / 'polls.db'}")
    import psycopg

    url = request.getfixturevalue("postgres_url")
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(
            "DROP TABLE IF EXISTS poll_answers, polls, poll_teachers, poll_opens, "
            "browser_budget"
        )
    return PollStore(url)
