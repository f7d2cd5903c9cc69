"""One page's websocket session: commands in (rate limited), at most one run, events out.

The session reads commands on the request's greenlet, a writer greenlet sends what the outbox
holds (app/web/outbox.py), and a pump greenlet moves the run's events into the outbox. Limits:
the module docstring of app/web/ws.py and docs/performance.md.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from contextlib import contextmanager

import gevent
import gevent.lock
from flask import current_app
from simple_websocket import ConnectionClosed
from wsproto.utilities import LocalProtocolError

from ..engine import oslimits
from ..engine.facts import RUN_ERRORS, versions
from ..engine.run import Run
from ..topology import prepare
from . import admission, gcpolicy, metrics, notices
from .commands import dispatch
from .fairshare import cpu_share
from .limits import RateGovernor, TokenBucket, topology_limits
from .logs import request_id
from .outbox import Close, Control, Outbox, dumps
from .registry import registry
from .remote import RemoteRun

log = logging.getLogger("app")

GOING_AWAY, POLICY_VIOLATION = 1001, 1008
MAX_CONTROL_QUEUED = 1000  # replies waiting for a page that does not read: more, disconnect
NOTICE_EVERY = 10.0  # seconds between two notices of the same kind
PUMP_SLICE = 1000  # events moved from a run to its page's outbox between yields
# Starts take turns on a worker: validating a document and opening a run's sockets hold the hub
# (about 3 and 15-30 ms of CPU for 100 nodes), and starts that arrive together (a page of embeds,
# an attacker's burst of 24) held every other page's events for their sum, 350-390 ms (python -m
# bench --only fair). One at a time, and the next one waits as long as this one took: starts get
# at most about half of the hub, and a page's events wait behind one start at most.
_START_TURNS = gevent.lock.BoundedSemaphore(1)
START_PAUSE_MAX = 0.1  # s: the most a start makes the next one wait
_clock = time.perf_counter  # how long a start holds its turn (a test's own clock replaces it)


@contextmanager
def _start_turn():
    """This worker's turn to validate or start a run (see _START_TURNS)."""
    _START_TURNS.acquire()
    t0 = _clock()
    try:
        yield
    finally:
        # waits included (a run's links' handshakes, ms unless the hub is starved): starts
        # spaced by the hub's time alone, their waits given to other starts, came too close
        # (p99 while 24 start: 41-88 ms against 19-28 ms)
        held = min(START_PAUSE_MAX, _clock() - t0)
        gevent.spawn_later(held, _START_TURNS.release)


class SlowClient(Exception):
    """A frame stayed unread for WS_SEND_TIMEOUT seconds."""


