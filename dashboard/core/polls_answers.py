"""Students' answers to class-check polls, and reading a poll back.

Part of :class:`dashboard.core.polls.PollStore`. A student answers once per
round: the primary key of ``poll_answers`` is (poll, round, student), so
concurrent answers are each counted exactly once. Round 1 carries the
student's confidence. A reader sees the counts only as the poll's teacher
or once the poll is revealed (:meth:`AnswerStore.view`). Pure Python: no
Streamlit.
"""

from __future__ import annotations

import json
import operator
from typing import Any

from dashboard.core.polls_common import (
    LATE,
    NOT_OPEN,
    ROUND_OVER,
    ROUNDS,
    PollError,
    PollNotFoundError,
    PollView,
    normalise_code,
)
from dashboard.core.polls_sessions import SessionStore


class AnswerStore(SessionStore):
    """Answers and views (a base of :class:`dashboard.core.polls.PollStore`)."""

    # -- students ------------------------------------------------------------
    def answer(
        self,
        code: str,
        student: str,
        choice: int,
        *,
        sure: bool | None = None,
        round_no: int | None = None,
        sent_at: float | None = None,
    ) -> bool:
        """Record a student's answer; ``False`` if they had already answered that round.

        ``sure`` is the student's confidence (round 1; ``None``: not given).
        ``round_no`` is the round the form was for (default: the round open
        now). Refused: a closed or not yet opened poll, an option that does
        not exist, round 2 before it opens, round 1 after round 2 opened
        (:data:`ROUND_OVER`), and an answer after the reveal (:data:`LATE`).
        ``sent_at`` (Unix seconds) is when the student pressed send, if that
        was earlier than now: an answer the page kept through a database
        outage counts if it was sent before round 2 opened or the reveal.
        """
        code = normalise_code(code)
        try:
            choice = operator.index(choice)
        except TypeError:
            raise PollError("That is not one of the options.") from None
        with self._connect() as db:
            row = self._execute(
                db,
                "SELECT options, closed, revealed, revealed_at, round_open, "
                "round2_at, queued FROM polls WHERE code = ?",
                (code,),
            ).fetchone()
            if row is None:
                raise PollNotFoundError(f"No poll has the code {code}.")
            options, closed, revealed, revealed_at, round_open, round2_at, queued = row
            asked = int(round_open) if round_no is None else round_no
            if queued:
                raise PollError(NOT_OPEN)
            if closed:
                raise PollError("This poll is closed.")
            if revealed and not _before(sent_at, revealed_at):
                raise PollError(LATE)
            if asked not in ROUNDS or asked > int(round_open):
                raise PollError("That round of the poll is not open.")
            if asked < int(round_open) and not _before(sent_at, round2_at):
                raise PollError(ROUND_OVER)
            if not 0 <= choice < len(json.loads(options)):
                raise PollError("That is not one of the options.")
            inserted = self._execute(
                db,
                "INSERT INTO poll_answers (code, round_no, student, choice, sure) "
                "VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (code, round_no, student) DO NOTHING",
                (
                    code,
                    asked,
                    str(student),
                    choice,
                    None if sure is None else int(sure),
                ),
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
            return self._view(db, code, token)

    def _view(self, db: Any, code: str, token: str | None) -> PollView:
        row = self._execute(
            db,
            "SELECT question_id, prompt, options, correct, teacher_hash, revealed, "
            "closed, pin_hash, round_open, session_code, position, queued, own, "
            "explanation, source FROM polls WHERE code = ?",
            (code,),
        ).fetchone()
        if row is None:
            raise PollNotFoundError(f"No poll has the code {code}.")
        (question_id, prompt, options_json, correct, stored, revealed, closed) = row[:7]
        pin_hash, round_open, session, position, queued, own = row[7:13]
        teacher = self._is_teacher(db, code, stored, token, session)
        options = tuple(json.loads(options_json))
        visible = teacher or bool(revealed)
        tally: dict[str, Any] = {}
        if visible:
            tally = self._tally(db, code, len(options), int(round_open))
        opened = None
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
            counts=tally.get("counts"),
            correct=int(correct) if visible else None,
            opened=opened,
            has_pin=pin_hash is not None,
            round=int(round_open),
            counts2=tally.get("counts2"),
            sure=tally.get("sure"),
            switches=tally.get("switches"),
            session=session,
            position=None if position is None else int(position),
            queued=bool(queued),
            own=bool(own),
            explanation=row[13],
            source=row[14],
        )

    def _tally(self, db: Any, code: str, size: int, round_open: int) -> dict[str, Any]:
        """Counts per round and option, "sure" counts, and who switched (round 2)."""
        counts = [[0] * size, [0] * size]
        sure = [0] * size
        for round_no, choice, count, confident in self._execute(
            db,
            "SELECT round_no, choice, COUNT(*), "
            "SUM(CASE WHEN sure = 1 THEN 1 ELSE 0 END) FROM poll_answers "
            "WHERE code = ? GROUP BY round_no, choice",
            (code,),
        ).fetchall():
            counts[int(round_no) - 1][int(choice)] = int(count)
            if int(round_no) == 1:
                sure[int(choice)] = int(confident or 0)
        tally: dict[str, Any] = {"counts": tuple(counts[0]), "sure": tuple(sure)}
        if round_open == 2:
            tally["counts2"] = tuple(counts[1])
            switches = [[0] * size for _ in range(size)]
            for first, second, count in self._execute(
                db,
                "SELECT a.choice, b.choice, COUNT(*) FROM poll_answers a "
                "JOIN poll_answers b ON b.code = a.code AND b.student = a.student "
                "AND b.round_no = 2 WHERE a.code = ? AND a.round_no = 1 "
                "GROUP BY a.choice, b.choice",
                (code,),
            ).fetchall():
                switches[int(first)][int(second)] = int(count)
            tally["switches"] = tuple(tuple(row) for row in switches)
        return tally

    def answer_of(self, code: str, student: str, round_no: int = 1) -> int | None:
        """The option ``student`` chose in round ``round_no`` (``None``: none yet)."""
        code = normalise_code(code)
        with self._connect() as db:
            row = self._execute(
                db,
                "SELECT choice FROM poll_answers WHERE code = ? AND round_no = ? "
                "AND student = ?",
                (code, round_no, str(student)),
            ).fetchone()
        return None if row is None else int(row[0])

    def has_answered(self, code: str, student: str, round_no: int = 1) -> bool:
        """Whether ``student`` has already answered round ``round_no`` of this poll."""
        return self.answer_of(code, student, round_no) is not None


def _before(sent_at: float | None, moment: float | None) -> bool:
    """Whether an answer kept since ``sent_at`` was sent before ``moment``."""
    return sent_at is not None and moment is not None and sent_at < moment
