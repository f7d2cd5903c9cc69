"""The run websocket: one session per page, commands in, event batches out (docs/protocol.md).

A public server talks to strangers, so every session is bounded (settings in app/config.py, the
table in docs/performance.md):

- the upgrade is refused (403) unless the Origin is this site or listed in ALLOWED_ORIGINS;
  at most WS_MAX_PER_CLIENT sockets per client address (429)
- inbound: messages over WS_MAX_MESSAGE close the socket with 1009; more than
  WS_COMMANDS_PER_SECOND commands are refused with an ``error`` naming the limit, a flood closes
  with 1008; malformed frames get an ``error`` and the socket lives on
- runs: MAX_RUNS_PER_CLIENT and MAX_RUNS (the most idle run, no command for RUN_IDLE_SECONDS, is
  reclaimed first), MAX_RUN_SECONDS, MAX_RUN_RATE messages/s, topology limits in validation
- outbound: one queue per socket holding at most WS_QUEUE_EVENTS events; a page that reads too
  slowly gets a sample of the message events (``sampled``/``skipped`` on each batch, one
  ``notice``), the cumulative ``stats`` are coalesced, never lost; a frame unread for
  WS_SEND_TIMEOUT seconds drops the connection
- SIGTERM: every socket gets close 1001 and its run stops, so the worker exits at once.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import time
from collections import deque

import gevent
import gevent.event
import zmq
from flask import Blueprint, Response, current_app, request
from simple_websocket import ConnectionClosed, Server
from wsproto.events import CloseConnection
from wsproto.utilities import LocalProtocolError

from ..engine.events import MESSAGE_EVENTS
from ..engine.run import Run
from ..topology import prepare
from . import metrics
from .commands import dispatch
from .limits import RateGovernor, TokenBucket, client_address, origin_problem, topology_limits
from .logs import request_id
from .wsfix import LockedSendSocket

bp = Blueprint("ws", __name__)
log = logging.getLogger("app")

GOING_AWAY, POLICY_VIOLATION, TOO_BIG = 1001, 1008, 1009
MAX_PENDING_INBOUND = 1000  # messages parsed from one read (≤ 64 KB) not yet handled: a flood
MAX_CONTROL_QUEUED = 1000  # replies waiting for a page that does not read: more, disconnect
NOTICE_EVERY = 10.0  # seconds between two notices of the same kind


PUMP_SLICE = 1000  # events moved from a run to its page's outbox between yields

try:  # orjson encodes event batches ~5x faster than json (a third of the CPU at 150 k events/s)
    import orjson

    def dumps(message: dict) -> str:
        """Compact JSON text (json.dumps for what orjson refuses, e.g. lone surrogates)."""
        try:
            return orjson.dumps(message).decode()
        except TypeError:
            return json.dumps(message, separators=(",", ":"))
except ImportError:  # pragma: no cover - orjson is in requirements.txt

    def dumps(message: dict) -> str:
        """Compact JSON text."""
        return json.dumps(message, separators=(",", ":"))


class SlowClient(Exception):
    """A frame stayed unread for WS_SEND_TIMEOUT seconds."""


# -- the websocket server object ---------------------------------------------------------------


class GuardedServer(Server):
    """simple-websocket's server with three fixes for a public gevent server.

    - the reader yields after every chunk, so a client flooding frames cannot starve the hub;
    - more than MAX_PENDING_INBOUND unhandled messages closes the socket with 1008;
    - the socket is closed by lingering (shutdown, then read until the peer closes, at most
      1 s), so a close frame such as 1009 reaches the client instead of being lost to a reset.
    """

    def _thread(self):  # noqa: C901 - mirrors simple_websocket.Base._thread
        sel = None
        if self.ping_interval:
            import selectors

            next_ping = time.time() + self.ping_interval
            sel = self.selector_class()
            try:
                sel.register(self.sock, selectors.EVENT_READ, True)
            except ValueError:
                self.connected = False
        while self.connected:
            try:
                if sel:
                    now = time.time()
                    if next_ping <= now or not sel.select(next_ping - now):
                        if not self.pong_received:
                            self.close(reason=POLICY_VIOLATION, message="Ping/Pong timeout")
                            self.event.set()
                            break
                        self.pong_received = False
                        from wsproto.events import Ping

                        self.sock.send(self.ws.send(Ping()))
                        next_ping = max(now, next_ping) + self.ping_interval
                        continue
                in_data = self.sock.recv(self.receive_bytes)
                if len(in_data) == 0:
                    raise OSError()
                self.ws.receive_data(in_data)
                self.connected = self._handle_events()
                if self.connected and len(self.input_buffer) > MAX_PENDING_INBOUND:
                    self.input_buffer.clear()
                    self._refuse(
                        POLICY_VIOLATION,
                        "too many messages: the page sends faster "
                        "than commands can be handled (WS_COMMANDS_PER_SECOND)",
                    )
                gevent.sleep(0)
            except (OSError, ConnectionResetError, LocalProtocolError):
                self.connected = False
                self.event.set()
                break
        if sel:
            sel.close()
        self._linger_close()

    def _handle_events(self):
        keep = super()._handle_events()
        if not keep and self.incoming_message_len > (self.max_message_size or 0) > 0:
            self.input_buffer.clear()  # closed with 1009: nothing more is handled
        return keep

    def _refuse(self, code: int, message: str) -> None:
        """Send a close frame and stop reading."""
        try:
            self.sock.send(self.ws.send(CloseConnection(code, message)))
        except (OSError, LocalProtocolError):
            pass
        self.connected = False
        self.event.set()

    def _linger_close(self, seconds: float = 1.0) -> None:
        """Half-close, read what the peer still sends until it closes (≤ ``seconds``), close."""
        sock = self.sock
        try:
            sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + seconds
            sock.settimeout(seconds)
            while time.monotonic() < deadline:
                if not sock.recv(65536):
                    break
        except OSError:
            pass
        try:
            sock.close()
        except OSError:
            pass


class WebSocketResponse(Response):
    """What the view returns once the socket is done (as flask-sock does it)."""

    mode = "unknown"

    def __call__(self, *args, **kwargs):
        if self.mode == "gunicorn":
            raise StopIteration()
        if self.mode == "werkzeug":
            return super().__call__(*args, **kwargs)
        return []


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
    if registry.connections_of(client) >= cfg["WS_MAX_PER_CLIENT"]:
        return _refusal(
            429,
            f"too many open websockets from your address: at most "
            f"{cfg['WS_MAX_PER_CLIENT']} (WS_MAX_PER_CLIENT)",
        )
    registry.install_signal_handler()
    env = dict(environ)
    if not cfg.get("WS_DEFLATE"):
        env.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)  # CPU is the scarce resource here
    for key in ("gunicorn.socket", "werkzeug.socket"):
        if key in env and not isinstance(env[key], LockedSendSocket):
            env[key] = LockedSendSocket(env[key])
    ws = GuardedServer(
        env,
        ping_interval=cfg.get("WS_PING_INTERVAL") or None,
        max_message_size=cfg["WS_MAX_MESSAGE"],
        receive_bytes=65536,
    )
    try:
        Session(ws, cfg, client).serve()
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


# -- the outbound queue --------------------------------------------------------------------------


class Control:
    """A message for the page that is not an event (hello, started, stopped, error, ...)."""

    __slots__ = ("msg",)

    def __init__(self, msg: dict):
        self.msg = msg


class Close:
    """Queued last: close the socket with ``code`` once everything before it is sent."""

    __slots__ = ("code", "message")

    def __init__(self, code: int, message: str):
        self.code = code
        self.message = message


class Outbox:
    """Everything waiting to be written to one page, in order, bounded.

    Events beyond ``cap`` are left out when they are message events (counted in ``skipped``),
    the cumulative ``stats`` are coalesced to the newest one while the page lags, and other
    events are kept up to ``2 * cap``. Control messages always keep their place.
    """

    def __init__(self, cap: int):
        self.cap = max(100, cap)
        self.items: deque = deque()
        self.n_events = 0
        self.n_control = 0
        self.skipped = 0  # message events left out since the previous batch
        self.untraced = 0  # messages the run did not trace since the previous batch
        self.dropped_total = 0  # events this queue left out (ever)
        self.held_stats = None  # newest stats while the page lags
        self.ready = gevent.event.Event()

    def __len__(self) -> int:
        return len(self.items)

    def control(self, item) -> None:
        """Queue a control message (or a Close) after everything queued so far."""
        if self.held_stats is not None:
            self.items.append(self.held_stats)
            self.n_events += 1
            self.held_stats = None
        self.items.append(item)
        self.n_control += 1
        self.ready.set()

    def events(self, events: list, skipped: int = 0, untraced: int = 0) -> int:
        """Queue a run's events; returns how many this queue had to leave out."""
        self.skipped += skipped
        self.untraced += untraced
        if self.n_events + len(events) <= self.cap:
            self.items.extend(events)
            self.n_events += len(events)
        else:
            dropped = 0
            append, cap = self.items.append, self.cap
            for ev in events:
                kind = ev["ev"]
                if kind == "stats":
                    self.held_stats = ev  # cumulative: the newest one says it all
                    continue
                limit = cap if kind in MESSAGE_EVENTS else 2 * cap
                if self.n_events >= limit:
                    dropped += 1
                    continue
                append(ev)
                self.n_events += 1
            self.skipped += dropped
            self.dropped_total += dropped
            if dropped:
                self.ready.set()
                return dropped
        if events or skipped:
            self.ready.set()
        return 0

    def frames(self, limit: int):
        """Yield what to write next: events frames of ≤ ``limit`` events, control messages."""
        items = self.items
        while items or self.held_stats is not None:
            if items and type(items[0]) is not dict:
                item = items.popleft()
                self.n_control -= 1
                yield item
                continue
            batch = []
            pop = items.popleft
            while items and len(batch) < limit and type(items[0]) is dict:
                batch.append(pop())
            self.n_events -= len(batch)
            if not items and self.held_stats is not None:
                batch.append(self.held_stats)
                self.held_stats = None
            skipped, untraced = self.skipped, self.untraced
            self.skipped = self.untraced = 0
            yield Control(
                {
                    "type": "events",
                    "events": batch,
                    "sampled": bool(skipped or untraced),
                    "skipped": skipped,
                }
            )
        self.ready.clear()  # left-out counts ride on the next batch


