"""Filesystem locations, resolved from this file (never from the working directory)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = PACKAGE_DIR.parent
CONTENT_DIR = REPO_ROOT / "content"
DATA_DIR = CONTENT_DIR / "data"
VIEWS_DIR = PACKAGE_DIR / "views"
APP_PATH = PACKAGE_DIR / "app.py"
# Live class checks are kept here unless DATABASE_URL names another database.
DEFAULT_POLLS_DB = REPO_ROOT / ".data" / "polls.db"
