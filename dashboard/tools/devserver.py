"""Start the dashboard in a subprocess for browser tests, screenshots and benchmarks.

The server is launched exactly as users launch it (``python -m streamlit run
dashboard/app.py``) from the repository root, bound to 127.0.0.1 on a free
port, and is ready when ``/_stcore/health`` answers ``ok``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from dashboard.core.paths import APP_PATH, REPO_ROOT

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


class ServerError(RuntimeError):
    """The server did not become healthy; the message carries its output."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def is_healthy(url: str) -> bool:
    """Whether the server at ``url`` answers ``ok`` on ``/_stcore/health``."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@dataclasses.dataclass(frozen=True)
class Server:
    """A running dashboard process: its base URL and process id."""

    url: str
    pid: int


def streamlit_command(port: int, *, defaults: bool = False) -> list[str]:
    """The command that serves the dashboard on 127.0.0.1:``port``.

    With ``defaults`` the command carries only what a headless loopback server
    needs, so that (run from an empty folder) Streamlit's own defaults apply;
    otherwise ``.streamlit/config.toml`` in the repository root decides.
    """
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_PATH if defaults else APP_PATH.relative_to(REPO_ROOT)),
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
) -> Iterator[Server]:
    """Run the dashboard; yield its URL and pid; stop it afterwards.

    ``env`` adds to (or overrides) the environment, e.g. ``DATABASE_URL``.
    ``streamlit_defaults`` runs it from an empty folder (with an empty home),
    so the project's ``.streamlit/config.toml`` does not apply: the baseline
    the load benchmark compares against.

    Raises
    ------
    ServerError
        If the process exits or is not healthy within ``timeout`` seconds.
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    command = [*streamlit_command(port, defaults=streamlit_defaults), *extra_args]
    with (
        tempfile.TemporaryFile(mode="w+") as log,
        tempfile.TemporaryDirectory(prefix="streamlit-defaults-") as empty,
    ):
        extra_env = {"HOME": empty} if streamlit_defaults else {}
        process = subprocess.Popen(
            command,
            cwd=empty if streamlit_defaults else REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "PYTHONUNBUFFERED": "1",
                **extra_env,
                **(env or {}),
            },
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
            yield Server(url=url, pid=process.pid)
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


def chromium_path() -> str | None:
    """Debian's chromium, if installed."""
    for candidate in ("chromium", "chromium-browser"):
        for directory in os.environ.get("PATH", "").split(os.pathsep):
            path = Path(directory) / candidate
            if path.is_file() and os.access(path, os.X_OK):
                return str(path)
    return None