# -- sessions ------------------------------------------------------------------------------------


class Registry:
    """Every open session and run of this process: the per-client and total limits."""

    def __init__(self):
        self.sessions: set = set()
        self.runs: dict = {}  # Run -> Session
        self.shutting_down = False
        self._signal_pid = None

    def connections_of(self, client: str) -> int:
        """Open websockets from this client address."""
        return sum(1 for s in self.sessions if s.client == client)

    def admit_run(self, session) -> str | None:
        """None when ``session`` may start a run (after reclaiming an idle one if needed)."""
        cfg = session.config
        mine = [s for s in self.runs.values() if s.client == session.client and s is not session]
        per_client = cfg["MAX_RUNS_PER_CLIENT"]
        if len(mine) >= per_client:
            victim = self._most_idle(mine, cfg)
            if victim is None:
                return (
                    f"you already have {len(mine)} runs open, the most allowed per client "
                    f"(MAX_RUNS_PER_CLIENT = {per_client}); stop one or close a tab"
                )
            victim.reclaim(
                f"reclaimed: your new run needed its place (MAX_RUNS_PER_CLIENT = "
                f"{per_client}) and this one was idle"
            )
        if len(self.runs) >= cfg["MAX_RUNS"]:
            others = [s for s in self.runs.values() if s is not session]
            victim = self._most_idle(others, cfg)
            if victim is None:
                return (
                    f"the server is running its maximum of {cfg['MAX_RUNS']} runs "
                    "(MAX_RUNS); try again shortly"
                )
            victim.reclaim(
                f"reclaimed: the server needed room for another run (MAX_RUNS = "
                f"{cfg['MAX_RUNS']}) and this one was idle"
            )
        return None

    @staticmethod
    def _most_idle(sessions, cfg):
        """The session whose page has been quiet longest, if quiet for RUN_IDLE_SECONDS."""
        now = time.monotonic()
        idle = [s for s in sessions if now - s.last_command >= cfg["RUN_IDLE_SECONDS"]]
        return max(idle, key=lambda s: now - s.last_command, default=None)

    def describe(self) -> dict:
        """Counts for /api/debug/resources."""
        return {
            "runs": len(self.runs),
            "sessions": len(self.sessions),
            "queued": sorted((len(s.outbox) for s in self.sessions), reverse=True)[:20],
            "queued_max": max((len(s.outbox) for s in self.sessions), default=0),
            "run_clocks": {run.id: run.observer.t0 for run in self.runs},
        }

    # -- SIGTERM -----------------------------------------------------------------------------
    def install_signal_handler(self) -> None:
        """Once per process (after gunicorn's fork): SIGTERM closes every socket with 1001."""
        if self._signal_pid == os.getpid():
            return
        self._signal_pid = os.getpid()
        previous = signal.getsignal(signal.SIGTERM)

        def on_sigterm(signum, frame):
            if callable(previous):
                previous(signum, frame)  # gunicorn: stop accepting, wait for handlers
            gevent.spawn(self.shutdown, previous)

        try:
            signal.signal(signal.SIGTERM, on_sigterm)
        except ValueError:  # not the main thread: nothing to install
            self._signal_pid = None

    def shutdown(self, previous=None) -> None:
        """Close every session with 1001 (their runs stop first); at most ~2 s."""
        if self.shutting_down:
            return
        self.shutting_down = True
        jobs = [gevent.spawn(s.shutdown) for s in list(self.sessions)]
        gevent.joinall(jobs, timeout=3)
        if previous in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)


