"""Live class checks: polls stored in SQLite (default) or PostgreSQL.

An educator opens a poll on a quiz question and gets a short **join code** (for
students) and a private **teacher token** (for the teacher link). Students
answer once each; only the holder of the teacher token sees the counts before
the reveal, and only they can reveal or close the poll.

Storage is a real database so several dashboard servers can share polls:

* ``sqlite:///path/to/polls.db`` (the default, no setup; WAL mode so readers
  do not block the writer), or
* ``postgresql://user@host/db`` when ``DATABASE_URL`` points at a server.

"Answer once" is enforced by the database (primary key on poll and student),
not by reading first, so concurrent answers are each counted exactly once.
Only the SHA-256 hash of a teacher token is stored. Pure Python: no Streamlit.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# No 0/O or 1/I/L: a code read aloud or off a projector is typed right first time.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
MAX_OPTIONS = 8
#: A class check lasts a lecture. Polls older than this, and their answers, are
#: deleted whenever a new poll starts, so the database stays small and an old
#: join code is not kept (or guessable) for ever.
RETENTION_DAYS = 30
UNAVAILABLE = (
    "The poll database cannot be used right now ({error}). Live class checks are "
    "unavailable; the rest of the dashboard works."
)

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS polls (
        code TEXT PRIMARY KEY,
        question_id TEXT NOT NULL,
        prompt TEXT NOT NULL,
        options TEXT NOT NULL,
        correct INTEGER NOT NULL,
        teacher_hash TEXT NOT NULL,
        revealed INTEGER NOT NULL DEFAULT 0,
        closed INTEGER NOT NULL DEFAULT 0,
        created_at DOUBLE PRECISION NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS poll_answers (
        code TEXT NOT NULL REFERENCES polls(code),
        student TEXT NOT NULL,
        choice INTEGER NOT NULL,
        PRIMARY KEY (code, student)
    )""",
)


class PollError(ValueError):
    """A request the poll cannot accept; the message is safe to show to users."""


@dataclass(frozen=True)
class NewPoll:
    """What the educator gets back: the code to share and the private token."""

    code: str
    teacher_token: str


@dataclass(frozen=True)
class PollView:
    """A poll as one viewer may see it.

    ``counts`` and ``correct`` are ``None`` unless the viewer is the teacher or
    the poll has been revealed.
    """

    code: str
    question_id: str
    prompt: str
    options: tuple[str, ...]
    revealed: bool
    closed: bool
    counts: tuple[int, ...] | None
    correct: int | None

    @property
    def total(self) -> int | None:
        """How many answered, when the counts are visible."""
        return None if self.counts is None else sum(self.counts)


def normalise_code(raw: object) -> str:
    """Upper-case, strip spaces and dashes; raise :class:`PollError` if malformed."""
    code = str(raw or "").upper().replace(" ", "").replace("-", "")
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        raise PollError(
            f"A join code is {CODE_LENGTH} letters and digits, like "
            f"{'K7QM2X'}; check the code on the screen."
        )
    return code


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def browser_student(code: str, xsrf_cookie: object) -> str | None:
    """A student id for this poll that survives a page reload, or ``None``.

    ``xsrf_cookie`` is the value of Streamlit's ``_streamlit_xsrf`` cookie,
    which a browser keeps until it closes: ``2|mask|masked token|timestamp``
    in hex, where each response re-masks the same 16 random bytes. The id is
    a hash of the poll's code and those bytes, so it is the same after a
    reload, differs from poll to poll, and never stores the token itself.
    Anything else (no cookie, another format) gives ``None``: the caller
    falls back to an id per browser session.
    """
    if not isinstance(xsrf_cookie, str):
        return None
    parts = xsrf_cookie.split("|")
    if len(parts) != 4 or parts[0] != "2":
        return None
    try:
        mask = bytes.fromhex(parts[1])
        masked = bytes.fromhex(parts[2])
    except ValueError:
        return None
    if len(mask) != 4 or not 8 <= len(masked) <= 64:
        return None
    token = bytes(b ^ mask[i % 4] for i, b in enumerate(masked))
    digest = hashlib.sha256(b"class-check|" + code.encode() + b"|" + token)
    return "b-" + digest.hexdigest()[:32]


