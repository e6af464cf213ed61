"""A missing nginx skips locally but fails in CI, so it can never pass green."""

from __future__ import annotations

import pytest

from tests.deploy import conftest as deploy_conftest


def test_missing_nginx_fails_when_ci_is_set(monkeypatch) -> None:
    monkeypatch.setattr(deploy_conftest, "nginx_path", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must test the nginx"):
        deploy_conftest.nginx_or_skip()


def test_missing_nginx_skips_with_a_reason_locally(monkeypatch) -> None:
    monkeypatch.setattr(deploy_conftest, "nginx_path", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y nginx"):
        deploy_conftest.nginx_or_skip()
