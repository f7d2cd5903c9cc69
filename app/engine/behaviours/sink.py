"""sink: receive and count (the counters live in the observer)."""
from __future__ import annotations


def run(node) -> None:
    """Receive forever on ``socket``."""
    s = node.socket(node.behaviour["socket"])
    while True:
        node.recv(s)
