"""Browser identities for the class check: issued and signed by the server (M4).

Also the per-session limit on guesses (L6).
"""

from __future__ import annotations

import multiprocessing
import stat

import pytest

from dashboard.core import identity
from dashboard.core.identity import SecretError, Signer
from dashboard.core.throttle import Throttle

NOW = 1_800_000_000.0


@pytest.fixture
def signer() -> Signer:
    return Signer(b"k" * 32)


def test_an_issued_identity_checks_out_and_is_new_each_time(signer) -> None:
    first = signer.issue(now=NOW)
    second = signer.issue(now=NOW)
    assert first.id != second.id
    assert signer.verify(first.token, now=NOW + 3600) == first
    assert first.token.count(".") == 3
    assert len(first.token) < 80  # a small cookie


def test_a_forged_altered_or_foreign_identity_is_not_one(signer) -> None:
    real = signer.issue(now=NOW)
    version, ident, issued, signature = real.token.split(".")
    other_deployment = Signer(b"z" * 32).issue(now=NOW)
    altered = signature[:-1] + ("B" if signature.endswith("A") else "A")
    forged = [
        f"{version}.{signer.issue(now=NOW).id}.{issued}.{signature}",  # swapped id
        f"{version}.{ident}.{int(issued) - 1}.{signature}",  # another time
        f"{version}.{ident}.{issued}.{altered}",
        f"2.{ident}.{issued}.{signature}",
        other_deployment.token,
        # What a script sent in the review: a well-formed XSRF cookie value.
        "2|00000000|" + "ab" * 16 + "|1700000000",
        "",
        None,
        42,
        "1.a.b.c",
        "1.." + issued + ".",
        "1." + ident + ".１２３." + signature,  # full-width digits
        real.token + "x" * 200,
    ]
    for token in forged:
        assert signer.verify(token, now=NOW) is None, token


def test_identities_expire_after_a_term_and_cannot_come_from_the_future(
    signer,
) -> None:
    real = signer.issue(now=NOW)
    assert signer.verify(real.token, now=NOW + identity.LIFETIME_S - 1)
    assert signer.verify(real.token, now=NOW + identity.LIFETIME_S + 1) is None
    assert signer.verify(real.token, now=NOW - 3600) is None


def test_a_browser_is_one_student_per_poll_and_the_id_is_not_stored() -> None:
    one = identity.student_for("K7QM2X", "browser-a")
    assert one == identity.student_for("K7QM2X", "browser-a")
    assert one != identity.student_for("K7QM2X", "browser-b")
    assert one != identity.student_for("ABCDEF", "browser-a")
    assert "browser-a" not in one
    assert identity.creator_for("browser-a") != identity.creator_for("browser-b")


def test_the_secret_comes_from_the_environment(tmp_path) -> None:
    secret = "s" * identity.MIN_SECRET_CHARS
    path = tmp_path / "secret"
    assert identity.load_secret({identity.SECRET_ENV: secret}, path) == secret.encode()
    assert not path.exists()
    with pytest.raises(SecretError, match="at least 32 characters"):
        identity.load_secret({identity.SECRET_ENV: "short"}, path)


def test_without_it_one_private_key_file_is_made_and_kept(tmp_path) -> None:
    path = tmp_path / ".data" / "dashboard-secret"
    first = identity.load_secret({}, path)
    assert len(first) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert identity.load_secret({}, path) == first
    assert list(path.parent.iterdir()) == [path]  # no drafts left behind


def _secret_in_a_process(path: str) -> bytes:
    from pathlib import Path

    return identity.load_secret({}, Path(path))


def test_processes_starting_together_share_one_key(tmp_path) -> None:
    path = tmp_path / "dashboard-secret"
    with multiprocessing.get_context("spawn").Pool(6) as pool:
        keys = pool.map(_secret_in_a_process, [str(path)] * 12)
    assert len(set(keys)) == 1


def test_a_damaged_key_file_is_a_clear_error(tmp_path) -> None:
    path = tmp_path / "dashboard-secret"
    path.write_text("abc\n")
    with pytest.raises(SecretError, match="damaged"):
        identity.load_secret({}, path)
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(SecretError, match="cannot be made or read"):
        identity.load_secret({}, folder)


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        (None, "127.0.0.1", True),
        (None, "::1", True),
        ("203.0.113.7", "203.0.113.7", True),
        ("203.0.113.7", "203.0.113.8", False),
        ("::ffff:203.0.113.7", "203.0.113.7", True),
        # One IPv6 client owns a /64: any address in it is the same client.
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", True),
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),
        ("not an address", "not an address", True),
    ],
)
def test_new_identities_are_counted_per_client_address(one, other, same) -> None:
    assert (identity.address_key(one) == identity.address_key(other)) is same
    assert "203.0.113" not in identity.address_key(one)


def test_a_session_gets_a_few_failed_guesses_then_waits() -> None:
    throttle = Throttle(limit=3, window_s=60)
    for second in range(3):
        assert throttle.wait_s(NOW + second) == 0
        throttle.failed(NOW + second)
    assert throttle.wait_s(NOW + 3) == 57
    assert throttle.wait_s(NOW + 59.5) == 1
    assert throttle.wait_s(NOW + 60.5) == 0  # the first failure has aged out


def test_the_cookie_writer_ships_with_the_package_and_runs_from_its_origin() -> None:
    """Its script is a file Streamlit serves (CSP ``script-src 'self'``), not inline."""
    import tomllib

    from dashboard.core.paths import PACKAGE_DIR, REPO_ROOT
    from dashboard.ui import cookies

    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    (declared,) = [
        c
        for c in project["tool"]["streamlit"]["component"]["components"]
        if f"{project['project']['name']}.{c['name']}" == cookies.COMPONENT
    ]
    script = PACKAGE_DIR / declared["asset_dir"] / "cookie_jar.js"
    assert script.is_file()
    assert (
        "ui/cookie_jar/*.js"
        in project["tool"]["setuptools"]["package-data"]["dashboard"]
    )
    source = script.read_text()
    assert "document.cookie" in source
    assert "SameSite=Strict" in source
    for forbidden in ("eval(", "innerHTML", "fetch(", "XMLHttpRequest"):
        assert forbidden not in source
