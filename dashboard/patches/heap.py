"""Keep Python's cycle collector from pausing every student's run.

Why: a dashboard process holds a large, long-lived heap (Streamlit, Plotly's
figure classes, pandas, the shared caches), and CPython's collector walks all
of it in every oldest-generation collection while every thread waits. Measured
under ``make load-bench`` (60 students on one process, ``gc.callbacks``): 19
such collections in 45 s, 180-220 ms each, so one run in every few dozen took
0.2 s longer, whoever's run it was.

The fix moves what has survived so far into the collector's permanent
generation (``gc.freeze``), which later collections skip. It is done after a
script run, when the run count reaches 1, 4, 16, ... 1024, so the caches
filled by the first students are frozen too: each of these collects only what
is not frozen yet, so it costs little. From run 4096 on, every 4096 runs, the
freeze is undone and everything collected first (``gc.unfreeze`` then
``gc.collect``, one full pause of about 0.2 s): garbage that happened to be
alive in another session at the moment of a freeze is reclaimed then instead
of being kept for ever, so memory stays flat (the soak scenario checks it).
Measured the same way after the fix: the oldest-generation passes took 7-48 ms.

The youngest generation's threshold is also raised from 700 to 7000 new
objects, so every generation is collected a tenth as often; a young
collection then took 2-5 ms, rarely up to 26 ms.

Two parts, by design: :func:`enable` (called once per process by
:func:`dashboard.patches.apply`) switches the policy on, and :func:`after_run`
(called by ``app.py`` at the end of every full script run; fragment reruns do
not run ``app.py`` and are not counted) counts the run and freezes when due.
Until :func:`enable` has run, :func:`after_run` does nothing, so a process that
opted out of the patches (``DASHBOARD_STREAMLIT_PATCHES=off``, as the test
suite does) keeps CPython's collector as it is. It touches no Streamlit
internals.
"""

from __future__ import annotations

import gc
import threading

#: Freeze after this many runs, then after 4x as many, up to the cap below.
FIRST_FREEZE = 1
#: Once the run count passes this, freeze every this many runs.
FREEZE_EVERY_AT_MOST = 4096

#: New objects between young collections (CPython's default is 700).
YOUNG_THRESHOLD = 7000

#: What :func:`enable` changes (logged by :func:`dashboard.patches.apply`).
CHANGES = (
    f"gc.freeze after runs 1, 4, 16 ... then every {FREEZE_EVERY_AT_MOST} runs; "
    f"young-generation threshold {YOUNG_THRESHOLD}"
)

_lock = threading.Lock()
_enabled = False
_runs = 0
_next_freeze = FIRST_FREEZE


def enable() -> bool:
    """Switch the freezing policy on for this process; True (it always applies)."""
    global _enabled
    _enabled = True
    return True


def after_run() -> bool:
    """Count a finished script run; collect and freeze when due. True if it did.

    Does nothing (False) until :func:`enable` has switched the policy on.
    """
    global _runs, _next_freeze
    if not _enabled:
        return False
    with _lock:
        _runs += 1
        if _runs < _next_freeze:
            return False
        if _next_freeze >= FREEZE_EVERY_AT_MOST:
            gc.unfreeze()  # the periodic full pass: reclaim what froze alive
        _next_freeze = _runs + min(_next_freeze * 3, FREEZE_EVERY_AT_MOST)
        gc.collect()
        gc.freeze()
        _, middle, old = gc.get_threshold()
        gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    return True


def reset() -> None:
    """Switch the policy off, start counting again and undo any freeze (for tests)."""
    global _enabled, _runs, _next_freeze
    with _lock:
        _enabled = False
        _runs = 0
        _next_freeze = FIRST_FREEZE
        gc.unfreeze()
