"""``GET /api/debug/resources``: what the process holds right now (leak tests, benchmarks).

Registered only when DEBUG_RESOURCES is set (app/config.py): it reveals internals and costs a
full garbage collection per call, so a public server never exposes it.
"""

from __future__ import annotations

import gc
import os
import tempfile
import threading
import time

import gevent
import greenlet
from flask import Blueprint, current_app, jsonify

from ..engine.facts import live_zmq
from .fairshare import cpu_share
from .ledger import get_ledger
from .registry import registry

bp = Blueprint("debug", __name__, url_prefix="/api/debug")


def _rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def resources() -> dict:
    """Counts of every resource a run or a websocket may leave behind."""
    gc.collect()
    greenlets = raw_greenlets = zsockets = contexts = 0
    for obj in gc.get_objects():
        if isinstance(obj, greenlet.greenlet):
            if not obj.dead:
                raw_greenlets += 1
                greenlets += isinstance(obj, gevent.Greenlet)
        else:
            kind = live_zmq(obj)
            zsockets += kind == "socket"
            contexts += kind == "context"
    _pool = gevent.get_hub().threadpool
    tmp = tempfile.gettempdir()
    try:
        run_dirs = sum(1 for n in os.listdir(tmp) if n.startswith("zpg-"))
    except OSError:
        run_dirs = -1
    return {
        "pid": os.getpid(),
        "clock": time.perf_counter(),
        "fds": len(os.listdir("/proc/self/fd")),
        # gevent's thread pool (storage and ledger calls run there) grows on demand up to its
        # maxsize and keeps its threads: counted apart, so a leak of any other thread shows
        "threads": len(os.listdir("/proc/self/task")) - _pool.size,
        "pool_threads": _pool.size,
        # calls in flight there (a ledger release opens an SQLite connection: 3 fds meanwhile)
        "pool_busy": len(_pool),
        "pool_max": _pool.maxsize,
        "python_threads": threading.active_count(),
        "greenlets": greenlets,
        "raw_greenlets": raw_greenlets,
        "zmq_sockets": zsockets,
        "zmq_contexts": contexts,
        "rss_bytes": _rss_bytes(),
        "tmp_run_dirs": run_dirs,
        **registry.describe(),
        "ledger": get_ledger(current_app).totals(),  # every worker's leases
        "share": _share(),
    }


def _share() -> dict | None:
    """The worker's fair-share state: CPU load, hub lag, how many runs are capped."""
    share = cpu_share(current_app.config)
    if share is None:
        return None
    caps = sorted(g.cpu_cap for g in share.governors if g.cpu_cap)
    return {
        "load": round(share.load, 3),
        "lag_ms": round(share.lag * 1000.0, 2),
        "busy": share.busy,
        "capped": len(caps),
        "cap_max": round(caps[-1]) if caps else None,
    }


@bp.get("/resources")
def resources_view():
    """The counts above as JSON."""
    return jsonify(resources())


@bp.get("/share")
def share_view():
    """The fair-share state alone (no heap walk: cheap enough to sample during a benchmark)."""
    return jsonify(_share())
