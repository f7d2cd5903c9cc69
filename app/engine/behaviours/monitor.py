"""monitor: listens to event streams (usually a SUB subscribed to everything) and counts them by
topic: the first frame of a multipart message, or the first word of a one-frame message (as
hex when it is not printable text, e.g. a ROUTER identity). Every
``report_ms`` (when something changed) it shows the counts as its state."""

from __future__ import annotations

from .frames_text import show_id
from .kit import Clock


def topic_of(frames: list[bytes]) -> str:
    """The topic a monitor counts a message under."""
    first = frames[0] if frames else b""
    if len(frames) == 1:
        first = first.split(b" ", 1)[0]
    return show_id(first[:40])


def run(node) -> None:
    b = node.behaviour
    s = node.socket(b["socket"])
    every = b["report_ms"]
    clock = Clock(node)
    counts: dict[str, int] = {}
    changed = False
    report_at = clock.now() + every
    while True:
        frames = node.recv(s, timeout_ms=max(0.0, report_at - clock.now()))
        if frames is not None:
            topic = topic_of(frames)
            counts[topic] = counts.get(topic, 0) + 1
            changed = True
        if clock.now() >= report_at:
            if changed:
                node.state(
                    "counts", ", ".join(f"{t or '(empty)'}: {n}" for t, n in sorted(counts.items()))
                )
                changed = False
            report_at = clock.now() + every
