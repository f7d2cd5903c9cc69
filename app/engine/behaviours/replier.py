"""replier: answer every request on the same socket, after an optional delay.

For the reliability demos it can misbehave on purpose: right after its ``crash_after``-th answer
it crashes (its sockets close, like the zguide's lpserver "simulating a crash"), and ``fail_rate``
percent of requests meet a simulated overload (answered only after ``fail_delay_ms``). With an
``events`` socket it also publishes ``[event_topic, request body]`` after each answer (a
microservice telling the event bus what it did).
"""

from __future__ import annotations

from .common import reply_frames, split_envelope
from .kit import Failures


def run(node) -> None:
    """Receive a request, wait ``delay_ms``, send the transformed reply (envelope kept)."""
    b = node.behaviour
    s = node.socket(b["socket"])
    events = node.socket(b["events"]) if b.get("events") else None
    topic = (b.get("event_topic") or "").encode()
    failures = Failures(node, b)
    while True:
        frames = node.recv(s)
        failures.on_request()
        node.sleep(b["delay_ms"])
        node.send(s, reply_frames(frames, s.type, b["transform"], b["text"]))
        if events is not None:
            _envelope, content = split_envelope(frames, s.type)
            node.send(events, [topic] + (content or [b""]))
        failures.after_reply()
