"""collector: a sink that counts results and knows when a batch is complete (zguide tasksink /
tasksink2). After ``expect`` results (0: never) it reports the time the batch took and, with a
``signal`` socket, sends ``signal_text`` there (the kill signal to the workers)."""

from __future__ import annotations

from .kit import Clock


def run(node) -> None:
    b = node.behaviour
    s = node.socket(b["socket"])
    signal = node.socket(b["signal"]) if b.get("signal") else None
    expect = b["expect"]
    clock = Clock(node)
    got = 0
    first = None
    while True:
        node.recv(s)
        got += 1
        if first is None:
            first = clock.now()
        if got == expect:
            node.state("batch done", f"{got} results in {clock.now() - first:.0f} ms")
            if signal is not None:
                node.send(signal, [b["signal_text"].encode()])
