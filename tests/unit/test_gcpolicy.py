"""app/web/gcpolicy.py: a running run's objects are not walked by full collections, and what a
stopped run leaves as cyclic garbage is still freed."""

import gc
import weakref

from app.web import gcpolicy


class Node:
    pass


def _cycle():
    a, b = Node(), Node()
    a.peer, b.peer = b, a
    return a


def test_running_objects_are_frozen_and_a_stopped_runs_garbage_is_freed():
    gc.collect()
    try:
        run = [_cycle() for _ in range(100)]
        probe = weakref.ref(run[0])
        gcpolicy.run_started()
        assert gc.get_freeze_count() > 0  # not walked while the run lives
        del run
        gcpolicy.run_stopped()
        assert gc.get_freeze_count() == 0  # back to the collector
        gcpolicy.run_started()  # another run starts before any full collection...
        assert gc.get_freeze_count() == 0  # ...so nothing is frozen: the garbage would stay
        gc.collect()
        assert probe() is None  # freed
        gcpolicy.tick()  # after that full collection, the live objects are frozen again
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
