"""What only a poll's teacher may do: reveal, open round 2, close, take control.

Part of :class:`dashboard.core.polls.PollStore`. A teacher is whoever holds
the poll's token (or its session's), or a token that :meth:`reclaim` gave
for the PIN; only SHA-256 hashes of tokens and a scrypt hash of the PIN are
stored. Pure Python: no Streamlit.
"""

from __future__ import annotations

import hmac
import math
import secrets
from typing import Any

from dashboard.core.polls_answers import AnswerStore
from dashboard.core.polls_common import (
    PIN_TRIES,
    PIN_WINDOW_S,
    PollError,
    PollLimitError,
    PollNotFoundError,
    normalise_code,
    token_hash,
    verify_pin,
)

_hash = token_hash


class TeacherStore(AnswerStore):
    """Teacher-only changes (a base of :class:`dashboard.core.polls.PollStore`)."""

    def _is_teacher(
        self, db: Any, code: str, stored: str, token: object, session: str | None = None
    ) -> bool:
        """Whether ``token`` is the poll's token or one given by :meth:`reclaim`.

        For a poll in a session, the session's tokens count too.
        """
        if token is None:
            return False
        hashed = _hash(str(token))
        found = hmac_equal(stored, hashed)
        codes = (code,) if session is None else (code, session)
        marks = ", ".join("?" * len(codes))
        for (extra,) in self._execute(
            db, f"SELECT token_hash FROM poll_teachers WHERE code IN ({marks})", codes
        ).fetchall():
            found = hmac_equal(extra, hashed) or found
        return found

    def _check_teacher(self, db: Any, code: str, token: str) -> None:
        row = self._execute(
            db, "SELECT teacher_hash, session_code FROM polls WHERE code = ?", (code,)
        ).fetchone()
        if row is None:
            raise PollNotFoundError(f"No poll has the code {code}.")
        if not self._is_teacher(db, code, row[0], str(token or ""), row[1]):
            raise PollError("This teacher link is not valid for that poll.")

    def reveal(self, code: str, token: str) -> None:
        """Show the counts and the correct answer to everyone (teacher only)."""
        code = normalise_code(code)
        with self._connect() as db:
            self._check_teacher(db, code, token)
            self._execute(
                db,
                "UPDATE polls SET revealed = 1, revealed_at = COALESCE(revealed_at, ?) "
                "WHERE code = ?",
                (self._clock(), code),
            )

    def open_round_two(self, code: str, token: str) -> None:
        """Open round 2 (teacher only): students answer again after discussing.

        Only before the reveal; opening it again changes nothing. Round-1
        answers stop (:data:`ROUND_OVER`), except one kept through an outage
        that was sent before this moment.
        """
        code = normalise_code(code)
        with self._connect() as db:
            self._check_teacher(db, code, token)
            changed = self._execute(
                db,
                "UPDATE polls SET round_open = 2, round2_at = COALESCE(round2_at, ?) "
                "WHERE code = ? AND revealed = 0 AND closed = 0",
                (self._clock(), code),
            ).rowcount
            if not changed:
                raise PollError(
                    "Round 2 can only open before the results are revealed, "
                    "on a poll that is not closed."
                )

    def close(self, code: str, token: str) -> None:
        """Stop accepting answers (teacher only)."""
        code = normalise_code(code)
        with self._connect() as db:
            self._check_teacher(db, code, token)
            self._execute(db, "UPDATE polls SET closed = 1 WHERE code = ?", (code,))

    def reclaim(self, code: str, pin: str) -> str:
        """A new teacher token for whoever knows the poll's (or session's) PIN.

        For a teacher whose tab lost its session (a server restart, another
        device). At most :data:`PIN_TRIES` tries per poll or session per
        :data:`PIN_WINDOW_S` seconds, from all browsers together: each try is
        claimed in one atomic update before the PIN is checked, so tries sent
        at once cannot slip past the limit. Other teacher tokens stay valid.
        """
        code = normalise_code(code)
        now = self._clock()
        opens = now - PIN_WINDOW_S
        with self._connect() as db:
            table = "polls"
            if self._execute(
                db, "SELECT 1 FROM poll_sessions WHERE code = ?", (code,)
            ).fetchone():
                table = "poll_sessions"
            claimed = self._execute(
                db,
                f"UPDATE {table} SET "
                "pin_tries = CASE WHEN pin_window <= ? THEN 1 ELSE pin_tries + 1 END, "
                "pin_window = CASE WHEN pin_window <= ? THEN ? ELSE pin_window END "
                "WHERE code = ? AND (pin_window <= ? OR pin_tries < ?)",
                (opens, opens, now, code, opens, PIN_TRIES),
            ).rowcount
            row = self._execute(
                db,
                f"SELECT pin_hash, pin_tries, pin_window FROM {table} WHERE code = ?",
                (code,),
            ).fetchone()
            if row is None:
                raise PollNotFoundError(f"No poll has the code {code}.")
            pin_hash, tries, window = row
            if claimed != 1:
                raise PollLimitError(
                    f"Too many PIN tries for this poll. Wait "
                    f"{math.ceil(window + PIN_WINDOW_S - now)} s and try again.",
                    window + PIN_WINDOW_S - now,
                )
            if pin_hash is None:
                raise PollError(
                    "This poll was started without a teacher PIN, so no other "
                    "browser can take control of it."
                )
            if not verify_pin(str(pin or ""), pin_hash):
                left = max(0, PIN_TRIES - int(tries))
                raise PollError(
                    f"That PIN is not right for this poll ({left} more "
                    f"{'try' if left == 1 else 'tries'} in this minute)."
                )
            token = secrets.token_urlsafe(18)
            self._execute(
                db,
                "INSERT INTO poll_teachers (code, token_hash) VALUES (?, ?)",
                (code, _hash(token)),
            )
            self._execute(
                db, f"UPDATE {table} SET pin_tries = 0 WHERE code = ?", (code,)
            )
        return token


def hmac_equal(a: str, b: str) -> bool:
    """Constant-time comparison of two hashes."""
    return hmac.compare_digest(a, b)
