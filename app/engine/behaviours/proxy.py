"""proxy: zmq_proxy written as a green loop, so every hop is a real recv + send that the page sees.

Each direction the two socket types allow gets its own greenlet (one receiver per socket):
frontend → backend always; backend → frontend when the backend can receive and the frontend can
send. So ROUTER↔DEALER is a shared queue (requests one way, replies the other), XSUB↔XPUB a
forwarder whose subscriptions (``\\x01topic`` / ``\\x00topic`` from the XPUB) travel back upstream
through the XSUB, SUB→PUB a bridge and PULL→PUSH a streamer. Frames pass untouched. A capture
socket gets a copy of every message either way (one sender greenlet, fed by a queue).
"""

from __future__ import annotations

import gevent.queue

from app.topology.sockets import CAN_RECEIVE, CAN_SEND


def run(node) -> None:
    b = node.behaviour
    front = node.socket(b["frontend"])
    back = node.socket(b["backend"])
    capture = None
    if b.get("capture"):
        capture = gevent.queue.Queue(maxsize=1000)
        node.spawn(_capture, node, node.socket(b["capture"]), capture)
    if back.type in CAN_RECEIVE and front.type in CAN_SEND:
        node.spawn(_forward, node, back, front, capture)
    _forward(node, front, back, capture)


def _forward(node, src, dst, capture) -> None:
    """Receive on ``src``, send the same frames on ``dst`` (waiting at its HWM if it blocks)."""
    while True:
        frames = node.recv(src)
        node.send(dst, frames)
        if capture is not None:
            capture.put(frames)


def _capture(node, s, queue) -> None:
    while True:
        node.send(s, queue.get())
