"""Write cookies in the browser: a tiny component with constant JavaScript.

Streamlit reads cookies (``st.context.cookies``: those the browser sent when
it opened this session's websocket) but offers no way to write one from a
script. Upstream: https://github.com/streamlit/streamlit/issues/14730
("Allow programmatically writing cookies during a session", open in
December 2026; the HTTP middleware of streamlit#861 sets cookies only on page
loads and needs another entrypoint). Remove this module when ``st.context``
can write cookies.

The component is ``st.components.v2`` (public API since 1.56; no iframe). Its
JavaScript is a file that ships with the package, ``cookie_jar/cookie_jar.js``
(the component's ``asset_dir``, declared in ``pyproject.toml``), which
Streamlit serves from ``/_stcore/bidi-components/``: same origin, so it runs
under a Content-Security-Policy of ``script-src 'self'`` (inline component
code would be a ``blob:`` script, which that policy blocks). The cookies to
write travel as the mount's ``data``, never as markup, and each value is one
the server made (a signed identity, a teacher token), checked against a
strict character set here and again in the browser. Cookies are ``Path=/``
(the websocket lives at ``/_stcore/stream``), ``SameSite=Strict`` and
``Secure`` on https. They are
sent to the server only in request headers, which neither Streamlit nor
nginx logs, and never appear in an address, the history or a Referer.

A cookie written now reaches the server with the *next* connection (a reload,
a reconnect after a restart); this session already knows the value. So the
cookies are kept in session state and written again on every run of the page
until the session ends, which costs nothing when they are already set.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard.ui import keys

_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_VALUE = re.compile(r"^[A-Za-z0-9_.\-]{1,200}$")

#: ``<project>.<component>`` as declared in ``pyproject.toml``.
COMPONENT = "dashboard.cookie_jar"


@functools.cache
def _jar() -> Callable[..., Any]:
    """The component's mount function, registered on first use.

    Registering needs a running Streamlit (it looks up the ``asset_dir`` that
    Streamlit found in ``pyproject.toml`` at start), so not at import time.
    """
    return st.components.v2.component(COMPONENT, js="cookie_jar.js")


def sent_cookie(name: str) -> str | None:
    """The cookie ``name`` as the browser sent it when this session connected."""
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) else None


def remember(name: str, value: str, max_age_s: int) -> None:
    """Have the browser keep ``name=value`` for ``max_age_s`` seconds.

    Raises ``ValueError`` for a name or value outside the safe character set
    (a programming error: values here are made by the server).
    """
    if not _NAME.match(name) or not _VALUE.match(value) or max_age_s <= 0:
        raise ValueError(f"not a cookie this page writes: {name!r}")
    pending: dict[str, tuple[str, int]] = st.session_state.setdefault(
        keys.COOKIES_TO_WRITE, {}
    )
    pending[name] = (value, int(max_age_s))


def write() -> None:
    """Mount the component with every cookie this session has asked for (if any)."""
    pending: dict[str, tuple[str, int]] = st.session_state.get(
        keys.COOKIES_TO_WRITE, {}
    )
    if not pending:
        return
    _jar()(
        data={
            "cookies": [
                {"name": name, "value": value, "max_age": age}
                for name, (value, age) in sorted(pending.items())
            ]
        },
        key=keys.COOKIE_JAR,
        height=0,
    )
