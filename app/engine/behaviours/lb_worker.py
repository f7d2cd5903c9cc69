"""lb_worker: a REQ worker for the load-balancing broker (zguide lbworker / spworker).

It says READY (``\\x01``) once, then answers each request ``[client, "", body]`` with
``[client, "", result]``; its REQ socket strips and adds the broker's delimiter. ``crash_after``
and ``fail_rate`` make it fail like the Simple Pirate worker's simulated crashes and overloads:
a worker that crashes while waiting in the broker's queue still gets the next request, which is
lost.
"""

from __future__ import annotations

from .common import split_envelope, transform
from .kit import Failures

READY = b"\x01"


def run(node) -> None:
    b = node.behaviour
    s = node.socket(b["socket"])
    failures = Failures(node, b)
    node.send(s, [READY])
    while True:
        frames = node.recv(s)
        failures.on_request()
        node.sleep(b["work_ms"])
        envelope, content = split_envelope(frames, "DEALER")
        if not content:
            content = [b""]
        node.send(s, envelope + content[:-1] + [transform(content[-1], b["transform"], b["text"])])
        failures.after_reply()
