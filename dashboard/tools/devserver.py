"""Deprecated: moved to :mod:`dashboard.serving` (issue 15). Delete this file.

Kept only while the parallel branches of issue 15 land, so that a test written
against the old path still imports; ``grep -rn dashboard.tools.devserver``
must find nothing but this file before it goes. Import from
:mod:`dashboard.serving.streamlit_server`, :mod:`dashboard.serving.ports` and
:mod:`dashboard.serving.browser` instead.
"""

from dashboard.serving.browser import CHROMIUM_ARGS, chromium_path
from dashboard.serving.ports import free_port
from dashboard.serving.streamlit_server import (
    Server,
    ServerError,
    is_healthy,
    running_server,
    started_server,
    streamlit_command,
)

__all__ = [
    "CHROMIUM_ARGS",
    "Server",
    "ServerError",
    "chromium_path",
    "free_port",
    "is_healthy",
    "running_server",
    "started_server",
    "streamlit_command",
]
