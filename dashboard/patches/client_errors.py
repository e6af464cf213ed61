"""Log a client's malformed messages in one line, not a traceback per message.

Why: Streamlit 1.67 writes a full traceback to the server log for two kinds of
message any client can send at will:

* a widget value of the wrong kind (an int for a radio that expects a string):
  the widget's deserializer raises inside ``WStates.__getitem__``, the run
  fails, and ``streamlit.error_util._log_uncaught_app_exception`` prints a
  rich traceback of about 10 kB. The bad value stays in the session, so every
  later run of that session fails the same way (upstream: an inconsistent
  widget state leaves the session broken, with a console traceback,
  https://github.com/streamlit/streamlit/issues/3803);
* a websocket frame that is not a ``BackMsg``: Streamlit closes the socket
  (1002) and logs "Error deserializing back message" with a traceback
  (``streamlit/web/server/starlette/starlette_websocket.py``); a text frame
  makes Starlette's ``receive_bytes`` raise, and uvicorn logs a 4 kB
  "Exception in ASGI application" traceback.

The reliability review grew the log by 720-920 MB an hour this way from one
client. The fix keeps what an operator needs, in one line each:

* a run that fails because a widget value from the browser cannot be read is
  still refused (the client sees Streamlit's error box, as before), and logged
  as ``Rejected a run of session 1a2b3c4d: the browser sent a value widget
  …-poll_answer cannot read (TypeError: …)``, at most once a minute per
  session, with the count of repeats since. Every other exception in a run
  (a bug in the dashboard) keeps Streamlit's full traceback;
* a frame that is not a BackMsg (or a text frame) is logged as ``Closed a
  websocket that sent a frame that is not a Streamlit message (DecodeError:
  …)``, at most once every 10 s per process, with the count of repeats since.

Client-supplied text in those lines is cut to 160 characters and kept on one
line. :func:`dashboard.patches.apply` switches it on when the dashboard's script
first runs (``app.py``); it is idempotent and does nothing where Streamlit's
internals differ (:mod:`dashboard.patches.contract` lists the names it uses).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from types import TracebackType

try:  # Streamlit's internals: absent or different in other versions.
    from streamlit import error_util
    from streamlit.logger import get_logger
    from streamlit.runtime.scriptrunner_utils.script_run_context import (
        get_script_run_ctx,
    )
    from streamlit.runtime.state.session_state import WStates
except ImportError:  # pragma: no cover - depends on the installed Streamlit
    error_util = None
    WStates = None

#: Streamlit's own logger of uncaught exceptions in a run, as imported.
STREAMLIT_LOG_UNCAUGHT = getattr(error_util, "_log_uncaught_app_exception", None)
#: Where Streamlit logs a websocket frame it cannot parse.
WEBSOCKET_LOGGER = "streamlit.web.server.starlette.starlette_websocket"
GARBAGE_FRAME = "Error deserializing back message"
#: Where uvicorn logs an exception that escaped the app (a text frame, here).
UVICORN_LOGGER = "uvicorn.error"
ASGI_EXCEPTION = "Exception in ASGI application"
#: Seconds between two lines about the same session's unreadable widget values.
WIDGET_INTERVAL_S = 60.0
#: Seconds between two lines about frames that are not BackMsgs (whole process).
FRAME_INTERVAL_S = 10.0
#: Characters kept of text a client controls (exception messages).
MAX_CLIENT_TEXT = 160
#: What :func:`log_in_one_line` changes (logged by :func:`dashboard.patches.apply`).
CHANGES = (
    "unreadable widget values and non-BackMsg websocket frames are logged in one "
    "throttled line instead of a traceback"
)

_WIDGET_GETITEM = getattr(getattr(WStates, "__getitem__", None), "__code__", None)
_LOGGER = get_logger(__name__) if error_util is not None else logging.getLogger()


def one_line(text: str, limit: int = MAX_CLIENT_TEXT) -> str:
    """``text`` on one line (control characters escaped), cut to ``limit`` chars."""
    flat = text.encode("unicode_escape", "backslashreplace").decode("ascii")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def summary(error: BaseException) -> str:
    """``TypeName: message`` of ``error``, on one line and cut short."""
    return one_line(f"{type(error).__name__}: {error}")


class Throttle:
    """At most one log line per key every ``interval`` s; counts the rest.

    Thread-safe. Keys idle for longer than ``interval`` are forgotten when the
    table grows past ``max_keys``, so a flood of new sessions cannot grow it
    without bound.
    """

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self.interval = interval
        self.clock = clock
        self.max_keys = max_keys
        self._last: dict[Hashable, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def allow(self, key: Hashable) -> int | None:
        """None to stay quiet; else how many lines were held back since the last."""
        now = self.clock()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last[0] < self.interval:
                self._last[key] = (last[0], last[1] + 1)
                return None
            if len(self._last) >= self.max_keys:
                self._forget_idle(now)
            self._last[key] = (now, 0)
            return last[1] if last is not None else 0

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, (t, _) in self._last.items() if now - t >= self.interval]
        for key in idle:
            del self._last[key]
        if len(self._last) >= self.max_keys:  # all recent: drop the oldest half
            for key in sorted(self._last, key=lambda k: self._last[k][0])[
                : len(self._last) // 2
            ]:
                del self._last[key]


def _repeats(held_back: int) -> str:
    return f" ({held_back} more like this since the last line)" if held_back else ""


def unreadable_widget(error: BaseException) -> str | None:
    """The id of the widget whose value from the browser raised ``error``, if so.

    True when the traceback passes through Streamlit's ``WStates.__getitem__``
    and the exception was raised deeper, in the widget's deserializer.
    """
    if _WIDGET_GETITEM is None:
        return None
    frames: list[TracebackType] = []
    tb = error.__traceback__
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    for frame in frames[:-1]:  # the last frame raised: it must be deeper
        if frame.tb_frame.f_code is _WIDGET_GETITEM:
            return str(frame.tb_frame.f_locals.get("k", "?"))
    return None


_WIDGETS = Throttle(WIDGET_INTERVAL_S)
_FRAMES = Throttle(FRAME_INTERVAL_S)


def _log_uncaught(error: BaseException) -> None:
    """One line for an unreadable widget value; Streamlit's traceback otherwise."""
    widget = unreadable_widget(error)
    if widget is None:
        STREAMLIT_LOG_UNCAUGHT(error)
        return
    ctx = get_script_run_ctx()
    session = ctx.session_id[:8] if ctx is not None else "?"
    held_back = _WIDGETS.allow(session)
    if held_back is None:
        return
    _LOGGER.warning(
        "Rejected a run of session %s: the browser sent a value widget %s cannot "
        "read (%s)%s",
        session,
        one_line(widget, 120),
        summary(error),
        _repeats(held_back),
    )


