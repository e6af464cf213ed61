"""Hand a script run's messages to the server's event loop in batches, not one by one.

Why: Streamlit 1.67 passes every message a script run produces (each
``st.markdown``, chart, widget and block) from the script's thread to the
server's event loop with its own ``loop.call_soon_threadsafe``, which writes a
byte to the loop's wake-up socket. That write is a system call, and a system
call releases Python's global lock: while several students' scripts run in one
process, each of the 20-120 messages of a page can leave the script thread
waiting for the lock for up to the switch interval (5 ms). Profiled with
``py-spy`` under ``make load-bench``, 28 % of the server's samples sat in that
wake-up write.

The fix keeps one first-in, first-out queue per session: the first message
schedules a drain on the event loop and later ones join the queue until the
drain has run, so a page's messages cost a handful of wake-ups instead of one
each. Order is kept (one queue, drained in order, on the one loop that ran the
callbacks before), and every callback still runs on the event loop, as
Streamlit requires. Callbacks that arrive after the loop closed are dropped,
as Streamlit's own method does.

:func:`dashboard.patches.apply` switches it on when the dashboard's script
first runs (``app.py``); it is idempotent and does nothing where Streamlit's
internals differ (:mod:`dashboard.patches.contract` lists the names it uses).
"""

from __future__ import annotations

import asyncio
import collections
import logging
import threading
from collections.abc import Callable

try:  # Streamlit's internals: absent or different in other versions.
    from streamlit.runtime.app_session import AppSession
except ImportError:  # pragma: no cover - depends on the installed Streamlit
    AppSession = None

_LOGGER = logging.getLogger(__name__)
#: What :func:`enable_batching` changes (logged by :func:`dashboard.patches.apply`).
CHANGES = (
    "AppSession._call_soon_on_event_loop queues a session's callbacks and wakes "
    "the event loop once per batch"
)
_CREATE_LOCK = threading.Lock()

#: Streamlit's own method, as imported (before :func:`enable_batching` replaced it).
STREAMLIT_CALL_SOON = getattr(AppSession, "_call_soon_on_event_loop", None)


class _Batch:
    """A session's pending event-loop callbacks and whether a drain is scheduled."""

    def __init__(self) -> None:
        self.callbacks: collections.deque[Callable[[], None]] = collections.deque()
        self.lock = threading.Lock()
        self.scheduled = False

    def drain(self) -> None:
        """Run every pending callback in order (on the event loop).

        A callback that raises is reported to the loop's exception handler, as
        asyncio reports a failing ``call_soon`` callback, and the rest still
        run: otherwise they would wait for the session's next message, and a
        browser could wait forever for the end of a run that had finished.
        """
        with self.lock:
            self.scheduled = False
        callbacks = self.callbacks
        while callbacks:
            callback = callbacks.popleft()
            try:
                callback()
            except Exception as error:  # reported to the loop, as asyncio does
                asyncio.get_running_loop().call_exception_handler(
                    {
                        "message": "Exception in a batched event-loop callback",
                        "exception": error,
                        "callback": callback,
                    }
                )


def _batch_of(session: object) -> _Batch:
    batch = session.__dict__.get("_dashboard_batch")
    if batch is None:
        with _CREATE_LOCK:
            batch = session.__dict__.setdefault("_dashboard_batch", _Batch())
    return batch


def _call_soon_batched(self, callback: Callable[[], None]) -> None:
    """Queue ``callback`` for the session's event loop; wake the loop only if idle."""
    batch = _batch_of(self)
    batch.callbacks.append(callback)
    with batch.lock:
        if batch.scheduled:
            return
        batch.scheduled = True
    try:
        self._event_loop.call_soon_threadsafe(batch.drain)
    except RuntimeError:
        with batch.lock:
            batch.scheduled = False
        if not self._event_loop.is_closed():
            raise
        batch.callbacks.clear()
        _LOGGER.debug("Dropped event-loop callbacks", exc_info=True)


def enable_batching() -> bool:
    """Batch every session's event-loop callbacks; True if they now are."""
    if STREAMLIT_CALL_SOON is None:
        return False
    AppSession._call_soon_on_event_loop = _call_soon_batched
    return True
