"""Refuse Streamlit's upload endpoint, and metrics to other machines, in this process.

Why: Streamlit 1.67 serves ``PUT /_stcore/upload_file/<session>/<file>`` to
every session, whether or not the app shows a file uploader, and keeps each
file in memory (``MemoryUploadedFileManager``) until the session ends. The
dashboard has no uploader, yet any client that opens a session can store files
of up to ``server.maxUploadSize`` (1 MB) without limit on their number: the
reliability review added 400 MB of memory with 400 uploads in 1.3 s.
``/_stcore/metrics`` tells anyone the live session count and the names of the
app's caches. Streamlit has no setting that turns either route off (upstream:
uploads are held in memory, https://github.com/streamlit/streamlit/issues/9218;
the routes are built unconditionally by ``create_upload_routes`` and
``create_metrics_routes`` in ``streamlit/web/server/starlette/starlette_routes.py``).

The fix wraps Streamlit's outermost HTTP middleware (``PathSecurityMiddleware``,
which sees every request before any route) so that, before a byte of the body is
read:

* every request to the upload route (PUT, DELETE, OPTIONS) gets
  ``403 This dashboard takes no uploads.``, for every session;
* ``/_stcore/metrics`` gets 403 unless the client is this machine (loopback),
  so an operator on the server can still read it.

Behind nginx (``make serve``) nginx refuses both already; this covers one
process (``make run``) and every replica of Compose or Kubernetes. It takes
effect when the dashboard's script first runs (``app.py`` calls
:func:`dashboard.patches.apply`): until some session has run the app once, a
freshly started process still answers both routes (an upload needs a session
id, which a client learns only as that first run starts). If the dashboard ever
gains an ``st.file_uploader`` (or an ``st.chat_input`` that accepts files),
remove this patch from ``dashboard.patches.PATCHES``; a unit test fails as a
reminder. It is idempotent and does nothing where Streamlit's internals differ
(:mod:`dashboard.patches.contract` lists the names it uses).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from typing import Any

try:  # Streamlit's internals: absent or different in other versions.
    from streamlit import config as _streamlit_config
    from streamlit.url_util import make_url_path
    from streamlit.web.server.starlette.starlette_path_security_middleware import (
        PathSecurityMiddleware,
    )
    from streamlit.web.server.starlette.starlette_routes import (
        BASE_ROUTE_UPLOAD_FILE,
        ROUTE_METRICS,
    )
except ImportError:  # pragma: no cover - depends on the installed Streamlit
    PathSecurityMiddleware = None

#: What a refused upload is told (and what the tests look for).
UPLOADS_REFUSED = "This dashboard takes no uploads."
#: What a refused metrics request is told.
METRICS_REFUSED = "Metrics are served to this machine only."
#: What :func:`refuse_uploads` changes (logged by :func:`dashboard.patches.apply`).
CHANGES = "403 for every upload, and for /_stcore/metrics unless from loopback"

#: Streamlit's own ``PathSecurityMiddleware.__call__``, as imported.
STREAMLIT_MIDDLEWARE_CALL = (
    PathSecurityMiddleware.__call__ if PathSecurityMiddleware is not None else None
)

ASGIReceive = Callable[[], Awaitable[dict[str, Any]]]
ASGISend = Callable[[dict[str, Any]], Awaitable[None]]


def is_loopback(client: tuple[str, int] | list[Any] | None) -> bool:
    """Whether an ASGI ``scope["client"]`` is this machine (127.0.0.0/8 or ::1).

    A dual-stack server sees IPv4 clients as ``::ffff:127.0.0.1``.
    """
    if not client:
        return False
    try:
        address = ipaddress.ip_address(str(client[0]))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def refusal(path: str, client: tuple[str, int] | list[Any] | None) -> str | None:
    """The message a request for ``path`` from ``client`` is refused with, or None.

    Paths are compared with Streamlit's own routes under ``server.baseUrlPath``.
    """
    base = _streamlit_config.get_option("server.baseUrlPath") or ""
    uploads = make_url_path(base, BASE_ROUTE_UPLOAD_FILE)
    if path == uploads or path.startswith(uploads + "/"):
        return UPLOADS_REFUSED
    if path == make_url_path(base, ROUTE_METRICS) and not is_loopback(client):
        return METRICS_REFUSED
    return None


async def _refuse(send: ASGISend, message: str) -> None:
    body = message.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _guarded_call(
    self: Any, scope: dict[str, Any], receive: ASGIReceive, send: ASGISend
) -> None:
    """Streamlit's middleware, after refusing uploads and remote metrics."""
    if scope.get("type") == "http":
        message = refusal(scope.get("path", ""), scope.get("client"))
        if message is not None:
            await _refuse(send, message)
            return
    await STREAMLIT_MIDDLEWARE_CALL(self, scope, receive, send)


def refuse_uploads() -> bool:
    """Refuse uploads, and metrics to other machines, process-wide; True if so.

    Special methods are looked up on the class, so replacing ``__call__``
    also covers the middleware instance Streamlit built at start-up.
    """
    if STREAMLIT_MIDDLEWARE_CALL is None:
        return False
    PathSecurityMiddleware.__call__ = _guarded_call
    return True
