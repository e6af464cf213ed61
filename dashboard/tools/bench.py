"""Measure the dashboard's speed and print the figures (not a test: no assertions).

Usage: ``make bench`` (or ``python -m dashboard.tools.bench``). Reports medians
of repeated runs on this machine:

1. loading and validating every dataset and content file (pure Python, cold);
2. building every figure of the Nephrotic syndrome page (pure Python);
3. one full headless run of that page with ``AppTest`` (warm caches), and one
   rerun after moving the proteinuria slider;
4. the trough simulator: one 14-day simulation of the typical patient, and a
   1,000-patient population run (sampling, simulation, percentiles);
5. in a real browser (Debian's chromium) against ``python -m streamlit run``:
   time from navigation start to all six charts drawn, each load in a new
   browser context (empty cache): the server's first load, and later loads
   (measured by :mod:`dashboard.tools.pageload`, which also covers warm-cache
   loads, bytes and nginx).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from dashboard.charts import epidemiology, pathophysiology
from dashboard.core import content, datasets, nephrotic_syndrome, schemas
from dashboard.core.pathophysiology import evaluate_chain
from dashboard.core.paths import APP_PATH, CONTENT_DIR, DATA_DIR
from dashboard.core.site import PAGE_SLUGS

NS_VIEW = "views/nephrotic_syndrome.py"
VIEWPORT = {"width": 1920, "height": 1080}


def _median_ms(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _load_everything() -> dict:
    frames = {n: datasets.load_dataset(s, DATA_DIR) for n, s in schemas.SCHEMAS.items()}
    content.load_all(
        CONTENT_DIR, known_pages=PAGE_SLUGS, known_sources=frames["references"]["id"]
    )
    return frames


def _build_figures(frames: dict) -> None:
    parameters = frames["ns_model_parameters"]
    model = nephrotic_syndrome.albumin_model(parameters)
    thresholds = nephrotic_syndrome.chain_thresholds(
        frames["ns_diagnostic_criteria"], parameters
    )
    state = evaluate_chain(
        proteinuria=6.0, albumin=model.albumin_for(6.0), thresholds=thresholds
    )
    pathophysiology.chain_chart(state).figure.to_json()
    pathophysiology.albumin_curve_chart(
        model, thresholds, proteinuria=6.0
    ).figure.to_json()
    epidemiology.histology_chart(frames["ns_histology_by_age"]).figure.to_json()
    epidemiology.mcd_share_chart(frames["ns_histology_by_age"]).figure.to_json()
    epidemiology.steroid_course_chart(frames["ns_steroid_course"]).figure.to_json()
    epidemiology.complications_chart(frames["ns_complications"]).figure.to_json()


def _open_page():  # AppTest is imported lazily: the app stack is heavy
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP_PATH), default_timeout=60).run()
    at.switch_page(NS_VIEW).run()
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception}")
    return at


def _slider_reruns(repeats: int) -> float:
    at = _open_page()
    values = [2.0 + i / 10 for i in range(repeats)]
    return _median_ms(
        lambda: at.slider(key="ns_proteinuria").set_value(values.pop()).run(), repeats
    )


def _pk_times() -> tuple[float, float]:
    """One 14-day typical-patient simulation; a 1,000-patient population run."""
    from dashboard.core import pk, pk_data

    model = pk_data.population_model(
        datasets.load_dataset(schemas.PK_PARAMETERS, DATA_DIR)
    )
    regimen = pk.Regimen(weight_kg=20, dose_mg_per_kg=0.1, interval_h=12, days=14)
    typical = pk.typical_parameters(model, regimen)
    single = _median_ms(lambda: pk.simulate(regimen, typical), 50)

    def population() -> None:
        params = pk.sampled_parameters(model, regimen, 1000)
        pk.percentiles(pk.simulate(regimen, params, step_h=0.5))

    return single, _median_ms(population, 20)


def _poll_times() -> tuple[float, float]:
    """200 concurrent answers to one SQLite poll (50 threads); one teacher read."""
    import tempfile
    from concurrent.futures import ThreadPoolExecutor

    from dashboard.core.polls import PollStore

    with tempfile.TemporaryDirectory() as folder:
        store = PollStore(f"sqlite:///{folder}/polls.db")

        def burst() -> None:
            poll = store.create("q", "prompt", ("a", "b", "c", "d"), 0)
            with ThreadPoolExecutor(max_workers=50) as pool:
                list(
                    pool.map(
                        lambda i: store.answer(poll.code, f"s{i}", i % 4), range(200)
                    )
                )

        poll = store.create("q", "prompt", ("a", "b", "c", "d"), 0)
        for i in range(200):
            store.answer(poll.code, f"s{i}", i % 4)
        return (
            _median_ms(burst, 5),
            _median_ms(lambda: store.view(poll.code, poll.teacher_token), 50),
        )


def _browser_times(repeats: int) -> tuple[float, float] | None:
    """All six charts drawn: a new server's first load, then later cold loads."""
    from dashboard.serving.browser import chromium_path
    from dashboard.serving.streamlit_server import running_server
    from dashboard.tools import pageload

    if chromium_path() is None:
        return None
    times = []
    with running_server() as url, pageload.chromium() as browser:
        for _ in range(repeats + 1):
            load = pageload.cold_load(
                browser, f"{url}/nephrotic-syndrome", charts=6, viewport=VIEWPORT
            )
            assert load.charts_ms is not None
            times.append(load.charts_ms)
    return times[0], statistics.median(times[1:])


def main() -> None:
    """Run every measurement and print a Markdown table."""
    frames = _load_everything()
    rows = [
        ("Load + validate all data and content", _median_ms(_load_everything, 20), 20),
        (
            "Build all 6 figures of the page",
            _median_ms(lambda: _build_figures(frames), 20),
            20,
        ),
        ("AppTest: full run of the page", _median_ms(_open_page, 5), 5),
        ("AppTest: rerun after moving the slider", _slider_reruns(10), 10),
    ]
    single, population = _pk_times()
    rows.append(("Trough simulator: one 14-day simulation", single, 50))
    rows.append(
        ("Trough simulator: 1,000 patients, 14 days, percentiles", population, 20)
    )
    burst, read = _poll_times()
    rows.append(("Class check: 200 concurrent answers (SQLite, 50 threads)", burst, 5))
    rows.append(("Class check: teacher's results read, 200 answers", read, 50))
    browser = _browser_times(5)
    if browser is not None:
        rows.append(("Browser: first load, all charts drawn", browser[0], 1))
        rows.append(("Browser: later loads, all charts drawn", browser[1], 5))
    print("| measurement | median (ms) | runs |")
    print("| --- | ---: | ---: |")
    for name, ms, runs in rows:
        shown = f"{ms:.1f}" if ms < 10 else f"{ms:.0f}"
        print(f"| {name} | {shown} | {runs} |")
    if browser is None:
        print("(browser figures skipped: chromium is not installed)")


if __name__ == "__main__":
    main()
