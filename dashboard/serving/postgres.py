"""A throwaway PostgreSQL server for tests: ``initdb`` + ``pg_ctl`` in a temp folder.

Uses Debian's ``postgresql`` binaries (``/usr/lib/postgresql/<version>/bin``).
PostgreSQL refuses to run as root, so under root the server runs as the
``postgres`` user that the Debian package creates. Trust authentication on
127.0.0.1 only; the data folder is deleted afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dashboard.serving.ports import free_port


def pg_bin() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or ``None`` if not installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: (
            int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0
        ),
    )
    return versions[-1].parent if versions else None


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@dataclass
class PostgresServer:
    """A throwaway server that a test can stop and start again (a database outage).

    ``url`` stays the same across :meth:`stop` and :meth:`start`; so do the data.
    """

    url: str
    data: Path
    port: int
    bin_dir: Path

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            _as_server_user(
                [str(self.bin_dir / "pg_ctl"), *args, "-D", str(self.data)]
            ),
            check=True,
            capture_output=True,
            text=True,
        )

    def start(self) -> None:
        """Start the server (again) and wait until it takes connections."""
        folder = self.data.parent
        self._pg_ctl(
            "start",
            "-w",
            "-t",
            "60",
            "-l",
            str(folder / "server.log"),
            "-o",
            f"-p {self.port} -k {folder} -c listen_addresses=127.0.0.1 "
            "-c max_connections=300 -c fsync=off",
        )

    def stop(self) -> None:
        """Stop it at once, as a crash would (``pg_ctl stop -m immediate``)."""
        self._pg_ctl("stop", "-m", "immediate")


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """Start a server; yield it (to stop and start at will); stop and delete it."""
    bin_dir = pg_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="polls-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = free_port()
    server = PostgresServer(
        f"postgresql://postgres@127.0.0.1:{port}/postgres", data, port, bin_dir
    )
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--no-sync",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            capture_output=True,
            text=True,
        )
        server.start()
        yield server
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                _as_server_user(
                    [
                        str(bin_dir / "pg_ctl"),
                        "stop",
                        "-m",
                        "immediate",
                        "-D",
                        str(data),
                    ]
                ),
                check=False,
                capture_output=True,
            )
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def running_postgres() -> Iterator[str]:
    """Start a server; yield its ``postgresql://`` URL; stop and delete it."""
    with postgres_server() as server:
        yield server.url
