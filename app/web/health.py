"""Health for a proxy or an orchestrator (docs/deploying.md, "Health and metrics").

- ``GET /healthz`` (liveness): 200 while this worker answers at all.
- ``GET /readyz`` (readiness): 200 when this worker should get new pages, else 503, with the
  reason of every check: the database answers (one real query, at most once a second per
  worker), the worker is not overloaded (fewer than MAX_RUNS runs, its gevent hub not late by
  more than READY_MAX_LAG_MS) and it is not draining after SIGTERM.

The hub's lateness is measured by :class:`Watch`, a greenlet per worker that sleeps a quarter
second at a time and records how much later than asked it woke up: every greenlet of the worker
(runs, websockets, requests) shares that one hub, so its lateness is what a page feels.
"""

from __future__ import annotations

import os
import time

import gevent
from flask import Blueprint, current_app, jsonify
from gevent import monkey

from ..links.ids import content_id
from ..storage import StorageError, get_storage
from .registry import live_runs, registry

bp = Blueprint("health", __name__)

PROBE_ID = content_id({"readiness probe": 1})  # a well-formed id nothing is saved under
DB_CHECK_EVERY = 1.0  # seconds a database check result is reused


class Watch:
    """Per worker: the hub's lateness, and callbacks run on every tick (metrics gauges)."""

    INTERVAL = 0.25
    WINDOW = 8  # ticks: lateness is the worst of the last two seconds

    def __init__(self):
        self.pid = None
        self.recent: list[float] = []
        self.ticks: list = []

    def ensure(self) -> None:
        """Start the greenlet once per process (after gunicorn's fork), in a gevent server only:
        elsewhere (a test process) the hub runs only when something yields, and its lateness
        would say nothing about load."""
        if self.pid != os.getpid() and monkey.is_module_patched("socket"):
            # SIGTERM drains this worker (pages told, /readyz says so) even before any page
            # opened a websocket here
            registry.install_signal_handler()
            self.pid = os.getpid()
            self.recent = []
            gevent.spawn(self._loop)

    @property
    def lag(self) -> float:
        """Seconds the hub was late, the worst of the last ~2 s."""
        return max(self.recent, default=0.0)

    def _loop(self) -> None:
        pid = self.pid
        while self.pid == pid:
            asked = time.monotonic()
            gevent.sleep(self.INTERVAL)
            late = max(0.0, time.monotonic() - asked - self.INTERVAL)
            self.recent = (self.recent + [late])[-self.WINDOW :]
            for tick in self.ticks:
                try:
                    tick()
                except Exception:  # a broken gauge must not stop the watch
                    current_logger().exception("health tick failed")


watch = Watch()
_db = {"at": -1e9, "result": None}


def current_logger():
    import logging

    return logging.getLogger("app")


def database_check() -> dict:
    """``{"ok", "ms", "backend"}`` of one lookup (reused for DB_CHECK_EVERY seconds)."""
    now = time.monotonic()
    storage = get_storage()
    if now - _db["at"] < DB_CHECK_EVERY and _db.get("storage") is storage:
        return _db["result"]
    t0 = time.perf_counter()
    try:
        storage.load(PROBE_ID)
        result = {"ok": True}
    except StorageError as err:
        result = {"ok": False, "error": str(err)[:200]}
    result["ms"] = round((time.perf_counter() - t0) * 1000.0, 2)
    result["backend"] = getattr(storage, "name", "?")
    _db.update(at=time.monotonic(), result=result, storage=storage)
    return result


@bp.get("/healthz")
def live():
    """Liveness: this worker answers."""
    watch.ensure()
    return jsonify(status="ok", pid=os.getpid())


@bp.get("/readyz")
def ready():
    """Readiness: database, load and draining, each with its figures."""
    watch.ensure()
    cfg = current_app.config
    runs, max_runs = len(live_runs()), int(cfg["MAX_RUNS"])
    lag_ms = watch.lag * 1000.0
    max_lag = float(cfg.get("READY_MAX_LAG_MS") or 500.0)
    checks = {
        "database": database_check(),
        "runs": {"ok": runs < max_runs, "open": runs, "max": max_runs, "setting": "MAX_RUNS"},
        "lag": {"ok": lag_ms <= max_lag, "ms": round(lag_ms, 2), "max": max_lag},
        "draining": {"ok": not registry.shutting_down},
    }
    ok = all(c["ok"] for c in checks.values())
    resp = jsonify(ready=ok, pid=os.getpid(), checks=checks)
    resp.status_code = 200 if ok else 503
    resp.headers["Cache-Control"] = "no-store"
    return resp


def init_app(app) -> None:
    """Register /healthz and /readyz; the watch starts with the first request of a worker."""
    app.register_blueprint(bp)
    app.before_request(watch.ensure)
