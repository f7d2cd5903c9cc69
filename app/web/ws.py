"""The run websocket: one session per page, commands in, event batches out (docs/protocol.md)."""
from __future__ import annotations

import json

import gevent
import zmq
from flask import current_app
from flask_sock import Sock
from simple_websocket import ConnectionClosed

from ..engine.run import Run
from ..topology import prepare
from .commands import dispatch
from .wsfix import harden

sock = Sock()
_live_runs: set = set()


def init_app(app) -> None:
    """Nothing to configure beyond Flask config (SOCK_SERVER_OPTIONS); kept for symmetry."""
    app.extensions["zpg_runs"] = _live_runs


def live_runs() -> set:
    """Runs open in this process (for limits and leak tests)."""
    return _live_runs


@sock.route("/ws")
def run_socket(ws):
    """Serve one page's websocket until it closes."""
    harden(ws)
    Session(ws, current_app.config).serve()


class Session:
    """One websocket: at most one run at a time; a writer greenlet flushes its events."""

    def __init__(self, ws, config):
        self.ws = ws
        self.config = config
        self.run: Run | None = None
        self.writer: gevent.Greenlet | None = None

    def send(self, message: dict) -> None:
        """One JSON frame to the page."""
        self.ws.send(json.dumps(message, separators=(",", ":")))

    def serve(self) -> None:
        """Read commands until the page goes; always stop the run on the way out."""
        self.send({"type": "hello", "version": 1, "libzmq": zmq.zmq_version(),
                   "pyzmq": zmq.__version__})
        try:
            while True:
                data = self.ws.receive()
                if data is None:
                    break
                self.handle(data)
        except ConnectionClosed:
            pass
        finally:
            self.stop_run("closed", notify=False)

    def handle(self, data) -> None:
        """Parse one command and dispatch it; a malformed one gets an ``error`` message."""
        try:
            cmd = json.loads(data)
        except (ValueError, TypeError):
            return self.send({"type": "error", "message": "command is not valid JSON"})
        if not isinstance(cmd, dict) or not isinstance(cmd.get("op"), str):
            return self.send({"type": "error", "message": 'command needs an "op" string'})
        dispatch(self, cmd)

    def start(self, cmd: dict) -> None:
        """Validate the topology and start a run (replacing this session's previous one)."""
        doc, problems = prepare(cmd.get("topology"))
        if problems:
            return self.send({"type": "invalid", "errors": problems})
        self.stop_run("replaced")
        cfg = self.config
        if len(_live_runs) >= cfg["MAX_RUNS"]:
            return self.send({"type": "error", "message":
                              f"the server is running its maximum of {cfg['MAX_RUNS']} runs "
                              "(MAX_RUNS); try again shortly"})
        run = Run(doc, speed=cmd.get("speed", 1.0), trace_rate=cfg["TRACE_RATE"],
                  max_seconds=cfg["MAX_RUN_SECONDS"], buffer_cap=cfg["EVENT_BUFFER"])
        try:
            info = run.start()
        except zmq.ZMQError as err:
            return self.send({"type": "error", "message": f"could not start the run: {err}"})
        _live_runs.add(run)
        self.run = run
        self.send({"type": "started", **info})
        self.writer = gevent.spawn(self._write_loop, run)

    def stop_run(self, reason: str, notify: bool = True) -> None:
        """Stop the current run (its final events are flushed unless the page is gone)."""
        run, self.run = self.run, None
        if run is None:
            return
        run.stop(reason)
        _live_runs.discard(run)
        writer, self.writer = self.writer, None
        if writer is not None:
            if notify:
                writer.join(timeout=1)
            writer.kill(block=True, timeout=1)

    def _write_loop(self, run: Run) -> None:
        """Flush the run's events as batches: as soon as the writer is idle, ≤ BATCH_MAX each."""
        events, limit = run.events, self.config["BATCH_MAX"]
        try:
            while True:
                events.ready.wait()
                gevent.sleep(0)  # let the events of this instant gather into one frame
                batch, skipped, untraced = events.drain(limit)
                stopped = batch and batch[-1]["ev"] == "stopped"
                if stopped:
                    reason = batch.pop()["reason"]
                self.send({"type": "events", "events": batch,
                           "sampled": bool(skipped or untraced), "skipped": skipped})
                if stopped:
                    self.send({"type": "stopped", "reason": reason, "totals": run.totals()})
                    if run is self.run:
                        self.run = None
                        _live_runs.discard(run)
                    return
        except ConnectionClosed:
            return
