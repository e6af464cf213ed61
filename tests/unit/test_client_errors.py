"""A client's malformed messages: one throttled log line each, never a traceback."""

from __future__ import annotations

import io
import logging

import pytest
from streamlit import error_util
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.state.common import WidgetMetadata
from streamlit.runtime.state.session_state import WStates

from dashboard import patches
from dashboard.core.paths import REPO_ROOT
from dashboard.patches import client_errors
from dashboard.patches.client_errors import (
    BadFrameFilter,
    Throttle,
    one_line,
    summary,
    unreadable_widget,
)

RADIO = "$$ID-b1c22e9eb536af1ab9c82339a824568d-poll_answer"


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _radio_error(value: WidgetState) -> BaseException:
    """What Streamlit raises when a radio reads ``value`` sent by a browser.

    The deserializer looks the value up as ``st.radio``'s does (a dict of
    formatted options), so a list where a string belongs is unhashable.
    """
    index = {"A": 0, "B": 1}

    def deserialize(ui_value: str | None) -> str | None:
        position = index.get(ui_value)
        return ["A", "B"][position] if position is not None else ui_value

    states = WStates()
    states.set_widget_metadata(
        WidgetMetadata(RADIO, deserialize, lambda v: v, value_type="string_value")
    )
    states.set_widget_from_proto(value)
    with pytest.raises(TypeError) as raised:
        states[RADIO]
    return raised.value


def _wrong_kind() -> WidgetState:
    state = WidgetState(id=RADIO)
    state.double_array_value.data.append(3.5)  # a list where a string belongs
    return state


# -- pure helpers -------------------------------------------------------------


def test_one_line_escapes_line_breaks_and_cuts_long_text() -> None:
    assert one_line("a\nb\r\x1b[31mc") == "a\\nb\\r\\x1b[31mc"
    long = one_line("x" * 10_000)
    assert len(long) == client_errors.MAX_CLIENT_TEXT
    assert long.endswith("…")
    assert "\n" not in summary(ValueError("forged\n2026-12-04 fake log line"))


def test_throttle_allows_one_line_per_key_per_interval_and_counts_the_rest() -> None:
    clock = _Clock()
    throttle = Throttle(60, clock=clock)
    assert throttle.allow("s1") == 0
    assert throttle.allow("s1") is None
    assert throttle.allow("s1") is None
    assert throttle.allow("s2") == 0  # another session has its own budget
    clock.now += 60
    assert throttle.allow("s1") == 2  # two held back since the last line


def test_throttle_forgets_idle_keys_and_stays_bounded() -> None:
    clock = _Clock()
    throttle = Throttle(10, clock=clock, max_keys=100)
    for key in range(1000):
        throttle.allow(key)
        clock.now += 0.001
    assert len(throttle._last) <= 100
    clock.now += 10
    throttle.allow("late")
    assert len(throttle._last) <= 100


# -- which exceptions are a client's unreadable widget value ----------------------


def test_a_value_of_the_wrong_kind_is_recognised_with_its_widget() -> None:
    assert unreadable_widget(_radio_error(_wrong_kind())) == RADIO


def test_a_bug_in_the_dashboard_is_not_mistaken_for_a_client() -> None:
    def page() -> None:
        raise NameError("name 'view' is not defined")

    with pytest.raises(NameError) as raised:
        page()
    assert unreadable_widget(raised.value) is None


def test_a_missing_widget_value_is_not_a_client_error() -> None:
    with pytest.raises(KeyError) as raised:
        WStates()["$$ID-unknown"]  # raised by __getitem__ itself
    assert unreadable_widget(raised.value) is None


# -- what gets logged ----------------------------------------------------------


