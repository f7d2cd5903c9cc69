"""Runtime records for sockets and links, and turning a topology into real bound/connected sockets.

Endpoints never come from the document: the engine picks an inproc name, an ipc path inside the
run's private temp dir, or a tcp port on 127.0.0.1 chosen by the kernel.
"""

from __future__ import annotations

from collections import deque

import zmq

from ..topology import socket_options
from .greensock import GreenSocket

FANOUT_TYPES = frozenset(("PUB", "XPUB"))
QUEUE_LIMIT = 2048  # traced messages kept per socket for pairing receipts with sends
FANOUT_LIMIT = 65536  # every message a fan-out link carries, kept until received or dropped

_INT_OPTIONS = {
    "sndhwm": zmq.SNDHWM,
    "rcvhwm": zmq.RCVHWM,
    "linger": zmq.LINGER,
    "heartbeat_ivl": zmq.HEARTBEAT_IVL,
    "heartbeat_timeout": zmq.HEARTBEAT_TIMEOUT,
    "heartbeat_ttl": zmq.HEARTBEAT_TTL,
}
_BOOL_OPTIONS = {
    "immediate": zmq.IMMEDIATE,
    "conflate": zmq.CONFLATE,
    "router_mandatory": zmq.ROUTER_MANDATORY,
    "router_handover": zmq.ROUTER_HANDOVER,
    "req_relaxed": zmq.REQ_RELAXED,
    "req_correlate": zmq.REQ_CORRELATE,
    "xpub_verbose": zmq.XPUB_VERBOSE,
    "xpub_nodrop": zmq.XPUB_NODROP,
}


class SockRt:
    """One real socket of a running node, with its counters and traced-send queue."""

    __slots__ = (
        "key",
        "node",
        "name",
        "type",
        "mode",
        "options",
        "zsock",
        "g",
        "links",
        "by_peer",
        "only_link",
        "fanout",
        "subs",
        "pending",
        "pending_n",
        "sent",
        "received",
        "endpoint",
        "monitor",
        "monitor_g",
        "index",
        "blocked",
        "known_ids",
        "unroutable",
        "exposed",
        "outside",
        "sub_counts",
    )

    def __init__(self, node: str, spec: dict, index: int):
        self.node = node
        self.name = spec["name"]
        self.key = f"{node}.{self.name}"
        self.type = spec["type"]
        self.mode = spec["mode"]
        self.options = spec.get("options") or {}
        self.index = index
        self.links: list[LinkRt] = []
        self.by_peer: dict[str, LinkRt] = {}
        self.only_link: LinkRt | None = None
        self.fanout = self.type in FANOUT_TYPES
        self.subs = tuple(s.encode() for s in self.options.get("subscribe", ()))
        # XSUB: the subscriptions it has sent (b"\x01topic" adds one, b"\x00topic" removes one)
        self.sub_counts: dict[bytes, int] | None = {} if self.type == "XSUB" else None
        # traced sends not yet received, by last frame: {body: deque([(msg id, time)])}
        self.pending: dict[bytes, deque] = {}
        self.pending_n = 0
        self.sent = 0
        self.received = 0
        self.endpoint: str | None = None
        self.exposed: str | None = None  # tcp://127.0.0.1:port for outside programs
        self.outside: LinkRt | None = None  # the pseudo-link outside peers arrive on
        self.blocked = False
        self.known_ids: set[bytes] = set()  # ROUTER: peer identities it can route to
        self.unroutable = 0
        self.zsock = self.g = self.monitor = self.monitor_g = None

    def in_flight(self) -> int:
        """Messages this socket sent that no peer has received yet (point-to-point sockets)."""
        arrived = sum(link.rx[link.other(self).key] for link in self.links)
        return self.sent - self.unroutable - arrived

    def accepts(self, topic: bytes) -> bool:
        """Whether this socket, as a subscriber, matches ``topic`` (libzmq's prefix rule)."""
        return any(topic.startswith(s) for s in self.subs)

    def subscription_sent(self, frame: bytes) -> None:
        """XSUB: book a subscribe (``\x01topic``) or unsubscribe (``\x00topic``) it sent."""
        topic, counts = frame[1:], self.sub_counts
        if frame[:1] == b"\x01":
            counts[topic] = counts.get(topic, 0) + 1
        elif frame[:1] == b"\x00" and counts.get(topic):
            counts[topic] -= 1
            if not counts[topic]:
                del counts[topic]
        self.subs = tuple(counts)


