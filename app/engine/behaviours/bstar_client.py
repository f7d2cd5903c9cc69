"""bstar_client: the Binary Star client (zguide bstarcli).

It sends each request to the server it believes active and waits ``timeout_ms``. No reply: it
fails over: closes that connection (reopen, dropping the stuck REQ), waits ``settle_ms`` for the
servers to settle, and sends the same request to the other server. It never gives up. Its two
REQ sockets are connected to the primary and the backup; only the current one is used.
"""

from __future__ import annotations

from .common import Template
from .frames_text import show_text


def run(node) -> None:
    b = node.behaviour
    servers = [node.socket(b["primary"]), node.socket(b["backup"])]
    names = ("primary", "backup")
    tpl = Template(b["frames"], [], node.id)
    current = 0
    n = 0
    while b["count"] == 0 or n < b["count"]:
        n += 1
        request = tpl.render(n)
        node.send(servers[current], request)
        while True:
            reply = node.recv(servers[current], timeout_ms=b["timeout_ms"])
            if reply is not None:
                if reply[-1:] == request[-1:]:
                    break
                node.state("malformed reply", f"got {show_text(reply[-1])}")
                continue
            node.reopen(servers[current])
            current = 1 - current
            node.state(
                "failover",
                f"no reply in {b['timeout_ms']} ms; failing over to the "
                f"{names[current]} after {b['settle_ms']} ms",
            )
            node.sleep(b["settle_ms"])
            node.send(servers[current], request)
        node.sleep(b["interval_ms"])
