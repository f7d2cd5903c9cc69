"""The reference: a topology document run by plain blocking pyzmq, with no observer.

Same sockets, same types, the same options (``app.topology.socket_options`` decides which reach
libzmq), the same bind/connect order and transport, the same send sequence; one thread per node,
each with its own sockets (zmq sockets are not thread-safe). What it records is what libzmq did:
every message each socket received, in order, and the link it came over where that is knowable:

- the receiving socket has one peer;
- over ipc/tcp, the sender's ``ZMQ_METADATA`` (the reference sets ``X-Node`` like the engine; it
  rides in the handshake and changes no frame);
- a ROUTER: the routing id the peer was given;
- otherwise the body, when exactly one candidate peer sent that body (a SUB "sends" the
  subscriptions libzmq makes for it).

Node kinds driven here: ``source`` (finite ``count`` only), ``sink``, ``worker``, ``replier``. Any
other kind raises :class:`Unsupported`: the caller then compares invariants only. Faults are a
:class:`Plan`: a node paused (it neither sends nor receives) from ``t0`` to ``t1``, killed at ``t``
(its sockets close), restarted at ``t`` (fresh sockets, same endpoints, behaviour from scratch);
times in seconds from the moment the nodes start.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field

import zmq
from zmq.utils.monitor import recv_monitor_message

from app.topology import socket_options

SUPPORTED_KINDS = frozenset(("source", "sink", "worker", "replier"))
_INT = {"sndhwm": zmq.SNDHWM, "rcvhwm": zmq.RCVHWM, "linger": zmq.LINGER}
_INT |= {"heartbeat_ivl": zmq.HEARTBEAT_IVL, "heartbeat_timeout": zmq.HEARTBEAT_TIMEOUT}
_INT |= {"heartbeat_ttl": zmq.HEARTBEAT_TTL}
_BOOL = {
    "immediate": zmq.IMMEDIATE,
    "conflate": zmq.CONFLATE,
    "router_mandatory": zmq.ROUTER_MANDATORY,
    "router_handover": zmq.ROUTER_HANDOVER,
    "req_relaxed": zmq.REQ_RELAXED,
    "req_correlate": zmq.REQ_CORRELATE,
    "xpub_verbose": zmq.XPUB_VERBOSE,
    "xpub_nodrop": zmq.XPUB_NODROP,
}
SLICE_MS = 5  # poll granularity: how often a waiting node looks at its pause/kill plan


class Unsupported(Exception):
    """The document holds something the reference cannot drive identically."""


class _Killed(Exception):
    pass


@dataclass
class Plan:
    """Faults, in seconds from the moment the nodes start (same for engine and reference)."""

    pauses: dict = field(default_factory=dict)  # node -> (t0, t1)
    kills: dict = field(default_factory=dict)  # node -> t
    restarts: dict = field(default_factory=dict)  # node -> t

    def last(self) -> float:
        times = [t for p in self.pauses.values() for t in p]
        return max(times + list(self.kills.values()) + list(self.restarts.values()) + [0.0])


@dataclass
class RefResult:
    """What libzmq did. ``received[key]``: [(frames, link id or None)] in arrival order;
    ``sent[key]``: [frames] in send order; ``dropped_sends[key]``: sends refused with
    EHOSTUNREACH (ROUTER_MANDATORY)."""

    received: dict
    sent: dict
    dropped_sends: dict
    links: dict  # link id -> (connect key, bind key)

    def delivered(self, link: str, to: str) -> int:
        """Messages that arrived at ``to`` over ``link`` (None-attributed ones are not counted)."""
        return sum(1 for _f, lk in self.received.get(to, ()) if lk == link)

    def frames(self, key: str) -> list:
        return [f for f, _lk in self.received.get(key, ())]

    def unattributed(self, key: str) -> int:
        return sum(1 for _f, lk in self.received.get(key, ()) if lk is None)


def render(templates: list, topics: list, node_id: str, n: int) -> list[bytes]:
    """The n-th message of a source (docs/topology.md: {n}, {topic} cycling, {node})."""
    topic = topics[(n - 1) % len(topics)] if topics else ""
    out = []
    for t in templates or ["msg {n}"]:
        out.append(t.replace("{node}", node_id).replace("{n}", str(n)).replace("{topic}", topic))
    return [f.encode() for f in out]


def transform(body: bytes, how: str, text: str) -> bytes:
    if how == "upper":
        return body.upper()
    if how == "fixed":
        return text.encode()
    if how == "prefix":
        return text.encode() + body
    return body


def split_envelope(frames: list, sock_type: str) -> tuple[list, list]:
    """(envelope, content): ROUTER's identity (+ frames up to the empty delimiter); DEALER's
    frames up to the delimiter; nothing for the other types (REP strips its own)."""
    if sock_type not in ("ROUTER", "DEALER"):
        return [], frames
    start = 1 if sock_type == "ROUTER" else 0
    for i in range(start, len(frames)):
        if frames[i] == b"":
            return frames[: i + 1], frames[i + 1 :]
    return frames[:start], frames[start:]


class _Sock:
    def __init__(self, node: str, spec: dict):
        self.node = node
        self.name = spec["name"]
        self.key = f"{node}.{self.name}"
        self.type = spec["type"]
        self.mode = spec["mode"]
        self.options = spec.get("options") or {}
        self.links: list = []  # (link id, peer _Sock)
        self.endpoint = None
        self.exposed = None
        self.z = None


class Reference:
    """Run ``doc`` (normalized) with plain pyzmq until quiescence; :meth:`run` gives the result."""

    def __init__(self, doc: dict, plan: Plan | None = None, idle: float = 0.4, timeout=20.0):
        for n in doc["nodes"]:
            if n["kind"] not in SUPPORTED_KINDS:
                raise Unsupported(f"node {n['id']}: kind {n['kind']!r} is not driven here")
            if n["kind"] == "source" and not n["behaviour"].get("count"):
                raise Unsupported(f"node {n['id']}: a source needs a finite count")
        plan = plan or Plan()
        plan = Plan(dict(plan.pauses), dict(plan.kills), dict(plan.restarts))
        self.doc, self.plan, self.idle, self.timeout = doc, plan, idle, timeout
        self.transport = doc.get("transport", "ipc")
        self.socks = {}
        for n in doc["nodes"]:
            for spec in n["sockets"]:
                s = _Sock(n["id"], spec)
                self.socks[s.key] = s
        self.links = {}
        for spec in doc["links"]:
            c = self.socks[f"{spec['connect']['node']}.{spec['connect']['socket']}"]
            b = self.socks[f"{spec['bind']['node']}.{spec['bind']['socket']}"]
            c.links.append((spec["id"], b))
            b.links.append((spec["id"], c))
            self.links[spec["id"]] = (c.key, b.key)
        self.result = RefResult({k: [] for k in self.socks}, {k: [] for k in self.socks}, {}, {})
        self.result.links = dict(self.links)
        self.lock = threading.Lock()
        self.activity = time.monotonic()
        self.finished: set = set()
        self.bodies: dict = {}  # socket -> bodies it sent or is sending
        self.stop = threading.Event()
        self.t0 = 0.0

    # -- sockets -------------------------------------------------------------------------------
    def _open(self, s: _Sock) -> None:
        z = self.ctx.socket(getattr(zmq, s.type))
        z.setsockopt(zmq.LINGER, 0)
        if self.transport != "inproc":
            z.setsockopt(zmq.METADATA, b"X-Node:" + s.key.encode())
        for name, value in socket_options(s.options).items():
            if name in _INT:
                z.setsockopt(_INT[name], int(value))
            elif name in _BOOL:
                z.setsockopt(_BOOL[name], 1 if value else 0)
            elif name == "routing_id":
                z.setsockopt(zmq.ROUTING_ID, value.encode())
            elif name == "subscribe":
                for topic in value:
                    z.setsockopt(zmq.SUBSCRIBE, topic.encode())
        s.z = z

    def _bind(self, s: _Sock, index: int) -> None:
        if s.options.get("expose"):
            s.z.bind(s.exposed or "tcp://127.0.0.1:*")
            s.exposed = s.z.getsockopt_string(zmq.LAST_ENDPOINT)
            if self.transport == "tcp":
                s.endpoint = s.exposed
                return
        if s.endpoint:
            s.z.bind(s.endpoint)
        elif self.transport == "tcp":
            s.z.bind("tcp://127.0.0.1:*")
            s.endpoint = s.z.getsockopt_string(zmq.LAST_ENDPOINT)
        elif self.transport == "ipc":
            s.endpoint = f"ipc://{self.tmpdir}/{index}"
            s.z.bind(s.endpoint)
        else:
            s.endpoint = f"inproc://ref-{id(self):x}-{index}"
            s.z.bind(s.endpoint)

    def _connect(self, s: _Sock) -> None:
        for _lid, peer in s.links:
            if s.mode == "connect":
                s.z.connect(peer.endpoint)

    def _wait_ready(self) -> None:
        """Every link's handshake done on both ends (ipc/tcp, ``start: ready``), as the engine
        waits, so a distributing socket round-robins over every peer from the first message."""
        monitors = []
        for s in self.socks.values():
            if s.links:
                monitors.append((s, s.z.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)))
        for s in self.socks.values():
            self._connect(s)
        deadline = time.monotonic() + 5
        for s, m in monitors:
            for _ in s.links:
                left = int(max(0, deadline - time.monotonic()) * 1000)
                if m.poll(left):
                    recv_monitor_message(m)
            s.z.disable_monitor()
            m.close()

    # -- recording -----------------------------------------------------------------------------
    def _link_of(self, s: _Sock, parts) -> str | None:
        if len(s.links) == 1 and not s.options.get("expose"):
            return s.links[0][0]
        if self.transport != "inproc":
            try:
                sender = parts[0].get("X-Node")
            except zmq.ZMQError:
                sender = None
            for lid, peer in s.links:
                if peer.key == sender:
                    return lid
            return None
        frames = [p.bytes for p in parts]
        if s.type == "ROUTER" and frames:
            for lid, peer in s.links:
                rid = peer.options.get("routing_id")
                if rid and rid.encode() == frames[0]:
                    return lid
        body = frames[-1] if frames else b""
        hits = [lid for lid, peer in s.links if body in self._bodies_of(peer, s)]
        return hits[0] if len(hits) == 1 else None

    def _bodies_of(self, peer: _Sock, at: _Sock) -> set:
        if peer.type == "SUB":
            return {b"\x01" + t.encode() for t in peer.options.get("subscribe", ())}
        with self.lock:
            return set(self.bodies.get(peer.key, ()))

    def recv(self, node: str, s: _Sock) -> list[bytes]:
        while True:
            self._gate(node)
            if s.z.poll(SLICE_MS, zmq.POLLIN):
                try:  # POLLIN with nothing to take: REP discarding a message without delimiter
                    parts = s.z.recv_multipart(zmq.NOBLOCK, copy=False)
                except zmq.Again:
                    continue
                link = self._link_of(s, parts)
                frames = [p.bytes for p in parts]
                with self.lock:
                    self.result.received[s.key].append((frames, link))
                    self.activity = time.monotonic()
                return frames

    def send(self, node: str, s: _Sock, frames: list[bytes]) -> bool:
        with self.lock:
            self.bodies.setdefault(s.key, set()).add(frames[-1] if frames else b"")
        while True:
            self._gate(node)
            try:
                s.z.send_multipart(frames, zmq.NOBLOCK)
                break
            except zmq.Again:
                s.z.poll(SLICE_MS, zmq.POLLOUT)
            except zmq.ZMQError as err:
                if err.errno != zmq.EHOSTUNREACH:
                    raise
                with self.lock:
                    self.result.dropped_sends.setdefault(s.key, []).append(frames)
                return False
        with self.lock:
            self.result.sent[s.key].append(frames)
            self.activity = time.monotonic()
        return True

    def sleep(self, node: str, ms: float) -> None:
        end = time.monotonic() + ms / 1000.0
        while True:
            self._gate(node)
            left = end - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, SLICE_MS / 1000.0))

    def _gate(self, node: str) -> None:
        """Honour the plan: wait while paused, raise _Killed once the kill time has come."""
        while True:
            if self.stop.is_set():
                raise _Killed
            now = time.monotonic() - self.t0
            k = self.plan.kills.get(node)
            if k is not None and now >= k and node not in self._killed_done:
                raise _Killed
            p = self.plan.pauses.get(node)
            if p is None or not (p[0] <= now < p[1]):
                return
            time.sleep(SLICE_MS / 1000.0)

    # -- behaviours ----------------------------------------------------------------------------
    def _node_thread(self, spec: dict) -> None:
        nid = spec["id"]
        mine = [self.socks[f"{nid}.{s['name']}"] for s in spec["sockets"]]
        try:
            self._behave(spec)
            with self.lock:
                self.finished.add(nid)
            while not self.stop.is_set():
                self._gate(nid)
                time.sleep(SLICE_MS / 1000.0)
        except _Killed:
            pass
        if self.stop.is_set() or nid not in self.plan.kills:
            return
        for s in mine:
            s.z.close(linger=0)
        with self.lock:
            self.finished.add(nid)
            self.activity = time.monotonic()
        self._killed_done.add(nid)
        r = self.plan.restarts.get(nid)
        if r is None:
            return
        while time.monotonic() - self.t0 < r:
            if self.stop.wait(SLICE_MS / 1000.0):
                return
        for s in mine:
            self._open(s)
            if s.mode == "bind":
                self._bind(s, list(self.socks).index(s.key))
            else:
                self._connect(s)
        with self.lock:
            self.finished.discard(nid)
        del self.plan.kills[nid]
        self._node_thread(spec)

    def _behave(self, spec: dict) -> None:
        nid, b, kind = spec["id"], spec["behaviour"], spec["kind"]
        sock = lambda name: self.socks[f"{nid}.{name}"]  # noqa: E731
        if kind == "source":
            s = sock(b["socket"])
            peers = [p.options["routing_id"].encode() for _l, p in s.links if s.type == "ROUTER"]
            peers = [p for p in peers if p]
            self.sleep(nid, b.get("start_delay_ms") or 0)
            for n in range(1, b["count"] + 1):
                frames = render(b["frames"], b["topics"], nid, n)
                if peers:
                    frames = [peers[(n - 1) % len(peers)]] + frames
                self.send(nid, s, frames)
                if s.type == "REQ" and b.get("await_reply", "auto") == "auto":
                    self.recv(nid, s)
                if b["interval_ms"]:
                    self.sleep(nid, b["interval_ms"])
            with self.lock:
                self.finished.add(nid)
            if s.type in ("DEALER", "ROUTER", "PAIR", "XPUB"):
                while True:
                    self.recv(nid, s)
        elif kind == "sink":
            s = sock(b["socket"])
            while True:
                self.recv(nid, s)
        elif kind == "worker":
            src = sock(b["input"])
            out = sock(b["output"]) if b.get("output") else None
            while True:
                frames = self.recv(nid, src)
                self.sleep(nid, b["work_ms"])
                envelope, content = split_envelope(frames, src.type)
                content = content or [b""]
                body = transform(content[-1], b["transform"], b["text"])
                if out is not None:
                    self.send(nid, out, content[:-1] + [body])
                if src.type in ("REP", "ROUTER"):
                    self.send(nid, src, envelope + content[:-1] + [body])
        elif kind == "replier":
            s = sock(b["socket"])
            while True:
                frames = self.recv(nid, s)
                self.sleep(nid, b["delay_ms"])
                envelope, content = split_envelope(frames, s.type)
                content = content or [b""]
                body = transform(content[-1], b["transform"], b["text"])
                self.send(nid, s, envelope + content[:-1] + [body])

    # -- the run -------------------------------------------------------------------------------
    def run(self) -> RefResult:
        self.ctx = zmq.Context()
        self.tmpdir = tempfile.mkdtemp(prefix="zref-") if self.transport == "ipc" else None
        self._killed_done: set = set()
        threads = []
        try:
            for s in self.socks.values():
                self._open(s)
            for i, s in enumerate(self.socks.values()):
                if s.mode == "bind":
                    self._bind(s, i)
            if self.transport != "inproc" and self.doc.get("start", "ready") == "ready":
                self._wait_ready()
            else:
                for s in self.socks.values():
                    self._connect(s)
            self.t0 = self.activity = time.monotonic()
            sources = {n["id"] for n in self.doc["nodes"] if n["kind"] == "source"}
            for spec in self.doc["nodes"]:
                t = threading.Thread(target=self._node_thread, args=(spec,), daemon=True)
                t.start()
                threads.append(t)
            deadline = self.t0 + self.timeout
            while time.monotonic() < deadline:
                time.sleep(0.05)
                now = time.monotonic()
                with self.lock:
                    done = sources <= self.finished
                    quiet = now - self.activity >= self.idle
                if done and quiet and now - self.t0 >= self.plan.last() + self.idle:
                    break
        finally:
            self.stop.set()
            for t in threads:
                t.join(5)
            for s in self.socks.values():
                if s.z is not None and not s.z.closed:
                    s.z.close(linger=0)
            self.ctx.term()
            if self.tmpdir:
                shutil.rmtree(self.tmpdir, ignore_errors=True)
        return self.result
