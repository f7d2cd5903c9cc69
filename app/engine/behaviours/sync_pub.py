"""sync_pub: the synchronized publisher (zguide syncpub), the cure for the slow joiner.

It waits until ``subscribers`` subscribers have each sent a request on its REP ``sync`` socket
(answering each with an empty frame), and only then publishes ``count`` messages and a final
``end`` message. Each subscriber asked only after its SUB was connected, so nothing is lost."""

from __future__ import annotations

from .common import Template


def run(node) -> None:
    b = node.behaviour
    pub = node.socket(b["pub"])
    sync = node.socket(b["sync"])
    wanted = b["subscribers"]
    node.state("waiting", f"for {wanted} subscriber{'s' if wanted > 1 else ''} to sync")
    for k in range(1, wanted + 1):
        node.recv(sync)
        node.send(sync, [b""])
        node.state("synced", f"{k} of {wanted} subscribers")
    tpl = Template(b["frames"], b["topics"], node.id)
    interval = b["interval_ms"]
    if interval == 0:
        node.send_burst(pub, tpl, b["count"])
    else:
        for n in range(1, b["count"] + 1):
            node.send(pub, tpl.render(n))
            node.sleep(interval)
    node.send(pub, [b["end"].encode()])
    node.state("published", f"{b['count']} messages and {b['end']!r}")
