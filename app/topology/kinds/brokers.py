"""Brokers: the proxy (zmq_proxy as a visible loop), the load-balancing broker and its worker.

The shape of an entry: app/topology/kinds/__init__.py.
"""

from ..fields import int_field, socket_field
from .common import (
    _CRASH_AFTER,
    _FAIL_DELAY,
    _FAIL_RATE,
    _RECV,
    _SEND,
    _TEXT,
    _TRANSFORM,
    MAX_MS,
    _sock,
)

KINDS = {
    "proxy": {
        "label": "Proxy",
        "help": "zmq_proxy as a visible loop: forwards frontend → backend and, when the types "
        "allow, backend → frontend. ROUTER↔DEALER: a shared queue; XSUB↔XPUB: a "
        "forwarder (subscriptions flow back upstream); SUB→PUB: a bridge; PULL→PUSH: a "
        "streamer. An optional capture socket gets a copy of every message.",
        "fields": {
            "frontend": socket_field("Frontend", _RECV, "the socket a proxy reads from"),
            "backend": socket_field("Backend", _SEND, "the socket a proxy forwards to"),
            "capture": socket_field(
                "Capture",
                ("PUB", "XPUB", "PUSH", "DEALER", "PAIR"),
                "the socket a proxy copies every message to",
                required=False,
                help="Optional: a copy of every message.",
            ),
        },
        "template": {
            "sockets": [_sock("frontend", "ROUTER", "bind"), _sock("backend", "DEALER", "bind")],
            "behaviour": {"frontend": "frontend", "backend": "backend"},
        },
    },
    "lb_broker": {
        "label": "Load-balancing broker",
        "help": "zguide lbbroker, also the Simple Pirate queue: REQ workers say READY, the broker "
        "queues their identities (least recently used first) and gives each client "
        "request to the worker idle longest. It does not notice dead workers.",
        "fields": {
            "frontend": socket_field("Frontend", ("ROUTER",), "the socket clients talk to"),
            "backend": socket_field("Backend", ("ROUTER",), "the socket workers talk to"),
        },
        "template": {
            "sockets": [_sock("frontend", "ROUTER", "bind"), _sock("backend", "ROUTER", "bind")],
            "behaviour": {"frontend": "frontend", "backend": "backend"},
        },
    },
    "lb_worker": {
        "label": "Load-balanced worker",
        "help": "REQ worker of the load-balancing broker / Simple Pirate (zguide spworker): "
        "says READY (\\x01), then answers each request through the broker.",
        "fields": {
            "socket": socket_field(
                "Socket", ("REQ",), "the socket a worker talks to the broker on"
            ),
            "work_ms": int_field("Work time", 0, MAX_MS, 0, unit="ms"),
            "transform": _TRANSFORM,
            "text": _TEXT,
            "crash_after": _CRASH_AFTER,
            "fail_rate": _FAIL_RATE,
            "fail_delay_ms": _FAIL_DELAY,
        },
        "template": {"sockets": [_sock("req", "REQ", "connect")], "behaviour": {"socket": "req"}},
    },
}
