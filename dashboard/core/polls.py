"""Live class checks: polls stored in SQLite (default) or PostgreSQL.

An educator opens a poll on a quiz question and gets a short **join code** (for
students), a private **teacher token** (kept by the teacher's browser, never
in an address) and, if they chose one, a **teacher PIN** with which any
browser can take control of the poll again (after a server restart, or from
another device). Students answer once per round; only a teacher sees the
counts before the reveal, and only a teacher can open round 2, reveal or close.

Peer instruction: round 1 takes each student's answer and their confidence
(sure or unsure); the educator may then open **round 2**, after the room has
discussed, and students answer again. Answers that arrive after the reveal
are refused (:data:`LATE`), and round-1 answers after round 2 opened
(:data:`ROUND_OVER`), except one the page sent before and kept through a
database outage. A poll may belong to a **session** of several polls under
one join code (:mod:`dashboard.core.polls_sessions`).

"Answer once" is enforced by the database (primary key on poll, round and
student; tables and migrations in :mod:`dashboard.core.polls_schema`), not by
reading first, so concurrent answers are each counted exactly once. Only
hashes of teacher tokens (SHA-256) and PINs (scrypt) are stored. What limits
abuse lives here too, so that every dashboard process sharing the database
applies one limit: new browser identities per client address
(:meth:`PollStore.admit_new_browser`), polls and sessions started per browser,
and PIN tries per poll or session. Old polls and sessions are pruned through
an index on their age, in batches, at most every :data:`PRUNE_EVERY_S`
seconds. Pure Python: no Streamlit.
"""

from __future__ import annotations

import json
import math
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from dashboard.core.polls_common import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CREATE_GAP_S,
    CREATES_PER_HOUR,
    LATE,
    MAX_OPTIONS,
    NEW_BROWSERS_BURST,
    NEW_BROWSERS_PER_MINUTE,
    PIN_MAX_CHARS,
    PIN_MIN_CHARS,
    PIN_TRIES,
    PIN_WINDOW_S,
    PRUNE_BATCH,
    PRUNE_EVERY_S,
    RETENTION_DAYS,
    ROUND_OVER,
    UNAVAILABLE,
    NewPoll,
    PollError,
    PollLimitError,
    PollNotFoundError,
    PollUnavailableError,
    PollView,
    check_pin,
    hash_pin,
    new_code,
    normalise_code,
    token_hash,
    verify_pin,
)
from dashboard.core.polls_schema import TABLES
from dashboard.core.polls_teachers import TeacherStore

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "CREATES_PER_HOUR",
    "CREATE_GAP_S",
    "LATE",
    "MAX_OPTIONS",
    "NEW_BROWSERS_BURST",
    "NEW_BROWSERS_PER_MINUTE",
    "PIN_MAX_CHARS",
    "PIN_MIN_CHARS",
    "PIN_TRIES",
    "PIN_WINDOW_S",
    "PRUNE_BATCH",
    "PRUNE_EVERY_S",
    "RETENTION_DAYS",
    "ROUND_OVER",
    "TABLES",
    "UNAVAILABLE",
    "NewPoll",
    "PollError",
    "PollLimitError",
    "PollNotFoundError",
    "PollStore",
    "PollUnavailableError",
    "PollView",
    "check_pin",
    "hash_pin",
    "normalise_code",
    "verify_pin",
]
_hash = token_hash


