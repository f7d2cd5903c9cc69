"""sink: receive and count (the counters live in the observer)."""

from __future__ import annotations


def run(node) -> None:
    """Receive forever on ``socket``."""
    node.count_forever(node.socket(node.behaviour["socket"]))
