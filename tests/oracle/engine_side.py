"""The engine side of the oracle: run a document through the engine's Python API (as the engine
tests do) with the same fault plan as the reference, until quiescence, and keep every event.

Quiescence: every source has finished (or was killed for good), the fault plan is over, and the
engine's counters have not moved for ``idle`` seconds. ``quiescent`` holds ``run.totals()`` then;
``final`` is the last ``stats`` event, which the engine emits when the run stops ("the end of a
run": whatever is still unresolved there stays so for the page).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import gevent

from app.engine.run import Run

from .reference import Plan


@dataclass
class EngineResult:
    events: list
    quiescent: dict
    final: dict
    info: dict
    settled: bool  # False: the timeout came before quiescence


def start(doc: dict) -> tuple[Run, dict]:
    """A started run that traces every message and never leaves an event out."""
    run = Run(doc, trace_rate=1e9, buffer_cap=10**7)
    return run, run.start()


def drive(run: Run, info: dict, plan: Plan | None = None, idle=0.4, timeout=20.0, until=None):
    """Apply ``plan`` to a started run, wait for quiescence (and ``until(run)`` if given), stop
    it; returns an :class:`EngineResult`."""
    plan = plan or Plan()
    events: list = []
    finished: set = set()
    sources = {n["id"] for n in run.doc["nodes"] if n["kind"] == "source"}
    t0 = time.monotonic()
    todo = []
    for nid, (a, b) in plan.pauses.items():
        todo += [(a, run.pause_node, (nid, True)), (b, run.pause_node, (nid, False))]
    todo += [(t, run.kill_node, (nid,)) for nid, t in plan.kills.items()]
    todo += [(t, run.restart_node, (nid,)) for nid, t in plan.restarts.items()]
    todo.sort(key=lambda x: x[0])
    last, still_since, settled = None, time.monotonic(), False
    while time.monotonic() - t0 < timeout:
        now = time.monotonic() - t0
        while todo and todo[0][0] <= now:
            _t, fn, args = todo.pop(0)
            fn(*args)
        batch, _skipped, _untraced = run.events.drain()
        events.extend(batch)
        for e in batch:
            if e["ev"] == "node" and e.get("node") in sources:
                if e["state"] in ("finished", "killed", "crashed"):
                    finished.add(e["node"])
                elif e["state"] == "restarted":
                    finished.discard(e["node"])
        totals = run.totals()
        if totals != last:
            last, still_since = totals, time.monotonic()
        quiet = time.monotonic() - still_since >= idle
        if not todo and sources <= finished and quiet and now >= plan.last() + idle:
            if until is None or until(run):
                settled = True
                break
        gevent.sleep(0.02)
    quiescent = run.totals()
    run.stop("oracle")
    batch, _skipped, _untraced = run.events.drain()
    events.extend(batch)
    stats = [e for e in events if e["ev"] == "stats"]
    return EngineResult(events, quiescent, stats[-1] if stats else {}, info, settled)


def run_engine(doc: dict, plan: Plan | None = None, idle=0.4, timeout=20.0) -> EngineResult:
    """Start, drive to quiescence, stop."""
    run, info = start(doc)
    return drive(run, info, plan, idle, timeout)
