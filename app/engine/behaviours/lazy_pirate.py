"""lazy_pirate: the Lazy Pirate client (zguide lpclient): reliability on the client side.

Send a request on REQ and wait ``timeout_ms`` for the reply. No reply: the REQ socket is stuck
(it may not send again before it receives), so close it, open a fresh one (``reopen``: a new
connection, a new identity) and send the same request again; after ``retries`` attempts in all
give up, as the zguide client does. With ``expect: echo`` a reply must equal the request (the
zguide checks the sequence number); anything else is reported as malformed and ignored.
"""

from __future__ import annotations

from .common import Template
from .frames_text import show_text


def run(node) -> None:
    b = node.behaviour
    s = node.socket(b["socket"])
    tpl = Template(b["frames"], [], node.id)
    timeout, retries = b["timeout_ms"], b["retries"]
    n = 0
    while b["count"] == 0 or n < b["count"]:
        n += 1
        request = tpl.render(n)
        node.send(s, request)
        left = retries
        while True:
            reply = node.recv(s, timeout_ms=timeout)
            if reply is not None:
                if b["expect"] == "any" or reply[-1:] == request[-1:]:
                    break
                node.state(
                    "malformed reply",
                    f"expected {show_text(request[-1])}, got {show_text(reply[-1])}",
                )
                continue  # the REQ socket is free again; nothing more will come: times out
            left -= 1
            if left == 0:
                node.state(
                    "gave up",
                    f"no reply to request {n} after {retries} attempts of "
                    f"{timeout} ms: server seems to be offline, abandoning",
                )
                return
            node.state(
                "retrying",
                f"no reply in {timeout} ms; reconnecting and resending "
                f"request {n} ({left} attempt{'s' if left > 1 else ''} left)",
            )
            node.reopen(s)
            node.send(s, request)
        node.sleep(b["interval_ms"])
