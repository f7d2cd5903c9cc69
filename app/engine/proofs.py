"""What the observer proves about lossy pipes, and the totals it reports (docs/protocol.md,
"Three kinds of knowledge"). A mixin of :class:`~app.engine.observe.Observer`.

A lossy pipe (PUB/XPUB to a subscriber, a PUSH to a CONFLATE receiver) keeps (msg id, digest) of
every message handed to it until it is received or proven gone: by FIFO (a later one arrived), by
the inproc bound (the pipe holds at most its summed HWMs), or because the receiver closed.
"""

from __future__ import annotations

from .wiring import TRACK_LIMIT, LinkRt, SockRt


class ProofsMixin:
    """Lossy-pipe proofs and totals; needs ``emit``, ``_new_id``, ``_drop_event``."""

    def _rep_discards(self, s: SockRt, link: LinkRt, frames: list, mid: int) -> bool:
        """libzmq's REP discards a request that has no empty delimiter frame (rep_t): a DEALER
        or ROUTER that sends one on a link to a REP has sent it to nowhere (proven)."""
        peer = link.other(s)
        if peer.type != "REP" or s.type not in ("DEALER", "ROUTER"):
            return False
        if b"" in (frames[1:-1] if s.type == "ROUTER" else frames[:-1]):
            return False
        s.dropped += 1
        link.dropped += 1
        bump(link.proven, "rep-delimiter")
        link.tx[s.key] -= 1
        if mid:
            reason = "no empty delimiter: REP discards it"
            self._drop_event(mid, link, s, peer, reason, "proven", "rep-delimiter")
        return True

    def _hand(self, link: LinkRt, s: SockRt, mid: int, d: tuple) -> None:
        """A message went into a lossy pipe: remember (id, digest); prove drops by the bound."""
        q, counts = link.queue, link.digests
        q.append((mid, d))
        counts[d] = counts.get(d, 0) + 1
        if len(q) > TRACK_LIMIT:
            _old, od = q.popleft()
            _uncount(counts, od)
            link.evicted += 1
        if link.capacity:
            # inproc: the pipe holds at most ``capacity``, so at least the excess is gone. Which
            # ones is not known (libzmq drops the newest at the HWM, but the reader frees room in
            # batches): the count is proven (in ``stats``), no identity is, so no event names
            # one; a later receipt names them (FIFO), or the run's end leaves them unnamed.
            link.anon = max(link.anon, len(q) + link.evicted - link.capacity)

    def _take_tracked(self, link: LinkRt, src: SockRt, dst: SockRt, d: tuple):
        """Pair a receipt on a lossy pipe; FIFO proves the earlier unreceived ones gone."""
        queue, counts = link.queue, link.digests
        if d not in counts:
            # not among the tracked ones: one the observer forgot past its bound
            if link.evicted:
                link.evicted -= 1
                link.anon = max(0, link.anon - 1) if link.anon > len(queue) else link.anon
            return 0, None
        i = next(k for k, (_mid, sd) in enumerate(queue) if sd == d)
        mid = queue[i][0]
        # another message with this content still outstanding: the one that arrived may be it
        ambiguous = counts[d] > 1 or d in link.ambiguous
        reason = self._reason(link, dst)
        amb = link.ambiguous
        gone = i + link.evicted
        for _ in range(i):
            lost, ld = queue.popleft()
            _uncount(counts, ld)
            if lost:
                named = lost if ld not in amb and len(amb) < 1024 else None
                self._drop_event(named, link, src, dst, reason, "proven", "fifo")
        _m, _d = queue.popleft()
        _uncount(counts, d)
        if link.evicted:
            # forgotten ones were all sent before everything still tracked: gone by FIFO too
            self._drop_event(None, link, src, dst, reason, "proven", "fifo", count=link.evicted)
            link.evicted = 0
        if gone:
            link.dropped += gone
            src.dropped += gone
            link.proven["fifo"] = link.proven.get("fifo", 0) + gone
        bound = len(queue) - link.capacity if link.capacity else 0
        link.anon = max(0, link.anon - gone, bound)
        if ambiguous:
            if len(amb) < 1024:
                amb.add(d)
            return (self._new_id() if mid else 0), "unproven"
        return mid, "fifo"

    @staticmethod
    def _reason(link: LinkRt, dst: SockRt) -> str:
        """Why a lossy pipe lost a message (the loss is proven; the cause follows from the
        socket types): CONFLATE keeps only the newest; a PUB drops at its HWM once the
        subscriber is there, and before its subscription arrived drops everything."""
        if link.tracked.options.get("conflate") or dst.options.get("conflate"):
            return "conflated"
        if link.rx[dst.key] - link.epoch > 1:
            return "hwm"
        return "not subscribed yet (slow joiner)"

    # -- closing -----------------------------------------------------------------------------
    def receiver_closed(self, s: SockRt) -> None:
        """``s`` is about to close (kill, restart): what is on its way to it will never be
        received by it (a new socket gets a new pipe). Lossy pipes: every outstanding message is
        proven gone; lossless pipes whose in-flight count from the sender is known: that many."""
        for link in s.links:
            src = link.other(s)
            if link.tracked is src:
                n = len(link.queue) + link.evicted
                link.queue.clear()
                link.digests.clear()
                link.ambiguous.clear()
                link.evicted = link.anon = 0
                link.epoch = link.rx[s.key]
                link.capacity = 0  # a reopened pipe may be attached in another order
            else:
                n = link.in_flight_from(src) or 0
                if n and src.type in ("ROUTER", "REP"):
                    link.tx[src.key] -= n
                link.closed_sent = src.sent
            if n:
                link.dropped += n
                src.dropped += n
                link.proven["receiver-closed"] = link.proven.get("receiver-closed", 0) + n
                rc = "receiver-closed"
                self._drop_event(None, link, src, s, "receiver closed", "proven", rc, count=n)

    # -- totals ------------------------------------------------------------------------------
    @staticmethod
    def stats(socks: dict, links: dict, final: bool = False) -> dict:
        """The counters of every link and socket (docs/protocol.md: known, proven, unknown).

        ``final`` (the run stopped): nothing is on its way any more, so what was unresolved is
        reported as ``undelivered`` (in a queue or dropped when the run stopped).
        """
        sockets = {}
        for k, s in socks.items():
            st = {"sent": s.sent, "received": s.received}
            if s.sent:
                out = [link for link in s.links if link.tracked is s]
                anon = sum(link.anon for link in out)
                if s.fanout or out:
                    n = sum(len(link.queue) + link.evicted for link in out) - anon
                    if n:
                        st["unresolved"] = n
                elif s.type == "XSUB":
                    pass  # subscriptions for every publisher; a PUB applies them, never receives
                elif any(link.lossy or link.sent_into_a_close() for link in s.links):
                    n = max(0, s.in_flight())
                    if n:
                        st["unresolved"] = n
                elif any(link.other(s).unattributed for link in s.links):
                    n = max(0, s.in_flight())
                    if n:  # some may be a peer's receipts libzmq did not attribute (inproc)
                        st["unresolved"] = n
                        st["why"] = "unattributed"
                else:
                    st["queued"] = max(0, s.in_flight())
                if s.dropped or anon:
                    st["dropped"] = s.dropped + anon
                if s.outside is not None and s.outside.outside_sent:
                    st["outside"] = s.outside.outside_sent
            if s.unattributed:
                st["unattributed"] = s.unattributed
            if s.blocked:
                st["blocked"] = True
            if s.unroutable:
                st["unroutable"] = s.unroutable
            sockets[k] = st
        link_stats = {lid: link.counters() for lid, link in links.items()}
        if final:
            for st in list(sockets.values()) + list(link_stats.values()):
                # received without a link named is not undelivered: that stays unresolved
                if st.get("unresolved") and st.get("why") != "unattributed":
                    st["undelivered"] = st.pop("unresolved")
                    st["why"] = "run-stopped"
        out = {"ev": "stats", "links": link_stats, "sockets": sockets}
        if final:
            out["final"] = True
        return out


def bump(d: dict, key: str, n: int = 1) -> None:
    d[key] = d.get(key, 0) + n


def _uncount(counts: dict, d: tuple) -> None:
    n = counts[d]
    if n > 1:
        counts[d] = n - 1
    else:
        del counts[d]


def could_have_sent(link: LinkRt, src: SockRt, d: tuple, frame0: bytes) -> bool:
    """Whether ``src`` may have sent a message with this content on ``link`` (inproc)."""
    if src.type == "SUB":
        return frame0 in src.sub_msgs
    if src.type == "OUTSIDE":
        return False
    if link.tracked is src:
        return bool(link.evicted) or d in link.digests
    if src.pending_complete():
        return d in src.pending
    return True


def take_sub(src: SockRt, frame: bytes) -> None:
    """A subscription message of ``src`` has arrived: it is no longer on its way."""
    n = src.sub_msgs.get(frame, 0)
    if n > 1:
        src.sub_msgs[frame] = n - 1
    elif n:
        del src.sub_msgs[frame]
