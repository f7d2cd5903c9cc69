"""Whether a page may start a run: what the run costs against what the server has left.

Every run takes a lease in the ledger (app/web/ledger.py, shared by the workers of one server;
app/web/ledger_pg.py with DATABASE_URL, shared by every server)
for its client address, its file descriptors and the bytes it may hold (app/engine/budget.py).
When a limit is reached, an *idle* run of this worker is reclaimed first (idle = its counters
have not moved for RUN_IDLE_SECONDS: what the run does, not what its page sends, so a ping does
not keep a run alive); else the page is told which limit, by its setting's name.
"""

from __future__ import annotations

import itertools
import os
import time

import gevent

from ..engine.budget import run_cost
from .ledger import get_ledger

_keys = itertools.count(1)


def fd_budget(app) -> tuple[int, int]:
    """(fds every run of the server may hold, fds the runs of this worker may hold)."""
    soft = app.extensions.get("zpg_nofile", (20000, 20000))[0]
    reserve = int(app.config.get("FD_RESERVE", 2000))
    process = max(0, soft - reserve)
    machine = int(app.config.get("MAX_RUN_FDS") or 0) or process
    return machine, process


def bytes_budget(app) -> int:
    """Bytes every run of the server may hold: MAX_RUNS_BYTES, or half of MemTotal."""
    configured = int(app.config.get("MAX_RUNS_BYTES") or 0)
    if configured:
        return configured
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024 // 2
    except (OSError, ValueError, IndexError):
        pass
    return 2 * 1024**3


def idle_for(session, now: float | None = None) -> float:
    """Seconds since ``session``'s run last sent or received a message."""
    now = time.monotonic() if now is None else now
    return now - getattr(session, "last_active", session.last_command)


def _most_idle(sessions, cfg):
    idle = [s for s in sessions if idle_for(s) >= cfg["RUN_IDLE_SECONDS"]]
    return max(idle, key=idle_for, default=None)


def _message(refusal, cfg, scope: str) -> str:
    if refusal.limit == "MAX_RUNS_PER_CLIENT":
        return (
            f"your address already has {refusal.message.split(' of ')[0]} runs open {scope}, "
            f"the most allowed (MAX_RUNS_PER_CLIENT = {cfg['MAX_RUNS_PER_CLIENT']}); "
            "stop one or close a tab"
        )
    if refusal.limit == "MAX_RUNS":
        return (
            f"the server is running its maximum of {cfg['MAX_RUNS']} runs (MAX_RUNS); "
            "try again shortly"
        )
    return f"the server cannot start this run now: {refusal.message}"


def admit(app, registry, session, doc) -> str | None:
    """Take a lease for ``session``'s new run of ``doc``: None, or why it may not start.

    Sets ``session.lease`` to the lease key; :func:`release` gives it back.
    """
    cfg = app.config
    cost = run_cost(doc, cfg)
    machine_fds, process_fds = fd_budget(app)
    limits = {
        "per_client": cfg["MAX_RUNS_PER_CLIENT"],
        "per_client_name": "MAX_RUNS_PER_CLIENT",
        "total": cfg["MAX_RUNS"],
        "total_name": "MAX_RUNS",
        "fds": machine_fds,
        "process_fds": process_fds,
        "bytes": bytes_budget(app),
    }
    ledger = get_ledger(app)
    key = f"run:{os.getpid()}:{next(_keys)}"
    for attempt in range(2):
        refusal = ledger.take(key, "run", session.client, cost.fds, cost.bytes, limits)
        if refusal is None:
            session.lease = key
            session.cost = cost
            return None
        others = [s for s in registry.runs.values() if s is not session]
        if refusal.limit == "MAX_RUNS_PER_CLIENT":
            others = [s for s in others if s.client == session.client]
        victim = _most_idle(others, cfg) if attempt == 0 else None
        if victim is None:
            return _message(refusal, cfg, ledger.scope)
        victim.reclaim(
            f"reclaimed: another run needed its place ({refusal.limit}) and this one had "
            f"done nothing for {idle_for(victim):.0f} s"
        )
    return _message(refusal, cfg, ledger.scope)


def release(app, session) -> None:
    """Give back the lease of ``session``'s run (if it holds one)."""
    key = getattr(session, "lease", None)
    if key:
        session.lease = None
        get_ledger(app).release(key)


def trim_after(cost) -> None:
    """Once a large run's memory was freed (``Run.forget``): hand it back to the system (glibc
    keeps freed heap pages otherwise, and RSS stays up), now and again once the page was sent the
    run's last events (the outbox held them until then). Trims are at least TRIM_EVERY seconds
    apart (malloc_trim walks the heap): one asked for sooner is moved later, never dropped (two
    runs stopped together left the second one's memory untrimmed)."""
    if cost is None or cost.queue_bytes + cost.fanout_bytes < TRIM_ABOVE:
        return
    now = time.monotonic()
    _trim_at(now)
    _trim_at(now + TRIM_EVERY)


TRIM_ABOVE = 8 * 1024 * 1024
TRIM_EVERY = 1.0
_last_trim = float("-inf")  # when the latest trim ran or is due
_libc = None


def _trim_at(at: float) -> None:
    """Make sure a trim runs at ``at`` or later (at once when that is now)."""
    global _last_trim
    if _last_trim >= at:
        return
    when = max(at, _last_trim + TRIM_EVERY)
    _last_trim = when
    delay = when - time.monotonic()
    if delay <= 0:
        _trim()
    else:
        gevent.spawn_later(delay, _trim)


def _trim() -> None:
    global _libc
    try:
        if _libc is None:
            import ctypes

            _libc = ctypes.CDLL("libc.so.6")
        _libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def admit_socket(app, client: str, key: str) -> str | None:
    """Take a websocket lease (WS_MAX_PER_CLIENT over every worker): None, or the refusal."""
    per_client = int(app.config["WS_MAX_PER_CLIENT"])
    ledger = get_ledger(app)
    refusal = ledger.take(
        key,
        "ws",
        client,
        0,
        0,
        {"per_client": per_client, "per_client_name": "WS_MAX_PER_CLIENT"},
    )
    if refusal is None:
        return None
    if refusal.limit != "WS_MAX_PER_CLIENT":
        return f"the server cannot open this websocket now: {refusal.message}"
    return (
        f"too many open websockets from your address {ledger.scope}: at most {per_client} "
        "(WS_MAX_PER_CLIENT)"
    )
