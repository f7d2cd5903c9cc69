"""mdp_client: a Majordomo client (RFC 7, zguide mdcliapi) on a REQ socket.

Each request is ``["MDPC01", service, body...]`` (REQ adds the empty delimiter); the reply
``["MDPC01", service, body...]`` must name the same service. Like the Lazy Pirate it waits
``timeout_ms``, reopens its socket and resends, and abandons after ``retries`` attempts. With
service ``mmi.service`` the body names a service and the broker answers "200" or "404".
"""

from __future__ import annotations

from .common import Template
from .frames_text import show_text

C_CLIENT = b"MDPC01"


def run(node) -> None:
    b = node.behaviour
    s = node.socket(b["socket"])
    service = b["service"].encode()
    tpl = Template(b["frames"], b["topics"], node.id)
    timeout, retries = b["timeout_ms"], b["retries"]
    node.sleep(b["start_delay_ms"])
    n = 0
    while b["count"] == 0 or n < b["count"]:
        n += 1
        request = [C_CLIENT, service] + tpl.render(n)
        node.send(s, request)
        left = retries
        while True:
            reply = node.recv(s, timeout_ms=timeout)
            if reply is not None:
                if len(reply) >= 2 and reply[0] == C_CLIENT and reply[1] == service:
                    break
                node.state(
                    "malformed reply", f"{len(reply)} frames, header {show_text(reply[0], 10)}"
                )
                continue
            left -= 1
            if left == 0:
                node.state(
                    "gave up",
                    f"no reply from {b['service']!r} after {retries} attempts "
                    f"of {timeout} ms: abandoning",
                )
                return
            node.state(
                "retrying",
                f"no reply in {timeout} ms; reconnecting and resending "
                f"({left} attempt{'s' if left > 1 else ''} left)",
            )
            node.reopen(s)
            node.send(s, request)
        node.sleep(b["interval_ms"])
