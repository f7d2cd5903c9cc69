"""The run websocket: one session per page, commands in, event batches out (docs/protocol.md).

A public server talks to strangers, so every session is bounded (settings in app/config.py, the
table in docs/performance.md):

- the upgrade is refused (403) unless the Origin is this site or listed in ALLOWED_ORIGINS;
  at most WS_MAX_PER_CLIENT sockets per client address over every worker (429, admission.py)
- inbound: messages over WS_MAX_MESSAGE close the socket with 1009; more than
  WS_COMMANDS_PER_SECOND commands are refused with an ``error`` naming the limit, a flood closes
  with 1008; malformed frames get an ``error`` and the socket lives on
- runs: admitted by what they cost (admission.py: MAX_RUNS_PER_CLIENT, MAX_RUNS, MAX_RUN_FDS,
  MAX_RUNS_BYTES over every worker; the run idle longest, counters still for RUN_IDLE_SECONDS,
  is reclaimed first), MAX_RUN_SECONDS, MAX_RUN_RATE and CPU_TARGET fair shares (messages/s),
  topology limits in validation
- outbound: one queue per socket holding at most WS_QUEUE_EVENTS events; a page that reads too
  slowly gets a sample of the message events (``sampled``/``skipped`` on each batch, one
  ``notice``), the cumulative ``stats`` are coalesced, never lost; a frame unread for
  WS_SEND_TIMEOUT seconds drops the connection
- SIGTERM: every socket gets close 1001 and its run stops, so the worker exits at once.

The parts: wsserver.py (simple-websocket made safe: the only patch), session.py (one page's
commands, run and writer), outbox.py (what waits for the page), registry.py (every session and
run of the process, SIGTERM). This module is the route that checks the upgrade and ties them.
"""

from __future__ import annotations

import json
import os
import time

from flask import Blueprint, Response, current_app, request
from simple_websocket import ConnectionClosed
from wsproto.utilities import LocalProtocolError

from . import admission
from .limits import client_address, origin_problem
from .registry import live_runs, registry
from .session import Session
from .wsserver import GuardedServer, WebSocketResponse, guard_environ

__all__ = ["bp", "init_app", "live_runs", "registry"]

bp = Blueprint("ws", __name__)


def _refusal(status: int, message: str) -> Response:
    return Response(json.dumps({"error": message}), status=status, mimetype="application/json")


@bp.route("/ws", websocket=True)
def run_socket():
    """Check the upgrade (Origin, connections per client), then serve one page's websocket."""
    cfg = current_app.config
    environ = request.environ
    problem = origin_problem(environ, cfg)
    if problem:
        return _refusal(403, problem)
    if registry.shutting_down:
        return _refusal(503, "the server is restarting; try again in a moment")
    client = client_address(environ, cfg)
    app = current_app._get_current_object()
    lease = f"ws:{os.getpid()}:{id(environ):x}:{time.monotonic_ns()}"
    refusal = admission.admit_socket(app, client, lease)  # counted over every worker
    if refusal:  # 503 when the ledger (DATABASE_URL) cannot be reached
        return _refusal(429 if "WS_MAX_PER_CLIENT" in refusal else 503, refusal)
    registry.handlers += 1
    try:
        return _serve(app, environ, cfg, client)
    finally:
        admission.get_ledger(app).release(lease)
        registry.handlers -= 1


def _serve(app, environ, cfg, client):
    """Upgrade and serve one page's websocket until it goes."""
    registry.install_signal_handler()
    ws = GuardedServer(
        guard_environ(environ, deflate=bool(cfg.get("WS_DEFLATE"))),
        ping_interval=cfg.get("WS_PING_INTERVAL") or None,
        max_message_size=cfg["WS_MAX_MESSAGE"],
        receive_bytes=65536,
    )
    try:
        Session(ws, cfg, client, app).serve()
    finally:
        if ws.connected:
            try:
                ws.close()
            except (ConnectionClosed, OSError, LocalProtocolError):
                pass
        ws.thread.join(timeout=1.5)  # the reader finishes the close handshake
    resp = WebSocketResponse()
    resp.mode = ws.mode
    return resp


def init_app(app) -> None:
    """Register the /ws route; the registry is process-wide (``live_runs()``)."""
    app.register_blueprint(bp)
    app.extensions["zpg_runs"] = registry.runs
