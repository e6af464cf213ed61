"""Shared fixtures and helpers for every test layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.core.paths import REPO_ROOT


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT
