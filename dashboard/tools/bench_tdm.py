"""Measure the measured-levels fit: its accuracy and its speed (prints tables).

Usage: ``python -m dashboard.tools.bench_tdm`` (part of ``make bench``).

Accuracy: 1,000 virtual patients drawn from the population model (M1, the
page's virtual patients: weight, genotype, hidden η_CL and η_V, four troughs
on days 3, 5, 8 and 12 with the model's residual error). For each, the fit
with the first 0, 1, 2 and 4 levels; the table gives the median and 90th
percentile of the absolute error of the fitted clearance against the hidden
one (%), and the same for the steady-state trough the fit predicts on the
current dose (the number a dose change is based on).

Speed: one fit with four levels; the measured-levels section's work after a
student adds a level (the fits for the narrowing table, both bands, the
proposal and both charts, uncached), and a headless full rerun of the page
(AppTest) after moving the levels slider, which is an upper bound on the
section's own rerun.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from dashboard.charts import tdm as tdm_charts
from dashboard.core import datasets, pk_data, schemas, tdm
from dashboard.core.paths import APP_PATH, DATA_DIR
from dashboard.models import monitoring_tdm as model
from dashboard.models import monitoring_tdm_fit as fitting

PATIENTS = 1000
COUNTS = (0, 1, 2, 4)
BAND = (5.0, 7.0)


def _data(name: str):
    return datasets.load_dataset(schemas.SCHEMAS[name], DATA_DIR)


def accuracy(patients: int = PATIENTS) -> dict[int, tuple[float, float, float, float]]:
    """Per level count: median and p90 of the clearance and trough errors (%)."""
    parameters = _data("pk_parameters")
    population = pk_data.population_model(parameters)
    values = model.lesson_values(parameters)
    interactions = pk_data.interactions(_data("pk_interactions"))
    cl_errors: dict[int, list[float]] = {count: [] for count in COUNTS}
    trough_errors: dict[int, list[float]] = {count: [] for count in COUNTS}
    for seed in range(1, patients + 1):
        virtual = model.virtual_patient(
            population, values, seed=seed, interactions=interactions
        )
        regimen = virtual.patient.regimen
        truth = np.array(virtual.truth.eta)[:, None]
        true_trough = tdm.steady_troughs(population, regimen, truth, regimen.dose_mg)[0]
        for count in COUNTS:
            found = tdm.fit(
                population, regimen, virtual.patient.levels[:count], values.residual_cv
            )
            cl_errors[count].append(abs(found.cl / virtual.truth.cl - 1) * 100)
            fitted = tdm.steady_troughs(
                population, regimen, found.eta[:, None], regimen.dose_mg
            )[0]
            trough_errors[count].append(abs(fitted / true_trough - 1) * 100)
    return {
        count: (
            statistics.median(cl_errors[count]),
            float(np.percentile(cl_errors[count], 90)),
            statistics.median(trough_errors[count]),
            float(np.percentile(trough_errors[count], 90)),
        )
        for count in COUNTS
    }


def _median_ms(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def speed() -> list[tuple[str, float, int]]:
    """(measurement, median ms, runs)."""
    parameters = _data("pk_parameters")
    population = pk_data.population_model(parameters)
    values = model.lesson_values(parameters)
    virtual = model.virtual_patient(population, values, seed=1)
    patient = virtual.patient
    regimen = patient.regimen

    def one_fit() -> None:
        tdm.fit(population, regimen, patient.levels, values.residual_cv)

    def section_work() -> None:
        analysis = fitting.analyse(population, patient, 4, BAND, values)
        tdm_charts.course_chart(
            analysis.times_h,
            analysis.population,
            analysis.individual,
            levels=[(lv.time_h, lv.conc) for lv in patient.levels],
            used=4,
            band=BAND,
            alt=fitting.analysis_alt(analysis),
        ).figure.to_json()
        tdm_charts.clearance_chart(
            typical_cl=analysis.fit.typical_cl,
            omega_cl=analysis.omega_cl,
            cl=analysis.fit.cl,
            sd_log=analysis.fit.cl_sd_log,
        ).figure.to_json()

    return [
        ("One fit, four levels (MAP + Laplace)", _median_ms(one_fit, 50), 50),
        (
            "Section work after adding a level (5 fits, bands, dose, 2 charts)",
            _median_ms(section_work, 20),
            20,
        ),
        ("AppTest: page rerun after moving the levels slider", _page_rerun(5), 5),
    ]


def _page_rerun(repeats: int) -> float:
    from streamlit.testing.v1 import AppTest

    from dashboard.ui import keys

    at = AppTest.from_file(str(APP_PATH), default_timeout=60).run()
    at.switch_page("views/monitoring.py").run()
    next(b for b in at.button if b.label == "Skip the guess").click()
    at.run()
    times = []
    for index in range(repeats):
        # Alternate between new level counts, so every run refits (uncached).
        at.slider(key=keys.TDM_USED).set_value(1 + index % 3)
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise RuntimeError(f"the page raised: {at.exception}")
    return statistics.median(times)


def main() -> None:
    """Print the accuracy table, then the speed table."""
    started = time.perf_counter()
    table = accuracy()
    took = time.perf_counter() - started
    print(
        f"Measured-levels fit on {PATIENTS:,} virtual patients (M1 model, troughs on "
        f"days 3, 5, 8, 12 with 25.9 % residual error; {took:.0f} s):\n"
    )
    print(
        "| levels used | clearance error, median | 90th pct "
        "| steady trough error, median | 90th pct |"
    )
    print("| ---: | ---: | ---: | ---: | ---: |")
    for count, (cl_med, cl_p90, tr_med, tr_p90) in table.items():
        print(
            f"| {count} | {cl_med:.0f} % | {cl_p90:.0f} % | {tr_med:.0f} % "
            f"| {tr_p90:.0f} % |"
        )
    print("\n| measurement | median (ms) | runs |")
    print("| --- | ---: | ---: |")
    for name, ms, runs in speed():
        shown = f"{ms:.0f}" if ms >= 10 else f"{ms:.1f}"
        print(f"| {name} | {shown} | {runs} |")


if __name__ == "__main__":
    main()
