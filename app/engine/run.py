"""A run: one zmq context, the topology's real sockets, one greenlet per node, an event stream.

Lifecycle: ``Run(doc).start()`` binds every binding socket, connects every connecting one, waits
(over ipc/tcp, unless the document says ``"start": "immediate"``) until each link's ZMTP
handshake has completed so that round-robin is exact from the first message, then starts the
behaviours. ``stop()`` kills every greenlet and closes every socket, the context and the temp dir
within a second. Faults (kill/restart/pause a node, cut a link...) live in faults.py, inject (send
one message now from any socket) in inject.py.
"""

from __future__ import annotations

import itertools
import shutil

import gevent
import gevent.event
import zmq
from zmq.utils.monitor import parse_monitor_message

from .behaviours import BEHAVIOURS
from .credit import Credit
from .events import EventBuffer
from .faults import FaultsMixin
from .inject import InjectMixin
from .monitor import LinkWatch
from .node import NodeRt
from .observe import Observer
from .tmpdirs import run_tmpdir
from .wiring import bind_socket, make_sockets, open_socket

_run_ids = itertools.count(1)
STATS_INTERVAL = 0.25
DISCONNECT_WAIT = 0.5  # s: at stop, the longest wait for a binding socket's peers to go
MIN_SPEED, MAX_SPEED = 0.01, 1.0


