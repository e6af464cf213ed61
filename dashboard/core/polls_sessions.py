"""Class sessions: a lecture's sequence of polls under one join code.

An educator starts a **session** and gets one join code (and a teacher token,
and the PIN they chose) for the whole lecture. Into it go polls: questions
from the shared bank, or questions the educator writes
(:func:`dashboard.core.poll_text.own_question`; stored with the session only,
never in the bank). A poll is added open (students see it at once) or
queued; the session's ``current`` poll is the one students see. Students
keep one page open on the session's code, and their page watches
:meth:`SessionStore.session_state` (one small query) to learn that the next
question is open, round 2 has started, or the results are out.

Each poll of a session has its own code (answers are keyed by it), carries
the session's teacher token hash, and is controlled by the session's tokens
and PIN. Session and poll codes share one namespace (a code is never both).
A browser may start :data:`SESSIONS_PER_MINUTE` sessions a minute and
:data:`SESSIONS_PER_HOUR` an hour; a session holds at most
:data:`MAX_SESSION_POLLS` polls. Sessions are pruned with polls
(:meth:`dashboard.core.polls.PollStore.prune`). Pure Python: no Streamlit.
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dashboard.core import poll_text
from dashboard.core.polls_common import (
    MAX_OPTIONS,
    MAX_SESSION_POLLS,
    SESSIONS_PER_HOUR,
    SESSIONS_PER_MINUTE,
    NewPoll,
    PollError,
    PollLimitError,
    PollNotFoundError,
    PollView,
    check_pin,
    hash_pin,
    new_code,
    normalise_code,
    token_hash,
)
from dashboard.core.polls_schema import Database

#: The question id of a poll an educator wrote (never a bank id).
OWN_QUESTION_ID = "own"
NO_SESSION = "No session has the code {code}."
NOT_SESSION_TEACHER = "This teacher key is not valid for that session."


@dataclass(frozen=True)
class SessionView:
    """A session as one viewer may see it.

    ``current`` is the code of the poll students see now (``None`` before the
    first); ``polls`` how many it holds and ``queued`` how many wait to open.
    ``teacher`` says whether the viewer's token controls it.
    """

    code: str
    current: str | None
    polls: int
    queued: int
    has_pin: bool
    teacher: bool


@dataclass(frozen=True)
class SessionState:
    """What a student's page watches: the poll shown now, its round and state."""

    current: str | None
    round: int = 1
    revealed: bool = False
    closed: bool = False


