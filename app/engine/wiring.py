"""Runtime records for sockets and links, and turning a topology into real bound/connected sockets.

Endpoints never come from the document: the engine picks an inproc name, an ipc path inside the
run's private temp dir, or a tcp port on 127.0.0.1 chosen by the kernel.
"""

from __future__ import annotations

import secrets
from collections import deque

import zmq

from ..topology import socket_options
from .greensock import GreenSocket
from .pipes import track

FANOUT_TYPES = frozenset(("PUB", "XPUB"))
QUEUE_LIMIT = 2048  # traced messages kept per socket for pairing receipts with sends
# Every message a lossy pipe (fan-out, conflate) carries is kept as (msg id, digest) until it is
# received or proven gone: two small ints, never the body. Past this many per link the oldest are
# forgotten and counted as unresolved ("the observer's bound"): ~150 bytes each, ~600 KB a link.
TRACK_LIMIT = 4096

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
        "route",
        "reply_to",
        "unroutable",
        "dropped",
        "exposed",
        "outside",
        "sub_counts",
        "secret",
        "transport",
        "sub_msgs",
        "unattributed",
        "unlinked",
        "gone",
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
        # ROUTER: routing id -> the link it names, learned from what arrived on that connection
        # (and from the peers' configured routing ids); REP: the link of the request being served
        self.route: dict[bytes, LinkRt] = {}
        self.reply_to: LinkRt | None = None
        self.unroutable = 0  # libzmq said EHOSTUNREACH (no peer with that routing id)
        self.dropped = 0  # sent but known or proven never to reach any peer (unroutable included)
        self.secret = secrets.token_hex(16)  # in this socket's metadata: outsiders cannot forge it
        self.transport = "ipc"
        # SUB: the subscription messages libzmq sends for it (b"\x01topic") not yet seen arrive
        self.sub_msgs: dict[bytes, int] = {}
        self.unattributed = 0  # receipts whose link cannot be proven (inproc, several peers)
        self.unlinked = 0  # ROUTER sends whose link is unknown (a peer it never heard from)
        self.gone = 0  # in flight when a receiver closed: never received (proven)
        self.zsock = self.g = self.monitor = self.monitor_g = None

    def in_flight(self) -> int:
        """Messages this socket sent that no peer has received yet and that are not known or
        proven gone (point-to-point sockets); outside peers' receipts are not observable."""
        arrived = sum(link.rx[link.other(self).key] for link in self.links)
        out = self.outside.outside_sent if self.outside is not None else 0
        return self.sent - self.dropped - self.gone - arrived - out

    def pending_complete(self) -> bool:
        """Whether every message of this socket still on its way was traced (so the traced
        table holds all of them, and a content it lacks cannot be on its way)."""
        return self.pending_n >= self.in_flight()

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
        "tracked",
        "capacity",
        "evicted",
        "proven",
        "known",
        "outside_sent",
        "unattributed",
        "tx",
        "ambiguous",
        "digests",
        "anon",
        "epoch",
        "closed_sent",
    )

    def __init__(self, link_id: str, connect: SockRt, bind: SockRt):
        self.id = link_id
        self.connect = connect
        self.bind = bind
        self.delivered = 0
        self.filtered = 0
        self.dropped = 0
        self.expected = 0  # messages a fan-out socket handed to this link
        # lossy pipe (fan-out, conflate): (msg id, digest) of every message handed to it, not yet
        # received nor proven gone, oldest first; ``tracked`` is the sending end
        self.queue: deque = deque()
        self.tracked: SockRt | None = None
        self.capacity = 0  # inproc: at most this many can sit in the pipe (0: no bound known)
        self.evicted = 0  # forgotten past TRACK_LIMIT: their fate stays unresolved
        self.proven: dict[str, int] = {}  # drops proven by a rule, by rule
        self.known = 0  # drops libzmq reported (EAGAIN / EHOSTUNREACH translated)
        self.outside_sent = 0  # (outside pseudo-link) sent to outside peers: not observable
        self.unattributed = 0  # receipts that came over this link or another (inproc)
        self.tx = {connect.key: 0, bind.key: 0}  # sends known to be on this link (ROUTER, REP)
        self.ambiguous: set = set()  # digests whose pairing on this link was not proven
        self.digests: dict = {}  # digest -> how many of ``queue`` have it
        self.anon = 0  # of ``queue``, at least this many are gone (inproc bound), unnamed
        self.epoch = 0  # receipts on this link before its receiver's socket was last reopened
        # the sender's sent count when the receiver was closed: a send after that may have gone
        # into the dying pipe before libzmq noticed (lost, not counted anywhere): unknown
        self.closed_sent: int | None = None
        self.state = "pending"
        self.rx = {connect.key: 0, bind.key: 0}  # messages received at each end
        # an end was closed or disconnected with messages on their way (queues_lost): libzmq
        # discards what the pipes held and does not say how much
        self.lossy = False

    def other(self, s: SockRt) -> SockRt:
        """The socket at the far end from ``s``."""
        return self.bind if s is self.connect else self.connect

    def counters(self) -> dict:
        """This link's counters as sent in ``stats`` (docs/protocol.md, "Three kinds of
        knowledge"): ``delivered``/``filtered`` are known, ``dropped`` is known or proven (by
        rule in ``proven``), ``queued`` is present only when exact; ``unresolved`` counts what may
        be in a queue or dropped, with ``why``."""
        out = {"delivered": self.delivered, "filtered": self.filtered, "dropped": self.dropped}
        if self.proven:
            out["proven"] = dict(self.proven)
        if self.known:
            out["known"] = self.known
        if self.outside_sent:
            out["outside"] = self.outside_sent
        if self.unattributed:
            out["unattributed"] = self.unattributed
        if self.tracked is not None:
            out["dropped"] += self.anon
            if self.anon:
                out.setdefault("proven", {})["inproc-bound"] = self.anon
            n = len(self.queue) + self.evicted - self.anon
            if n:
                out["unresolved"] = n
                out["why"] = self.why_unresolved()
            return out
        if self.lossy or self.sent_into_a_close():
            ends = [self.in_flight_from(s) for s in (self.connect, self.bind)]
            n = sum(e for e in ends if e)
            if n:
                out["unresolved"] = n
                out["why"] = "closed"
            elif None in ends:
                out["queued"] = None  # an end whose share of this link libzmq does not say
            else:
                out["queued"] = 0  # every message of both ends is received, known or proven gone
            return out
        if self.unattributed:
            out["why"] = "unattributed"
            return out
        a, b = self.in_flight_from(self.connect), self.in_flight_from(self.bind)
        if a is not None and b is not None:
            out["queued"] = a + b
        return out

    def sent_into_a_close(self) -> bool:
        """Whether a sender sent on this link after its receiver was closed (see closed_sent)."""
        if self.closed_sent is None:
            return False
        if any(s.sent > self.closed_sent for s in (self.connect, self.bind)):
            self.lossy = True
        return self.lossy

    def why_unresolved(self) -> str:
        """Why the fate of this link's outstanding messages is not known (a code the page says
        in words): over inproc the pipe bound proves all but ``capacity`` dropped."""
        if self.evicted:
            return "observer-bound"
        if self.capacity:
            return "inproc-bound"
        return "network-buffers" if self.tracked.transport != "inproc" else "no-bound"

    def queues_lost(self, closed: SockRt | None = None) -> None:
        """An end closed or disconnected (kill, restart, reconnect, cut): if anything was still
        on its way, part of it may be gone, so sent - received stops being a queue depth."""
        for s in (self.connect, self.bind):
            if s.fanout or s.type == "OUTSIDE" or not s.sent or self.tracked is s:
                continue
            if s.in_flight() > 0:
                self.lossy = True

    def in_flight_from(self, s: SockRt) -> int | None:
        """Messages ``s`` sent on this link that the other end has not received and that are not
        known or proven gone, or None when unknown: ``s`` has several links and libzmq picks the
        pipe without saying which (PUSH, DEALER), or is an outside program."""
        if s.type == "OUTSIDE":
            return None
        if not s.sent:
            return 0
        o = self.other(s)
        if s.type in ("ROUTER", "REP") and s.only_link is not self:
            if s.unlinked:
                return None
            return max(0, self.tx[s.key] - self.rx[o.key])
        if s.only_link is not self:
            return None
        return max(0, s.in_flight())

    sent_unreceived = in_flight_from


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
                    s.route[rid.encode()] = link
    transport = doc.get("transport", "ipc")
    for s in socks.values():
        s.transport = transport
        if s.type == "SUB":
            s.sub_msgs = {b"\x01" + t: 1 for t in s.subs}
    for link in links.values():
        track(link, transport)
    return socks, links