class Run(FaultsMixin, InjectMixin):
    """One running topology. Not thread-safe: use it from greenlets of one hub."""

    def __init__(
        self,
        doc: dict,
        *,
        speed: float = 1.0,
        trace_rate: float = 400.0,
        max_seconds: float | None = None,
        ready_timeout: float = 3.0,
        buffer_cap: int = 20000,
        buffer_bytes: int = 10 * 1024 * 1024,
        max_sockets: int = 4096,
        max_outside_message: int = 65536,
    ):
        self.doc = doc
        self.id = f"r{next(_run_ids)}"
        self.transport = doc.get("transport", "ipc")
        self.speed = _clamp_speed(speed)
        self.max_seconds = max_seconds
        self.ready_timeout = ready_timeout
        self.max_sockets = max_sockets
        self.max_outside_message = max_outside_message
        self.events = EventBuffer(buffer_cap, buffer_bytes)
        self.observer = Observer(self.events, trace_rate)
        self.gate = gevent.event.Event()
        self.gate.set()
        self.paused = False
        self.credit = Credit()  # messages it may send (app/web/limits.py grants it)
        self.heavy = False  # only a run in a process of its own is ever demoted (app/web/remote.py)
        self._steps = 0
        self.state = "new"
        self.ctx: zmq.Context | None = None
        self.tmpdir: str | None = None
        self.socks, self.links = make_sockets(doc)
        self.nodes = {spec["id"]: NodeRt(self, spec, self.socks) for spec in doc["nodes"]}
        self._service: list[gevent.Greenlet] = []
        self.watch: LinkWatch | None = None
        self.done = gevent.event.Event()

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> dict:
        """Open, bind and connect every socket, wait for the links, start every node."""
        self.state = "starting"
        try:
            self.ctx = zmq.Context(io_threads=1)
            # the context's own limit (ctx.setsockopt would only set a default socket option)
            self.ctx.set(zmq.MAX_SOCKETS, self.max_sockets)
            if self.transport == "ipc":
                self.tmpdir = run_tmpdir()
            for s in self.socks.values():
                self._open(s)
            for s in self.socks.values():
                if s.mode == "bind":
                    bind_socket(s, self.transport, self._tag(), self.tmpdir)
            self.watch = LinkWatch(self)
            for s in self.socks.values():
                self.watch.attach(s)
            for link in self.links.values():
                if link.connect.zsock is not None:
                    link.connect.zsock.connect(link.bind.endpoint)
            if self.transport != "inproc" and self.doc.get("start", "ready") == "ready":
                self.watch.wait_ready(self.ready_timeout)
            self.state = "running"
            for node in self.nodes.values():
                self.start_node(node)
            self._service.append(gevent.spawn(self._stats_loop))
            if self.max_seconds:
                self._service.append(gevent.spawn_later(self.max_seconds, self.stop, "time limit"))
        except BaseException:
            self._teardown()
            self.state = "stopped"
            raise
        return self.info()

    def _tag(self) -> str:
        return f"{self.id}-{id(self):x}"

    def behaviour_of(self, node: NodeRt):
        """The behaviour function of a node's kind."""
        return BEHAVIOURS[node.kind]

    def start_node(self, node: NodeRt) -> None:
        """Spawn a node's behaviour greenlet."""
        node.alive = True
        node.spawn(self.behaviour_of(node), node)
        self.observer.emit({"ev": "node", "node": node.id, "state": "started"})

    def info(self) -> dict:
        """What the page needs to draw the run: links and their ends, outside endpoints.

        Internal endpoints are shown without the server's paths and ports (``ipc://…/3``,
        ``tcp://127.0.0.1:…``): they are the engine's business, and a stranger's page has no
        use for the layout of the server's temp dir. Exposed endpoints are shown whole (an
        outside program needs the port; expose exists only where the operator allows it)."""
        links = {}
        for lid, link in self.links.items():
            outside = link.connect.type == "OUTSIDE"  # outside peers come over the exposed tcp
            end = link.bind.exposed if outside else link.bind.endpoint
            links[lid] = {
                "connect": link.connect.key,
                "bind": link.bind.key,
                "transport": "tcp" if outside else self.transport,
                "endpoint": shown_endpoint(end, link.bind.exposed),
            }
        exposed = {s.key: s.exposed for s in self.socks.values() if s.exposed}
        return {"run": self.id, "transport": self.transport, "links": links, "exposed": exposed}

    # -- pacing ------------------------------------------------------------------------------
    def pause(self) -> None:
        """Every node stops before its next send; what is in flight is still received."""
        self.paused = True
        self._steps = 0
        self.gate.clear()

    def resume(self) -> None:
        """Let the nodes go on."""
        self.paused = False
        self._steps = 0
        self.gate.set()

    def step(self) -> None:
        """While paused: let exactly one more message be sent."""
        if not self.paused:
            self.pause()
        self._steps += 1
        self.gate.set()

    def take_step(self) -> bool:
        """Called by a node waiting to send while paused: consume a step if there is one."""
        if self._steps > 0:
            self._steps -= 1
            if self._steps == 0:
                self.gate.clear()
            return True
        return False

    def set_speed(self, value: float) -> None:
        """Pacing factor for behaviour timers (0.1 = ten times slower than the document)."""
        self.speed = _clamp_speed(value)

    # -- sockets -----------------------------------------------------------------------------
    def close_socket(self, s) -> None:
        """Close one socket and its monitor (its greenlets must be dead or killed first)."""
        if s.monitor is not None and s.zsock is not None:
            # Stop the monitoring first. libzmq's I/O thread sends a socket's events into the
            # monitor PAIR with a blocking send, and it keeps sending until the reaper stops the
            # closed socket. With the PAIR's reading end already closed, one event in that
            # window (a session's "disconnected") blocks the I/O thread for good: every other
            # socket of the run goes silent. A Paranoid Pirate queue restart hung 1 in ~10.
            try:
                s.zsock.disable_monitor()
            except zmq.ZMQError:
                pass
        if s.monitor_g is not None:
            s.monitor_g.kill(block=True, timeout=1)
            s.monitor_g = None
        if s.monitor is not None:
            s.monitor.close()
            s.monitor = None
        if s.g is not None:
            s.g.close()
            s.g = s.zsock = None
        s.pending.clear()
        s.pending_n = 0
        s.blocked = False

    def reopen_socket(self, s) -> None:
        """A fresh socket in place of ``s``: same options, same endpoint, same links."""
        self.observer.receiver_closed(s)
        self.close_socket(s)
        for link in s.links:
            link.queues_lost()
        self._open(s)
        if s.mode == "bind":
            bind_socket(s, self.transport, self._tag(), self.tmpdir)
        self.watch.attach(s)
        if s.mode == "connect":
            for link in s.links:
                if link.state != "cut":
                    s.zsock.connect(link.bind.endpoint)

    def _open(self, s) -> None:
        """Open the real socket; an exposed one refuses messages over max_outside_message (an
        outside program cannot make the worker allocate a 300 MB message)."""
        open_socket(self.ctx, s, self.transport)
        if s.outside is not None:
            s.zsock.setsockopt(zmq.MAXMSGSIZE, int(self.max_outside_message))

    def stop(self, reason: str = "user") -> None:
        """Kill every greenlet, close every socket, the context and the temp dir."""
        if self.state in ("stopped", "stopping"):
            return
        self.state = "stopping"
        self._teardown()
        self.observer.emit(self.observer.stats(self.socks, self.links, final=True))
        self.observer.emit({"ev": "stopped", "reason": reason})
        self.state = "stopped"
        self.done.set()

    def _teardown(self) -> None:
        """Kill greenlets first (they hold FD watchers), then close sockets and the context."""
        current = gevent.getcurrent()
        greenlets = [g for n in self.nodes.values() for g in n.greenlets] + self._service
        greenlets += [s.monitor_g for s in self.socks.values() if s.monitor_g is not None]
        gevent.killall([g for g in greenlets if g is not current], block=True, timeout=1)
        # One side of every connection at a time. libzmq 4.3.5 aborts the whole process
        # (session_base.cpp:233, libzmq#3442) when a connection's two ends close together while
        # a multipart message is half written to the wire (a stalled reader: 6 PUBs of 4-frame
        # messages to a busy worker crashed the worker at stop, every time in ~20 stops). So the
        # connecting sockets close first, and the binding ones once their peers' disconnects
        # have reached them (the engines are gone then), waiting DISCONNECT_WAIT at most.
        socks = list(self.socks.values())
        first = [s for s in socks if s.mode == "connect"]
        expected = _live_peers(first)
        for s in first:
            s.monitor_g = None
            self.close_socket(s)
        _await_disconnects(expected, DISCONNECT_WAIT)
        for s in socks:
            if s.mode != "connect":
                s.monitor_g = None
                self.close_socket(s)
        if self.ctx is not None:
            self.ctx.destroy(linger=0)
            self.ctx = None
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def forget(self) -> None:
        """After the final totals were taken: drop what the observer kept (a fan-out link's
        messages, traced sends), so the memory goes back at once rather than whenever the
        collector gets to the stopped run."""
        for link in self.links.values():
            link.queue.clear()
        for s in self.socks.values():
            s.pending.clear()
            s.pending_n = 0

    def sent_total(self) -> int:
        """Messages every socket has sent so far (the exact counters; the governor paces them)."""
        return sum(s.sent for s in self.socks.values())

    def totals(self) -> dict:
        """The counters now (final once the run stopped: unresolved becomes undelivered)."""
        stats = self.observer.stats(self.socks, self.links, final=self.state == "stopped")
        return {"links": stats["links"], "sockets": stats["sockets"]}

    def _stats_loop(self) -> None:
        """Exact counters to the event stream every 250 ms."""
        while True:
            gevent.sleep(STATS_INTERVAL)
            self.observer.emit(self.observer.stats(self.socks, self.links))


