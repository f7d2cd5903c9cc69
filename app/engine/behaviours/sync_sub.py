"""sync_sub: the subscriber side of the synchronized publisher (zguide syncsub).

Its SUB is connected (and subscribed) from the start; it waits ``settle_ms`` so the subscription
has surely reached the publisher (the zguide's ``sleep(1)``: connections complete in no
guaranteed order), then asks on its REQ ``sync`` socket and waits for the answer, then receives
until the ``end`` message and reports how many messages it got."""

from __future__ import annotations


def run(node) -> None:
    b = node.behaviour
    sub = node.socket(b["sub"])
    sync = node.socket(b["sync"])
    end = b["end"].encode()
    node.sleep(b["settle_ms"])
    node.send(sync, [b""])
    node.recv(sync)
    node.state("synced", "receiving")
    got = 0
    while True:
        frames = node.recv(sub)
        if frames[-1:] == [end]:
            break
        got += 1
    node.state("received", f"{got} messages before {b['end']!r}")