def open_socket(ctx: zmq.Context, s: SockRt, transport: str) -> None:
    """Create the real socket with its options; METADATA names it so receivers know the sender."""
    z = ctx.socket(getattr(zmq, s.type))
    z.setsockopt(zmq.LINGER, 0)
    if transport != "inproc" or s.outside is not None:
        # who sent a message is read from this, and trusted only with the socket's own secret
        z.setsockopt(zmq.METADATA, f"X-Node:{s.key} {s.secret}".encode())
    if s.type == "ROUTER":
        # libzmq then says EHOSTUNREACH / EAGAIN where it would drop silently; the engine turns
        # them back into exactly the drop the document's settings imply (node.send)
        z.setsockopt(zmq.ROUTER_MANDATORY, 1)
    for name, value in socket_options(s.options).items():
        if name == "router_mandatory":
            continue  # always on (above); the document's value decides what the node sees
        if name in _INT_OPTIONS:
            z.setsockopt(_INT_OPTIONS[name], int(value))
        elif name in _BOOL_OPTIONS:
            z.setsockopt(_BOOL_OPTIONS[name], 1 if value else 0)
        elif name == "routing_id":
            z.setsockopt(zmq.ROUTING_ID, value.encode())
        elif name == "subscribe":
            for topic in s.subs:
                z.setsockopt(zmq.SUBSCRIBE, topic)
    if s.type == "SUB":
        # the subscription messages libzmq will send for it (an XPUB receives them)
        s.sub_msgs = {b"\x01" + t: 1 for t in s.subs}
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
