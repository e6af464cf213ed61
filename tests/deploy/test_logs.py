"""`make serve`'s logs are rotated and size-capped (issue 14, finding L4).

The dashboard processes' output goes through a pipe into a rotating file;
nginx's access and error logs are copied to ``.1`` and emptied in place by the
supervisor once they reach the cap. Here with a cap of a few kB.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

from deploy.serve import Cluster, copy_lines, rotate_file, rotating_log
from tests.deploy.conftest import fetch, nginx_or_skip, wait_until

CAP = 4096
BACKUPS = 2


def _generations(path: Path) -> list[Path]:
    """``path`` and its rotated files that exist, newest first."""
    names = [path, *(path.with_name(f"{path.name}.{i}") for i in range(1, 10))]
    return [p for p in names if p.exists()]


def test_rotate_file_shifts_and_keeps_only_the_backups(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    for generation in range(5):
        log.write_text(f"generation {generation}\n")
        rotate_file(log, backups=2)
    assert not log.exists()
    assert (tmp_path / "access.log.1").read_text() == "generation 4\n"
    assert (tmp_path / "access.log.2").read_text() == "generation 3\n"
    assert not (tmp_path / "access.log.3").exists()


def test_rotating_in_place_keeps_an_appending_writer_writing(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    with log.open("a") as writer:  # nginx opens its logs for appending
        writer.write("first\n")
        writer.flush()
        rotate_file(log, backups=2, in_place=True)
        writer.write("second\n")
        writer.flush()
    assert (tmp_path / "access.log.1").read_text() == "first\n"
    assert log.read_text() == "second\n"


def test_a_process_output_is_copied_line_by_line_into_a_capped_log(
    tmp_path: Path,
) -> None:
    log = tmp_path / "dashboard-0.log"
    handler = rotating_log(log, max_bytes=CAP, backups=BACKUPS)
    script = (
        "import sys\n"
        "for i in range(2000): print(f'line {i} 100% ' + 'x' * 40)\n"
        "sys.stdout.write('no newline at the end')\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        copy_lines(process.stdout, handler)
    finally:
        process.wait(timeout=30)
        handler.close()
    files = _generations(log)
    assert len(files) == BACKUPS + 1
    assert all(path.stat().st_size <= CAP for path in files)
    lines = "".join(path.read_text() for path in reversed(files)).splitlines()
    assert lines[-1] == "no newline at the end"
    assert lines[-2] == "line 1999 100% " + "x" * 40  # no %-formatting applied


def test_a_very_long_line_is_copied_in_pieces(tmp_path: Path) -> None:
    log = tmp_path / "out.log"
    handler = rotating_log(log, max_bytes=10 * 2**20, backups=1)
    process = subprocess.Popen(
        [sys.executable, "-c", "print('y' * 200_000)"], stdout=subprocess.PIPE
    )
    try:
        copy_lines(process.stdout, handler)
    finally:
        process.wait(timeout=30)
        handler.close()
    pieces = log.read_text().splitlines()
    assert "".join(pieces) == "y" * 200_000
    assert max(len(piece) for piece in pieces) <= 64 * 2**10


def test_nginx_logs_are_rotated_and_nginx_keeps_writing(tmp_path: Path) -> None:
    nginx_or_skip()
    with (
        Cluster(1, run_dir=tmp_path, log_max_bytes=CAP, log_backups=BACKUPS) as cluster,
        cluster.supervising(interval=0.05),
    ):
        access = cluster.access_log

        def rotated_twice() -> bool:
            for _ in range(5):
                fetch(cluster, f"/_stcore/host-config?{uuid.uuid4().hex}")
            return (tmp_path / "logs" / "access.log.2").exists()

        wait_until(rotated_twice, timeout=60, what="the access log to rotate twice")
        # nginx writes on into the emptied access.log.
        marker = f"/after-rotation-{uuid.uuid4().hex}"
        fetch(cluster, marker)
        wait_until(
            lambda: marker in access.read_text(),
            what="nginx to write to the emptied access log",
        )
        files = _generations(access)
        assert len(files) <= BACKUPS + 1
        # Each file stopped near the cap (nginx may add a few lines between
        # two checks of the supervisor).
        assert all(path.stat().st_size < 4 * CAP for path in files)
        # The dashboard process's own output went through its capped log.
        backend_log = cluster.backends[0].log_path
        assert "You can now view your Streamlit app" in backend_log.read_text()
