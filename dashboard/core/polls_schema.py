"""The class-check store's tables, its connections, and bringing old databases up.

Storage is a real database so several dashboard servers can share polls:

* ``sqlite:///path/to/polls.db`` (the default, no setup; WAL mode so readers
  do not block the writer), or
* ``postgresql://user@host/db`` when ``DATABASE_URL`` points at a server.

Answers are one row per poll, round and student, and that triple is the
table's primary key: "answer once per round" is enforced by the database, not
by reading first. A database made before rounds existed has answers keyed by
poll and student only; :meth:`Database._migrate_answers` rebuilds that table
with every stored answer counted as round 1 (nothing is lost), once, inside a
transaction that other processes starting at the same moment wait for. Pure
Python: no Streamlit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dashboard.core.polls_common import (
    CONNECT_TIMEOUT_S,
    STATEMENT_TIMEOUT_MS,
    UNAVAILABLE,
    PollError,
    PollUnavailableError,
)

ANSWERS = """CREATE TABLE IF NOT EXISTS poll_answers (
        code TEXT NOT NULL REFERENCES polls(code),
        round_no INTEGER NOT NULL DEFAULT 1,
        student TEXT NOT NULL,
        choice INTEGER NOT NULL,
        sure INTEGER,
        PRIMARY KEY (code, round_no, student)
    )"""
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
    ANSWERS,
    # Extra teacher tokens, one per browser that took control with the PIN
    # (of a poll, or of a session: codes of both share one namespace).
    """CREATE TABLE IF NOT EXISTS poll_teachers (
        code TEXT NOT NULL,
        token_hash TEXT NOT NULL,
        PRIMARY KEY (code, token_hash)
    )""",
    # Browsers that opened the poll's question (the teacher compares answers).
    """CREATE TABLE IF NOT EXISTS poll_opens (
        code TEXT NOT NULL,
        student TEXT NOT NULL,
        PRIMARY KEY (code, student)
    )""",
    # A token bucket per client address (hashed) for new browser identities.
    """CREATE TABLE IF NOT EXISTS browser_budget (
        address TEXT PRIMARY KEY,
        tokens DOUBLE PRECISION NOT NULL,
        updated DOUBLE PRECISION NOT NULL
    )""",
    # A lecture's sequence of polls under one join code.
    """CREATE TABLE IF NOT EXISTS poll_sessions (
        code TEXT PRIMARY KEY,
        teacher_hash TEXT NOT NULL,
        pin_hash TEXT,
        pin_tries INTEGER NOT NULL DEFAULT 0,
        pin_window DOUBLE PRECISION NOT NULL DEFAULT 0,
        creator TEXT,
        created_at DOUBLE PRECISION NOT NULL,
        current TEXT,
        polls INTEGER NOT NULL DEFAULT 0
    )""",
)
#: Every table of the store (tests drop them all to start empty).
TABLES = (
    "poll_answers",
    "polls",
    "poll_teachers",
    "poll_opens",
    "browser_budget",
    "poll_sessions",
)
#: Columns added to ``polls`` since the first schema; added to older databases.
ADDED_COLUMNS = {
    "revealed_at": "DOUBLE PRECISION",
    "pin_hash": "TEXT",
    "pin_tries": "INTEGER NOT NULL DEFAULT 0",
    "pin_window": "DOUBLE PRECISION NOT NULL DEFAULT 0",
    "creator": "TEXT",
    # Rounds: the round open now, and when round 2 opened.
    "round_open": "INTEGER NOT NULL DEFAULT 1",
    "round2_at": "DOUBLE PRECISION",
    # Sessions: the session, the place in it, and whether it waits to open.
    "session_code": "TEXT",
    "position": "INTEGER",
    "queued": "INTEGER NOT NULL DEFAULT 0",
    # Questions an educator wrote (never in the shared bank).
    "own": "INTEGER NOT NULL DEFAULT 0",
    "explanation": "TEXT",
    "source": "TEXT",
}
INDEXES = (
    "CREATE INDEX IF NOT EXISTS polls_created_at ON polls (created_at)",
    "CREATE INDEX IF NOT EXISTS polls_creator ON polls (creator, created_at)",
    "CREATE INDEX IF NOT EXISTS polls_session ON polls (session_code, position)",
    "CREATE INDEX IF NOT EXISTS sessions_created_at ON poll_sessions (created_at)",
    "CREATE INDEX IF NOT EXISTS sessions_creator ON poll_sessions "
    "(creator, created_at)",
)
#: PostgreSQL advisory lock held while the schema is created or brought up.
_SCHEMA_LOCK = 0x706F6C6C  # "poll"


class Database:
    """Short connections to one SQL database given by URL, and its schema.

    Each call opens its own connection, so one store is safe to share between
    Streamlit sessions and threads.
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
        with self._transaction() as db:
            if self.backend == "postgresql":
                self._execute(db, "SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))
            self._migrate_answers(db)
            for statement in SCHEMA:
                self._execute(db, statement)
            self._add_missing_columns(db)
            for statement in INDEXES:
                self._execute(db, statement)

    # -- connections ---------------------------------------------------------
    @contextmanager
    def _connect(self) -> Iterator[Any]:
        """A short-lived connection; driver errors become PollUnavailableError."""
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
                db = psycopg.connect(
                    self.url,
                    autocommit=True,
                    connect_timeout=CONNECT_TIMEOUT_S,
                    options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
                )
        except failures as error:
            raise PollUnavailableError(
                UNAVAILABLE.format(error=type(error).__name__)
            ) from error
        try:
            yield db
        except failures as error:
            raise PollUnavailableError(
                UNAVAILABLE.format(error=type(error).__name__)
            ) from error
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

    def ping(self) -> None:
        """Raise :class:`PollUnavailableError` unless the database answers."""
        with self._connect() as db:
            self._execute(db, "SELECT 1").fetchone()

    # -- bringing an older database up ---------------------------------------
    def _columns(self, db: Any, table: str) -> set[str]:
        """The columns ``table`` has now (empty if it does not exist)."""
        if self.backend == "postgresql":
            return {
                row[0]
                for row in self._execute(
                    db,
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = ?",
                    (table,),
                ).fetchall()
            }
        return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}

    def _add_missing_columns(self, db: Any) -> None:
        """Bring ``polls`` made by an older version up to :data:`ADDED_COLUMNS`."""
        present = self._columns(db, "polls")
        for name, declaration in ADDED_COLUMNS.items():
            if name not in present:
                self._execute(db, f"ALTER TABLE polls ADD COLUMN {name} {declaration}")

    def _migrate_answers(self, db: Any) -> None:
        """Key answers by round: an old table's answers all become round 1.

        Runs inside the schema transaction (under an advisory lock on
        PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so of several processes
        starting at once one migrates and the others find it done.
        """
        present = self._columns(db, "poll_answers")
        if not present or "round_no" in present:
            return
        if self.backend == "postgresql":
            for statement in (
                "ALTER TABLE poll_answers ADD COLUMN round_no INTEGER NOT NULL "
                "DEFAULT 1",
                "ALTER TABLE poll_answers ADD COLUMN sure INTEGER",
                "ALTER TABLE poll_answers DROP CONSTRAINT poll_answers_pkey",
                "ALTER TABLE poll_answers ADD PRIMARY KEY (code, round_no, student)",
            ):
                self._execute(db, statement)
            return
        db.execute("ALTER TABLE poll_answers RENAME TO poll_answers_before_rounds")
        db.execute(ANSWERS)
        db.execute(
            "INSERT INTO poll_answers (code, round_no, student, choice) "
            "SELECT code, 1, student, choice FROM poll_answers_before_rounds"
        )
        db.execute("DROP TABLE poll_answers_before_rounds")
