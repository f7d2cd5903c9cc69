"""Reliability: Lazy Pirate client, Simple/Paranoid Pirate queue and worker, Binary Star.

The shape of an entry: app/topology/kinds/__init__.py.
"""

from ..fields import choice_field, int_field, socket_field
from .common import (
    _COUNT,
    _CRASH_AFTER,
    _FAIL_DELAY,
    _FAIL_RATE,
    _FRAMES_N,
    _HEARTBEAT,
    _LIVENESS,
    _TEXT,
    _TRANSFORM,
    MAX_MS,
    _sock,
)

KINDS = {
    "lazy_pirate": {
        "label": "Lazy Pirate client",
        "help": "REQ client that survives a dead server (zguide lpclient): no reply within the "
        "timeout → close the socket, reconnect, resend; give up after the retries.",
        "fields": {
            "socket": socket_field("Socket", ("REQ",), "the socket a client sends requests on"),
            "timeout_ms": int_field(
                "Timeout", 1, MAX_MS, 2500, unit="ms", help="How long to wait for each reply."
            ),
            "retries": int_field(
                "Attempts",
                1,
                100,
                3,
                help="Attempts per request (the first one included) before it "
                "gives up, as REQUEST_RETRIES in the zguide.",
            ),
            "interval_ms": int_field(
                "Interval", 0, MAX_MS, 1000, unit="ms", help="Pause after each answered request."
            ),
            "count": _COUNT,
            "frames": _FRAMES_N,
            "expect": choice_field(
                "Expect",
                ("echo", "any"),
                "echo",
                help="echo: a reply must equal the request (lpclient checks "
                "the sequence number); any: every reply counts.",
            ),
        },
        "template": {"sockets": [_sock("req", "REQ", "connect")], "behaviour": {"socket": "req"}},
    },
    "pp_queue": {
        "label": "Paranoid Pirate queue",
        "help": "Load-balancing broker with heartbeats (zguide ppqueue): DEALER workers say "
        "READY (\\x01) and HEARTBEAT (\\x02); it heartbeats idle workers and drops those "
        "silent for liveness × heartbeat.",
        "fields": {
            "frontend": socket_field("Frontend", ("ROUTER",), "the socket clients talk to"),
            "backend": socket_field("Backend", ("ROUTER",), "the socket workers talk to"),
            "heartbeat_ms": _HEARTBEAT,
            "liveness": _LIVENESS,
        },
        "template": {
            "sockets": [_sock("frontend", "ROUTER", "bind"), _sock("backend", "ROUTER", "bind")],
            "behaviour": {"frontend": "frontend", "backend": "backend"},
        },
    },
    "pp_worker": {
        "label": "Paranoid Pirate worker",
        "help": "DEALER worker that heartbeats its queue (zguide ppworker); if the queue is "
        "silent for liveness × heartbeat it reconnects, waiting longer each time.",
        "fields": {
            "socket": socket_field(
                "Socket", ("DEALER",), "the socket a worker talks to the queue on"
            ),
            "work_ms": int_field("Work time", 0, MAX_MS, 0, unit="ms"),
            "transform": _TRANSFORM,
            "text": _TEXT,
            "heartbeat_ms": _HEARTBEAT,
            "liveness": _LIVENESS,
            "interval_init_ms": int_field(
                "Reconnect after",
                0,
                MAX_MS,
                1000,
                unit="ms",
                help="First wait before reconnecting; doubles after each failure.",
            ),
            "interval_max_ms": int_field("Longest wait", 0, MAX_MS, 32000, unit="ms"),
            "crash_after": _CRASH_AFTER,
            "fail_rate": _FAIL_RATE,
            "fail_delay_ms": _FAIL_DELAY,
        },
        "template": {
            "sockets": [_sock("dealer", "DEALER", "connect")],
            "behaviour": {"socket": "dealer"},
        },
    },
    "bstar_server": {
        "label": "Binary Star server",
        "help": "Primary or backup of a Binary Star pair (zguide bstarsrv): they exchange their "
        "state every heartbeat (PUB/SUB); the active one echoes client requests; a "
        "passive one takes over when a client asks and the peer has been silent for 2 "
        "heartbeats.",
        "fields": {
            "role": choice_field("Role", ("primary", "backup"), "primary"),
            "frontend": socket_field("Frontend", ("ROUTER",), "the socket clients talk to"),
            "statepub": socket_field(
                "State out", ("PUB",), "the socket a server publishes its state on"
            ),
            "statesub": socket_field(
                "State in", ("SUB",), "the socket a server hears its peer's state on"
            ),
            "heartbeat_ms": _HEARTBEAT,
            "crash_after": _CRASH_AFTER,
        },
        "template": {
            "sockets": [
                _sock("frontend", "ROUTER", "bind"),
                _sock("statepub", "PUB", "bind"),
                _sock("statesub", "SUB", "connect", subscribe=[""]),
            ],
            "behaviour": {"frontend": "frontend", "statepub": "statepub", "statesub": "statesub"},
        },
    },
    "bstar_client": {
        "label": "Binary Star client",
        "help": "Client of a Binary Star pair (zguide bstarcli): no reply within the timeout → "
        "fail over to the other server after a settle delay; it never gives up.",
        "fields": {
            "primary": socket_field("Primary", ("REQ",), "the socket connected to the primary"),
            "backup": socket_field("Backup", ("REQ",), "the socket connected to the backup"),
            "timeout_ms": int_field("Timeout", 1, MAX_MS, 1000, unit="ms"),
            "settle_ms": int_field(
                "Settle delay",
                0,
                MAX_MS,
                2000,
                unit="ms",
                help="Wait before retrying on the other server.",
            ),
            "interval_ms": int_field("Interval", 0, MAX_MS, 1000, unit="ms"),
            "count": _COUNT,
            "frames": _FRAMES_N,
        },
        "template": {
            "sockets": [_sock("primary", "REQ", "connect"), _sock("backup", "REQ", "connect")],
            "behaviour": {"primary": "primary", "backup": "backup"},
        },
    },
}
