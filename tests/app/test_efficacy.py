"""The Efficacy page: every filter, the absolute effects, sources, URL state."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core import datasets, schemas
from dashboard.core.paths import APP_PATH, DATA_DIR
from tests.app.conftest import all_text, open_page

VIEW = "views/efficacy.py"
EVIDENCE = datasets.load_dataset(schemas.EFFICACY_EVIDENCE, DATA_DIR).set_index("id")


@pytest.fixture
def eff() -> AppTest:
    """The page. A filter reruns only the evidence (a fragment), and AppTest then
    holds only what that run drew: ``eff.run()`` brings the filters back."""
    return open_page(VIEW)


def _decode(values: object) -> list:
    """Plotly 6+ may ship arrays as base64 typed arrays: turn them back into lists."""
    if isinstance(values, dict) and "bdata" in values:
        array = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        return array.tolist()
    return list(values or [])


def _charts(at: AppTest) -> dict[str, dict]:
    return {
        c.proto.id.split("-")[-1]: json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
    }


def _chart(at: AppTest, key: str) -> dict | None:
    for chart in at.get("plotly_chart"):
        if key in chart.proto.id:
            return json.loads(chart.proto.spec)
    return None


def test_page_opens_on_membranous_remission(eff: AppTest) -> None:
    assert not eff.exception
    assert not eff.error
    assert eff.selectbox(key="eff_disease").value == "membranous nephropathy"
    assert "rows** match" in all_text(eff)
    assert _chart(eff, "eff_forest") is not None
    assert _chart(eff, "eff_arms") is not None


def test_every_plotted_forest_value_maps_to_a_sourced_row(eff: AppTest) -> None:
    for outcome in (
        "remission",
        "complete remission",
        "relapse",
        "adverse events",
        "kidney outcomes",
    ):
        eff.run().get("segmented_control")[0].set_value(outcome).run()
        spec = _chart(eff, "eff_forest")
        if spec is None:
            continue
        for trace in spec["data"]:
            xs = _decode(trace["x"])
            for x, custom in zip(xs, trace["customdata"], strict=True):
                source = EVIDENCE.loc[custom[0]]
                assert pd.notna(source["source"])
                assert pd.notna(source["source_url"])
                expected = source["effect_tac"]
                assert x == pytest.approx(expected, rel=1e-6) or x == pytest.approx(
                    1 / expected, rel=1e-6
                ), (custom[0], x)


def test_every_plotted_arm_value_maps_to_counts_in_a_row(eff: AppTest) -> None:
    eff.selectbox(key="eff_disease").set_value("all").run()
    eff.run().selectbox(key="eff_comparator").set_value("all").run()
    spec = _chart(eff, "eff_arms")
    for trace in spec["data"]:
        arm = "tac" if trace["name"] == "tacrolimus-based" else "comparator"
        for x, custom in zip(_decode(trace["x"]), trace["customdata"], strict=True):
            source = EVIDENCE.loc[custom[2]]
            assert x == pytest.approx(
                100 * source[f"events_{arm}"] / source[f"total_{arm}"]
            )
            assert pd.notna(source["source_url"])


@pytest.mark.parametrize("disease", schemas.DISEASE_GROUPS)
def test_every_disease_and_outcome_renders(eff: AppTest, disease: str) -> None:
    eff.selectbox(key="eff_disease").set_value(disease).run()
    for outcome in (
        "remission",
        "complete remission",
        "relapse",
        "adverse events",
        "kidney outcomes",
    ):
        eff.run().get("segmented_control")[0].set_value(outcome).run()
        assert not eff.exception, (disease, outcome)
        assert "rows** match" in all_text(eff)


def test_comparator_timepoint_and_design_filters_narrow_the_rows(eff: AppTest) -> None:
    def count() -> int:
        line = next(m.value for m in eff.markdown if "rows** match" in m.value)
        return int(line.split("**")[1].split()[0])

    eff.selectbox(key="eff_comparator").set_value("all").run()
    everything = count()
    eff.run().selectbox(key="eff_comparator").set_value("cyclophosphamide").run()
    by_comparator = count()
    eff.run().selectbox(key="eff_timepoint").set_value("up to 6 months").run()
    by_time = count()
    eff.run().multiselect(key="eff_designs").set_value(["rct"]).run()
    by_design = count()
    assert everything > by_comparator > by_time >= by_design > 0
    table = eff.dataframe(key="eff_table").value
    assert set(table["comparator_class"]) == {"cyclophosphamide"}


def test_filters_that_match_nothing_say_so(eff: AppTest) -> None:
    eff.selectbox(key="eff_comparator").set_value("rituximab").run()
    assert not eff.exception
    texts = [i.value for i in eff.info]
    assert any("No ratio" in t for t in texts)
    assert any("No rows match" in t for t in texts)


def test_absolute_effects_follow_the_baseline(eff: AppTest) -> None:
    ratio = eff.selectbox(key="eff_ratio_row")
    assert ratio.value == "IMN-COCHRANE2021-SOF4-01"  # summary-of-findings rows first
    slider = eff.slider(key="eff_baseline_IMN-COCHRANE2021-SOF4-01")
    assert slider.value == 784  # the comparator risk the review gives
    text = all_text(eff)
    assert "**792 per 1000** instead of 784" in text
    assert "probably results in little or no difference in remission" in text
    slider.set_value(500).run()
    assert "**505 per 1000** instead of 500" in all_text(eff)
    assert any("pools tacrolimus with cyclosporine" in w.value for w in eff.warning)


def test_absolute_effects_of_a_harm_name_that_harm(eff: AppTest) -> None:
    # "Adverse events" holds tremor, leukopenia, infection...: the words must say
    # which one the chosen ratio measures, not "adverse events".
    eff.get("segmented_control")[0].set_value("adverse events").run()
    ratio = eff.selectbox(key="eff_ratio_row")
    tremor = "IMN-MA-DRUGS2017-06"  # Zhu 2017 (meta-analysis): RR 8.94 for tremor
    assert EVIDENCE.loc[tremor, "outcome"].startswith("tremor")
    assert "tremor" in ratio.format_func(tremor)
    ratio.set_value(tremor).run()
    text = all_text(eff)
    assert "with tacrolimus) for tremor." in text
    assert "associated with more tremor than cyclophosphamide" in text
    assert "adverse events." not in text


def test_claims_show_verdicts_for_the_chosen_disease(eff: AppTest) -> None:
    text = all_text(eff)
    assert "**Superior remission** · *membranous nephropathy*" in text
    assert "Partly supported" in text
    eff.selectbox(key="eff_disease").set_value(
        "steroid-dependent or frequently relapsing NS"
    ).run()
    text = all_text(eff)
    assert "Worse than rituximab" in text
    assert "membranous nephropathy*" not in text


def test_regimens_and_trough_targets(eff: AppTest) -> None:
    text = all_text(eff)
    assert "not dosing advice" in text
    assert "| Disease | Target (ng/mL) |" in text


def test_source_dialog_opens_with_the_quote(eff: AppTest) -> None:
    eff.selectbox(key="eff_source_row").set_value("IMN-CHEN-01").run()
    eff.button(key="eff_open_source").click().run()
    assert not eff.exception
    text = all_text(eff)
    assert "85% versus 65%" in text
    assert "pubmed.ncbi.nlm.nih.gov/20220333" in text


def test_download_offers_the_filtered_table_and_a_handout(eff: AppTest) -> None:
    keys = sorted(button.key for button in eff.get("download_button"))
    assert keys == ["eff_download", "handout_efficacy"]


@pytest.mark.parametrize(
    ("params", "disease", "outcome"),
    [
        (
            {"eff_disease": "Lupus nephritis", "eff_outcome": "Complete remission"},
            "lupus nephritis",
            "complete remission",
        ),
        (
            {"eff_disease": "kidneys", "eff_outcome": "cure"},
            "membranous nephropathy",
            "remission",
        ),
        (
            {"eff_designs": ["rct", "astrology"], "eff_comparator": "%3Cb%3E"},
            "membranous nephropathy",
            "remission",
        ),
    ],
)
def test_url_state_and_bad_values(params, disease, outcome) -> None:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(VIEW).run()
    assert not at.exception
    assert at.selectbox(key="eff_disease").value == disease
    assert at.get("segmented_control")[0].value == outcome


def _in_page_order(at: AppTest) -> list:
    """Every element of the page, depth first, in the order it is drawn."""
    found, stack = [], [at.main]
    while stack:
        node = stack.pop()
        found.append(node)
        children = getattr(node, "children", None) or {}
        stack.extend(children[k] for k in sorted(children, reverse=True))
    return found


def test_the_page_opens_on_one_comparator_with_its_verdict_before_the_plot(
    eff: AppTest,
) -> None:
    assert eff.selectbox(key="eff_comparator").value == "cyclophosphamide"
    order = _in_page_order(eff)
    verdict = next(
        i
        for i, node in enumerate(order)
        if getattr(node, "type", "") == "markdown"
        and "tacrolimus-based treatment vs cyclophosphamide, remission" in node.value
    )
    forest = next(
        i
        for i, node in enumerate(order)
        if getattr(node, "type", "") == "plotly_chart" and "eff_forest" in node.proto.id
    )
    assert verdict < forest
    text = all_text(eff)
    # Summary-of-findings lines: ahead early, level later, each with its source.
    assert "**Up to 6 months:** remission more likely with tacrolimus" in text
    assert "OR 2.62 [1.38–4.96]" in text
    assert "**12 months or more:** little or no difference in remission" in text
    assert "RR 1.01 [0.89–1.15], moderate certainty (GRADE)" in text
    assert "Partly supported" in text


def test_an_old_link_with_all_comparators_still_opens_on_all() -> None:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    at.query_params["eff_comparator"] = "All"
    at.run()
    at.switch_page(VIEW).run()
    assert not at.exception
    assert at.selectbox(key="eff_comparator").value == "all"
    assert "tacrolimus-based treatment vs any comparator" in all_text(at)


def test_a_new_disease_opens_on_its_own_single_comparator(eff: AppTest) -> None:
    eff.selectbox(key="eff_disease").set_value("minimal change disease").run()
    eff.run()
    assert eff.selectbox(key="eff_comparator").value == "steroids alone"
    text = all_text(eff)
    assert (
        "Minimal change disease: tacrolimus-based treatment vs steroids alone" in text
    )
    assert "98.3% with tacrolimus vs 96.2% with steroids alone" in text


def test_relapse_says_that_lower_is_better(eff: AppTest) -> None:
    assert not any("lower is better" in i.value for i in eff.info)
    eff.get("segmented_control")[0].set_value("relapse").run()
    assert any("For relapse, lower is better" in i.value for i in eff.info)


def test_a_link_naming_only_a_disease_opens_on_its_comparator() -> None:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    at.query_params["eff_disease"] = "Minimal change disease"
    at.run()
    at.switch_page(VIEW).run()
    assert not at.exception
    assert at.selectbox(key="eff_comparator").value == "steroids alone"
    # and moving the comparator afterwards keeps the student's choice
    at.selectbox(key="eff_comparator").set_value("all").run()
    at.run()
    assert at.selectbox(key="eff_comparator").value == "all"
    assert at.selectbox(key="eff_disease").value == "minimal change disease"


def test_presenter_mode_folds_the_less_used_filters() -> None:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    at.query_params["present"] = "true"
    at.query_params["eff_timepoint"] = "Up to 6 months"
    at.run()
    at.switch_page(VIEW).run()
    assert not at.exception
    (more,) = [e for e in at.expander if e.label.startswith("More filters")]
    assert more.selectbox(key="eff_timepoint").value == "up to 6 months"
    assert more.multiselect(key="eff_designs").value == []
    # the verdict still leads, for the filter the link names
    assert "**Up to 6 months:**" in all_text(at)
    assert "**12 months or more:**" not in all_text(at)
