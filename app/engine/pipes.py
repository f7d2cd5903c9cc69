"""Which pipes of a run are lossy (their every message followed by the observer), and how much an
inproc pipe can hold: the bound that proves drops (docs/protocol.md, "Three kinds of knowledge")."""

from __future__ import annotations


def _hwm(s, name: str) -> int:
    v = s.options.get(name)
    return 1000 if v is None else int(v)


def track(link, transport: str) -> None:
    """Decide whether the link is a lossy pipe whose every message is tracked: the fan-out end
    of a PUB/XPUB link, or the single-link sender to a CONFLATE receiver (or a CONFLATE sender).
    Over inproc the pipe holds at most the sender's SNDHWM plus the receiver's RCVHWM (libzmq
    sums them when the binding end exists first, which the engine makes sure of), one more in
    a receiver's prefetch; a conflate pipe holds one."""
    for snd in (link.connect, link.bind):
        rcv = link.other(snd)
        if snd.type == "OUTSIDE" or rcv.type == "OUTSIDE":
            continue
        if snd.type in ("PULL", "SUB", "XSUB"):
            continue
        conflate = snd.options.get("conflate") or rcv.options.get("conflate")
        if conflate and not snd.fanout and not (snd.type == "PUSH" and snd.only_link is link):
            link.lossy = True  # a conflating pipe the engine cannot follow message by message
            continue
        if snd.fanout or conflate:
            if snd.fanout and rcv.type not in ("SUB", "XSUB"):
                continue
            link.tracked = snd
            if transport == "inproc":
                if conflate:
                    link.capacity = 2
                else:
                    a, b = _hwm(snd, "sndhwm"), _hwm(rcv, "rcvhwm")
                    link.capacity = a + b + 1 if a and b else 0
            return
