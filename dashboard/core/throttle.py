"""A small sliding-window limit on failed guesses, kept per browser session.

The class check tells a wrong join code from a right one ("No poll has the
code …") and a wrong teacher PIN from a right one; that is what makes it easy
to use, and also an oracle. :class:`Throttle` lets a session make
``limit`` failed guesses per ``window_s`` seconds, then asks it to wait. A
typo or two never meets it; a script guessing at page-run speed (129 guesses
a second in the December 2026 review) does at once. Pure Python: no Streamlit.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field


@dataclass
class Throttle:
    """At most ``limit`` failures in any ``window_s`` seconds.

    ``failures`` holds the Unix times (seconds) of recent failures; the caller
    keeps the object (for example in session state) between page runs.
    """

    limit: int
    window_s: float
    failures: list[float] = field(default_factory=list)

    def _recent(self, now: float) -> list[float]:
        self.failures = [t for t in self.failures if t > now - self.window_s]
        return self.failures

    def wait_s(self, now: float | None = None) -> int:
        """Whole seconds to wait before the next guess; 0 if one is allowed now."""
        now = time.time() if now is None else now
        recent = self._recent(now)
        if len(recent) < self.limit:
            return 0
        return max(1, math.ceil(recent[-self.limit] + self.window_s - now))

    def failed(self, now: float | None = None) -> None:
        """Count one failed guess."""
        now = time.time() if now is None else now
        self._recent(now).append(now)
