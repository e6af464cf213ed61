"""The cycle collector's long-lived heap is frozen after runs 1, 4, 16, ..."""

from __future__ import annotations

import gc
import weakref

import pytest

from dashboard.patches import heap


@pytest.fixture
def fresh_heap():
    threshold = gc.get_threshold()
    heap.reset()
    heap.enable()
    yield
    heap.reset()
    gc.set_threshold(*threshold)


def test_freezes_at_powers_of_four_then_every_4096_runs(fresh_heap):
    froze = [run for run in range(1, 20_000) if heap.after_run()]
    assert froze[:7] == [1, 4, 16, 64, 256, 1024, 4096]
    assert froze[7:] == list(range(8192, 20_000, 4096))


def test_a_freeze_moves_survivors_out_of_the_collectors_way(fresh_heap):
    assert gc.get_freeze_count() == 0
    assert heap.after_run() is True
    assert gc.get_freeze_count() > 1000
    assert gc.get_threshold()[0] == heap.YOUNG_THRESHOLD


def test_garbage_frozen_alive_is_collected_at_the_next_full_pass(fresh_heap):
    class Node:
        pass

    node = Node()
    node.self = node  # a cycle: only the collector can free it
    alive = weakref.ref(node)
    heap.after_run()  # frozen while alive
    del node
    for _ in range(4094):
        heap.after_run()  # runs 2-4095: cheap freezes that leave frozen objects be
    assert alive() is not None
    assert heap.after_run() is True  # run 4096: unfreeze, collect everything
    assert alive() is None


def test_reset_unfreezes(fresh_heap):
    heap.after_run()
    heap.reset()
    assert gc.get_freeze_count() == 0


def test_after_run_does_nothing_until_the_patch_is_enabled(fresh_heap):
    heap.reset()  # as in a process that opted out (DASHBOARD_STREAMLIT_PATCHES=off)
    assert heap.after_run() is False
    assert gc.get_freeze_count() == 0
    assert heap.enable() is True
    assert heap.after_run() is True
