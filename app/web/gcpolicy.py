"""CPython's cyclic garbage collector and long runs: keep full collections short.

A full (generation 2) collection walks every tracked object of the worker and holds the hub
meanwhile. A 100-node run is ~8 400 tracked objects (greenlets and their frames, watchers,
events); with 24 such runs full collections took 230-1 150 ms on a loaded 2-core machine, and
every page of the worker waited that long (python -m bench --only fair, docs/performance.md).

Those objects live as long as their run, so there is no point in walking them again and again:
when a run has started, everything alive is moved to the permanent generation (``gc.freeze``)
and full collections walk only what was made since (8-35 ms in the same benchmark). When a run
stops, its objects may be cyclic garbage, so everything goes back (``gc.unfreeze``) and nothing
is frozen again until a full collection has run: frozen garbage would never be freed. Cyclic
garbage made meanwhile by anything else stays frozen until the next run stops.
"""

from __future__ import annotations

import gc

_state = {"dirty": False, "refreeze": False}


def run_started() -> None:
    """A run is up: what is alive now is not walked by full collections (unless a stopped
    run's garbage has not been collected yet)."""
    if not _state["dirty"]:
        gc.freeze()


def run_stopped() -> None:
    """A run is gone: its objects go back to the collector (freed at its next full pass)."""
    gc.unfreeze()
    _state["dirty"] = True


def tick() -> None:
    """Called a few times a second while runs exist: freeze again once a full collection has
    freed what the stopped runs left."""
    if _state["refreeze"]:
        _state["refreeze"] = False
        if not _state["dirty"]:
            gc.freeze()


def _on_collect(phase: str, info: dict) -> None:
    if phase == "stop" and info.get("generation") == 2 and _state["dirty"]:
        _state["dirty"] = False
        _state["refreeze"] = True  # not here: the collector is still running


if _on_collect not in gc.callbacks:
    gc.callbacks.append(_on_collect)
