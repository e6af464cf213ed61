"""Filesystem locations, resolved from this file (never from the working directory).

``DASHBOARD_CONTENT_DIR``, if set, points the app at another content root (a
folder laid out like ``content/``: one folder per page, CSVs in ``data/``),
e.g. ``DASHBOARD_CONTENT_DIR=/tmp/broken-copy make run`` or a browser test that
serves a deliberately broken copy. A relative value is taken from the working
directory. It is read once, at import.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = PACKAGE_DIR.parent
CONTENT_DIR = (
    Path(os.environ["DASHBOARD_CONTENT_DIR"]).expanduser().resolve()
    if os.environ.get("DASHBOARD_CONTENT_DIR")
    else REPO_ROOT / "content"
)
DATA_DIR = CONTENT_DIR / "data"
VIEWS_DIR = PACKAGE_DIR / "views"
APP_PATH = PACKAGE_DIR / "app.py"
# Live class checks are kept here unless DATABASE_URL names another database.
DEFAULT_POLLS_DB = REPO_ROOT / ".data" / "polls.db"
