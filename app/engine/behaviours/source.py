"""source: send a message on a timer; a REQ source waits for each reply (lockstep)."""

from __future__ import annotations

import gevent

from .common import Template


def run(node) -> None:
    """Send ``count`` messages (0 = forever), one every ``interval_ms``.

    ``interval_ms``, ``frames`` and ``topics`` are read again for each message (live edits)."""
    b = node.behaviour
    s = node.socket(b["socket"])
    tpl = Template(b["frames"], b["topics"], node.id)
    count = b["count"]
    interval = b["interval_ms"]
    if s.type in ("DEALER", "ROUTER", "PAIR", "XPUB"):
        node.spawn(_drain, node, s)  # whatever comes back is received and counted
    peers = _router_peers(s) if s.type == "ROUTER" else None
    node.sleep(b["start_delay_ms"])
    if interval == 0 and not peers and s.type != "REQ":
        return node.send_burst(s, tpl, count)  # flat out: the lean path
    n = 0
    shown = (b["frames"], b["topics"])
    while count == 0 or n < count:
        n += 1
        if (b["frames"], b["topics"]) != shown:  # a live edit of the template
            shown = (b["frames"], b["topics"])
            tpl = Template(b["frames"], b["topics"], node.id)
        frames = tpl.render(n)
        if peers:
            frames = [peers[(n - 1) % len(peers)]] + frames
        node.send(s, frames)
        if s.type == "REQ" and b.get("await_reply", "auto") == "auto":
            node.recv(s)  # lockstep; with await_reply "no" the next send fails with EFSM
        if b["interval_ms"]:  # read each time: a live edit changes the rate
            node.sleep(b["interval_ms"])
        elif n % 256 == 0:
            gevent.sleep(0)  # flat out: still let the rest of the run (and the hub) breathe


def _drain(node, s) -> None:
    """Receive and count replies on a socket the main loop only sends on."""
    while True:
        node.recv(s)


def _router_peers(s) -> list[bytes]:
    """A ROUTER source addresses its peers by the routing ids they were given."""
    ids = []
    for link in s.links:
        rid = link.other(s).options.get("routing_id")
        if rid:
            ids.append(rid.encode())
    return ids
