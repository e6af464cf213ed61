"""The dashboard's contract with Streamlit's internals: every private name it relies on.

Streamlit's public API (``st.*``, ``st.testing``, ``.streamlit/config.toml``)
is versioned; its modules' private names are not, and a minor release may
rename or reshape any of them. The dashboard relies on a few of them, almost
all in :mod:`dashboard.patches`; :data:`CONTRACT` lists each one, once, with
what it is used for, where, the upstream issue or pull request it works
around (or "none filed"), the Streamlit version it was verified with, and when
it can go.

:func:`problems` checks the installed Streamlit against the table: a name that
is gone, a callable whose parameters changed, an instance attribute no longer
set, source text no longer there. ``tests/unit/test_streamlit_contract.py``
runs it, so upgrading Streamlit starts with a list of what broke, each line
naming the row and its upstream issue. Streamlit is pinned to the verified
minor version (``requirements.txt``); to move to a new one, bump the pin, run
those tests, fix or retire each reported row, and set :data:`VERIFIED`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dashboard.patches.shapes import (
    Fields,
    InstanceAttribute,
    PackageFile,
    Present,
    Shape,
    Signature,
    Source,
    resolve,
)

#: The Streamlit release every row below was checked against.
VERIFIED = "1.67.0"


@dataclass(frozen=True)
class Internal:
    """One private name the dashboard relies on, and why.

    ``name`` is dotted: a module, then attributes (``pkg.module.Class.method``).
    ``shape`` says what must still hold of it. ``upstream`` is the Streamlit
    (or CPython) issue or pull request it works around, or "none filed".
    """

    name: str
    shape: Shape
    purpose: str
    used_by: str
    upstream: str
    remove_when: str
    verified: str = VERIFIED


def _problem(row: Internal) -> str | None:
    try:
        if isinstance(row.shape, InstanceAttribute):
            owner, _, attribute = row.name.rpartition(".")
            return row.shape.check(resolve(owner), attribute)
        return row.shape.check(resolve(row.name))
    except LookupError as error:
        return f"is gone ({error})"


def problems(rows: Iterable[Internal]) -> list[str]:
    """One line per row the installed packages no longer satisfy (empty if all do).

    Each line names the row, what changed, who uses it, the upstream issue and
    the version it was verified with.
    """
    found = []
    for row in rows:
        problem = _problem(row)
        if problem is not None:
            found.append(
                f"{row.name} {problem}. Used by {row.used_by} for: {row.purpose}. "
                f"Upstream: {row.upstream}. Verified with Streamlit {row.verified}; "
                f"remove when: {row.remove_when}"
            )
    return found


_ST = "streamlit"
_STARLETTE = f"{_ST}.web.server.starlette"
_BATCHING = "dashboard/patches/batching.py"
_CLIENT_ERRORS = "dashboard/patches/client_errors.py"
_CLOSED = "dashboard/patches/closed_endpoints.py"
_TCP = "dashboard/patches/tcp.py"
_NAVIGATION = "dashboard/navigation.py"
_LOAD_TOOLS = (
    "dashboard/tools/classload.py, pollload.py, upload_probe.py, ballotprobe.py; "
    "tests/deploy/test_security.py"
)
_NO_ISSUE = "none filed"

_TCP_UPSTREAM = (
    "none filed against Streamlit (its listening socket is socket.socket(family), "
    "proto 0, in starlette_server._bind_socket); asyncio sets TCP_NODELAY only "
    "when sock.proto == IPPROTO_TCP: python/cpython#148783 (open)"
)
_TCP_REMOVE = (
    "Streamlit creates its socket with proto=IPPROTO_TCP, or asyncio drops the "
    "proto check (tests/unit/test_tcp.py then says so)"
)
_BATCHING_REMOVE = (
    "Streamlit hands a run's messages to the event loop in batches itself "
    "(re-measure with make load-bench)"
)
_UPLOADS_UPSTREAM = (
    "streamlit/streamlit#9218 (uploaded files are held in memory); none filed for "
    "a setting that turns the upload or metrics routes off"
)
_UPLOADS_REMOVE = (
    "Streamlit can switch the upload and metrics routes off, or the dashboard "
    "gains an uploader"
)
_WIDGET_UPSTREAM = (
    "streamlit/streamlit#3803 (a widget value the script cannot read breaks the "
    "session, with a console traceback; closed)"
)
_WIDGET_REMOVE = "Streamlit logs an unreadable widget value without a traceback"
_FRAME_UPSTREAM = (
    "streamlit/streamlit#16391 and PR #16392 (a malformed BackMsg closes the "
    "socket with 1002 and logs a traceback); none filed for the log volume"
)
_FRAME_REMOVE = "Streamlit logs a malformed frame in one line (or not at all)"
_PAGES_REMOVE = "st.Page stops resolving its file on every construction"
_PROTO_REMOVE = "never while the load tools speak Streamlit's wire protocol"
_PROTO_PURPOSE = "the load tools and security tests speak Streamlit's wire protocol"

#: Every private name the dashboard relies on (Streamlit 1.67.0, Python 3.11).
CONTRACT: tuple[Internal, ...] = (
    # -- TCP_NODELAY (patches/tcp.py) -----------------------------------------
    Internal(
        "asyncio.base_events._set_nodelay",
        Signature(("sock",)),
        "replaced by a check that sets TCP_NODELAY on every TCP stream socket",
        _TCP,
        _TCP_UPSTREAM,
        _TCP_REMOVE,
    ),
    Internal(
        "asyncio.selector_events._SelectorSocketTransport.__init__",
        Source(("base_events._set_nodelay(",)),
        "each new connection calls _set_nodelay through the module attribute, "
        "so the replacement reaches it",
        _TCP,
        _TCP_UPSTREAM,
        _TCP_REMOVE,
    ),
    # -- batched event-loop callbacks (patches/batching.py) -------------------
    Internal(
        f"{_ST}.runtime.app_session.AppSession._call_soon_on_event_loop",
        Signature(("self", "callback")),
        "replaced: a session's callbacks are queued and the loop woken once a batch",
        _BATCHING,
        _NO_ISSUE,
        _BATCHING_REMOVE,
    ),
    Internal(
        f"{_ST}.runtime.app_session.AppSession._event_loop",
        InstanceAttribute(),
        "the session's event loop, on which a batch is drained",
        _BATCHING,
        _NO_ISSUE,
        _BATCHING_REMOVE,
    ),
    # -- refused uploads and remote metrics (patches/closed_endpoints.py) -----
    Internal(
        f"{_STARLETTE}.starlette_path_security_middleware.PathSecurityMiddleware"
        ".__call__",
        Signature(("self", "scope", "receive", "send")),
        "wrapped: refuses uploads and remote metrics before any route sees them",
        _CLOSED,
        _UPLOADS_UPSTREAM,
        _UPLOADS_REMOVE,
    ),
    Internal(
        f"{_STARLETTE}.starlette_app.create_streamlit_middleware",
        Source(("middleware.append(Middleware(PathSecurityMiddleware))",)),
        "PathSecurityMiddleware is the outermost middleware, so every request "
        "passes the wrapper",
        _CLOSED,
        _UPLOADS_UPSTREAM,
        _UPLOADS_REMOVE,
    ),
    Internal(
        f"{_STARLETTE}.starlette_routes.BASE_ROUTE_UPLOAD_FILE",
        Present(str),
        "the upload route's path (under server.baseUrlPath)",
        _CLOSED,
        _UPLOADS_UPSTREAM,
        _UPLOADS_REMOVE,
    ),
    Internal(
        f"{_STARLETTE}.starlette_routes.ROUTE_METRICS",
        Present(str),
        "the metrics route's path (under server.baseUrlPath)",
        _CLOSED,
        _UPLOADS_UPSTREAM,
        _UPLOADS_REMOVE,
    ),
    Internal(
        f"{_ST}.url_util.make_url_path",
        Signature(("base_url", "path")),
        "joins server.baseUrlPath and a route as Streamlit's router does",
        _CLOSED,
        _NO_ISSUE,
        _UPLOADS_REMOVE,
    ),
    Internal(
        f"{_ST}.config.get_option",
        Signature(("key",)),
        "reads server.baseUrlPath (public as st.get_option; the module is not)",
        _CLOSED,
        _NO_ISSUE,
        _UPLOADS_REMOVE,
    ),
    # -- one-line client errors (patches/client_errors.py) --------------------
    Internal(
        f"{_ST}.error_util._log_uncaught_app_exception",
        Signature(("ex",)),
        "replaced: one throttled line for an unreadable widget value, "
        "Streamlit's traceback for anything else",
        _CLIENT_ERRORS,
        _WIDGET_UPSTREAM,
        _WIDGET_REMOVE,
    ),
    Internal(
        f"{_ST}.error_util.handle_user_script_exception",
        Source(("_log_uncaught_app_exception(ex)",)),
        "a failed run logs through the module global, so the replacement reaches it",
        _CLIENT_ERRORS,
        _WIDGET_UPSTREAM,
        _WIDGET_REMOVE,
    ),
    Internal(
        f"{_ST}.runtime.state.session_state.WStates.__getitem__",
        Signature(("self", "k")),
        "an exception raised below it comes from a browser's widget value; the "
        "widget id is its local k",
        _CLIENT_ERRORS,
        _WIDGET_UPSTREAM,
        _WIDGET_REMOVE,
    ),
    Internal(
        f"{_ST}.runtime.scriptrunner_utils.script_run_context.get_script_run_ctx",
        Signature(("suppress_warning",)),
        "the failed run's session id, for the log line",
        _CLIENT_ERRORS,
        _NO_ISSUE,
        _WIDGET_REMOVE,
    ),
    Internal(
        f"{_ST}.runtime.scriptrunner_utils.script_run_context.ScriptRunContext"
        ".session_id",
        InstanceAttribute(),
        "the failed run's session id, for the log line",
        _CLIENT_ERRORS,
        _NO_ISSUE,
        _WIDGET_REMOVE,
    ),
    Internal(
        f"{_STARLETTE}.starlette_websocket",
        Source(("get_logger(__name__)", '"Error deserializing back message"')),
        "the logger (named after the module) and message of a malformed frame, "
        "which a log filter rewrites",
        _CLIENT_ERRORS,
        _FRAME_UPSTREAM,
        _FRAME_REMOVE,
    ),
    Internal(
        f"{_STARLETTE}.starlette_websocket.create_websocket_handler",
        Source(("async def _websocket_endpoint(", "await websocket.receive_bytes()")),
        "a text frame fails in receive_bytes inside _websocket_endpoint (how the "
        "filter recognises it in uvicorn's traceback)",
        _CLIENT_ERRORS,
        _FRAME_UPSTREAM,
        _FRAME_REMOVE,
    ),
    Internal(
        "uvicorn.protocols.websockets.websockets_sansio_impl.WebSocketsSansIOProtocol",
        Source(('getLogger("uvicorn.error")', "Exception in ASGI application")),
        "the websocket protocol Streamlit 1.67 asks uvicorn for logs an escaped "
        "exception (a text frame) to uvicorn.error with this message",
        _CLIENT_ERRORS,
        _FRAME_UPSTREAM,
        _FRAME_REMOVE,
    ),
    Internal(
        f"{_ST}.logger.get_logger",
        Signature(("name",)),
        "loggers that follow logger.level and print to the server log",
        f"{_CLIENT_ERRORS}, dashboard/patches/__init__.py",
        _NO_ISSUE,
        "Streamlit documents a logger for apps (then use it)",
    ),
    # -- shared figures' JSON made once (patches/plotly_json.py) ----------------
    Internal(
        f"{_ST}.elements.plotly_chart",
        Source(("plotly.io.to_json(figure, validate=False)",)),
        "st.plotly_chart looks plotly.io.to_json up on every call and passes the "
        "figure's dict, so the patched function sees the frozen dict itself",
        "dashboard/patches/plotly_json.py",
        _NO_ISSUE,
        "Streamlit caches a chart's serialised figure, or accepts JSON",
    ),
    # -- section-only reruns of the quiz (sections/quiz.py) ---------------------
    Internal(
        f"{_ST}.errors.StreamlitAPIException",
        Present(type),
        "st.rerun([fragment keys]) raises it for a fragment this session has not "
        "drawn yet; the quiz then reruns the whole page",
        "dashboard/sections/quiz.py, monitoring_simulator.py, efficacy.py",
        _NO_ISSUE,
        "st.rerun documents what it raises for an unknown fragment key",
    ),
    # -- per-run page copies (navigation.py) ----------------------------------
    Internal(
        f"{_ST}.runtime.scriptrunner.get_script_run_ctx",
        Signature(("suppress_warning",)),
        "the run's context: which app folder the page templates belong to",
        _NAVIGATION,
        _NO_ISSUE,
        _PAGES_REMOVE,
    ),
    Internal(
        f"{_ST}.runtime.scriptrunner_utils.script_run_context.ScriptRunContext"
        ".pages_manager",
        InstanceAttribute(),
        "the run's pages manager",
        _NAVIGATION,
        _NO_ISSUE,
        _PAGES_REMOVE,
    ),
    Internal(
        f"{_ST}.runtime.pages_manager.PagesManager.main_script_parent",
        Present(property),
        "the key of the page templates built once per process",
        _NAVIGATION,
        _NO_ISSUE,
        _PAGES_REMOVE,
    ),
    Internal(
        f"{_ST}.navigation.page.StreamlitPage._can_be_called",
        InstanceAttribute(),
        "the per-run flag Streamlit sets on the page it runs: an instance "
        "attribute, so a shallow copy per run keeps sessions apart",
        _NAVIGATION,
        _NO_ISSUE,
        _PAGES_REMOVE,
    ),
    # -- other modules --------------------------------------------------------
    Internal(
        f"{_ST}.delta_generator.DeltaGenerator",
        Present(type),
        "the type of the container a lazy section draws into",
        "dashboard/ui/lazy.py",
        _NO_ISSUE,
        "Streamlit exports the container type publicly",
    ),
    Internal(
        _ST,
        PackageFile("static/index.html"),
        "the page every route serves: its inline scripts are hashed into nginx's "
        "Content-Security-Policy",
        "deploy/serve.py",
        _NO_ISSUE,
        "never while nginx sends a CSP with script hashes",
    ),
    # -- Streamlit's wire protocol (load tools and security tests) ------------
    Internal(
        f"{_ST}.proto.BackMsg_pb2.BackMsg",
        Fields(("rerun_script",)),
        _PROTO_PURPOSE,
        _LOAD_TOOLS,
        _NO_ISSUE,
        _PROTO_REMOVE,
    ),
    Internal(
        f"{_ST}.proto.ClientState_pb2.ClientState",
        Fields(
            (
                "page_script_hash",
                "fragment_id",
                "widget_states",
                "cached_message_hashes",
                "is_auto_rerun",
            )
        ),
        _PROTO_PURPOSE,
        _LOAD_TOOLS,
        _NO_ISSUE,
        _PROTO_REMOVE,
    ),
    Internal(
        f"{_ST}.proto.ForwardMsg_pb2.ForwardMsg",
        Fields(
            (
                "script_finished",
                "delta",
                "navigation",
                "new_session",
                "metadata",
                "hash",
                "auto_rerun",
                "stop_auto_rerun",
            )
        ),
        _PROTO_PURPOSE,
        _LOAD_TOOLS,
        _NO_ISSUE,
        _PROTO_REMOVE,
    ),
    Internal(
        f"{_ST}.proto.ForwardMsg_pb2.ForwardMsg.ScriptFinishedStatus"
        ".FINISHED_FRAGMENT_RUN_SUCCESSFULLY",
        Present(int),
        "the end of a fragment's run (a section-only rerun)",
        _LOAD_TOOLS,
        _NO_ISSUE,
        _PROTO_REMOVE,
    ),
    Internal(
        f"{_ST}.proto.WidgetStates_pb2.WidgetState",
        Fields(("id", "string_value", "bool_value", "double_array_value")),
        _PROTO_PURPOSE,
        _LOAD_TOOLS,
        _NO_ISSUE,
        _PROTO_REMOVE,
    ),
)
