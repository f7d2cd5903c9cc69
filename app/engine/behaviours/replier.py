"""replier: answer every request on the same socket, after an optional delay."""
from __future__ import annotations

from .common import reply_frames


def run(node) -> None:
    """Receive a request, wait ``delay_ms``, send the transformed reply (envelope kept)."""
    b = node.behaviour
    s = node.socket(b["socket"])
    while True:
        frames = node.recv(s)
        node.sleep(b["delay_ms"])
        node.send(s, reply_frames(frames, s.type, b["transform"], b["text"]))
