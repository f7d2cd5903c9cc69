"""Observation without touching the wire.

Every send is counted and, when traced, given a message id; every receipt is attributed to the
link it came over (the peer's ZMQ_METADATA names the sending socket over ipc/tcp; a socket with one
link needs nothing) and paired with the oldest outstanding send of that sender with the same last
frame (FIFO per connection makes this exact). Counters are always exact; only what the page
animates is sampled.

Fan-out links (PUB/XPUB) keep every message they were handed until it is received: a receipt
proves that the earlier ones on that link were dropped (libzmq itself never reports drops).
"""

from __future__ import annotations

import time
from collections import deque

from .events import EventBuffer
from .frames import preview
from .wiring import QUEUE_LIMIT, LinkRt, SockRt

# Peers that never call send: what arrives from them was made by libzmq or an outside program.
_UNTRACKED_SENDERS = frozenset(("SUB", "OUTSIDE"))


class Observer:
    """Counts, pairs and reports the messages of one run."""

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
            return False
        self._refill()
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        self.buffer.untraced += 1
        return False

    def _refill(self) -> None:
        now = time.perf_counter()
        self._tokens = min(self._burst, self._tokens + (now - self._refilled) * self.trace_rate)
        self._refilled = now

    def trace_due(self) -> bool:
        """Whether the next message would be traced (a burst sender asks before going fast)."""
        if not self.trace_rate:
            return False
        self._refill()
        return self._tokens >= 1.0

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

    # -- sending -----------------------------------------------------------------------------
    def sent(self, s: SockRt, frames: list) -> None:
        """Book a message that ``s`` has just handed to libzmq."""
        s.sent += 1
        if s.sub_counts is not None and len(frames) == 1:
            s.subscription_sent(frames[0])
        mid = 0
        if self._traced():
            mid = self._new_id()
            self._sent_event(s, frames, mid)
        last = frames[-1] if frames else b""
        if s.fanout:
            self._fan_out(s, frames, mid, last)
        elif mid:
            self._remember(s, last, mid)

    def _fan_out(self, s: SockRt, frames: list, mid: int, last: bytes) -> None:
        """PUB/XPUB: the message goes on every link whose subscriber matches its first frame."""
        topic = frames[0] if frames else b""
        for link in s.links:
            peer = link.other(s)
            if peer.accepts(topic):
                link.expected += 1
                link.queue.append((mid, last))
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

    def routable(self, s: SockRt, frames: list) -> bool:
        """Whether a ROUTER knows the peer named by the first frame."""
        return bool(frames) and frames[0] in s.known_ids

    def unroutable(self, s: SockRt, frames: list, mandatory: bool) -> None:
        """A ROUTER message to an unknown peer: dropped silently, or EHOSTUNREACH (mandatory)."""
        s.sent += 1
        s.unroutable += 1
        mid = self._new_id()
        self._sent_event(s, frames, mid)
        peer = preview(frames[:1])[0][0] if frames else ""
        if mandatory:
            self.emit(
                {
                    "ev": "error",
                    "node": s.node,
                    "socket": s.name,
                    "error": "EHOSTUNREACH",
                    "message": "ROUTER_MANDATORY: no peer with this routing id",
                    "msg": mid,
                }
            )
        self.emit(
            {
                "ev": "dropped",
                "msg": mid,
                "link": None,
                "from": s.key,
                "to": None,
                "reason": "unroutable",
                "peer": peer,
            }
        )

    def _remember(self, s: SockRt, body: bytes, mid: int) -> None:
        """Keep a traced send until its receipt; stale entries go when the table is full."""
        if s.pending_n >= QUEUE_LIMIT:
            self._forget_stale(s)
            if s.pending_n >= QUEUE_LIMIT:
                return
        entry = s.pending.get(body)
        if entry is None:
            entry = s.pending[body] = deque()
        entry.append((mid, time.perf_counter()))
        s.pending_n += 1

    @staticmethod
    def _forget_stale(s: SockRt, age: float = 5.0) -> None:
        """Drop traced sends older than ``age`` seconds (lost, or stuck in a full queue)."""
        cutoff = time.perf_counter() - age
        for body in list(s.pending):
            entry = s.pending[body]
            while entry and entry[0][1] < cutoff:
                entry.popleft()
                s.pending_n -= 1
            if not entry:
                del s.pending[body]

    # -- receiving ---------------------------------------------------------------------------
    def received(self, s: SockRt, frames: list, sender: str | None) -> None:
        """Book a message that ``s`` has just received (``sender`` from metadata, if known)."""
        s.received += 1
        if s.type == "ROUTER" and frames:
            s.known_ids.add(frames[0])
        link = self.link_for(s, sender, frames)
        if link is None:
            return
        link.delivered += 1
        link.rx[s.key] += 1
        src = link.other(s)
        last = frames[-1] if frames else b""
        if src.fanout:
            mid = self._take_fanout(link, src, s, last)
        elif src.type in _UNTRACKED_SENDERS:
            mid = self._new_id()  # a subscription made by libzmq, or an outside program's message
        elif src.pending_n:
            mid = self._take(src, last)
        else:
            return
        if not mid:
            return
        shown, cut, size = preview(frames)
        ev = {
            "ev": "delivered",
            "msg": mid,
            "link": link.id,
            "from": src.key,
            "to": s.key,
            "frames": shown,
            "size": size,
        }
        if cut:
            ev["cut"] = True
        if src.type == "SUB":
            ev["kind"] = "subscription"
        self.emit(ev)

    def link_for(self, s: SockRt, sender: str | None, frames: list) -> LinkRt | None:
        """The link a message received on ``s`` came over."""
        if s.only_link is not None:
            return s.only_link
        if sender is not None:
            link = s.by_peer.get(sender)
            if link is not None:
                return link
        if s.outside is not None:
            return s.outside
        return self._guess_link(s, frames)

    @staticmethod
    def _take(s: SockRt, body: bytes) -> int:
        """The oldest traced send of ``s`` with this last frame (removed), or 0."""
        entry = s.pending.get(body)
        if not entry:
            return 0
        mid = entry.popleft()[0]
        s.pending_n -= 1
        if not entry:
            del s.pending[body]
        return mid

    def _take_fanout(self, link: LinkRt, src: SockRt, dst: SockRt, body: bytes) -> int:
        """Pair a receipt on a fan-out link; FIFO per connection proves earlier ones dropped."""
        queue = link.queue
        i = next((k for k, (_mid, sent_body) in enumerate(queue) if sent_body == body), None)
        if i is None:
            return 0
        mid = queue[i][0]
        for _ in range(i):
            lost, _body = queue.popleft()
            link.dropped += 1
            if lost:
                self._dropped(link, src, dst, lost)
        queue.popleft()
        return mid

    def _dropped(self, link: LinkRt, src: SockRt, dst: SockRt, mid: int) -> None:
        """A traced fan-out message that a later receipt proves was never delivered."""
        # lost before anything reached this subscriber: its subscription was not there yet; after:
        # its queue was full (rx counts this direction only, not an XPUB's subscription receipts)
        reason = "hwm" if link.rx[dst.key] > 1 else "not subscribed yet (slow joiner)"
        self.emit(
            {
                "ev": "dropped",
                "msg": mid,
                "link": link.id,
                "from": src.key,
                "to": dst.key,
                "reason": reason,
            }
        )

    @staticmethod
    def _guess_link(s: SockRt, frames: list) -> LinkRt | None:
        """inproc carries no metadata: find the peer whose traced send has this body."""
        last = frames[-1] if frames else b""
        for link in s.links:
            src = link.other(s)
            if src.fanout:
                if any(body == last for _mid, body in link.queue):
                    return link
            elif last in src.pending:
                return link
        return s.links[0] if s.links else None

    # -- totals ------------------------------------------------------------------------------
    @staticmethod
    def stats(socks: dict, links: dict) -> dict:
        """The exact counters of every link and socket.

        A socket's ``queued`` is what it sent that no peer has received yet (inside libzmq's
        pipes and the kernel's buffers), less what fan-out links filtered or dropped; ``None``
        (unknown) once one of its point-to-point links lost its queues to a close. A ROUTER's
        count includes what it dropped silently at its HWM.
        """
        sockets = {}
        for k, s in socks.items():
            st = {"sent": s.sent, "received": s.received}
            if s.sent:
                if s.fanout:
                    st["queued"] = sum(len(link.queue) for link in s.links)
                elif any(link.lossy for link in s.links):
                    st["queued"] = None  # a close discarded an unknown number (LinkRt.lossy)
                else:
                    st["queued"] = max(0, s.in_flight())
            if s.blocked:
                st["blocked"] = True
            if s.unroutable:
                st["unroutable"] = s.unroutable
            sockets[k] = st
        return {
            "ev": "stats",
            "links": {lid: link.counters() for lid, link in links.items()},
            "sockets": sockets,
        }