class Session:
    """One websocket: at most one run at a time; one writer greenlet sends everything."""

    def __init__(self, ws, config, client: str = "?", app=None):
        self.ws = ws
        self.config = config
        self.client = client
        self.app = app
        self.lease: str | None = None  # the run's lease in the server's ledger (admission.py)
        self.cost = None
        self.last_active = time.monotonic()  # the run last sent a message (RateGovernor)
        self.limits = topology_limits(config)
        self.run: Run | None = None
        self.outbox = Outbox(
            config.get("WS_QUEUE_EVENTS", 10000), config.get("WS_QUEUE_BYTES", 5 * 1024 * 1024)
        )
        self.writer: gevent.Greenlet | None = None
        self.pump: gevent.Greenlet | None = None
        self.governor: RateGovernor | None = None
        self.timer: gevent.Greenlet | None = None
        self.user_paused = False
        self.closing = False
        self.last_command = time.monotonic()
        rate = float(config.get("WS_COMMANDS_PER_SECOND", 20.0))
        self.bucket = TokenBucket(rate)
        self.refused = 0
        self.refused_window = 0.0
        self._notices: dict = {}
        self.rid = request_id()  # the upgrade request's id: every log line of this session

    # -- outbound ------------------------------------------------------------------------------
    def send(self, message: dict) -> None:
        """Queue one control message for the page (in order with the events)."""
        if self.outbox.n_control >= MAX_CONTROL_QUEUED:
            self.abort("the page does not read its replies")
            return
        metrics.control(message)  # refusals by limit
        self.outbox.control(Control(message))

    def notice(self, key: str, once: bool = False, extra: dict | None = None, **vars) -> None:
        """Tell the page something it should show (app/web/notices.py; rate limited per kind:
        at most one every NOTICE_EVERY seconds, or one per session with ``once``)."""
        code = notices.code_of(key)
        now = time.monotonic()
        last = self._notices.get(code)
        if last is not None and (once or now - last < NOTICE_EVERY):
            return  # (a throttled run's governor asks every few ms: nothing is built for it)
        self._notices[code] = now
        self.send({**notices.notice(key, **vars), **(extra or {})})

    def _write(self, message: dict) -> None:
        """One JSON frame; a page that takes WS_SEND_TIMEOUT to accept it is dropped."""
        text = dumps(message)
        metrics.frame(message)  # events/s
        with gevent.Timeout(self.config.get("WS_SEND_TIMEOUT", 30.0), SlowClient):
            self.ws.send(text)

    def _write_loop(self) -> None:
        """Send whatever the outbox holds, as soon as the socket takes it."""
        outbox, limit = self.outbox, self.config["BATCH_MAX"]
        window = max(0.0, float(self.config.get("WS_FLUSH_MS", 1.0))) / 1000.0
        try:
            while True:
                outbox.ready.wait()
                # let the events of the next few ms gather into one frame (a message's `sent` and
                # `delivered` travel together) unless a full batch is already waiting
                if outbox.n_events < limit:
                    gevent.sleep(window)
                for item in outbox.frames(limit):
                    if type(item) is Close:
                        self._close(item.code, item.message)
                        return
                    self._write(item.msg)
        except SlowClient:
            self.abort(
                f"the page did not read for {self.config.get('WS_SEND_TIMEOUT', 30.0):g} "
                "s (WS_SEND_TIMEOUT)"
            )
        except (ConnectionClosed, OSError, LocalProtocolError):
            pass

    def _close(self, code: int, message: str) -> None:
        """Close handshake: send the close frame (the reader waits for the reply)."""
        try:
            with gevent.Timeout(1.0):
                self.ws.close(reason=code, message=message)
        except (gevent.Timeout, ConnectionClosed, OSError, LocalProtocolError):
            self.abort(message)

    def abort(self, why: str) -> None:
        """Drop the connection at once (the stream may be mid-frame): the reader ends."""
        self.closing = True
        self.ws.connected = False
        try:
            self.ws.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.ws.event.set()

    # -- inbound -------------------------------------------------------------------------------
    def serve(self) -> None:
        """Read commands until the page goes; always stop the run on the way out."""
        registry.sessions.add(self)
        self.writer = gevent.spawn(self._write_loop)
        self.send(
            {
                "type": "hello",
                "version": 1,
                **versions(),
                "request": self.rid,
            }
        )
        try:
            while not self.closing:
                data = self.ws.receive()
                if data is None:
                    break
                self.handle(data)
        except ConnectionClosed:
            pass
        finally:
            self.stop_run("closed", notify=False)
            registry.sessions.discard(self)
            if self.closing and self.writer is not None:
                self.writer.join(timeout=2)
            if self.writer is not None:
                self.writer.kill(block=True, timeout=1)

    def _admit_command(self) -> bool:
        """The inbound rate limit: refuse beyond WS_COMMANDS_PER_SECOND, close on a flood."""
        if self.bucket.take():
            return True
        now = time.monotonic()
        if now - self.refused_window > 1.0:
            self.refused_window, self.refused = now, 0
        self.refused += 1
        rate = self.bucket.rate
        if self.refused > 10 * rate + 20:
            self.closing = True
            self.send(
                {
                    "type": "error",
                    "message": f"too many commands: far more than {rate:g} "
                    "per second (WS_COMMANDS_PER_SECOND); closing",
                }
            )
            self.outbox.control(Close(POLICY_VIOLATION, "too many commands"))
            return False
        if self.refused == 1:
            self.send(
                {
                    "type": "error",
                    "message": f"too many commands: at most {rate:g} per "
                    "second (WS_COMMANDS_PER_SECOND); this one was ignored",
                }
            )
        return False

    def handle(self, data) -> None:
        """Parse one command and dispatch it; a malformed one gets an ``error`` message."""
        if not self._admit_command():
            return
        self.last_command = time.monotonic()
        if not isinstance(data, str):
            return self.send(
                {"type": "error", "message": "commands are JSON text frames, not binary"}
            )
        try:
            cmd = json.loads(data)
        except (ValueError, TypeError):
            return self.send({"type": "error", "message": "command is not valid JSON"})
        except RecursionError:
            return self.send({"type": "error", "message": "command is nested too deeply"})
        if not isinstance(cmd, dict) or not isinstance(cmd.get("op"), str):
            return self.send({"type": "error", "message": 'command needs an "op" string'})
        op = cmd["op"]
        if op == "pause":
            self.user_paused = True
        elif op in ("resume", "start", "stop"):
            self.user_paused = False
        try:
            dispatch(self, cmd)
        except (ConnectionClosed, gevent.GreenletExit):
            raise
        except Exception as err:  # a bad command must never end the socket (or the worker)
            current_app.logger.exception("command %r failed", op[:40])
            self.send({"type": "error", "message": f"{op[:40]}: failed ({type(err).__name__})"})

    # -- runs ----------------------------------------------------------------------------------
    def start(self, cmd: dict) -> None:
        """Validate the topology and start a run (replacing this session's previous one)."""
        with _start_turn():
            doc, problems = prepare(cmd.get("topology"), limits=self.limits)
        if problems:
            return self.send({"type": "invalid", "errors": problems})
        self.stop_run("replaced")
        refusal = registry.admit_run(self, doc)
        if refusal:
            return self.send({"type": "error", "message": refusal})
        self.last_active = time.monotonic()
        cfg = self.config
        options = {
            "speed": cmd.get("speed", 1.0),
            "trace_rate": cfg["TRACE_RATE"],
            "max_seconds": None,
            "buffer_cap": cfg["EVENT_BUFFER"],
            "buffer_bytes": cfg["EVENT_BUFFER_BYTES"],
            "max_sockets": cfg.get("ZMQ_MAX_SOCKETS", 4096),
            "max_outside_message": cfg.get("EXPOSE_MAX_MESSAGE", 65536),
        }
        with _start_turn():
            if cfg.get("RUN_ISOLATION", "inline") == "process":
                # in a process of its own, under the OS's limits (app/web/remote.py)
                run = RemoteRun(doc, options, oslimits.for_run(self.cost, cfg))
            else:
                run = Run(doc, **options)
            try:
                info = run.start()
            except RUN_ERRORS as err:
                admission.release(self.app, self)
                return self.send({"type": "error", "message": f"could not start the run: {err}"})
        registry.runs[run] = self
        gcpolicy.run_started()
        self.run = run
        log.info("run started", extra={"rid": self.rid, "run": run.id, "client": self.client})
        self.user_paused = False
        self.send({"type": "started", **info})
        self.pump = gevent.spawn(self._pump_loop, run)
        # always: it also measures activity and applies the worker's fair CPU shares
        self.governor = RateGovernor(
            self, run, cfg.get("MAX_RUN_RATE") or 0, cpu_share(cfg), cfg.get("RUN_START_RATE", 0)
        )
        seconds = cfg.get("MAX_RUN_SECONDS") or 0
        if seconds > 0:
            self.timer = gevent.spawn_later(seconds, self._time_limit, run, seconds)

    def _time_limit(self, run: Run, seconds: float) -> None:
        if run is self.run:
            self.timer = None  # this greenlet: do not kill it from stop_run
            self.stop_run(f"time limit: runs stop after {seconds:g} s (MAX_RUN_SECONDS)")

    def reclaim(self, reason: str) -> None:
        """Stop this session's run to make room for another (its page is told why)."""
        self.stop_run(reason)

    def stop_run(self, reason: str, notify: bool = True) -> None:
        """Stop the current run; its final events and ``stopped`` are queued unless the page
        is gone."""
        run, self.run = self.run, None
        if run is None:
            return
        registry.runs.pop(run, None)
        for g in (self.pump, self.timer):
            if g is not None and g is not gevent.getcurrent():
                g.kill(block=True, timeout=1)
        self.pump = self.timer = None
        if self.governor is not None:
            self.governor.stop()
            self.governor = None
        run.stop(reason)
        gcpolicy.run_stopped()
        log.info("run stopped", extra={"rid": self.rid, "run": run.id, "reason": reason})
        admission.release(self.app, self)
        if notify:
            self._pump_once(run)
        else:
            run.events.drain()
        run.forget()
        admission.trim_after(self.cost)

    def _pump_once(self, run: Run, limit: int | None = None) -> bool:
        """Move the run's waiting events (up to ``limit``) to the outbox; True once its last
        event went."""
        batch, sizes, skipped, untraced = run.events.drain_sized(limit)
        stopped = None
        if batch and batch[-1]["ev"] == "stopped":
            stopped = batch.pop()
            sizes.pop()
        dropped = self.outbox.events(batch, skipped, untraced, sizes)
        if dropped:
            self.notice("slow-client", extra={"skipped": self.outbox.dropped_total})
        if stopped is not None:
            self.send({"type": "stopped", "reason": stopped["reason"], "totals": run.totals()})
            return True
        return False

    def _pump_loop(self, run: Run) -> None:
        """Move events to the outbox as they come, so the run's own buffer never fills."""
        ready = run.events.ready
        while True:
            ready.wait()
            # in slices, letting other sessions in between: a flood's backlog of 20 000 events
            # moved in one go held the hub for tens of ms (tests/robustness/test_slow_client.py)
            if self._pump_once(run, PUMP_SLICE):
                break
            gevent.sleep(0)
        if run is self.run:  # the run ended by itself
            gcpolicy.run_stopped()
            log.info("run ended", extra={"rid": self.rid, "run": run.id})
            self.run = None
            registry.runs.pop(run, None)
            admission.release(self.app, self)
            run.forget()
            admission.trim_after(self.cost)
            if self.governor is not None:
                self.governor.stop()
                self.governor = None
            if self.timer is not None:
                self.timer.kill(block=False)
                self.timer = None

    def shutdown(self) -> None:
        """SIGTERM: stop the run (the page gets ``stopped``), then close with 1001."""
        self.stop_run("server shutting down")
        self.closing = True
        self.outbox.control(Close(GOING_AWAY, "server shutting down"))
        if self.writer is not None:
            self.writer.join(timeout=2)
            if not self.writer.dead:
                self.abort("server shutting down")
        self.ws.event.set()
