"""What every part of the class-check store shares: limits, errors, views, PINs.

The store itself is :class:`dashboard.core.polls.PollStore`; its tables and
connections are in :mod:`dashboard.core.polls_schema`, sessions of several
polls in :mod:`dashboard.core.polls_sessions`. Everything here is pure Python
(no database, no Streamlit). Times are Unix seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import math
import secrets
from dataclasses import dataclass

# No 0/O or 1/I/L: a code read aloud or off a projector is typed right first time.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
MAX_OPTIONS = 8
#: A class check lasts a lecture. Polls and sessions older than this, with their
#: answers, are deleted (see :data:`PRUNE_EVERY_S`), so the database stays
#: small and an old join code is not kept (or guessable) for ever.
RETENTION_DAYS = 30
#: Pruning runs when a poll or session is started, at most this often per process (s).
PRUNE_EVERY_S = 300
#: Rows deleted per transaction while pruning, so answers never wait long.
PRUNE_BATCH = 500
#: One browser may start a poll at most every CREATE_GAP_S seconds, and at most
#: CREATES_PER_HOUR polls an hour (a lecture needs a handful).
CREATE_GAP_S = 10
CREATES_PER_HOUR = 30
#: One browser may start at most SESSIONS_PER_MINUTE sessions a minute and
#: SESSIONS_PER_HOUR an hour: a lecture needs one.
SESSIONS_PER_MINUTE = 3
SESSIONS_PER_HOUR = 12
#: Polls one session may hold (bank and educator-written questions together).
MAX_SESSION_POLLS = 40
#: New browser identities per client address: a bucket of NEW_BROWSERS_BURST
#: that refills at NEW_BROWSERS_PER_MINUTE. A hall of 300 students behind one
#: address, all new, gets in within a minute; a script on that address gets no
#: more identities than that, and then NEW_BROWSERS_PER_MINUTE.
NEW_BROWSERS_BURST = 320
NEW_BROWSERS_PER_MINUTE = 30
#: Teacher PINs: length, and tries per poll or session (any browser) per window.
PIN_MIN_CHARS = 6
PIN_MAX_CHARS = 64
PIN_TRIES = 5
PIN_WINDOW_S = 60
#: PostgreSQL: give up connecting after this long, and cancel any statement
#: that runs longer, so a hung database turns into a clear message quickly.
CONNECT_TIMEOUT_S = 3
STATEMENT_TIMEOUT_MS = 5000
#: The rounds of a poll: 1 (alone, with confidence), then 2 (after discussion).
ROUNDS = (1, 2)
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
#: A first-round answer after the educator opened round 2.
ROUND_OVER = (
    "Round 1 of this question is over: your teacher has opened round 2. "
    "Answer again below."
)
NOT_OPEN = "This question is not open yet; your teacher opens it when it is time."


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

    ``counts`` (round 1), ``counts2`` (round 2, once opened), ``sure`` (round-1
    answers marked "sure", per option), ``switches`` (students who answered
    both rounds: ``switches[a][b]`` chose ``a`` then ``b``) and ``correct`` are
    ``None`` unless the viewer is the teacher or the poll has been revealed.
    ``opened`` (browsers that opened the question) is for the teacher only.
    ``round`` is the round open now. ``session`` is the session the poll
    belongs to (``None`` for a poll on its own), ``position`` its place there;
    ``own`` marks a question the educator wrote (untrusted text, see
    :mod:`dashboard.core.poll_text`), with its ``explanation`` and ``source``.
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
    round: int = 1
    counts2: tuple[int, ...] | None = None
    sure: tuple[int, ...] | None = None
    switches: tuple[tuple[int, ...], ...] | None = None
    session: str | None = None
    position: int | None = None
    queued: bool = False
    own: bool = False
    explanation: str | None = None
    source: str | None = None

    @property
    def current_counts(self) -> tuple[int, ...] | None:
        """The counts of the round open now (round 2 once opened)."""
        return self.counts2 if self.round == 2 else self.counts

    @property
    def total(self) -> int | None:
        """How many answered the round open now, when the counts are visible."""
        counts = self.current_counts
        return None if counts is None else sum(counts)

    @property
    def two_rounds(self) -> bool:
        """Whether the educator opened a second round."""
        return self.round == 2

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


def new_code() -> str:
    """A random join code of :data:`CODE_LENGTH` characters of :data:`CODE_ALPHABET`."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def token_hash(token: str) -> str:
    """The SHA-256 hash under which a teacher token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


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
