"""Answer latency while polls are being started, with many old polls in the store.

Usage::

    python -m dashboard.tools.pollflood                # 100,000 old polls, SQLite, 30 s
    python -m dashboard.tools.pollflood --old 10000 --seconds 20
    python -m dashboard.tools.pollflood --postgres     # a throwaway PostgreSQL
    python -m dashboard.tools.pollflood --database postgresql://…

Finding M5 of the December 2026 review: every poll start pruned old polls
with a full scan of the table, under the write lock, so answers waited behind
it (answer p95 10.9 s with 100,000 polls and one thread starting polls). This
tool fills a fresh store with ``--old`` polls started 1 to 29 days ago (old,
but not yet past retention, so they stay), then for ``--seconds`` one thread
starts polls as fast as the store lets it (no per-browser limit: the store's
own cost) while another answers one poll every 50 ms, each time as a new
student, in the same process, as the review's ``contention_at.py`` did. It
prints the polls in the table, starts per second, start and answer latency
(median, p95, max), and how the database finds old polls (its query plan).

It uses only what every version of :class:`dashboard.core.polls.PollStore`
has, so running the same file against an older checkout gives the figures
from before. A measurement, not a test: it exits 0 once it has measured.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from dashboard.core import polls

OPTIONS = ("FKBP-12", "Cyclophilin", "mTOR", "IL-2 receptor")
DAY = 86_400


def seed(store: polls.PollStore, count: int, *, batch: int = 5_000) -> None:
    """Insert ``count`` polls started 1 to 29 days ago, straight into the table."""
    now = time.time()
    sql = (
        "INSERT INTO polls (code, question_id, prompt, options, correct, "
        "teacher_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
    )
    if store.backend == "postgresql":
        sql = sql.replace("?", "%s")
    options = json.dumps(OPTIONS)
    for start in range(0, count, batch):
        rows = [
            (
                f"~{i:07d}",  # outside the join-code alphabet: never collides
                "seed",
                "An old poll",
                options,
                0,
                secrets.token_hex(32),
                now - DAY - (i / max(count, 1)) * 28 * DAY,
            )
            for i in range(start, min(start + batch, count))
        ]
        with store._connect() as db:
            if store.backend == "sqlite":
                db.execute("BEGIN")
                db.executemany(sql, rows)
                db.execute("COMMIT")
            else:
                with db.transaction(), db.cursor() as cursor:
                    cursor.executemany(sql, rows)
    with store._connect() as db:
        db.execute("ANALYZE polls")  # fresh statistics, as autovacuum would make


def plan(store: polls.PollStore) -> str:
    """How the database finds polls past retention (its query plan, one line)."""
    query = "SELECT code FROM polls WHERE created_at < ?"
    with store._connect() as db:
        if store.backend == "sqlite":
            rows = db.execute(f"EXPLAIN QUERY PLAN {query}", (0.0,)).fetchall()
            return "; ".join(str(row[-1]) for row in rows)
        rows = db.execute(f"EXPLAIN {query.replace('?', '%s')}", (0.0,)).fetchall()
        return rows[0][0].strip()


def _ms(values: Sequence[float], q: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]:,.1f}"


def measure(store: polls.PollStore, *, seconds: float) -> dict[str, object]:
    """Flood poll starts while answering every 50 ms; the figures as a dict."""
    target = store.create("pollflood", "Tacrolimus binds which protein?", OPTIONS, 0)
    stop = threading.Event()
    creates: list[float] = []
    answers: list[float] = []
    errors: list[str] = []

    def flood() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                store.create("pollflood", "Flood", OPTIONS, 0)
            except polls.PollError as error:
                errors.append(str(error))
            creates.append((time.perf_counter() - started) * 1000)

    def answer() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            started = time.perf_counter()
            try:
                store.answer(target.code, f"student-{n}", n % len(OPTIONS))
            except polls.PollError as error:
                errors.append(str(error))
            answers.append((time.perf_counter() - started) * 1000)
            stop.wait(0.05)

    threads = [threading.Thread(target=flood), threading.Thread(target=answer)]
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    with store._connect() as db:
        (total,) = store._execute(db, "SELECT COUNT(*) FROM polls").fetchone()
    return {
        "polls": total,
        "creates": len(creates),
        "create_median": statistics.median(creates) if creates else float("nan"),
        "answers": len(answers),
        "answer_median": _ms(answers, 50),
        "answer_p95": _ms(answers, 95),
        "answer_max": _ms(answers, 100),
        "errors": len(errors),
    }


def report(
    figures: dict[str, object], *, old: int, seconds: float, backend: str
) -> str:
    """One Markdown table row with its header."""
    f = figures
    return "\n".join(
        [
            "| Backend | Old polls | Seconds | Polls started | Start median ms "
            "| Answers | Answer median / p95 / max ms | Errors | Polls at the end |",
            "|---|---:|---:|---:|---:|---:|---|---:|---:|",
            f"| {backend} | {old:,} | {seconds:g} | {f['creates']:,} "
            f"| {f['create_median']:,.1f} | {f['answers']:,} "
            f"| {f['answer_median']} / {f['answer_p95']} / {f['answer_max']} "
            f"| {f['errors']} | {f['polls']:,} |",
        ]
    )


@contextlib.contextmanager
def _database(args: argparse.Namespace) -> Iterator[str]:
    if args.database:
        yield args.database
    elif args.postgres:
        from dashboard.serving.postgres import running_postgres

        with running_postgres() as url:
            yield url
    else:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'polls.db'}"


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=int, default=100_000, help="old polls to seed")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--database", help="an empty database URL to use instead")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Seed, flood, measure, print."""
    args = _arguments(argv)
    with _database(args) as url:
        store = polls.PollStore(url)
        print(f"seeding {args.old:,} old polls…", file=sys.stderr, flush=True)
        seed(store, args.old)
        store = polls.PollStore(url)  # as a process starting on that database
        print(f"finding old polls: {plan(store)}", file=sys.stderr, flush=True)
        figures = measure(store, seconds=args.seconds)
    print(report(figures, old=args.old, seconds=args.seconds, backend=store.backend))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