class PollStore:
    """Polls in a SQL database given by URL (``sqlite:///…`` or ``postgresql://…``).

    Each call opens its own short connection, so one store is safe to share
    between Streamlit sessions and threads.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite:///"):
            self.backend = "sqlite"
            self._path = Path(url.removeprefix("sqlite:///"))
            self._path.parent.mkdir(parents=True, exist_ok=True)
        elif url.startswith(("postgresql://", "postgres://")):
            self.backend = "postgresql"
        else:
            raise PollError("DATABASE_URL must start with sqlite:/// or postgresql://")
        with self._connect() as db:
            for statement in SCHEMA:
                self._execute(db, statement)

    # -- connections ---------------------------------------------------------
    @contextmanager
    def _connect(self) -> Iterator[Any]:
        """A short-lived connection; driver errors become a :class:`PollError`."""
        failures: tuple[type[BaseException], ...] = (sqlite3.Error, OSError)
        try:
            if self.backend == "sqlite":
                db = sqlite3.connect(self._path, timeout=30, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA busy_timeout=30000")
                db.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; faster
            else:
                import psycopg  # only needed for PostgreSQL

                failures = (*failures, psycopg.Error)
                db = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except failures as error:
            raise PollError(UNAVAILABLE.format(error=type(error).__name__)) from error
        try:
            yield db
        except failures as error:
            raise PollError(UNAVAILABLE.format(error=type(error).__name__)) from error
        finally:
            db.close()

    def _execute(self, db: Any, sql: str, params: Sequence[Any] = ()) -> Any:
        if self.backend == "postgresql":
            sql = sql.replace("?", "%s")
        return db.execute(sql, tuple(params))

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        """A connection whose statements commit together or not at all."""
        with self._connect() as db:
            if self.backend == "postgresql":
                with db.transaction():
                    yield db
                return
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # -- upkeep ----------------------------------------------------------------
    def prune(self, *, now: float | None = None) -> int:
        """Delete polls started over :data:`RETENTION_DAYS` ago, with their answers.

        ``now`` is a Unix time in seconds (default: the clock). Returns how
        many polls were deleted. Answers and polls go in one transaction, so
        an answer arriving meanwhile cannot be left without its poll.
        """
        cutoff = (time.time() if now is None else now) - RETENTION_DAYS * 86_400
        with self._transaction() as db:
            self._execute(
                db,
                "DELETE FROM poll_answers WHERE code IN "
                "(SELECT code FROM polls WHERE created_at < ?)",
                (cutoff,),
            )
            deleted = self._execute(
                db, "DELETE FROM polls WHERE created_at < ?", (cutoff,)
            ).rowcount
        return int(deleted)

    # -- educator ------------------------------------------------------------
    def create(
        self, question_id: str, prompt: str, options: Sequence[str], correct: int
    ) -> NewPoll:
        """Open a poll; returns its join code and the teacher token.

        Polls past :data:`RETENTION_DAYS` are deleted first (:meth:`prune`).
        """
        options = tuple(str(o) for o in options)
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise PollError(f"A poll needs 2 to {MAX_OPTIONS} options.")
        if not 0 <= correct < len(options):
            raise PollError("The correct answer must be one of the options.")
        self.prune()
        token = secrets.token_urlsafe(18)
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            with self._connect() as db:
                inserted = self._execute(
                    db,
                    "INSERT INTO polls (code, question_id, prompt, options, correct, "
                    "teacher_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (code) DO NOTHING",
                    (
                        code,
                        question_id,
                        prompt,
                        json.dumps(options),
                        correct,
                        _hash(token),
                        time.time(),
                    ),
                ).rowcount
            if inserted == 1:
                return NewPoll(code, token)
        raise PollError("Could not find a free join code; try again.")

    def _check_teacher(self, db: Any, code: str, token: str) -> None:
        row = self._execute(
            db, "SELECT teacher_hash FROM polls WHERE code = ?", (code,)
        ).fetchone()
        if row is None:
            raise PollError(f"No poll has the code {code}.")
        if not hmac.compare_digest(row[0], _hash(str(token or ""))):
            raise PollError("This teacher link is not valid for that poll.")

    def reveal(self, code: str, token: str) -> None:
        """Show the counts and the correct answer to everyone (teacher only)."""
        code = normalise_code(code)
        with self._connect() as db:
            self._check_teacher(db, code, token)
            self._execute(db, "UPDATE polls SET revealed = 1 WHERE code = ?", (code,))

    def close(self, code: str, token: str) -> None:
        """Stop accepting answers (teacher only)."""
        code = normalise_code(code)
        with self._connect() as db:
            self._check_teacher(db, code, token)
            self._execute(db, "UPDATE polls SET closed = 1 WHERE code = ?", (code,))

    # -- students ------------------------------------------------------------
    def answer(self, code: str, student: str, choice: int) -> bool:
        """Record a student's answer; ``False`` if they had already answered."""
        code = normalise_code(code)
        with self._connect() as db:
            row = self._execute(
                db, "SELECT options, closed FROM polls WHERE code = ?", (code,)
            ).fetchone()
            if row is None:
                raise PollError(f"No poll has the code {code}.")
            if row[1]:
                raise PollError("This poll is closed.")
            if not 0 <= int(choice) < len(json.loads(row[0])):
                raise PollError("That is not one of the options.")
            inserted = self._execute(
                db,
                "INSERT INTO poll_answers (code, student, choice) VALUES (?, ?, ?) "
                "ON CONFLICT (code, student) DO NOTHING",
                (code, str(student), int(choice)),
            ).rowcount
        return inserted == 1

    # -- reading -------------------------------------------------------------
    def view(self, code: str, token: str | None = None) -> PollView:
        """The poll as a student (no token) or the teacher (valid token) sees it."""
        code = normalise_code(code)
        with self._connect() as db:
            row = self._execute(
                db,
                "SELECT question_id, prompt, options, correct, teacher_hash, "
                "revealed, closed FROM polls WHERE code = ?",
                (code,),
            ).fetchone()
            if row is None:
                raise PollError(f"No poll has the code {code}.")
            question_id, prompt, options_json, correct, stored, revealed, closed = row
            teacher = token is not None and hmac.compare_digest(
                stored, _hash(str(token))
            )
            options = tuple(json.loads(options_json))
            counts = None
            if teacher or revealed:
                tally = dict(
                    self._execute(
                        db,
                        "SELECT choice, COUNT(*) FROM poll_answers WHERE code = ? "
                        "GROUP BY choice",
                        (code,),
                    ).fetchall()
                )
                counts = tuple(int(tally.get(i, 0)) for i in range(len(options)))
        return PollView(
            code=code,
            question_id=question_id,
            prompt=prompt,
            options=options,
            revealed=bool(revealed),
            closed=bool(closed),
            counts=counts,
            correct=int(correct) if (teacher or revealed) else None,
        )

    def answer_of(self, code: str, student: str) -> int | None:
        """The option ``student`` chose in this poll, or ``None`` if none yet."""
        code = normalise_code(code)
        with self._connect() as db:
            row = self._execute(
                db,
                "SELECT choice FROM poll_answers WHERE code = ? AND student = ?",
                (code, str(student)),
            ).fetchone()
        return None if row is None else int(row[0])

    def has_answered(self, code: str, student: str) -> bool:
        """Whether ``student`` has already answered this poll."""
        return self.answer_of(code, student) is not None
