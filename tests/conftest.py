"""Shared fixtures and helpers for every test layer."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.core.paths import REPO_ROOT

# AppTest runs the dashboard inside this process: keep Streamlit unpatched here
# (dashboard/patches/__init__.py). Servers started by dashboard.serving drop
# this variable, so the browser and deploy tests run with the patches.
os.environ.setdefault("DASHBOARD_STREAMLIT_PATCHES", "off")


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
    from dashboard.serving.postgres import pg_bin, running_postgres

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
    from dashboard.core.polls import TABLES, PollStore

    if request.param == "sqlite":
        return PollStore(f"sqlite:///{tmp_path / 'polls.db'}")
    import psycopg

    url = request.getfixturevalue("postgres_url")
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(f"DROP TABLE IF EXISTS {', '.join(TABLES)}")
    return PollStore(url)


# -- layers and order ----------------------------------------------------------
#: Each folder under tests/ is a layer; its tests get the layer's marker by
#: location (``pytest -m "unit or repo"``); the deploy tests that drive chromium
#: also carry ``browser``, set in their modules. A test in tests/unit that reads
#: the repository's content may say so with ``@pytest.mark.repo`` instead.
LAYERS = ("unit", "repo", "app", "browser", "deploy")
TESTS_DIR = Path(__file__).resolve().parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--order",
        default="as-written",
        help="run the tests 'as-written', 'reversed' or 'shuffled:SEED' (proves "
        "that no test depends on another's caches or state)",
    )


def _layer(item: pytest.Item) -> str | None:
    try:
        folder = item.path.resolve().relative_to(TESTS_DIR).parts[0]
    except (ValueError, IndexError):
        return None
    return folder if folder in LAYERS else None


def _uses_postgres(item: pytest.Item) -> bool:
    """Whether ``item`` runs against the real PostgreSQL server (an integration)."""
    callspec = getattr(item, "callspec", None)
    on_postgres = callspec is not None and callspec.params.get("poll_store") == (
        "postgresql"
    )
    return on_postgres or "postgres_url" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    for item in items:
        layer = _layer(item)
        explicit = {m.name for m in item.iter_markers()} & set(LAYERS)
        if layer is not None and not (layer == "unit" and "repo" in explicit):
            item.add_marker(layer)
        if _uses_postgres(item):
            item.add_marker("postgres")
    order = config.getoption("--order")
    if order == "reversed":
        items.reverse()
    elif order.startswith("shuffled:"):
        import random

        random.Random(order.removeprefix("shuffled:")).shuffle(items)
    elif order != "as-written":
        raise pytest.UsageError(
            f"--order {order!r}: use as-written, reversed or shuffled:SEED"
        )


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what collection imported, as the server does after its first runs.

    Streamlit, Plotly, pandas and the package are loaded by now and live for
    the whole session; without this, Python's collector walks them again and
    again while AppTest builds pages (the reason for ``dashboard.patches.heap``).
    """
    gc.collect()
    gc.freeze()
