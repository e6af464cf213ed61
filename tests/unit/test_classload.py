"""Pure parts of the class-load benchmark: percentiles, memory growth, the report."""

from __future__ import annotations

import math

import pytest

from dashboard.tools import classload


def test_percentiles_and_memory_growth() -> None:
    assert classload.percentile([], 95) != classload.percentile([], 95)  # NaN
    assert classload.percentile([1, 2, 3, 4, 5], 50) == 3
    assert classload.percentile([0, 10], 95) == pytest.approx(9.5)
    flat = [(t, 100.0) for t in range(50)]
    assert classload.memory_growth(flat) == 0
    growing = [(t, 100.0 + t) for t in range(50)]
    assert classload.memory_growth(growing) > 0.3
    assert math.isnan(classload.memory_growth(flat[:5]))


def _result(**overrides) -> classload.Result:
    """A finished run's figures; tests override what they check."""
    figures = {
        "scenario": "lecture",
        "settings": "defaults",
        "runs": 0,
        "exceptions": 0,
        "failed_runs": 0,
        "dropped_sessions": 0,
        "p50_ms": float("nan"),
        "p95_ms": float("nan"),
        "max_ms": float("nan"),
        "runs_per_s": 0.0,
        "cpu_s": 1.0,
        "cpu_ms_per_run": float("nan"),
        "rss_start_mb": 100,
        "rss_end_mb": 100,
        "rss_growth_after_warmup": float("nan"),
        "largest_message_kb": 0,
        "wall_s": 10,
    }
    return classload.Result(**(figures | overrides))


def test_report_survives_a_run_with_no_finished_runs() -> None:
    empty = _result(dropped_sessions=300)
    table = classload.report([empty])
    assert "| 300 (0/0/300) | n/a | n/a |" in table


def test_default_configs_measure_what_make_serve_starts_on_two_cores():
    import os

    from deploy import serve

    assert set(classload.DEFAULT_CONFIGS) <= set(classload.CONFIGS)
    assert serve._default_processes() == 3 * len(os.sched_getaffinity(0))
    assert classload.CONFIGS["project x6"] == (False, 3 * 2)


def test_report_gives_the_p95_of_every_page_and_move() -> None:
    result = _result(
        scenario="burst",
        settings="project x6",
        runs=2,
        p50_ms=10,
        p95_ms=20,
        max_ms=20,
        runs_per_s=1.0,
        cpu_ms_per_run=5,
        rss_growth_after_warmup=0.0,
        largest_message_kb=1,
        wall_s=2,
        p95_by_action=(("quiz", 12.0), ("quiz (move)", 1234.0)),
    )
    table = classload.report([result])
    assert "burst, project x6: p95 ms by action: quiz 12, quiz (move) 1,234" in table


def test_a_running_server_is_measured_once_per_scenario(monkeypatch) -> None:
    measured = []
    monkeypatch.setattr(classload, "warm_up", lambda url, *a: None)
    monkeypatch.setattr(
        classload,
        "measure",
        lambda url, pids, scenario, setting, **kw: (
            measured.append(setting)
            or _result(scenario=scenario.name, settings=setting)
        ),
    )
    classload.main(["--scenario", "burst", "--url", "http://127.0.0.1:1", "--pid", "1"])
    assert measured == ["http://127.0.0.1:1"]
