"""Process-wide patches of Streamlit 1.67 (and asyncio), switched on once per process.

Each module here changes how the whole server process behaves, not what a page
shows: TCP_NODELAY on every connection (:mod:`~dashboard.patches.tcp`), batched
hand-over of a run's messages to the event loop (:mod:`~dashboard.patches.batching`),
a frozen long-lived heap (:mod:`~dashboard.patches.heap`), refused upload and
remote metrics requests (:mod:`~dashboard.patches.closed_endpoints`), and
malformed client messages logged in one line
(:mod:`~dashboard.patches.client_errors`), and the JSON of shared figures made
once (:mod:`~dashboard.patches.plotly_json`). Why each exists, what it measured
and when it can go: the module's docstring, ``README.md`` in this folder, and
the table of private names in :mod:`~dashboard.patches.contract`.

``app.py`` calls :func:`apply` at the top of every script run; only the first
call in a process does anything (thread-safe: sessions start runs in parallel),
later calls return the first call's result. The first call logs one INFO line
per patch switched on (its name and what it changed), and one line for a patch
that could not be applied because the installed Streamlit differs.

Opt-out: with the environment variable ``DASHBOARD_STREAMLIT_PATCHES=off``
(also ``0``, ``false`` or ``no``, any case) nothing is patched and one INFO
line says so. The test suite sets it (``tests/conftest.py``), so that AppTest
does not patch the pytest process; the servers that the browser and deploy
tests start run with the patches (:mod:`dashboard.serving.streamlit_server`
removes the variable from their environment unless a caller passes it).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dashboard.patches import (
    batching,
    client_errors,
    closed_endpoints,
    heap,
    plotly_json,
    tcp,
)

try:  # Streamlit's logger honours ``logger.level`` and prints to the server log.
    from streamlit.logger import get_logger
except ImportError:  # pragma: no cover - depends on the installed Streamlit
    get_logger = logging.getLogger

#: The environment variable that switches every patch off (value ``off``).
OPT_OUT = "DASHBOARD_STREAMLIT_PATCHES"
_OFF = frozenset({"off", "0", "false", "no"})

_LOGGER = get_logger(__name__)


@dataclass(frozen=True)
class Patch:
    """One process-wide patch: its name, what it changes, and its switch.

    ``enable`` is idempotent and returns whether the patch is now in effect
    (False where Streamlit's internals differ from what it expects).
    """

    name: str
    changes: str
    enable: Callable[[], bool]


#: Every patch, in the order :func:`apply` switches them on.
PATCHES: tuple[Patch, ...] = (
    Patch("tcp", tcp.CHANGES, tcp.enable_nodelay),
    Patch("batching", batching.CHANGES, batching.enable_batching),
    Patch(
        "closed_endpoints", closed_endpoints.CHANGES, closed_endpoints.refuse_uploads
    ),
    Patch("client_errors", client_errors.CHANGES, client_errors.log_in_one_line),
    Patch("heap", heap.CHANGES, heap.enable),
    Patch("plotly_json", plotly_json.CHANGES, plotly_json.enable),
)


def opted_out(environ: Mapping[str, str]) -> bool:
    """Whether ``environ`` switches the patches off (see :data:`OPT_OUT`)."""
    return environ.get(OPT_OUT, "").strip().lower() in _OFF


class Switch:
    """Applies a set of patches once; every later call returns the first result.

    Parameters
    ----------
    patches
        The patches to switch on, in order.
    environ
        Where the opt-out variable is read (``os.environ`` when None), at the
        first :meth:`apply`.
    logger
        Where the one-line report of each patch goes.
    """

    def __init__(
        self,
        patches: tuple[Patch, ...],
        *,
        environ: Mapping[str, str] | None = None,
        logger: logging.Logger = _LOGGER,
    ) -> None:
        self.patches = patches
        self.environ = environ
        self.logger = logger
        self._lock = threading.Lock()
        self._applied: dict[str, bool] | None = None

    def apply(self) -> dict[str, bool]:
        """Switch every patch on (first call only); which of them are in effect."""
        applied = self._applied
        if applied is None:
            with self._lock:
                if self._applied is None:
                    self._applied = self._apply_all()
                applied = self._applied
        return dict(applied)

    def _apply_all(self) -> dict[str, bool]:
        environ = os.environ if self.environ is None else self.environ
        if opted_out(environ):
            self.logger.info(
                "Streamlit patches skipped: %s=%s", OPT_OUT, environ.get(OPT_OUT)
            )
            return {patch.name: False for patch in self.patches}
        applied = {}
        for patch in self.patches:
            applied[patch.name] = patch.enable()
            if applied[patch.name]:
                self.logger.info("Streamlit patch %s: %s", patch.name, patch.changes)
            else:
                self.logger.warning(
                    "Streamlit patch %s skipped: the installed Streamlit's internals "
                    "differ (see dashboard/patches/contract.py)",
                    patch.name,
                )
        return applied


_SWITCH = Switch(PATCHES)


def apply() -> dict[str, bool]:
    """Switch every patch on, once per process; which of them are in effect.

    Cheap after the first call (no lock, no logging). Honours
    ``DASHBOARD_STREAMLIT_PATCHES=off``.
    """
    return _SWITCH.apply()
