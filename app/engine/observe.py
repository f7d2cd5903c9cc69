"""Observation without touching the wire, in three kinds of knowledge (docs/protocol.md).

- **known**: libzmq said so. A receipt on a connection (the sender is named by the connection's
  metadata, trusted only with that socket's per-run secret, so an outside program cannot claim
  to be an internal socket), an EAGAIN / EHOSTUNREACH from a ROUTER (every ROUTER runs with
  ROUTER_MANDATORY and the engine turns the error back into the drop the document implies).
- **proven** by a rule that cannot be wrong: one pipe is FIFO, so once a later message of a
  lossy pipe (PUB/XPUB, CONFLATE) arrives the earlier unreceived ones are gone; an inproc pipe
  holds at most its summed HWMs; a closed receiver receives nothing more; REP discards a request
  without an empty delimiter; the only socket that could have sent a content sent it.
- **unknown**: what libzmq does not reveal (over ipc/tcp the kernel buffers hold an unknown
  number; inproc carries no sender). Reported as ``unresolved`` with a reason, never as queued,
  and resolved as ``undelivered`` when the run stops.

Bookkeeping is bounded: message ids and digests (``hash`` and length of the last frame), never
bodies; at most QUEUE_LIMIT traced sends per socket and TRACK_LIMIT per lossy link.
"""

from __future__ import annotations

import time
from collections import deque

from .events import EventBuffer
from .frames import preview
from .proofs import ProofsMixin, bump, could_have_sent, take_sub
from .wiring import QUEUE_LIMIT, LinkRt, SockRt

# Peers that never call send: what arrives from them was made by libzmq or an outside program.
_UNTRACKED_SENDERS = frozenset(("SUB", "OUTSIDE"))
MAX_CANDIDATES = 8


def digest(frames: list) -> tuple:
    """What identifies a message's content for pairing: the last frame's hash and length."""
    last = frames[-1] if frames else b""
    return (hash(last), len(last))


