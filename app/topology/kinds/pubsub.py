"""Publish-subscribe: the monitor (SUB on events), the synchronized publisher and subscriber.

The shape of an entry: app/topology/kinds/__init__.py.
"""

from ..fields import int_field, socket_field, string_field, strings_field
from .common import (
    _RECV,
    MAX_MS,
    _sock,
)

KINDS = {
    "monitor": {
        "label": "Monitor",
        "help": "Listens to event streams (a SUB subscribed to everything) and counts the "
        "messages by topic: the first frame, or the first word of a one-frame message.",
        "fields": {
            "socket": socket_field("Socket", _RECV, "the socket a monitor listens on"),
            "report_ms": int_field("Report every", 10, MAX_MS, 1000, unit="ms"),
        },
        "template": {
            "sockets": [_sock("sub", "SUB", "bind", subscribe=[""])],
            "behaviour": {"socket": "sub"},
        },
    },
    "sync_pub": {
        "label": "Synchronized publisher",
        "help": "zguide syncpub: waits until N subscribers have checked in on its REP socket, "
        "then publishes its messages and a final END: no slow-joiner losses.",
        "fields": {
            "pub": socket_field("Publish on", ("PUB", "XPUB"), "the socket it publishes on"),
            "sync": socket_field("Sync", ("REP",), "the socket subscribers check in on"),
            "subscribers": int_field("Subscribers", 1, 100, 2),
            "count": int_field("Count", 1, 1000000, 100, help="Messages to publish."),
            "interval_ms": int_field(
                "Interval", 0, MAX_MS, 0, unit="ms", help="0 = as fast as libzmq takes them."
            ),
            "frames": strings_field(
                "Frames",
                ["msg {n}"],
                min_items=1,
                max_items=16,
                max_len=1000,
                help="{n}, {topic}, {node} templates.",
            ),
            "topics": strings_field("Topics", [], max_items=32, max_bytes=255),
            "end": string_field(
                "End",
                "END",
                max_bytes=255,
                min_bytes=1,
                help="The last message, telling subscribers it is over.",
            ),
        },
        "template": {
            "sockets": [_sock("pub", "PUB", "bind"), _sock("sync", "REP", "bind")],
            "behaviour": {"pub": "pub", "sync": "sync"},
        },
    },
    "sync_sub": {
        "label": "Synchronized subscriber",
        "help": "zguide syncsub: its SUB connects, then it checks in on REQ and receives until "
        "END.",
        "fields": {
            "sub": socket_field("Subscribe on", ("SUB",), "the socket it receives on"),
            "sync": socket_field("Sync", ("REQ",), "the socket it checks in on"),
            "settle_ms": int_field(
                "Settle",
                0,
                MAX_MS,
                500,
                unit="ms",
                help="Wait before checking in, so the subscription has "
                "reached the publisher (zguide: 1 s).",
            ),
            "end": string_field("End", "END", max_bytes=255, min_bytes=1),
        },
        "template": {
            "sockets": [
                _sock("sub", "SUB", "connect", subscribe=[""]),
                _sock("sync", "REQ", "connect"),
            ],
            "behaviour": {"sub": "sub", "sync": "sync"},
        },
    },
}
