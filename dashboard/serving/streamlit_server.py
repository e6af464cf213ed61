"""Start the dashboard in a subprocess for browser tests, screenshots and benchmarks.

The server is launched exactly as users launch it (``python -m streamlit run
dashboard/app.py``) from the repository root, bound to 127.0.0.1 on a free
port, and is ready when ``/_stcore/health`` answers ``ok``.

It runs with the process-wide patches of :mod:`dashboard.patches`, as in
production: the test suite switches them off for its own process
(``DASHBOARD_STREAMLIT_PATCHES=off`` in ``tests/conftest.py``), and
:func:`server_environment` removes that variable from the child's environment
unless the caller passes it in ``env``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

from dashboard.core.paths import APP_PATH, REPO_ROOT
from dashboard.serving.ports import free_port

#: ``dashboard.patches.OPT_OUT``, spelled out here so that starting a server
#: does not import Streamlit into the launching process (a test checks both).
PATCHES_OPT_OUT = "DASHBOARD_STREAMLIT_PATCHES"


class ServerError(RuntimeError):
    """The server did not become healthy; the message carries its output."""


def is_healthy(url: str) -> bool:
    """Whether the server at ``url`` answers ``ok`` on ``/_stcore/health``."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@dataclasses.dataclass(frozen=True)
class Server:
    """A running dashboard process: its base URL, process id and output so far."""

    url: str
    pid: int
    log: IO[str] = dataclasses.field(repr=False, compare=False)

    def output(self) -> str:
        """Everything the process has printed so far (stdout and stderr).

        Read with ``pread``: the process shares the file's offset, so moving it
        would make the process write over its own output.
        """
        chunks, offset = [], 0
        while chunk := os.pread(self.log.fileno(), 1 << 16, offset):
            chunks.append(chunk)
            offset += len(chunk)
        return b"".join(chunks).decode("utf-8", "replace")


def server_environment(
    env: Mapping[str, str] | None = None,
    *,
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a dashboard process started from this one.

    ``base`` (``os.environ`` when None) without ``DASHBOARD_STREAMLIT_PATCHES``,
    so that the server runs with its patches even when this process (the test
    suite) opted out; then unbuffered output; then ``env``, which may set the
    opt-out again on purpose.
    """
    inherited = {
        name: value
        for name, value in (os.environ if base is None else base).items()
        if name != PATCHES_OPT_OUT
    }
    return {**inherited, "PYTHONUNBUFFERED": "1", **(env or {})}


def streamlit_command(
    port: int, *, defaults: bool = False, checkout: Path | None = None
) -> list[str]:
    """The command that serves the dashboard on 127.0.0.1:``port``.

    With ``defaults`` the command carries only what a headless loopback server
    needs, so that (run from an empty folder) Streamlit's own defaults apply;
    otherwise ``.streamlit/config.toml`` in the repository root decides.
    ``checkout`` serves another copy of the repository (e.g. a ``git
    worktree`` of an earlier commit, to measure before and after).
    """
    root = checkout or REPO_ROOT
    app = root / APP_PATH.relative_to(REPO_ROOT)
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app if defaults else app.relative_to(root)),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--browser.gatherUsageStats=false",
    ]


@contextlib.contextmanager
def started_server(
    *,
    port: int | None = None,
    timeout: float = 60.0,
    extra_args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    streamlit_defaults: bool = False,
    checkout: Path | None = None,
) -> Iterator[Server]:
    """Run the dashboard; yield its URL, pid and output; stop it afterwards.

    ``checkout`` runs another copy of the repository instead of this one: its
    ``dashboard`` package comes first on the server's ``PYTHONPATH``.

    ``env`` adds to (or overrides) the environment, e.g. ``DATABASE_URL``
    (see :func:`server_environment`). ``streamlit_defaults`` runs it from an
    empty folder (with an empty home), so the project's
    ``.streamlit/config.toml`` does not apply: the baseline the load benchmark
    compares against.

    Raises
    ------
    ServerError
        If the process exits or is not healthy within ``timeout`` seconds.
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        *streamlit_command(port, defaults=streamlit_defaults, checkout=checkout),
        *extra_args,
    ]
    if checkout is not None:
        env = {"PYTHONPATH": str(checkout), **(env or {})}
    with (
        tempfile.TemporaryFile(mode="w+") as log,
        tempfile.TemporaryDirectory(prefix="streamlit-defaults-") as empty,
    ):
        extra_env = {"HOME": empty} if streamlit_defaults else {}
        process = subprocess.Popen(
            command,
            cwd=empty if streamlit_defaults else (checkout or REPO_ROOT),
            stdout=log,
            stderr=subprocess.STDOUT,
            env=server_environment({**extra_env, **(env or {})}),
        )
        try:
            deadline = time.monotonic() + timeout
            while not is_healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise ServerError(
                        f"streamlit did not become healthy at {url} "
                        f"(exit code {process.poll()}):\n{log.read()}"
                    )
                time.sleep(0.2)
            yield Server(url=url, pid=process.pid, log=log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@contextlib.contextmanager
def running_server(
    *,
    port: int | None = None,
    timeout: float = 60.0,
    extra_args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Run the dashboard with the project's settings; yield its base URL."""
    with started_server(
        port=port, timeout=timeout, extra_args=extra_args, env=env
    ) as server:
        yield server.url