class Observer(ProofsMixin):
    """Counts, pairs and reports the messages of one run (lossy pipes and totals: proofs.py)."""

    def __init__(self, buffer: EventBuffer, trace_rate: float = 400.0):
        self.buffer = buffer
        self.t0 = time.perf_counter()
        self.next_id = 0
        self.trace_rate = trace_rate
        # token bucket: a burst of up to a quarter second's worth is traced whole (a broker's
        # request and reply leave within microseconds), the long-run rate stays ``trace_rate``
        self._burst = max(1.0, trace_rate * 0.25) if trace_rate else 0.0
        self._tokens = self._burst
        self._refilled = time.perf_counter()
        self.left_out = False  # some send of this run was not traced (sampling, counting mode)

    def set_trace_rate(self, rate: float) -> None:
        """From now on trace at most ``rate`` (> 0) messages a second (a heavy run, child.py)."""
        self.trace_rate = rate
        self._burst = max(1.0, rate * 0.25)
        self._tokens = min(self._tokens, self._burst)

    def now(self) -> float:
        """Milliseconds since the run started."""
        return round((time.perf_counter() - self.t0) * 1000.0, 2)

    def emit(self, event: dict) -> None:
        """Stamp ``event`` with the run time and queue it."""
        event["t"] = self.now()
        self.buffer.put(event)

    def _traced(self) -> bool:
        """Token bucket: trace at most ``trace_rate`` messages per second for the page."""
        if not self.trace_rate:  # counting mode: exact counters, no per-message events
            self.buffer.untraced += 1
            self.left_out = True
            return False
        self._refill()
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        self.buffer.untraced += 1
        self.left_out = True
        return False

    def _refill(self) -> None:
        now = time.perf_counter()
        self._tokens = min(self._burst, self._tokens + (now - self._refilled) * self.trace_rate)
        self._refilled = now

    def trace_due(self) -> bool:
        """Whether the next message would be traced (a burst sender asks before going fast)."""
        if not self.trace_rate:
            self.left_out = True
            return False
        self._refill()
        if self._tokens >= 1.0:
            return True
        self.left_out = True  # the sender may now go fast, untraced (node.py)
        return False

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def _sent_event(self, s: SockRt, frames: list, mid: int) -> None:
        shown, cut, size = preview(frames)
        ev = {
            "ev": "sent",
            "node": s.node,
            "socket": s.name,
            "msg": mid,
            "frames": shown,
            "size": size,
        }
        if s.type == "REQ":
            ev["envelope"] = [""]
        if cut:
            ev["cut"] = True
        self.emit(ev)

    def _drop_event(self, mid, link, src, dst, reason, knowledge, rule=None, count=None):
        ev = {
            "ev": "dropped",
            "msg": mid,
            "link": link.id if link is not None else None,
            "from": src.key,
            "to": dst.key if dst is not None else None,
            "reason": reason,
            "knowledge": knowledge,
        }
        if rule:
            ev["rule"] = rule
        if count is not None:
            ev["count"] = count
        self.emit(ev)

    # -- sending -----------------------------------------------------------------------------
    def sent(self, s: SockRt, frames: list) -> None:
        """Book a message that ``s`` has just handed to libzmq (and libzmq accepted)."""
        s.sent += 1
        if s.sub_counts is not None and len(frames) == 1:
            s.subscription_sent(frames[0])
        mid = 0
        if self._traced():
            mid = self._new_id()
            self._sent_event(s, frames, mid)
        if s.fanout:
            self._fan_out(s, frames, mid)
            return
        link = None
        if s.type == "ROUTER":
            link = s.route.get(frames[0]) if frames else None
            if link is None:
                link = s.outside  # libzmq routed it: a peer the topology does not contain
        elif s.type == "REP":
            link = s.reply_to
        if link is None and s.type in ("ROUTER", "REP"):
            s.unlinked += 1
        elif s.only_link is not None:
            link = s.only_link
        if link is not None:
            link.tx[s.key] += 1
            if link is s.outside:
                link.outside_sent += 1
                if mid:
                    self.emit({"ev": "outside", "msg": mid, "link": link.id, "from": s.key})
                return
            if self._rep_discards(s, link, frames, mid):
                return
            if link.tracked is s:
                self._hand(link, s, mid, digest(frames))
                return
        if mid:
            self._remember(s, digest(frames), mid)

    def _fan_out(self, s: SockRt, frames: list, mid: int) -> None:
        """PUB/XPUB: the message goes on every link whose subscriber matches its first frame."""
        topic = frames[0] if frames else b""
        d = None
        for link in s.links:
            peer = link.other(s)
            if peer.accepts(topic):
                link.expected += 1
                if peer.zsock is None:  # the subscriber is closed: there is no pipe to it
                    link.dropped += 1
                    s.dropped += 1
                    bump(link.proven, "receiver-closed")
                    if mid:
                        self._drop_event(
                            mid, link, s, peer, "receiver closed", "proven", "receiver-closed"
                        )
                    continue
                if d is None:
                    d = digest(frames)
                self._hand(link, s, mid, d)
            else:
                link.filtered += 1
                if mid:
                    self.emit(
                        {
                            "ev": "filtered",
                            "msg": mid,
                            "link": link.id,
                            "from": s.key,
                            "to": peer.key,
                            "topic": preview([topic])[0][0],
                        }
                    )

    def router_refused(self, s: SockRt, frames: list, err: str, mandatory: bool) -> None:
        """A ROUTER send libzmq refused (ROUTER_MANDATORY, always set by the engine): EHOSTUNREACH
        (no peer with that routing id) or EAGAIN (that peer's pipe is at its HWM). Without the
        document's router_mandatory, libzmq would have dropped it silently: book that drop."""
        s.sent += 1
        s.dropped += 1
        if err == "EHOSTUNREACH":
            s.unroutable += 1
        mid = self._new_id()
        self._sent_event(s, frames, mid)
        peer = preview(frames[:1])[0][0] if frames else ""
        link = s.route.get(frames[0]) if frames else None
        if link is not None:
            link.dropped += 1
            link.known += 1
        if mandatory:
            self.emit(
                {
                    "ev": "error",
                    "node": s.node,
                    "socket": s.name,
                    "error": err,
                    "message": "ROUTER_MANDATORY: no peer with this routing id"
                    if err == "EHOSTUNREACH"
                    else "ROUTER_MANDATORY: that peer is at its HWM",
                    "msg": mid,
                }
            )
        ev = {
            "ev": "dropped",
            "msg": mid,
            "link": link.id if link is not None else None,
            "from": s.key,
            "to": link.other(s).key if link is not None else None,
            "reason": "unroutable" if err == "EHOSTUNREACH" else "hwm",
            "knowledge": "known",
            "peer": peer,
        }
        self.emit(ev)

    def _remember(self, s: SockRt, d: tuple, mid: int) -> None:
        """Keep a traced send until its receipt; stale entries go when the table is full."""
        if s.pending_n >= QUEUE_LIMIT:
            self._forget_stale(s)
            if s.pending_n >= QUEUE_LIMIT:
                return
        entry = s.pending.get(d)
        if entry is None:
            entry = s.pending[d] = deque()
        seq = s.sent - s.dropped if s.only_link is not None else 0
        entry.append((mid, time.perf_counter(), seq))
        s.pending_n += 1

    @staticmethod
    def _forget_stale(s: SockRt, age: float = 5.0) -> None:
        """Drop traced sends older than ``age`` seconds (lost, or stuck in a full queue)."""
        cutoff = time.perf_counter() - age
        for d in list(s.pending):
            entry = s.pending[d]
            while entry and entry[0][1] < cutoff:
                entry.popleft()
                s.pending_n -= 1
            if not entry:
                del s.pending[d]

    # -- receiving ---------------------------------------------------------------------------
    def received(self, s: SockRt, frames: list, origin=None) -> None:
        """Book a message that ``s`` has just received. ``origin``: the connection's X-Node
        metadata (a str, "" when it has none) when it came over ipc/tcp, None over inproc or
        when ``s`` has one link."""
        s.received += 1
        link, how, among = self.link_for(s, frames, origin)
        if link is None:
            self._unattributed(s, frames, among)
            return
        link.delivered += 1
        link.rx[s.key] += 1
        src = link.other(s)
        if s.type == "ROUTER" and frames:
            s.route[frames[0]] = link  # the connection this routing id arrived on
        elif s.type == "REP":
            s.reply_to = link
        pairing, candidates = "fifo", None
        if link.tracked is src:
            mid, pairing = self._take_tracked(link, src, s, digest(frames))
        elif src.type in _UNTRACKED_SENDERS:
            if src.type == "SUB" and frames:
                take_sub(src, frames[0])
            mid, pairing = self._new_id(), None  # made by libzmq, or an outside program's
        elif src.pending_n:
            mid, pairing, candidates = self._take(src, link, s, digest(frames))
        else:
            mid = 0
        if not mid:
            if self.left_out:
                return  # the receipt of a send that was not traced: not shown either
            # every send was traced, but this one is no longer held (its sender was closed
            # since, e.g. a killed REP's last reply was already in the kernel's buffers, or the
            # table was full): the receipt is known, which send it was is not
            mid, pairing, candidates = self._new_id(), "unproven", None
        shown, cut, size = preview(frames)
        ev = {
            "ev": "delivered",
            "msg": mid,
            "link": link.id,
            "from": src.key,
            "to": s.key,
            "frames": shown,
            "size": size,
            "attribution": how,
        }
        if pairing:
            ev["pairing"] = pairing
        if candidates:
            ev["candidates"] = candidates
        if cut:
            ev["cut"] = True
        if src.type == "SUB":
            ev["kind"] = "subscription"
        self.emit(ev)

    def link_for(self, s: SockRt, frames: list, origin):
        """(link, how it is known, candidate links): the connection a message came over."""
        if s.only_link is not None:
            return s.only_link, "only-link", None
        if isinstance(origin, str):
            key, _, secret = origin.partition(" ")
            link = s.by_peer.get(key)
            if link is not None and secret and link.other(s).secret == secret:
                return link, "connection", None
            if s.outside is not None:
                return s.outside, "connection", None  # not an internal socket: an outside peer
            return None, None, []
        inner = [link for link in s.links]
        if len(inner) == 1:
            return inner[0], "only-inproc-link", None
        d = digest(frames)
        frame0 = frames[0] if frames else b""
        cands = [link for link in inner if could_have_sent(link, link.other(s), d, frame0)]
        if len(cands) == 1:
            return cands[0], "only-candidate", None
        return None, None, cands or inner

    def _unattributed(self, s: SockRt, frames: list, among: list) -> None:
        """inproc, several peers that could have sent this: which link is not known."""
        s.unattributed += 1
        if s.type == "REP":
            s.reply_to = None  # its reply goes back on a link the engine cannot name
        for link in among:
            link.unattributed += 1
        shown, cut, size = preview(frames)
        ev = {
            "ev": "delivered",
            "msg": self._new_id(),
            "link": None,
            "among": [link.id for link in among],
            "to": s.key,
            "frames": shown,
            "size": size,
            "attribution": "unknown",
        }
        if cut:
            ev["cut"] = True
        self.emit(ev)

    def _take(self, src: SockRt, link: LinkRt, dst: SockRt, d: tuple):
        """Pair a receipt with a traced send of ``src``: (msg id, pairing, candidates)."""
        entry = src.pending.get(d)
        if not entry:
            return 0, None, None
        if src.only_link is link and not link.lossy:
            # one lossless pipe, FIFO: the k-th message received is the k-th one sent on it
            k = link.rx[dst.key]
            for i, (mid, _t, seq) in enumerate(entry):
                if seq == k:
                    del entry[i]
                    src.pending_n -= 1
                    if not entry:
                        del src.pending[d]
                    return mid, "fifo", None
            return 0, None, None  # an untraced message with the same content
        unique = len(entry) == 1 and src.pending_complete()
        first = entry.popleft()[0]
        src.pending_n -= 1
        if not entry:
            del src.pending[d]
        if unique:
            return first, "unique", None
        # several pipes (libzmq does not say which it picked) and more than one message with
        # this content may be on its way: which one arrived is not known, none is named
        cands = [first] + [e[0] for e in list(entry)[: MAX_CANDIDATES - 1]]
        return self._new_id(), "unproven", cands
