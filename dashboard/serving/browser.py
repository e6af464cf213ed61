"""Debian's chromium and its flags for tests, screenshots and benchmarks."""

from __future__ import annotations

import os
from pathlib import Path

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


def chromium_path() -> str | None:
    """Debian's chromium, if installed."""
    for candidate in ("chromium", "chromium-browser"):
        for directory in os.environ.get("PATH", "").split(os.pathsep):
            path = Path(directory) / candidate
            if path.is_file() and os.access(path, os.X_OK):
                return str(path)
    return None
