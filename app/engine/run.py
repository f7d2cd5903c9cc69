"""A run: one zmq context, the topology's real sockets, one greenlet per node, an event stream.

Lifecycle: ``Run(doc).start()`` binds every binding socket, connects every connecting one, waits
(over ipc/tcp) until each link's ZMTP handshake has completed so that round-robin is exact from
the first message, then starts the behaviours. ``stop()`` kills every greenlet and closes every
socket, the context and the temp dir, within a second.
"""
from __future__ import annotations

import itertools
import shutil
import tempfile

import gevent
import gevent.event
import zmq

from .behaviours import BEHAVIOURS
from .events import EventBuffer
from .monitor import watch_links
from .node import NodeRt
from .observe import Observer
from .wiring import bind_socket, make_sockets, open_socket

_run_ids = itertools.count(1)
STATS_INTERVAL = 0.25
MIN_SPEED, MAX_SPEED = 0.01, 1.0


class Run:
    """One running topology. Not thread-safe: use it from greenlets of one hub."""

    def __init__(self, doc: dict, *, speed: float = 1.0, trace_rate: float = 400.0,
                 max_seconds: float | None = None, ready_timeout: float = 3.0,
                 buffer_cap: int = 20000, max_sockets: int = 4096):
        self.doc = doc
        self.id = f"r{next(_run_ids)}"
        self.transport = doc.get("transport", "ipc")
        self.speed = _clamp_speed(speed)
        self.max_seconds = max_seconds
        self.ready_timeout = ready_timeout
        self.max_sockets = max_sockets
        self.events = EventBuffer(buffer_cap)
        self.observer = Observer(self.events, trace_rate)
        self.gate = gevent.event.Event()
        self.gate.set()
        self.paused = False
        self.state = "new"
        self.ctx: zmq.Context | None = None
        self.tmpdir: str | None = None
        self.socks, self.links = make_sockets(doc)
        self.nodes = [NodeRt(self, spec, self.socks) for spec in doc["nodes"]]
        self._service: list[gevent.Greenlet] = []
        self.done = gevent.event.Event()

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> dict:
        """Open, bind and connect every socket, wait for the links, start every node."""
        self.state = "starting"
        try:
            self._open()
            monitors = watch_links(self) if self.transport != "inproc" else None
            self._connect()
            if monitors is not None:
                monitors.wait_ready(self.ready_timeout)
            for node in self.nodes:
                node.spawn(BEHAVIOURS[node.kind], node)
                self.observer.emit({"ev": "node", "node": node.id, "state": "started"})
            self._service.append(gevent.spawn(self._stats_loop))
            if self.max_seconds:
                self._service.append(gevent.spawn_later(self.max_seconds, self.stop, "time limit"))
        except BaseException:
            self._teardown()
            raise
        self.state = "running"
        return self.info()

    def _open(self) -> None:
        """The context, the temp dir (ipc only) and every socket, bound where it binds."""
        self.ctx = zmq.Context(io_threads=1)
        self.ctx.setsockopt(zmq.MAX_SOCKETS, self.max_sockets)
        if self.transport == "ipc":
            self.tmpdir = tempfile.mkdtemp(prefix="zpg-")
        for s in self.socks.values():
            open_socket(self.ctx, s, self.transport)
        for s in self.socks.values():
            if s.mode == "bind":
                bind_socket(s, self.transport, f"{self.id}-{id(self)}", self.tmpdir)

    def _connect(self) -> None:
        """Connect each link's connecting socket to its binder's endpoint."""
        for link in self.links.values():
            link.connect.zsock.connect(link.bind.endpoint)

    def info(self) -> dict:
        """What the page needs to draw the run: links with their message-direction ends."""
        return {
            "run": self.id,
            "transport": self.transport,
            "links": {lid: {"connect": l.connect.key, "bind": l.bind.key,
                            "endpoint": l.bind.endpoint.rsplit("/", 1)[-1] if self.transport == "ipc"
                            else l.bind.endpoint}
                      for lid, l in self.links.items()},
        }

    def pause(self) -> None:
        """Every node stops before its next send/recv; queued messages stay in libzmq."""
        self.paused = True
        self.gate.clear()

    def resume(self) -> None:
        """Let the nodes go on."""
        self.paused = False
        self.gate.set()

    def set_speed(self, value: float) -> None:
        """Pacing factor for behaviour timers (0.1 = ten times slower than the document)."""
        self.speed = _clamp_speed(value)

    def stop(self, reason: str = "user") -> None:
        """Kill every greenlet, close every socket, the context and the temp dir."""
        if self.state in ("stopped", "stopping"):
            return
        self.state = "stopping"
        self._teardown()
        self.observer.emit(self.observer.stats(self.socks, self.links))
        self.observer.emit({"ev": "stopped", "reason": reason})
        self.state = "stopped"
        self.done.set()

    def _teardown(self) -> None:
        """Kill greenlets first (they hold FD watchers), then close sockets and the context."""
        current = gevent.getcurrent()
        greenlets = [g for n in self.nodes for g in n.greenlets] + self._service
        gevent.killall([g for g in greenlets if g is not current], block=True, timeout=1)
        for s in self.socks.values():
            if s.g is not None:
                s.g.close()
            if s.monitor is not None:
                s.monitor.close()
        if self.ctx is not None:
            self.ctx.destroy(linger=0)
            self.ctx = None
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def totals(self) -> dict:
        """Exact counters now."""
        stats = self.observer.stats(self.socks, self.links)
        return {"links": stats["links"], "sockets": stats["sockets"]}

    def _stats_loop(self) -> None:
        """Exact counters to the event stream every 250 ms."""
        while True:
            gevent.sleep(STATS_INTERVAL)
            self.observer.emit(self.observer.stats(self.socks, self.links))


def _clamp_speed(value) -> float:
    """Speed within [0.01, 1]; anything unusable becomes 1."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 1.0
    if v != v:
        return 1.0
    return min(MAX_SPEED, max(MIN_SPEED, v))
