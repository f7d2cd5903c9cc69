"""pp_worker: the Paranoid Pirate worker (zguide ppworker), a DEALER that heartbeats.

It says READY (``\\x01``), answers requests ``[client, "", body]`` with ``[client, "", result]``
and sends HEARTBEAT (``\\x02``) every ``heartbeat_ms``. Each ``heartbeat_ms`` without any message
from the queue costs one of its ``liveness`` lives; with none left it decides the queue is gone,
waits ``interval_init_ms`` (doubling after each failure up to ``interval_max_ms``), reopens its
socket and says READY again. Like ppworker it is one loop: while it works it does not heartbeat.
``crash_after`` / ``fail_rate`` simulate a crash (right after an answer, while it sits in the
queue's ready list) and an overload.
"""

from __future__ import annotations

from .common import split_envelope, transform
from .kit import Clock, Failures

READY, HEARTBEAT = b"\x01", b"\x02"


def run(node) -> None:
    b = node.behaviour
    s = node.socket(b["socket"])
    hb, liveness_max = b["heartbeat_ms"], b["liveness"]
    interval_init, interval_max = b["interval_init_ms"], b["interval_max_ms"]
    clock = Clock(node)
    failures = Failures(node, b)
    node.send(s, [READY])
    liveness, interval = liveness_max, interval_init
    heartbeat_at = clock.now() + hb
    while True:
        frames = node.recv(s, timeout_ms=hb)
        if frames is not None:
            if len(frames) >= 3:
                failures.on_request()
                node.sleep(b["work_ms"])
                envelope, content = split_envelope(frames, "DEALER")
                content = content or [b""]
                node.send(
                    s, envelope + content[:-1] + [transform(content[-1], b["transform"], b["text"])]
                )
                failures.after_reply()
            elif frames != [HEARTBEAT]:
                node.state("invalid message", f"{len(frames)} frames from the queue")
            liveness, interval = liveness_max, interval_init
        else:
            liveness -= 1
            if liveness == 0:
                node.state(
                    "heartbeat failure", f"can't reach the queue; reconnecting in {interval} ms"
                )
                node.sleep(interval)
                interval = min(interval * 2, interval_max)
                node.reopen(s)
                node.send(s, [READY])
                liveness = liveness_max
        if clock.now() >= heartbeat_at:
            heartbeat_at = clock.now() + hb
            node.send(s, [HEARTBEAT])