class PollStore(TeacherStore):
    """Polls in a SQL database given by URL (``sqlite:///…`` or ``postgresql://…``).

    Each call opens its own short connection, so one store is safe to share
    between Streamlit sessions and threads. ``clock`` gives the time in Unix
    seconds (tests pass their own).
    """

    def __init__(self, url: str, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._next_prune = float("-inf")
        self._prune_lock = threading.Lock()
        super().__init__(url)

    # -- upkeep ----------------------------------------------------------------
    def prune(self, *, now: float | None = None) -> int:
        """Delete polls and sessions started over :data:`RETENTION_DAYS` ago.

        ``now`` is a Unix time in seconds (default: the store's clock). Returns
        how many polls were deleted. Old polls are found through the index on
        ``created_at`` and deleted :data:`PRUNE_BATCH` at a time, each batch in
        its own transaction (a poll and its answers go together), so answers
        arriving meanwhile wait for one small batch at most. Old sessions go
        the same way (their polls by their own age), and address budgets
        unused for a day go too.
        """
        now = self._clock() if now is None else now
        cutoff = now - RETENTION_DAYS * 86_400
        deleted = 0
        for table, related in (
            ("polls", ("poll_answers", "poll_opens", "poll_teachers")),
            ("poll_sessions", ("poll_teachers",)),
        ):
            while True:
                with self._transaction() as db:
                    codes = [
                        row[0]
                        for row in self._execute(
                            db,
                            f"SELECT code FROM {table} WHERE created_at < ? "
                            "ORDER BY created_at LIMIT ?",
                            (cutoff, PRUNE_BATCH),
                        ).fetchall()
                    ]
                    if codes:
                        marks = ", ".join("?" * len(codes))
                        for other in related:
                            self._execute(
                                db,
                                f"DELETE FROM {other} WHERE code IN ({marks})",
                                codes,
                            )
                        self._execute(
                            db, f"DELETE FROM {table} WHERE code IN ({marks})", codes
                        )
                if table == "polls":
                    deleted += len(codes)
                if len(codes) < PRUNE_BATCH:
                    break
        with self._connect() as db:
            self._execute(
                db, "DELETE FROM browser_budget WHERE updated < ?", (now - 86_400,)
            )
        return deleted

    def _prune_if_due(self) -> None:
        """:meth:`prune`, if this process has not pruned for :data:`PRUNE_EVERY_S`."""
        now = self._clock()
        if now < self._next_prune or not self._prune_lock.acquire(blocking=False):
            return
        try:
            if now >= self._next_prune:
                self._next_prune = now + PRUNE_EVERY_S
                self.prune(now=now)
        finally:
            self._prune_lock.release()

    # -- who may do what -------------------------------------------------------
    def admit_new_browser(self, address: str, *, now: float | None = None) -> float:
        """Take one new-identity slot for ``address``: 0 if given, else seconds to wait.

        A token bucket per address in the database, so every process behind
        one load balancer shares it: :data:`NEW_BROWSERS_BURST` slots, refilled
        at :data:`NEW_BROWSERS_PER_MINUTE`. ``address`` should be a hash
        (:func:`dashboard.core.identity.address_key`).
        """
        now = self._clock() if now is None else now
        cap = float(NEW_BROWSERS_BURST)
        rate = NEW_BROWSERS_PER_MINUTE / 60
        level = (
            "(CASE WHEN browser_budget.tokens + (? - browser_budget.updated) * ? > ? "
            "THEN ? ELSE browser_budget.tokens + (? - browser_budget.updated) * ? END)"
        )
        level_params = (now, rate, cap, cap, now, rate)
        with self._connect() as db:
            taken = self._execute(
                db,
                "INSERT INTO browser_budget (address, tokens, updated) "
                "VALUES (?, ?, ?) ON CONFLICT (address) DO UPDATE SET "
                f"tokens = {level} - 1, updated = ? WHERE {level} >= 1",
                (address, cap - 1, now, *level_params, now, *level_params),
            ).rowcount
            if taken == 1:
                return 0.0
            tokens, updated = self._execute(
                db,
                "SELECT tokens, updated FROM browser_budget WHERE address = ?",
                (address,),
            ).fetchone()
        level_now = min(cap, tokens + (now - updated) * rate)
        return max(1.0, (1 - level_now) / rate)

    def _check_creation_limit(self, db: Any, creator: str, now: float) -> None:
        count, first, last = self._execute(
            db,
            "SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM polls "
            "WHERE creator = ? AND created_at > ?",
            (creator, now - 3600),
        ).fetchone()
        if last is not None and now - last < CREATE_GAP_S:
            wait = last + CREATE_GAP_S - now
            raise PollLimitError(
                f"This browser started a poll {max(0, round(now - last))} s ago. "
                f"Wait {math.ceil(wait)} s before starting another.",
                wait,
            )
        if count >= CREATES_PER_HOUR:
            wait = first + 3600 - now
            raise PollLimitError(
                f"This browser has started {count} polls in the last hour, the most "
                f"it may. Reuse one of them, or wait {math.ceil(wait / 60)} min.",
                wait,
            )

    # -- educator ------------------------------------------------------------
    def create(
        self,
        question_id: str,
        prompt: str,
        options: Sequence[str],
        correct: int,
        *,
        pin: str | None = None,
        creator: str | None = None,
    ) -> NewPoll:
        """Open a poll on its own; returns its join code and the teacher token.

        ``pin`` (see :func:`check_pin`) lets any browser take control later
        (:meth:`reclaim`); only its scrypt hash is kept. ``creator`` (a hash
        naming the browser) applies :data:`CREATE_GAP_S` and
        :data:`CREATES_PER_HOUR`; without it there is no limit (tools, tests).
        Old polls are pruned first when due (:meth:`_prune_if_due`).
        """
        options = tuple(str(o) for o in options)
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise PollError(f"A poll needs 2 to {MAX_OPTIONS} options.")
        if not 0 <= correct < len(options):
            raise PollError("The correct answer must be one of the options.")
        pin_hash = None if pin is None else hash_pin(check_pin(pin))
        self._prune_if_due()
        token = secrets.token_urlsafe(18)
        for _ in range(20):
            code = new_code()
            now = self._clock()
            with self._transaction() as db:
                if creator is not None:
                    self._check_creation_limit(db, creator, now)
                inserted = self._insert_poll(
                    db,
                    code,
                    (question_id, prompt, json.dumps(options), correct),
                    teacher_hash=_hash(token),
                    now=now,
                    pin_hash=pin_hash,
                    creator=creator,
                )
            if inserted:
                return NewPoll(code, token)
        raise PollError("Could not find a free join code; try again.")
