"""Time the pooling sandbox's statistics (not a test: no assertions).

Usage: ``python -m dashboard.tools.bench_pooling [--repeats N]``. Prints, in
milliseconds, the median of ``N`` repeats (default 50) on this machine of:

1. pooling 20 studies and leaving each out in turn (21 pools), for every
   method: fixed effect (Mantel-Haenszel), DerSimonian-Laird, Paule-Mandel,
   each with and without Hartung-Knapp (issue 18 asks for under 20 ms);
2. the whole page model (:func:`dashboard.models.efficacy_pooling.pool_view`)
   on the real evidence file with observational rows included, the work a
   click on the forest plot triggers before drawing;
3. the sandbox section's work after a click, uncached: the click applied
   (:func:`dashboard.models.efficacy_pooling_link.after_click`), the page model
   and the forest plot built (:func:`dashboard.models.efficacy_pooling_figure.
   forest`), alternately leaving the first study out and bringing it back
   (issue 18 asks that a rerun after a click stay under 200 ms).

The 20 studies are made up (fixed counts, no randomness): arm sizes 30-125,
event risks 25-70 %, one study with a zero cell so the continuity correction
runs too. They are for timing only and never shown to students.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from dashboard.core import datasets, pooling, schemas
from dashboard.core.paths import DATA_DIR
from dashboard.models import (
    efficacy_pooling,
    efficacy_pooling_figure,
    efficacy_pooling_link,
    efficacy_pooling_rows,
)

STUDIES = 20


def synthetic_studies(measure: str) -> list[pooling.Study]:
    """Twenty made-up two-arm studies (deterministic), the first with a zero cell."""
    studies = []
    for i in range(STUDIES):
        total_tac, total_comparator = 30 + 5 * i, 28 + 5 * i
        risk_tac, risk_comparator = 0.45 + 0.025 * (i % 10), 0.25 + 0.02 * (i % 7)
        events_tac = 0 if i == 0 else round(risk_tac * total_tac)
        counts = pooling.Counts(
            events_tac,
            total_tac,
            round(risk_comparator * total_comparator),
            total_comparator,
        )
        studies.append(pooling.study_from_counts(f"S{i + 1:02d}", counts, measure))
    return studies


def median_ms(action: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``action`` over ``repeats`` runs, in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    """Print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    repeats = parser.parse_args(argv).repeats
    studies = synthetic_studies("RR")
    print(f"Pool + leave-one-out, {STUDIES} studies (median of {repeats}):")
    for method in pooling.METHODS:
        for hksj in (False, True) if method != "fixed" else (False,):

            def run(method: str = method, hksj: bool = hksj) -> None:
                pooling.pool(studies, measure="RR", method=method, hksj=hksj)
                pooling.leave_one_out(studies, measure="RR", method=method, hksj=hksj)

            label = method + (" + Hartung-Knapp" if hksj else "")
            print(f"  {label:<20} {median_ms(run, repeats):7.2f} ms")
    evidence = datasets.load_dataset(schemas.SCHEMAS["efficacy_evidence"], DATA_DIR)
    selection = efficacy_pooling_rows.default_selection(evidence, observational=True)
    options = efficacy_pooling.PoolOptions()
    ms = median_ms(
        lambda: efficacy_pooling.pool_view(evidence, selection, options), repeats
    )
    print(
        f"Page model, default pool with observational rows "
        f"({len(selection.pooled)} studies): {ms:7.2f} ms"
    )
    state = {"selection": selection}
    clicked = selection.pooled[0]

    def click() -> None:
        after = efficacy_pooling_link.after_click(evidence, state["selection"], clicked)
        assert after is not None
        state["selection"] = after
        view = efficacy_pooling.pool_view(evidence, after, options)
        efficacy_pooling_figure.forest(view)

    ms = median_ms(click, repeats)
    print(f"Sandbox after a click (model + forest plot, uncached): {ms:7.2f} ms")


if __name__ == "__main__":
    main()
