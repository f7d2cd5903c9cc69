"""Majordomo (MDP): broker, worker and client.

The shape of an entry: app/topology/kinds/__init__.py.
"""

from ..fields import int_field, socket_field, string_field, strings_field
from .common import (
    _COUNT,
    _CRASH_AFTER,
    _HEARTBEAT,
    _LIVENESS,
    _TEXT,
    _TRANSFORM,
    MAX_MS,
    _sock,
)

KINDS = {
    "mdp_broker": {
        "label": "Majordomo broker",
        "help": "Service-oriented broker (RFC 7 MDP, zguide mdbroker) on one ROUTER: routes "
        "MDPC01 requests to MDPW01 workers by service name, heartbeats idle workers, "
        "answers mmi.service with 200 or 404.",
        "fields": {
            "socket": socket_field("Socket", ("ROUTER",), "the socket clients and workers talk to"),
            "heartbeat_ms": dict(_HEARTBEAT, default=2500),
            "liveness": _LIVENESS,
        },
        "template": {
            "sockets": [_sock("router", "ROUTER", "bind")],
            "behaviour": {"socket": "router"},
        },
    },
    "mdp_worker": {
        "label": "Majordomo worker",
        "help": "Offers one service to a Majordomo broker (MDPW01 on a DEALER): READY, "
        "REQUEST/REPLY, HEARTBEAT; reconnects when the broker falls silent.",
        "fields": {
            "socket": socket_field(
                "Socket", ("DEALER",), "the socket a worker talks to the broker on"
            ),
            "service": string_field("Service", "echo", max_bytes=255, min_bytes=1),
            "work_ms": int_field("Work time", 0, MAX_MS, 0, unit="ms"),
            "transform": _TRANSFORM,
            "text": _TEXT,
            "heartbeat_ms": dict(_HEARTBEAT, default=2500),
            "liveness": _LIVENESS,
            "reconnect_ms": int_field("Reconnect after", 0, MAX_MS, 2500, unit="ms"),
            "crash_after": _CRASH_AFTER,
        },
        "template": {
            "sockets": [_sock("dealer", "DEALER", "connect")],
            "behaviour": {"socket": "dealer"},
        },
    },
    "mdp_client": {
        "label": "Majordomo client",
        "help": "Asks a Majordomo broker for a service by name (MDPC01 on a REQ); retries like "
        "the Lazy Pirate. Service mmi.service with a service name as body asks whether "
        "it exists.",
        "fields": {
            "socket": socket_field("Socket", ("REQ",), "the socket a client sends requests on"),
            "service": string_field("Service", "echo", max_bytes=255, min_bytes=1),
            "frames": strings_field(
                "Frames",
                ["request {n}"],
                min_items=1,
                max_items=16,
                max_len=1000,
                help="The request body, one template per frame: {n}, {topic}, {node}.",
            ),
            "topics": strings_field(
                "Topics",
                [],
                max_items=32,
                max_bytes=255,
                help="Values of {topic}, one per request in turn.",
            ),
            "interval_ms": int_field("Interval", 0, MAX_MS, 1000, unit="ms"),
            "count": _COUNT,
            "timeout_ms": int_field("Timeout", 1, MAX_MS, 2500, unit="ms"),
            "retries": int_field("Attempts", 1, 100, 3),
            "start_delay_ms": int_field("Start delay", 0, MAX_MS, 0, unit="ms"),
        },
        "template": {"sockets": [_sock("req", "REQ", "connect")], "behaviour": {"socket": "req"}},
    },
}