class LinkRt:
    """One link of the topology: a connecting socket joined to a binding one, with counters."""

    __slots__ = (
        "id",
        "connect",
        "bind",
        "delivered",
        "filtered",
        "dropped",
        "expected",
        "queue",
        "state",
        "rx",
        "lossy",
    )

    def __init__(self, link_id: str, connect: SockRt, bind: SockRt):
        self.id = link_id
        self.connect = connect
        self.bind = bind
        self.delivered = 0
        self.filtered = 0
        self.dropped = 0
        self.expected = 0  # messages a fan-out socket handed to this link
        self.queue: deque = deque(maxlen=FANOUT_LIMIT)
        self.state = "pending"
        self.rx = {connect.key: 0, bind.key: 0}  # messages received at each end
        # an end was closed or disconnected with messages on their way (queues_lost): libzmq
        # discards what the pipes held and does not say how much
        self.lossy = False

    def other(self, s: SockRt) -> SockRt:
        """The socket at the far end from ``s``."""
        return self.bind if s is self.connect else self.connect

    def counters(self) -> dict:
        """Exact counters of this link, as sent in ``stats``.

        ``queued``: fan-out links: messages handed to this link and neither received nor proven
        dropped yet. Point-to-point links: messages sent on it and not received yet, present only
        when that is exact (every end that sends has this one link, see :meth:`sent_unreceived`);
        ``None`` once the link is ``lossy``.
        """
        out = {"delivered": self.delivered, "filtered": self.filtered, "dropped": self.dropped}
        if self.bind.fanout or self.connect.fanout:
            out["queued"] = len(self.queue)
        elif self.lossy:
            out["queued"] = None
        else:
            a, b = self.sent_unreceived(self.connect), self.sent_unreceived(self.bind)
            if a is not None and b is not None:
                out["queued"] = a + b
        return out

    def queues_lost(self) -> None:
        """An end closed or disconnected (kill, restart, reconnect, cut): if anything was still
        on its way, part of it may be gone, so sent - received stops being a queue depth."""
        for s in (self.connect, self.bind):
            if s.fanout or s.type == "OUTSIDE" or not s.sent:
                continue
            if s.in_flight() > 0:
                self.lossy = True

    def sent_unreceived(self, s: SockRt) -> int | None:
        """Messages ``s`` sent on this link that the other end has not received, or None when
        unknown: ``s`` has several links (libzmq picks the pipe and does not say which), is an
        outside program, or is a ROUTER, which drops silently at its HWM."""
        if s.type == "OUTSIDE":
            return None
        if not s.sent:
            return 0
        if s.only_link is not self or (
            s.type == "ROUTER" and not s.options.get("router_mandatory")
        ):
            return None
        return max(0, s.sent - s.unroutable - self.rx[self.other(s).key])


def make_sockets(doc: dict):
    """Runtime records for every socket and link of a normalized document."""
    socks: dict[str, SockRt] = {}
    for node in doc["nodes"]:
        for spec in node["sockets"]:
            s = SockRt(node["id"], spec, len(socks))
            socks[s.key] = s
    links: dict[str, LinkRt] = {}
    for spec in doc["links"]:
        c = socks[f"{spec['connect']['node']}.{spec['connect']['socket']}"]
        b = socks[f"{spec['bind']['node']}.{spec['bind']['socket']}"]
        link = LinkRt(spec["id"], c, b)
        links[link.id] = link
        for here, there in ((c, b), (b, c)):
            here.links.append(link)
            here.by_peer[there.key] = link
    for s in socks.values():
        if s.mode == "bind" and s.options.get("expose"):
            outside = SockRt("outside", {"name": s.key, "type": "OUTSIDE", "mode": "connect"}, -1)
            s.outside = LinkRt(f"{s.key}~outside", outside, s)
            links[s.outside.id] = s.outside
        s.only_link = s.links[0] if len(s.links) == 1 and s.outside is None else None
        if s.type == "ROUTER":
            for link in s.links:
                rid = link.other(s).options.get("routing_id")
                if rid:
                    s.known_ids.add(rid.encode())
    return socks, links


def open_socket(ctx: zmq.Context, s: SockRt, transport: str) -> None:
    """Create the real socket with its options; METADATA names it so receivers know the sender."""
    z = ctx.socket(getattr(zmq, s.type))
    z.setsockopt(zmq.LINGER, 0)
    if transport != "inproc":
        z.setsockopt(zmq.METADATA, b"X-Node:" + s.key.encode())
    for name, value in socket_options(s.options).items():
        if name in _INT_OPTIONS:
            z.setsockopt(_INT_OPTIONS[name], int(value))
        elif name in _BOOL_OPTIONS:
            z.setsockopt(_BOOL_OPTIONS[name], 1 if value else 0)
        elif name == "routing_id":
            z.setsockopt(zmq.ROUTING_ID, value.encode())
        elif name == "subscribe":
            for topic in s.subs:
                z.setsockopt(zmq.SUBSCRIBE, topic)
    s.zsock = z
    s.g = GreenSocket(z)


def bind_socket(s: SockRt, transport: str, run_tag: str, tmpdir: str | None) -> None:
    """Bind to an engine-chosen endpoint and remember it (again at the same one on a reopen)."""
    if s.outside is not None:
        s.zsock.bind(s.exposed or "tcp://127.0.0.1:*")
        s.exposed = s.zsock.getsockopt_string(zmq.LAST_ENDPOINT)
        if transport == "tcp":
            s.endpoint = s.exposed
            return
    if s.endpoint is not None:
        s.zsock.bind(s.endpoint)
    elif transport == "tcp":
        s.zsock.bind("tcp://127.0.0.1:*")
        s.endpoint = s.zsock.getsockopt_string(zmq.LAST_ENDPOINT)
    elif transport == "ipc":
        s.endpoint = f"ipc://{tmpdir}/{s.index}"
        s.zsock.bind(s.endpoint)
    else:
        s.endpoint = f"inproc://{run_tag}-{s.index}"
        s.zsock.bind(s.endpoint)