registry = Registry()


def init_app(app) -> None:
    """Register the /ws route; the registry is process-wide (``live_runs()``)."""
    app.register_blueprint(bp)
    app.extensions["zpg_runs"] = registry.runs


def live_runs():
    """Runs open in this process (for limits and leak tests)."""
    return registry.runs


class Session:
    """One websocket: at most one run at a time; one writer greenlet sends everything."""

    def __init__(self, ws, config, client: str = "?"):
        self.ws = ws
        self.config = config
        self.client = client
        self.limits = topology_limits(config)
        self.run: Run | None = None
        self.outbox = Outbox(config.get("WS_QUEUE_EVENTS", 10000))
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

    def notice(self, code: str, message: str, once: bool = False, **extra) -> None:
        """Tell the page something it should show (rate limited per kind)."""
        now = time.monotonic()
        last = self._notices.get(code)
        if last is not None and (once or now - last < NOTICE_EVERY):
            return
        self._notices[code] = now
        self.send({"type": "notice", "code": code, "message": message, **extra})

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
                "libzmq": zmq.zmq_version(),
                "pyzmq": zmq.__version__,
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
        doc, problems = prepare(cmd.get("topology"), limits=self.limits)
        if problems:
            return self.send({"type": "invalid", "errors": problems})
        self.stop_run("replaced")
        refusal = registry.admit_run(self)
        if refusal:
            return self.send({"type": "error", "message": refusal})
        cfg = self.config
        run = Run(
            doc,
            speed=cmd.get("speed", 1.0),
            trace_rate=cfg["TRACE_RATE"],
            max_seconds=None,
            buffer_cap=cfg["EVENT_BUFFER"],
            max_sockets=cfg.get("ZMQ_MAX_SOCKETS", 4096),
        )
        try:
            info = run.start()
        except (zmq.ZMQError, OSError) as err:
            return self.send({"type": "error", "message": f"could not start the run: {err}"})
        registry.runs[run] = self
        self.run = run
        log.info("run started", extra={"rid": self.rid, "run": run.id, "client": self.client})
        self.user_paused = False
        self.send({"type": "started", **info})
        self.pump = gevent.spawn(self._pump_loop, run)
        rate = cfg.get("MAX_RUN_RATE") or 0
        if rate > 0:
            self.governor = RateGovernor(self, run, rate)
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
        log.info("run stopped", extra={"rid": self.rid, "run": run.id, "reason": reason})
        if notify:
            self._pump_once(run)
        else:
            run.events.drain()

    def _pump_once(self, run: Run, limit: int | None = None) -> bool:
        """Move the run's waiting events (up to ``limit``) to the outbox; True once its last
        event went."""
        batch, skipped, untraced = run.events.drain(limit)
        stopped = None
        if batch and batch[-1]["ev"] == "stopped":
            stopped = batch.pop()
        dropped = self.outbox.events(batch, skipped, untraced)
        if dropped:
            self.notice(
                "slow-client",
                "your connection reads too slowly: some message events "
                "were left out (counters stay exact); close other tabs or slow the run "
                "down",
                skipped=self.outbox.dropped_total,
            )
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
            log.info("run ended", extra={"rid": self.rid, "run": run.id})
            self.run = None
            registry.runs.pop(run, None)
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