def _is_text_frame(error: BaseException | None) -> bool:
    """Whether ``error`` is Streamlit's websocket reading a text frame as bytes."""
    names = []
    tb = error.__traceback__ if error is not None else None
    while tb is not None:
        names.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    return (
        "_websocket_endpoint" in names and bool(names) and names[-1] == "receive_bytes"
    )


class BadFrameFilter(logging.Filter):
    """Turns the traceback for a frame Streamlit cannot read into a throttled line.

    Attached to Streamlit's websocket logger (a frame that is not a BackMsg)
    and to uvicorn's error logger (a text frame, which Starlette fails to read
    as bytes). One throttle for both: it is one kind of client misbehaviour.
    """

    def __init__(self, throttle: Throttle) -> None:
        super().__init__()
        self.throttle = throttle

    def filter(self, record: logging.LogRecord) -> bool:
        """Pass other records; rewrite these (or drop them while throttled)."""
        error = record.exc_info[1] if record.exc_info else None
        if record.msg == GARBAGE_FRAME:
            kind = "a frame that is not a Streamlit message"
        elif str(record.msg).startswith(ASGI_EXCEPTION) and _is_text_frame(error):
            kind = "a text frame (Streamlit speaks binary protobuf)"
        else:
            return True
        held_back = self.throttle.allow("bad frame")
        if held_back is None:
            return False
        cause = summary(error) if error is not None else "no detail"
        record.msg = "Closed a websocket that sent %s (%s)%s"
        record.args = (kind, cause, _repeats(held_back))
        record.exc_info = None
        record.exc_text = None
        return True


def log_in_one_line() -> bool:
    """Log malformed client messages in one throttled line; True if they now are."""
    if STREAMLIT_LOG_UNCAUGHT is None or _WIDGET_GETITEM is None:
        return False
    error_util._log_uncaught_app_exception = _log_uncaught
    for name in (WEBSOCKET_LOGGER, UVICORN_LOGGER):
        logger = logging.getLogger(name)
        if not any(isinstance(f, BadFrameFilter) for f in logger.filters):
            logger.addFilter(BadFrameFilter(_FRAMES))
    return True