class SessionStore(Database):
    """Sessions of polls (a base of :class:`dashboard.core.polls.PollStore`)."""

    # Provided by PollStore.
    _clock: Any

    # -- starting ------------------------------------------------------------
    def create_session(
        self, *, pin: str | None = None, creator: str | None = None
    ) -> NewPoll:
        """Start a session; returns its join code and the teacher token.

        ``pin`` and ``creator`` as for :meth:`PollStore.create`; ``creator``
        applies :data:`SESSIONS_PER_MINUTE` and :data:`SESSIONS_PER_HOUR`.
        """
        pin_hash = None if pin is None else hash_pin(check_pin(pin))
        self._prune_if_due()
        token = secrets.token_urlsafe(18)
        for _ in range(20):
            code = new_code()
            now = self._clock()
            with self._transaction() as db:
                if creator is not None:
                    self._check_session_limit(db, creator, now)
                inserted = self._execute(
                    db,
                    "INSERT INTO poll_sessions (code, teacher_hash, pin_hash, "
                    "creator, created_at) SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS "
                    "(SELECT 1 FROM polls WHERE code = ?) "
                    "ON CONFLICT (code) DO NOTHING",
                    (code, token_hash(token), pin_hash, creator, now, code),
                ).rowcount
            if inserted == 1:
                return NewPoll(code, token)
        raise PollError("Could not find a free join code; try again.")

    def _check_session_limit(self, db: Any, creator: str, now: float) -> None:
        for window, most, span in (
            (60, SESSIONS_PER_MINUTE, "minute"),
            (3600, SESSIONS_PER_HOUR, "hour"),
        ):
            count, first = self._execute(
                db,
                "SELECT COUNT(*), MIN(created_at) FROM poll_sessions "
                "WHERE creator = ? AND created_at > ?",
                (creator, now - window),
            ).fetchone()
            if count >= most:
                wait = first + window - now
                raise PollLimitError(
                    f"This browser has started {count} sessions in the last "
                    f"{span}, the most it may. Reuse one, or wait "
                    f"{math.ceil(wait)} s.",
                    wait,
                )

    # -- the educator ---------------------------------------------------------
    def _session_row(self, db: Any, code: str) -> tuple:
        row = self._execute(
            db,
            "SELECT teacher_hash, pin_hash, current, polls FROM poll_sessions "
            "WHERE code = ?",
            (code,),
        ).fetchone()
        if row is None:
            raise PollNotFoundError(NO_SESSION.format(code=code))
        return row

    def _check_session_teacher(self, db: Any, code: str, token: object) -> tuple:
        row = self._session_row(db, code)
        if not self._is_teacher(db, code, row[0], token):
            raise PollError(NOT_SESSION_TEACHER)
        return row

    def add_poll(
        self,
        session: str,
        token: str,
        question_id: str,
        prompt: str,
        options: Sequence[str],
        correct: int,
        *,
        open_now: bool = True,
    ) -> str:
        """Add a bank question to the session (teacher only); returns the poll's code.

        ``open_now`` makes it the poll students see; otherwise it waits in
        the list (:meth:`open_next`).
        """
        options = tuple(str(o) for o in options)
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise PollError(f"A poll needs 2 to {MAX_OPTIONS} options.")
        if not 0 <= correct < len(options):
            raise PollError("The correct answer must be one of the options.")
        question = (question_id, prompt, json.dumps(options), correct)
        return self._add(session, token, question, {}, open_now)

    def add_own_poll(
        self,
        session: str,
        token: str,
        question: poll_text.OwnQuestion,
        *,
        open_now: bool = True,
    ) -> str:
        """Add a question the educator wrote (checked again here); its poll's code.

        Stored with this session only: never added to the shared bank.
        """
        checked = poll_text.own_question(
            question.stem,
            question.options,
            question.correct,
            question.explanation,
            question.source,
        )
        stored = (
            OWN_QUESTION_ID,
            checked.stem,
            json.dumps(checked.options),
            checked.correct,
        )
        extra = {
            "own": 1,
            "explanation": checked.explanation,
            "source": checked.source,
        }
        return self._add(session, token, stored, extra, open_now)

    def _add(
        self,
        session: str,
        token: str,
        question: tuple,
        extra: dict[str, Any],
        open_now: bool,
    ) -> str:
        session = normalise_code(session)
        for _ in range(20):
            code = new_code()
            with self._transaction() as db:
                teacher_hash, _, _, count = self._check_session_teacher(
                    db, session, token
                )
                if count >= MAX_SESSION_POLLS:
                    raise PollError(
                        f"This session holds {count} polls, the most it may; "
                        "start a new session for more."
                    )
                inserted = self._insert_poll(
                    db,
                    code,
                    question,
                    teacher_hash=teacher_hash,
                    now=self._clock(),
                    session_code=session,
                    position=count + 1,
                    queued=0 if open_now else 1,
                    **extra,
                )
                if inserted:
                    self._execute(
                        db,
                        "UPDATE poll_sessions SET polls = polls + 1"
                        + (", current = ?" if open_now else "")
                        + " WHERE code = ?",
                        (code, session) if open_now else (session,),
                    )
                    return code
        raise PollError("Could not find a free code; try again.")

    def open_poll(self, session: str, token: str, code: str) -> None:
        """Make poll ``code`` of the session the one students see (teacher only)."""
        session, code = normalise_code(session), normalise_code(code)
        with self._transaction() as db:
            self._check_session_teacher(db, session, token)
            changed = self._execute(
                db,
                "UPDATE polls SET queued = 0 WHERE code = ? AND session_code = ?",
                (code, session),
            ).rowcount
            if not changed:
                raise PollNotFoundError(f"This session has no poll {code}.")
            self._execute(
                db,
                "UPDATE poll_sessions SET current = ? WHERE code = ?",
                (code, session),
            )

    def open_next(self, session: str, token: str) -> str:
        """Open the first queued poll of the session (teacher only); its code."""
        session = normalise_code(session)
        with self._connect() as db:
            self._check_session_teacher(db, session, token)
            row = self._execute(
                db,
                "SELECT code FROM polls WHERE session_code = ? AND queued = 1 "
                "ORDER BY position LIMIT 1",
                (session,),
            ).fetchone()
        if row is None:
            raise PollError("No question is waiting in this session's list.")
        self.open_poll(session, token, row[0])
        return str(row[0])

    def _insert_poll(
        self,
        db: Any,
        code: str,
        question: tuple,
        *,
        teacher_hash: str,
        now: float,
        **extra: Any,
    ) -> bool:
        """Insert one poll row unless ``code`` is taken (by a poll or a session)."""
        columns = ["code", "question_id", "prompt", "options", "correct"]
        columns += ["teacher_hash", "created_at", *extra]
        values = [code, *question, teacher_hash, now, *extra.values()]
        marks = ", ".join("?" * len(values))
        return (
            self._execute(
                db,
                f"INSERT INTO polls ({', '.join(columns)}) SELECT {marks} "
                "WHERE NOT EXISTS (SELECT 1 FROM poll_sessions WHERE code = ?) "
                "ON CONFLICT (code) DO NOTHING",
                (*values, code),
            ).rowcount
            == 1
        )

    # -- reading ---------------------------------------------------------------
    def session(self, code: str, token: str | None = None) -> SessionView:
        """The session as a student (no token) or its teacher sees it."""
        code = normalise_code(code)
        with self._connect() as db:
            teacher_hash, pin_hash, current, count = self._session_row(db, code)
            teacher = token is not None and self._is_teacher(
                db, code, teacher_hash, token
            )
            queued = self._execute(
                db,
                "SELECT COUNT(*) FROM polls WHERE session_code = ? AND queued = 1",
                (code,),
            ).fetchone()[0]
        return SessionView(
            code=code,
            current=current,
            polls=int(count),
            queued=int(queued),
            has_pin=pin_hash is not None,
            teacher=teacher,
        )

    def is_session(self, code: str) -> bool:
        """Whether ``code`` is a session's join code (rather than a poll's)."""
        code = normalise_code(code)
        with self._connect() as db:
            return (
                self._execute(
                    db, "SELECT 1 FROM poll_sessions WHERE code = ?", (code,)
                ).fetchone()
                is not None
            )

    def session_state(self, code: str) -> SessionState:
        """The poll students see now, its round, and whether it is revealed or closed.

        One query: a hall of students' pages asks for it every few seconds.
        """
        code = normalise_code(code)
        with self._connect() as db:
            row = self._execute(
                db,
                "SELECT s.current, p.round_open, p.revealed, p.closed "
                "FROM poll_sessions s LEFT JOIN polls p ON p.code = s.current "
                "WHERE s.code = ?",
                (code,),
            ).fetchone()
        if row is None:
            raise PollNotFoundError(NO_SESSION.format(code=code))
        current, round_open, revealed, closed = row
        if current is None or round_open is None:
            return SessionState(None)
        return SessionState(current, int(round_open), bool(revealed), bool(closed))

    def session_polls(self, code: str, token: str) -> tuple[PollView, ...]:
        """Every poll of the session, in order, with its counts (teacher only)."""
        code = normalise_code(code)
        with self._connect() as db:
            self._check_session_teacher(db, code, token)
            codes = [
                row[0]
                for row in self._execute(
                    db,
                    "SELECT code FROM polls WHERE session_code = ? ORDER BY position",
                    (code,),
                ).fetchall()
            ]
            return tuple(self._view(db, poll, token) for poll in codes)
