"""The cycle collector's long-lived heap is frozen after runs 1, 4, 16, ..."""

from __future__ import annotations

import gc

import pytest

from dashboard.ui import heap


@pytest.fixture
def fresh_heap():
    threshold = gc.get_threshold()
    heap.reset()
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


def test_garbage_alive_at_one_freeze_is_collected_at_the_next(fresh_heap):
    class Node:
        pass

    node = Node()
    node.self = node  # a cycle: only the collector can free it
    heap.after_run()  # frozen while alive
    del node
    frozen = gc.get_freeze_count()
    for _ in range(3):
        heap.after_run()  # run 4 unfreezes, collects and freezes again
    assert gc.get_freeze_count() < frozen
    assert not any(type(o).__name__ == "Node" for o in gc.get_objects())


def test_reset_unfreezes(fresh_heap):
    heap.after_run()
    heap.reset()
    assert gc.get_freeze_count() == 0
