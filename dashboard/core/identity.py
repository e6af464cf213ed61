"""Browser identities the server issued and signed: who may answer a class check.

A class check counts one answer per browser. The browser cannot be trusted to
say who it is (any script can send a fresh cookie of its own making), so the
server *issues* each browser an identity and signs it with a per-deployment
secret (HMAC-SHA256, :mod:`hmac`). The browser keeps the signed value in a
cookie (:data:`COOKIE`), and every page run checks the signature on the
cookie its websocket connection carried. A forged or altered value is simply
not an identity: the page treats that browser as new, and new identities are
rate-limited per client address (``PollStore.allow_new_browser``).

An identity is ``1.<id>.<issued>.<signature>``: a random 128-bit id, the Unix
time it was issued (whole seconds), and the first 128 bits of the HMAC over
both. Nothing else is in it and nothing about it is stored: the poll database
keeps only a hash of the poll's code and the id (:func:`student_for`).

The secret comes from the ``DASHBOARD_SECRET`` environment variable (several
machines behind one load balancer must share it), else from a random key
generated once into ``.data/dashboard-secret`` (mode 0600), which every
process on one machine reads. Pure Python: no Streamlit.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import hmac
import ipaddress
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dashboard.core.paths import REPO_ROOT

#: The cookie that carries a browser's signed identity.
COOKIE = "cc_id"
#: How long a browser keeps its identity: a teaching term, so a returning
#: student is not a new browser at every lecture (days).
LIFETIME_DAYS = 180
LIFETIME_S = LIFETIME_DAYS * 86_400
#: Environment variable holding the per-deployment secret (any string of at
#: least :data:`MIN_SECRET_CHARS` characters).
SECRET_ENV = "DASHBOARD_SECRET"
MIN_SECRET_CHARS = 32
#: Where the generated secret is kept when ``DASHBOARD_SECRET`` is unset.
SECRET_FILE = REPO_ROOT / ".data" / "dashboard-secret"
_VERSION = "1"
_ID_BYTES = 16
_SIGNATURE_BYTES = 16
#: An identity issued this far "in the future" (clock skew between machines) is
#: still accepted (seconds).
_SKEW_S = 300


class SecretError(RuntimeError):
    """The signing secret cannot be read or made; the message says what to do."""


@dataclass(frozen=True)
class Identity:
    """One browser's identity: its id, when it was issued, the signed cookie value."""

    id: str
    issued_at: int
    token: str


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    """Issues and checks identities with one secret."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise SecretError("The identity secret must be at least 16 bytes long.")
        self._key = hashlib.sha256(b"class-check identity|" + secret).digest()

    def _signature(self, identity_id: str, issued_at: int) -> str:
        message = f"{_VERSION}|{identity_id}|{issued_at}".encode("ascii")
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return _b64(digest[:_SIGNATURE_BYTES])

    def issue(self, *, now: float | None = None) -> Identity:
        """A new identity, signed (``now``: Unix time in seconds, default the clock)."""
        issued = int(time.time() if now is None else now)
        identity_id = _b64(secrets.token_bytes(_ID_BYTES))
        signature = self._signature(identity_id, issued)
        return Identity(
            identity_id, issued, f"{_VERSION}.{identity_id}.{issued}.{signature}"
        )

    def verify(self, token: object, *, now: float | None = None) -> Identity | None:
        """The identity in a cookie value, or ``None`` if it is not one we signed.

        Refused: anything that is not a string of the right shape, a wrong
        signature (compared in constant time), and identities older than
        :data:`LIFETIME_DAYS` or issued in the future.
        """
        if not isinstance(token, str) or len(token) > 120:
            return None
        parts = token.split(".")
        if len(parts) != 4 or parts[0] != _VERSION:
            return None
        _, identity_id, issued_text, signature = parts
        if not issued_text.isascii() or not issued_text.isdigit():
            return None
        try:
            if len(_unb64(identity_id)) != _ID_BYTES:
                return None
        except ValueError:
            return None
        issued = int(issued_text)
        expected = self._signature(identity_id, issued)
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8")):
            return None
        clock = time.time() if now is None else now
        if not clock - LIFETIME_S <= issued <= clock + _SKEW_S:
            return None
        return Identity(identity_id, issued, token)


def load_secret(
    environ: Mapping[str, str] | None = None, path: Path = SECRET_FILE
) -> bytes:
    """The deployment's secret: ``DASHBOARD_SECRET``, else the key in ``path``.

    The file is created on first use with 32 random bytes (hex) and mode
    0600. Creation is atomic (a hard link that fails if the file exists), so
    processes starting together agree on one key.

    Raises
    ------
    SecretError
        If ``DASHBOARD_SECRET`` is too short, or the file cannot be made or read.
    """
    environ = os.environ if environ is None else environ
    configured = environ.get(SECRET_ENV, "")
    if configured:
        if len(configured) < MIN_SECRET_CHARS:
            raise SecretError(
                f"{SECRET_ENV} must be at least {MIN_SECRET_CHARS} characters "
                "(for example the output of: python -c 'import secrets; "
                "print(secrets.token_hex(32))')."
            )
        return configured.encode("utf-8")
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
            draft.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
            draft.chmod(0o600)
            try:
                os.link(draft, path)
            except FileExistsError:
                pass  # another process made it first: use theirs
            finally:
                with contextlib.suppress(OSError):
                    draft.unlink()
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise SecretError(
            f"The identity secret {path} cannot be made or read "
            f"({type(error).__name__}); set {SECRET_ENV} instead."
        ) from error
    if len(key) < MIN_SECRET_CHARS:
        raise SecretError(
            f"The identity secret {path} is damaged (too short); delete it "
            f"or set {SECRET_ENV}."
        )
    return key.encode("ascii")


@functools.cache
def default_signer() -> Signer:
    """The signer of this process, with :func:`load_secret` (read once)."""
    return Signer(load_secret())


def student_for(code: str, identity_id: str) -> str:
    """The id under which a browser answers one poll.

    A hash of the poll's code and the browser's id: the same after a reload,
    different from poll to poll, and the identity itself is never stored.
    """
    digest = hashlib.sha256(f"class-check|{code}|{identity_id}".encode())
    return "b-" + digest.hexdigest()[:32]


def creator_for(identity_id: str) -> str:
    """The id under which a browser's poll creations are counted (a hash)."""
    return "c-" + hashlib.sha256(f"creator|{identity_id}".encode()).hexdigest()[:32]


def address_key(ip: str | None) -> str:
    """The key under which new identities are counted for one client address.

    ``None`` (Streamlit's value for a loopback connection) and loopback
    addresses are ``"loopback"``.
    An IPv6 client owns a whole /64 and can pick any address in it, so IPv6
    addresses count per /64. Anything unparsable counts as itself. The key is
    hashed, so the database holds no client addresses.
    """
    text = f"raw:{str(ip)[:64]}"
    try:
        address = ipaddress.ip_address(ip or "127.0.0.1")
    except ValueError:
        pass
    else:
        if address.version == 6 and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if address.is_loopback:
            text = "loopback"
        elif address.version == 6:
            text = str(ipaddress.ip_network(f"{address}/64", strict=False))
        else:
            text = str(address)
    return "a-" + hashlib.sha256(f"address|{text}".encode()).hexdigest()[:32]
