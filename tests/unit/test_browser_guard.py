"""A missing browser skips locally but fails in CI, so it can never pass green."""

from __future__ import annotations

import pytest

from tests.browser import conftest as browser_conftest


def test_missing_chromium_fails_when_ci_is_set(monkeypatch) -> None:
    monkeypatch.setattr(browser_conftest, "chromium_path", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser tests"):
        browser_conftest._chromium_or_skip()


def test_missing_chromium_skips_with_a_reason_locally(monkeypatch) -> None:
    monkeypatch.setattr(browser_conftest, "chromium_path", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        browser_conftest._chromium_or_skip()


def test_installed_chromium_is_used(monkeypatch) -> None:
    monkeypatch.setattr(browser_conftest, "chromium_path", lambda: "/usr/bin/chromium")
    assert browser_conftest._chromium_or_skip() == "/usr/bin/chromium"
