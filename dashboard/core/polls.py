"""Live class checks: polls stored in SQLite (default) or PostgreSQL.

An educator opens a poll on a quiz question and gets a short **join code** (for
students), a private **teacher token** (kept by the teacher's browser, never
in an address) and, if they chose one, a **teacher PIN** with which any
browser can take control of the poll again (after a server restart, or from
another device). Students answer once each; only a teacher sees the counts
before the reveal, and only a teacher can reveal or close the poll. Answers
that arrive after the reveal are refused (see :data:`LATE`).

Storage is a real database so several dashboard servers can share polls:

* ``sqlite:///path/to/polls.db`` (the default, no setup; WAL mode so readers
  do not block the writer), or
* ``postgresql://user@host/db`` when ``DATABASE_URL`` points at a server.

"Answer once" is enforced by the database (primary key on poll and student),
not by reading first, so concurrent answers are each counted exactly once.
Only hashes of teacher tokens (SHA-256) and PINs (scrypt) are stored. What
limits abuse lives here too, so that every dashboard process sharing the
database applies one limit: new browser identities per client address
(:meth:`PollStore.admit_new_browser`), polls started per browser, and PIN tries
per poll. Old polls are pruned through an index on their age, in batches, at
most every :data:`PRUNE_EVERY_S` seconds. Pure Python: no Streamlit.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import math
import operator
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# No 0/O or 1/I/L: a code read aloud or off a projector is typed right first time.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
MAX_OPTIONS = 8
#: A class check lasts a lecture. Polls older than this, and their answers, are
#: deleted (see :data:`PRUNE_EVERY_S`), so the database stays small and an old
#: join code is not kept (or guessable) for ever.
RETENTION_DAYS = 30
#: Pruning runs when a poll is started, at most this often per process (s).
PRUNE_EVERY_S = 300
#: Polls deleted per transaction while pruning, so answers never wait long.
PRUNE_BATCH = 500
#: One browser may start a poll at most every CREATE_GAP_S seconds, and at most
#: CREATES_PER_HOUR polls an hour (a lecture needs a handful).
CREATE_GAP_S = 10
CREATES_PER_HOUR = 30
#: New browser identities per client address: a bucket of NEW_BROWSERS_BURST
#: that refills at NEW_BROWSERS_PER_MINUTE. A hall of 300 students behind one
#: address, all new, gets in within a minute; a script on that address gets no
#: more identities than that, and then NEW_BROWSERS_PER_MINUTE.
NEW_BROWSERS_BURST = 320
NEW_BROWSERS_PER_MINUTE = 30
#: Teacher PINs: length, and tries per poll (any browser) per window.
PIN_MIN_CHARS = 6
PIN_MAX_CHARS = 64
PIN_TRIES = 5
PIN_WINDOW_S = 60
#: PostgreSQL: give up connecting after this long, and cancel any statement
#: that runs longer, so a hung database turns into a clear message quickly.
CONNECT_TIMEOUT_S = 3
STATEMENT_TIMEOUT_MS = 5000
UNAVAILABLE = (
    "The poll database cannot be used right now ({error}). Live class checks are "
    "unavailable; the rest of the dashboard works."
)
#: Why answers stop at the reveal: once the right answer is on the projector,
#: an answer is no longer the student's own thinking, and counting it would
#: change the counts the class has just seen.
LATE = (
    "The results are out, so this poll takes no more answers: the counts show "
    "what the class thought before the answer was on the screen."
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
    # Extra teacher tokens, one per browser that took control with the PIN.
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
)
#: Columns added to ``polls`` since the first schema; added to older databases.
ADDED_COLUMNS = {
    "revealed_at": "DOUBLE PRECISION",
    "pin_hash": "TEXT",
    "pin_tries": "INTEGER NOT NULL DEFAULT 0",
    "pin_window": "DOUBLE PRECISION NOT NULL DEFAULT 0",
    "creator": "TEXT",
}
INDEXES = (
    "CREATE INDEX IF NOT EXISTS polls_created_at ON polls (created_at)",
    "CREATE INDEX IF NOT EXISTS polls_creator ON polls (creator, created_at)",
)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class PollError(ValueError):
    """A request the poll cannot accept; the message is safe to show to users."""


class PollNotFoundError(PollError):
    """No poll has that code (a typo, a poll past retention, or a guess)."""


class PollUnavailableError(PollError):
    """The database cannot be reached or used; trying again later may work."""


class PollLimitError(PollError):
    """A limit was reached; ``retry_after_s`` says when trying again can work."""

    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = max(1, math.ceil(retry_after_s))


@dataclass(frozen=True)
class NewPoll:
    """What the educator gets back: the code to share and the private token."""

    code: str
    teacher_token: str


@dataclass(frozen=True)
class PollView:
    """A poll as one viewer may see it.

    ``counts`` and ``correct`` are ``None`` unless the viewer is the teacher or
    the poll has been revealed. ``opened`` (browsers that opened the question)
    is for the teacher only.
    """

    code: str
    question_id: str
    prompt: str
    options: tuple[str, ...]
    revealed: bool
    closed: bool
    counts: tuple[int, ...] | None
    correct: int | None
    opened: int | None = None
    has_pin: bool = False

    @property
    def total(self) -> int | None:
        """How many answered, when the counts are visible."""
        return None if self.counts is None else sum(self.counts)

    @property
    def more_answers_than_opens(self) -> bool:
        """Whether answers outnumber the browsers that opened the question.

        Every answer through the page comes from a browser that opened it, so
        this means answers arrived another way: treat the counts with care.
        """
        return self.opened is not None and (self.total or 0) > self.opened


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


def check_pin(raw: object) -> str:
    """A teacher PIN as it will be stored; :class:`PollError` if it is too weak.

    6 to 64 characters (spaces at either end are dropped). A PIN of one
    repeated character, or a run of consecutive digits such as 123456 or
    654321, is the first thing anyone would try, so it is refused.
    """
    pin = str(raw or "").strip()
    if not PIN_MIN_CHARS <= len(pin) <= PIN_MAX_CHARS:
        raise PollError(
            f"Choose a teacher PIN of {PIN_MIN_CHARS} to {PIN_MAX_CHARS} "
            "letters or digits."
        )
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(pin)}
    if len(set(pin)) == 1 or (pin.isdigit() and steps in ({1}, {-1})):
        raise PollError(
            "That PIN is too easy to guess (a repeated or consecutive run); "
            "choose another."
        )
    return pin


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of ``pin`` (about 30 ms), as ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    n, r, p = _SCRYPT["n"], _SCRYPT["r"], _SCRYPT["p"]
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` matches a :func:`hash_pin` value (constant-time compare)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        again = hashlib.scrypt(
            str(pin).strip().encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(digest) // 2,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(again.hex(), digest)


class PollStore:
    """Polls in a SQL database given by URL (``sqlite:///…`` or ``postgresql://…``).

    Each call opens its own short connection, so one store is safe to share
    between Streamlit sessions and threads. ``clock`` gives the time in Unix
    seconds (tests pass their own).
    """

    def __init__(self, url: str, *, clock: Callable[[], float] = time.time) -> None:
        self.url = url
        self._clock = clock
        self._next_prune = float("-inf")
        self._prune_lock = threading.Lock()
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

    def _add_missing_columns(self, db: Any) -> None:
        """Bring a database made by an older version up to :data:`ADDED_COLUMNS`."""
        if self.backend == "postgresql":
            present = {
                row[0]
                for row in self._execute(
                    db,
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = 'polls'",
                ).fetchall()
            }
            for name, declaration in ADDED_COLUMNS.items():
                if name not in present:  # IF NOT EXISTS: another process may win
                    self._execute(
                        db,
                        f"ALTER TABLE polls ADD COLUMN IF NOT EXISTS {name} "
                        f"{declaration}",
                    )
            return
        present = {row[1] for row in db.execute("PRAGMA table_info(polls)")}
        for name, declaration in ADDED_COLUMNS.items():
            if name in present:
                continue
            try:
                db.execute(f"ALTER TABLE polls ADD COLUMN {name} {declaration}")
            except sqlite3.OperationalError as error:
                if "duplicate column" not in str(error):  # another process won
                    raise

    def ping(self) -> None:
        """Raise :class:`PollUnavailableError` unless the database answers."""
        with self._connect() as db:
            self._execute(db, "SELECT 1").fetchone()

    # -- upkeep ----------------------------------------------------------------
    def prune(self, *, now: float | None = None) -> int:
        """Delete polls started over :data:`RETENTION_DAYS` ago, with their answers.

        ``now`` is a Unix time in seconds (default: the store's clock). Returns
        how many polls were deleted. Old polls are found through the index on
        ``created_at`` and deleted :data:`PRUNE_BATCH` at a time, each batch in
        its own transaction (a poll and its answers go together), so answers
        arriving meanwhile wait for one small batch at most. Address budgets
        unused for a day go too.
        """
        now = self._clock() if now is None else now
        cutoff = now - RETENTION_DAYS * 86_400
        deleted = 0
        while True:
            with self._transaction() as db:
                codes = [
                    row[0]
                    for row in self._execute(
                        db,
                        "SELECT code FROM polls WHERE created_at < ? "
                        "ORDER BY created_at LIMIT ?",
                        (cutoff, PRUNE_BATCH),
                    ).fetchall()
                ]
                if codes:
                    marks = ", ".join("?" * len(codes))
                    for table in ("poll_answers", "poll_opens", "poll_teachers"):
                        self._execute(
                            db, f"DELETE FROM {table} WHERE code IN ({marks})", codes
                        )
                    self._execute(
                        db, f"DELETE FROM polls WHERE code IN ({marks})", codes
                    )
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
        """Open a poll; returns its join code and the teacher token.

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
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            now = self._clock()
            with self._transaction() as db:
                if creator is not None:
                    self._check_creation_limit(db, creator, now)
                inserted = self._execute(
                    db,
                    "INSERT INTO polls (code, question_id, prompt, options, correct, "
                    "teacher_hash, created_at, pin_hash, creator) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
                    (
                        code,
                        question_id,
                        prompt,
                        json.dumps(options),
                        correct,
                        _hash(token),
                        now,
                        pin_hash,
                        creator,
                    ),
                ).rowcount
            if inserted == 1:
                return NewPoll(code, token)
        raise PollError("Could not find a free join code; try again.")

    def _is_teacher(self, db: Any, code: str, stored: str, token: object) -> bool:
        """Whether ``token`` is the poll's token or one given by :meth:`reclaim`."""
        if token is None:
            return False
        hashed = _hash(str(token))
        found = hmac.compare_digest(stored, hashed)
        for (extra,) in self._execute(
            db, "SELECT token_hash FROM poll_teachers WHERE code = ?", (code,)
        ).fetchall():
            found = hmac.compare_digest(extra, hashed) or found
        return found

    def _check_teacher(self, db: Any, code: str, token: str) -> None:
        row = self._execute(
            db, "SELECT teacher_hash FROM polls WHERE code = ?", (code,)
        ).fetchone()
        if row is None:
            raise PollNotFoundError(f"No poll has the code {code}.")
        if not self._is_teacher(db, code, row[0], str(token or "")):
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

    def close(self, code: str, token: str) -> None:
        """Stop accepting answers (teacher only)."""
        code = normalise_code(code)
        with self._connect() as db:
            self._check_teacher(db, code, token)
            self._execute(db, "UPDATE polls SET closed = 1 WHERE code = ?", (code,))

    def reclaim(self, code: str, pin: str) -> str:
        """A new teacher token for whoever knows the poll's PIN.

        For a teacher whose tab lost its session (a server restart, another
        device). At most :data:`PIN_TRIES` tries per poll per
        :data:`PIN_WINDOW_S` seconds, from all browsers together: each try is
        claimed in one atomic update before the PIN is checked, so tries sent
        at once cannot slip past the limit. Other teacher tokens stay valid.
        """
        code = normalise_code(code)
        now = self._clock()
        opens = now - PIN_WINDOW_S
        with self._connect() as db:
            claimed = self._execute(
                db,
                "UPDATE polls SET "
                "pin_tries = CASE WHEN pin_window <= ? THEN 1 ELSE pin_tries + 1 END, "
                "pin_window = CASE WHEN pin_window <= ? THEN ? ELSE pin_window END "
                "WHERE code = ? AND (pin_window <= ? OR pin_tries < ?)",
                (opens, opens, now, code, opens, PIN_TRIES),
            ).rowcount
            row = self._execute(
                db,
                "SELECT pin_hash, pin_tries, pin_window FROM polls WHERE code = ?",
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
            self._execute(db, "UPDATE polls SET pin_tries = 0 WHERE code = ?", (code,))
        return token

    # -- students ------------------------------------------------------------
    def answer(
        self, code: str, student: str, choice: int, *, sent_at: float | None = None
    ) -> bool:
        """Record a student's answer; ``False`` if they had already answered.

        Refused: a closed poll, an option that does not exist, and an answer
        after the reveal (:data:`LATE`). ``sent_at`` (Unix seconds) is when the
        student pressed send, if that was earlier than now: an answer the
        page kept through a database outage counts if it was sent before the
        reveal.
        """
        code = normalise_code(code)
        try:
            choice = operator.index(choice)
        except TypeError:
            raise PollError("That is not one of the options.") from None
        with self._connect() as db:
            row = self._execute(
                db,
                "SELECT options, closed, revealed, revealed_at FROM polls "
                "WHERE code = ?",
                (code,),
            ).fetchone()
            if row is None:
                raise PollNotFoundError(f"No poll has the code {code}.")
            options, closed, revealed, revealed_at = row
            if closed:
                raise PollError("This poll is closed.")
            if revealed and (
                sent_at is None or revealed_at is None or sent_at >= revealed_at
            ):
                raise PollError(LATE)
            if not 0 <= choice < len(json.loads(options)):
                raise PollError("That is not one of the options.")
            inserted = self._execute(
                db,
                "INSERT INTO poll_answers (code, student, choice) VALUES (?, ?, ?) "
                "ON CONFLICT (code, student) DO NOTHING",
                (code, str(student), choice),
            ).rowcount
        return inserted == 1

    def opened(self, code: str, student: str) -> None:
        """Note that ``student``'s browser opened the poll's question (once each)."""
        code = normalise_code(code)
        with self._connect() as db:
            self._execute(
                db,
                "INSERT INTO poll_opens (code, student) VALUES (?, ?) "
                "ON CONFLICT (code, student) DO NOTHING",
                (code, str(student)),
            )

    # -- reading -------------------------------------------------------------
    def view(self, code: str, token: str | None = None) -> PollView:
        """The poll as a student (no token) or a teacher (valid token) sees it."""
        code = normalise_code(code)
        with self._connect() as db:
            row = self._execute(
                db,
                "SELECT question_id, prompt, options, correct, teacher_hash, "
                "revealed, closed, pin_hash FROM polls WHERE code = ?",
                (code,),
            ).fetchone()
            if row is None:
                raise PollNotFoundError(f"No poll has the code {code}.")
            (question_id, prompt, options_json, correct, stored, revealed, closed) = (
                row[:7]
            )
            teacher = self._is_teacher(db, code, stored, token)
            options = tuple(json.loads(options_json))
            counts = None
            opened = None
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
            if teacher:
                opened = int(
                    self._execute(
                        db, "SELECT COUNT(*) FROM poll_opens WHERE code = ?", (code,)
                    ).fetchone()[0]
                )
        return PollView(
            code=code,
            question_id=question_id,
            prompt=prompt,
            options=options,
            revealed=bool(revealed),
            closed=bool(closed),
            counts=counts,
            correct=int(correct) if (teacher or revealed) else None,
            opened=opened,
            has_pin=row[7] is not None,
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
