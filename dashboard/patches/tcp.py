"""Send the server's small websocket messages at once (TCP_NODELAY on every connection).

Why: Streamlit 1.67 creates its listening socket as ``socket.socket(family)``,
whose protocol number is 0, and asyncio only switches Nagle's algorithm off
for sockets created with ``IPPROTO_TCP`` (``asyncio.base_events._set_nodelay``).
So the server holds back each run's later messages until the browser
acknowledges the first, and browsers delay acknowledgements (Linux 40 ms).
Measured with ``make load-bench`` tooling on loopback: a trivial page took
44 ms from rerun request to ``script_finished`` instead of 5 ms, for every
student and every rerun.

The fix widens asyncio's check to every TCP stream socket.
:func:`dashboard.patches.apply` switches it on when the dashboard's script
first runs, so it applies to every connection accepted afterwards (the very
first session of a fresh process keeps the old socket). It is idempotent and
does nothing where asyncio's internals differ. The private names it relies on
are listed, with their upstream issues, in :mod:`dashboard.patches.contract`.
"""

from __future__ import annotations

import asyncio.base_events
import contextlib
import socket

#: What :func:`enable_nodelay` changes (logged by :func:`dashboard.patches.apply`).
CHANGES = "asyncio sets TCP_NODELAY on every TCP connection (Streamlit's are proto 0)"

_TCP_FAMILIES = {socket.AF_INET, socket.AF_INET6}
#: asyncio's own check, as imported (before :func:`enable_nodelay` replaced it).
ASYNCIO_SET_NODELAY = getattr(asyncio.base_events, "_set_nodelay", None)


def _set_nodelay(sock: socket.socket) -> None:
    if sock.family in _TCP_FAMILIES and sock.type == socket.SOCK_STREAM:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def enable_nodelay() -> bool:
    """Make asyncio set TCP_NODELAY on every TCP connection; True if it now does."""
    current = getattr(asyncio.base_events, "_set_nodelay", None)
    if current is None:
        return False
    asyncio.base_events._set_nodelay = _set_nodelay
    return True