@pytest.fixture
def log(monkeypatch) -> io.StringIO:
    """What the module logs, captured (Streamlit's loggers do not propagate)."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(message)s"))
    client_errors._LOGGER.addHandler(handler)
    monkeypatch.setattr(client_errors, "_WIDGETS", Throttle(60))
    yield out
    client_errors._LOGGER.removeHandler(handler)


def test_an_unreadable_widget_value_is_logged_in_one_line(log, monkeypatch) -> None:
    streamlit_calls: list[BaseException] = []
    monkeypatch.setattr(client_errors, "STREAMLIT_LOG_UNCAUGHT", streamlit_calls.append)
    error = _radio_error(_wrong_kind())
    for _ in range(5):
        client_errors._log_uncaught(error)
    lines = log.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Rejected a run of session ")
    assert RADIO in lines[0]
    assert "TypeError" in lines[0]
    assert "Traceback" not in log.getvalue()
    assert streamlit_calls == []


def test_any_other_exception_keeps_streamlits_traceback(log, monkeypatch) -> None:
    streamlit_calls: list[BaseException] = []
    monkeypatch.setattr(client_errors, "STREAMLIT_LOG_UNCAUGHT", streamlit_calls.append)
    error = NameError("name 'view' is not defined")
    client_errors._log_uncaught(error)
    assert streamlit_calls == [error]
    assert log.getvalue() == ""


def _record(msg: str, error: BaseException | None) -> logging.LogRecord:
    exc_info = (type(error), error, error.__traceback__) if error else None
    return logging.LogRecord("x", logging.WARNING, __file__, 1, msg, None, exc_info)


def _raised(function) -> BaseException:
    try:
        function()
    except Exception as error:
        return error
    raise AssertionError("did not raise")


def _garbage() -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    BackMsg().ParseFromString(b"\x00garbage\xff\xfe")


def _text_frame() -> BaseException:
    """A traceback shaped like Starlette failing to read a text frame as bytes."""

    def receive_bytes() -> bytes:
        message = {"type": "websocket.receive", "text": "hello"}
        return message["bytes"]

    def _websocket_endpoint() -> None:
        receive_bytes()

    return _raised(_websocket_endpoint)


def test_a_frame_that_is_not_a_backmsg_becomes_one_throttled_line() -> None:
    frames = BadFrameFilter(Throttle(10))
    first = _record(client_errors.GARBAGE_FRAME, _raised(_garbage))
    assert frames.filter(first) is True
    assert first.exc_info is None
    assert first.getMessage().startswith(
        "Closed a websocket that sent a frame that is not a Streamlit message"
    )
    assert "DecodeError" in first.getMessage()
    assert "\n" not in first.getMessage()
    # The next ones within 10 s are dropped (and counted).
    again = _record(client_errors.GARBAGE_FRAME, _raised(_garbage))
    assert frames.filter(again) is False


def test_a_text_frame_becomes_one_line_instead_of_uvicorns_traceback() -> None:
    frames = BadFrameFilter(Throttle(10))
    record = _record("Exception in ASGI application\n", _text_frame())
    assert frames.filter(record) is True
    assert record.exc_info is None
    assert "a text frame" in record.getMessage()


def test_other_records_pass_untouched() -> None:
    frames = BadFrameFilter(Throttle(10))
    error = _raised(lambda: 1 / 0)
    record = _record("Exception in ASGI application\n", error)
    assert frames.filter(record) is True
    assert record.exc_info is not None
    plain = _record("Client WebSocket message size 5 bytes exceeds the limit", None)
    assert frames.filter(plain) is True
    assert plain.msg.startswith("Client WebSocket message size")


def test_enabling_is_idempotent(monkeypatch) -> None:
    monkeypatch.setattr(
        error_util, "_log_uncaught_app_exception", client_errors.STREAMLIT_LOG_UNCAUGHT
    )
    for name in (client_errors.WEBSOCKET_LOGGER, client_errors.UVICORN_LOGGER):
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "filters", list(logger.filters))
    assert client_errors.log_in_one_line() is True
    assert client_errors.log_in_one_line() is True
    assert error_util._log_uncaught_app_exception is client_errors._log_uncaught
    for name in (client_errors.WEBSOCKET_LOGGER, client_errors.UVICORN_LOGGER):
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, BadFrameFilter) for f in filters) == 1


def test_the_dashboard_switches_it_on() -> None:
    assert any(p.enable is client_errors.log_in_one_line for p in patches.PATCHES)
    app = (REPO_ROOT / "dashboard" / "app.py").read_text()
    assert "\npatches.apply()\n" in app