def _live_peers(closing) -> dict:
    """{binding socket: connections of ``closing`` sockets to it that are up}."""
    peers: dict = {}
    for s in closing:
        for link in s.links:
            peer = link.other(s)
            if link.state == "connected" and peer.monitor is not None:
                peers[peer] = peers.get(peer, 0) + 1
    return peers


def _await_disconnects(expected: dict, timeout: float) -> None:
    """Read each binding socket's monitor until it has seen its peers disconnect."""
    if not expected:
        return
    with gevent.Timeout(timeout, False):
        for s, n in expected.items():
            while n > 0:
                msg = parse_monitor_message(s.monitor.recv_multipart())
                if int(msg["event"]) == zmq.EVENT_DISCONNECTED:
                    n -= 1


def shown_endpoint(endpoint: str | None, exposed: str | None = None) -> str | None:
    """An endpoint as the page sees it: no temp dir path, no internal port."""
    if endpoint is None or endpoint == exposed:
        return endpoint
    if endpoint.startswith("ipc://"):
        return "ipc://…/" + endpoint.rsplit("/", 1)[-1]
    if endpoint.startswith("tcp://"):
        return endpoint.rsplit(":", 1)[0] + ":…"
    return endpoint


def _clamp_speed(value) -> float:
    """Speed within [0.01, 1]; anything unusable becomes 1."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 1.0
    if v != v:
        return 1.0
    return min(MAX_SPEED, max(MIN_SPEED, v))
