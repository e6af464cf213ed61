"""Event-loop callbacks from script threads: batched, in order, on the loop."""

from __future__ import annotations

import asyncio
import threading

from streamlit.runtime.app_session import AppSession

from dashboard.patches import batching


class _CountingLoop:
    """An event loop running in its own thread that counts wake-ups."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.wakeups = 0
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def call_soon_threadsafe(self, callback):
        self.wakeups += 1
        return self.loop.call_soon_threadsafe(callback)

    def is_closed(self) -> bool:
        return self.loop.is_closed()

    def finish(self) -> None:
        """Wait until everything queued so far has run, then stop the loop."""
        done = threading.Event()
        self.loop.call_soon_threadsafe(done.set)
        assert done.wait(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


class _Session:
    def __init__(self, loop) -> None:
        self._event_loop = loop


def test_enable_replaces_streamlit_method_once_known():
    assert batching.STREAMLIT_CALL_SOON is not None
    assert batching.enable_batching() is True
    assert AppSession._call_soon_on_event_loop is batching._call_soon_batched


def test_callbacks_run_in_order_on_the_loop_with_fewer_wakeups():
    counting = _CountingLoop()
    session = _Session(counting)
    ran: list[tuple[int, bool]] = []

    def producer() -> None:
        for i in range(2000):
            batching._call_soon_batched(
                session,
                lambda i=i: ran.append(
                    (i, threading.current_thread() is counting.thread)
                ),
            )

    threads = [threading.Thread(target=producer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    counting.finish()
    assert [i for i, _ in ran] == list(range(2000))
    assert all(on_loop for _, on_loop in ran)
    assert 1 <= counting.wakeups < 2000


def test_a_callback_after_the_loop_closed_is_dropped_quietly():
    counting = _CountingLoop()
    counting.finish()
    session = _Session(counting)
    batching._call_soon_batched(session, lambda: None)  # no RuntimeError
    batching._call_soon_batched(session, lambda: None)
    assert not session._dashboard_batch.callbacks


def test_sessions_do_not_share_a_queue():
    first, second = _Session(None), _Session(None)
    assert batching._batch_of(first) is batching._batch_of(first)
    assert batching._batch_of(first) is not batching._batch_of(second)


def test_a_failing_callback_is_reported_and_the_rest_still_run():
    counting = _CountingLoop()
    reported: list[dict] = []
    counting.loop.set_exception_handler(lambda _loop, context: reported.append(context))
    session = _Session(counting)
    ran: list[int] = []

    def fail() -> None:
        raise ValueError("boom")

    # Queued from this (non-loop) thread before the loop drains: one batch.
    batching._call_soon_batched(session, lambda: ran.append(1))
    batching._call_soon_batched(session, fail)
    batching._call_soon_batched(session, lambda: ran.append(3))
    counting.finish()
    assert ran == [1, 3]
    assert [type(c["exception"]) for c in reported] == [ValueError]
    assert reported[0]["callback"] is fail
