"""Prometheus metrics at ``GET /metrics`` (prometheus_client; docs/deploying.md).

Several gunicorn workers: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory (wiped before
the server starts) in the environment of the server; every worker then writes its figures
there and whichever worker answers /metrics adds them all up (prometheus_client's multiprocess
mode). Gauges of a worker that died are dropped when /metrics is read (its pid is gone), so
no gunicorn hook is needed; its counters keep counting in the totals, as counters should.
Without the variable, the figures are those of the one process that answers.

What an operator watches:

- ``zpg_runs`` / ``zpg_clients``: runs open, pages connected (websockets), summed over workers
- ``zpg_events_total``: events written to pages (``rate()`` of it = events/s)
- ``zpg_refusals_total{limit}``: refusals by the setting that refused (MAX_RUNS_PER_CLIENT,
  WS_MAX_PER_CLIENT, MAX_CONTENT_LENGTH, ALLOWED_ORIGINS, MAX_RUN_RATE, ...): HTTP answers 403,
  413, 429 and 503 and websocket ``error``/``notice``/``stopped`` messages naming a setting
- ``zpg_storage_seconds{op}``: database latency of every save and load (histogram)
- ``zpg_hub_lag_seconds``: how late the busiest worker's gevent hub is (the readiness check)
"""

from __future__ import annotations

import glob
import os
import re
import time

from flask import Blueprint, Response, current_app

MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
if MULTIPROC_DIR:
    os.makedirs(MULTIPROC_DIR, exist_ok=True)  # before prometheus_client writes a file there

from prometheus_client import (  # noqa: E402  (after the directory exists)
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as _mp  # noqa: E402

from .health import watch  # noqa: E402
from .registry import registry  # noqa: E402

bp = Blueprint("metrics", __name__)

RUNS = Gauge("zpg_runs", "Runs open", multiprocess_mode="livesum")
CLIENTS = Gauge("zpg_clients", "Pages connected (open websockets)", multiprocess_mode="livesum")
HUB_LAG = Gauge(
    "zpg_hub_lag_seconds", "gevent hub lateness, worst worker", multiprocess_mode="livemax"
)
EVENTS = Counter("zpg_events", "Events written to pages")
REFUSALS = Counter("zpg_refusals", "Requests and commands refused, by limit", ["limit"])
STORAGE = Histogram(
    "zpg_storage_seconds",
    "Database latency of saves and loads",
    ["op"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)

_SETTING = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
REFUSED_STATUSES = (403, 413, 429, 503)
NOTICE_LIMITS = {"rate-limit": "MAX_RUN_RATE", "slow-client": "WS_QUEUE_EVENTS"}


def limit_named(text: str, config) -> str | None:
    """The first setting of ``config`` a refusal message names (they all do)."""
    for name in _SETTING.findall(text or ""):
        if name in config:
            return name
    return None


# -- hooks called by the web layer ------------------------------------------------------------


def control(message: dict) -> None:
    """A message queued for a page: count it when it is a refusal naming a limit."""
    kind = message.get("type")
    if kind == "notice":
        limit = NOTICE_LIMITS.get(message.get("code"))
    elif kind == "error":
        limit = limit_named(message.get("message", ""), current_config())
    elif kind == "stopped" and message.get("reason") not in ("user", "closed", "replaced"):
        limit = limit_named(message.get("reason", ""), current_config())
    else:
        return
    if limit:
        REFUSALS.labels(limit).inc()


def frame(message: dict) -> None:
    """A frame written to a page: count its events."""
    if message.get("type") == "events":
        EVENTS.inc(len(message["events"]))


_config = {}


def current_config():
    """The app's config (kept at init: hooks also run in greenlets without an app context)."""
    return _config


# -- HTTP refusals, storage timing, gauges ------------------------------------------------------


def _count_http_refusal(response):
    if response.status_code in REFUSED_STATUSES and response.mimetype == "application/json":
        try:
            text = response.get_data(as_text=True)
        except RuntimeError:  # a streamed body: not one of ours
            return response
        limit = limit_named(text, current_app.config)
        if limit:
            REFUSALS.labels(limit).inc()
    return response


class TimedStorage:
    """The storage backend with every save and load timed into ``zpg_storage_seconds``."""

    def __init__(self, inner):
        self._inner = inner
        self.name = getattr(inner, "name", "?")

    def save(self, item):
        t0 = time.perf_counter()
        try:
            return self._inner.save(item)
        finally:
            STORAGE.labels("save").observe(time.perf_counter() - t0)

    def load(self, item_id):
        t0 = time.perf_counter()
        try:
            return self._inner.load(item_id)
        finally:
            STORAGE.labels("load").observe(time.perf_counter() - t0)

    def __getattr__(self, name):
        return getattr(self._inner, name)


def _update_gauges() -> None:
    RUNS.set(len(registry.runs))
    CLIENTS.set(len(registry.sessions))
    HUB_LAG.set(watch.lag)


def _drop_dead_workers(path: str) -> None:
    """Forget the gauges of workers that are gone (their pid no longer exists)."""
    pids = set()
    for f in glob.glob(os.path.join(path, "gauge_live*_*.db")):
        pid = f.rsplit("_", 1)[-1][:-3]
        if pid.isdigit():
            pids.add(int(pid))
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            _mp.mark_process_dead(pid, path)
        except PermissionError:
            pass


@bp.get("/metrics")
def scrape():
    """Every figure in Prometheus' text format (summed over the workers in multiprocess mode)."""
    _update_gauges()
    if MULTIPROC_DIR:
        _drop_dead_workers(MULTIPROC_DIR)
        registry = CollectorRegistry()
        _mp.MultiProcessCollector(registry, MULTIPROC_DIR)
        body = generate_latest(registry)
    else:
        body = generate_latest()
    return Response(body, content_type=CONTENT_TYPE_LATEST)


def init_app(app) -> None:
    """/metrics, refusal counting, timed storage, gauges updated by the health watch."""
    _config.update(app.config)
    app.register_blueprint(bp)
    app.after_request(_count_http_refusal)
    if "zpg_storage" in app.extensions:
        app.extensions["zpg_storage"] = TimedStorage(app.extensions["zpg_storage"])
    if _update_gauges not in watch.ticks:
        watch.ticks.append(_update_gauges)
