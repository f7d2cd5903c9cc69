"""mdp_worker: a Majordomo worker (RFC 7, zguide mdwrkapi) offering one service on a DEALER.

It sends READY ``["", "MDPW01", "\\x01", service]``, then answers each REQUEST
``["", "MDPW01", "\\x02", client, "", body...]`` with REPLY
``["", "MDPW01", "\\x03", client, "", result...]``. It heartbeats the broker every
``heartbeat_ms``; after ``liveness`` silent intervals (or a DISCONNECT from the broker) it waits
``reconnect_ms``, reopens its socket and says READY again. ``crash_after`` makes it crash right
after that many answers.
"""

from __future__ import annotations

from .common import transform
from .kit import Clock, Failures

W_WORKER = b"MDPW01"
W_READY, W_REQUEST, W_REPLY, W_HEARTBEAT, W_DISCONNECT = b"\x01", b"\x02", b"\x03", b"\x04", b"\x05"


def run(node) -> None:
    b = node.behaviour
    s = node.socket(b["socket"])
    service = b["service"].encode()
    hb, liveness_max = b["heartbeat_ms"], b["liveness"]
    clock = Clock(node)
    failures = Failures(node, b)
    node.send(s, [b"", W_WORKER, W_READY, service])
    liveness = liveness_max
    heartbeat_at = clock.now() + hb
    while True:
        msg = node.recv(s, timeout_ms=hb)
        if msg is not None:
            liveness = liveness_max
            if len(msg) >= 3 and msg[0] == b"" and msg[1] == W_WORKER:
                command = msg[2]
                if command == W_REQUEST and len(msg) >= 5:
                    client, body = msg[3], msg[5:] or [b""]
                    failures.on_request()
                    node.sleep(b["work_ms"])
                    result = body[:-1] + [transform(body[-1], b["transform"], b["text"])]
                    node.send(s, [b"", W_WORKER, W_REPLY, client, b""] + result)
                    failures.after_reply()
                elif command == W_DISCONNECT:
                    node.state("disconnected", "the broker said DISCONNECT; reconnecting")
                    _reconnect(node, s, service, b["reconnect_ms"])
                elif command != W_HEARTBEAT:
                    node.state("invalid message", f"command {command.hex()}")
            else:
                node.state("invalid message", f"{len(msg)} frames without an MDP header")
        else:
            liveness -= 1
            if liveness == 0:
                node.state(
                    "heartbeat failure",
                    f"broker silent for {liveness_max} x {hb} ms; "
                    f"reconnecting in {b['reconnect_ms']} ms",
                )
                _reconnect(node, s, service, b["reconnect_ms"])
                liveness = liveness_max
        if clock.now() >= heartbeat_at:
            node.send(s, [b"", W_WORKER, W_HEARTBEAT])
            heartbeat_at = clock.now() + hb


def _reconnect(node, s, service: bytes, wait_ms: int) -> None:
    node.sleep(wait_ms)
    node.reopen(s)
    node.send(s, [b"", W_WORKER, W_READY, service])
