"""dashboard.patches.apply: every patch once per process, logged, with an opt-out."""

from __future__ import annotations

import logging
import os
import threading

import pytest

from dashboard import patches
from dashboard.core.paths import REPO_ROOT
from dashboard.patches import (
    OPT_OUT,
    PATCHES,
    Patch,
    Switch,
    batching,
    client_errors,
    closed_endpoints,
    heap,
    opted_out,
    plotly_json,
    tcp,
)
from dashboard.serving.streamlit_server import server_environment


class _Counting:
    """A patch switch that counts its calls (and can report that it failed)."""

    def __init__(self, result: bool = True) -> None:
        self.calls = 0
        self.result = result
        self.lock = threading.Lock()

    def __call__(self) -> bool:
        with self.lock:
            self.calls += 1
        return self.result


@pytest.fixture
def log() -> tuple[logging.Logger, list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []
    logger = logging.Logger("test-patches")
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    return logger, records


def test_every_patch_is_registered_once_in_order() -> None:
    assert [p.enable for p in PATCHES] == [
        tcp.enable_nodelay,
        batching.enable_batching,
        closed_endpoints.refuse_uploads,
        client_errors.log_in_one_line,
        heap.enable,
        plotly_json.enable,
    ]
    assert len({p.name for p in PATCHES}) == len(PATCHES)
    assert all(p.changes for p in PATCHES)


def test_apply_switches_each_patch_on_once_and_logs_what_it_changed(log) -> None:
    logger, records = log
    a, b = _Counting(), _Counting()
    switch = Switch(
        (Patch("a", "did A", a), Patch("b", "did B", b)), environ={}, logger=logger
    )
    assert switch.apply() == {"a": True, "b": True}
    assert switch.apply() == {"a": True, "b": True}
    assert (a.calls, b.calls) == (1, 1)
    assert [(r.levelno, r.getMessage()) for r in records] == [
        (logging.INFO, "Streamlit patch a: did A"),
        (logging.INFO, "Streamlit patch b: did B"),
    ]


def test_a_patch_whose_internals_differ_is_reported_as_skipped(log) -> None:
    logger, records = log
    switch = Switch(
        (Patch("gone", "did", _Counting(result=False)),), environ={}, logger=logger
    )
    assert switch.apply() == {"gone": False}
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert "Streamlit patch gone skipped" in records[0].getMessage()


@pytest.mark.parametrize("value", ["off", "OFF", " off ", "0", "false", "no"])
def test_the_opt_out_applies_nothing_and_says_so_once(log, value) -> None:
    logger, records = log
    enable = _Counting()
    switch = Switch(
        (Patch("a", "did A", enable),), environ={OPT_OUT: value}, logger=logger
    )
    assert switch.apply() == {"a": False}
    assert switch.apply() == {"a": False}
    assert enable.calls == 0
    assert [r.getMessage() for r in records] == [
        f"Streamlit patches skipped: {OPT_OUT}={value}"
    ]


@pytest.mark.parametrize("value", ["", "on", "1", "yes"])
def test_other_values_keep_the_patches_on(value) -> None:
    assert opted_out({OPT_OUT: value}) is False
    assert opted_out({}) is False


def test_parallel_first_runs_apply_each_patch_once(log) -> None:
    logger, _ = log
    enable = _Counting()
    switch = Switch((Patch("a", "did A", enable),), environ={}, logger=logger)
    start = threading.Barrier(8)
    results = []

    def first_run() -> None:
        start.wait()
        results.append(switch.apply())

    threads = [threading.Thread(target=first_run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert enable.calls == 1
    assert results == [{"a": True}] * 8


def test_the_test_suite_runs_unpatched() -> None:
    assert opted_out(os.environ)
    assert set(patches.apply().values()) == {False}


def test_a_started_server_drops_the_opt_out_unless_asked() -> None:
    base = {OPT_OUT: "off", "PATH": "/bin"}
    child = server_environment({"DATABASE_URL": "x"}, base=base)
    assert OPT_OUT not in child
    assert child["PATH"] == "/bin"
    assert child["DATABASE_URL"] == "x"
    assert child["PYTHONUNBUFFERED"] == "1"
    assert server_environment({OPT_OUT: "off"}, base=base)[OPT_OUT] == "off"


def test_the_app_applies_the_patches_and_counts_runs_for_the_heap() -> None:
    app = (REPO_ROOT / "dashboard" / "app.py").read_text(encoding="utf-8")
    assert "\npatches.apply()\n" in app
    assert app.rstrip().endswith("heap.after_run()")
