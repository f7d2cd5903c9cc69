"""Socket options a topology may set: lower-case libzmq option names -> field spec.

Each spec is a fields.py spec plus `applies_to` (the socket types that accept it). `default` is
what the socket gets when the option is absent (libzmq's default, or the engine's for linger); it
is informational: normalize() leaves absent options absent.
"""

from .fields import bool_field, int_field, string_field, strings_field
from .sockets import SOCKET_TYPES


def _opt(spec, applies_to=SOCKET_TYPES):
    spec["applies_to"] = list(applies_to)
    return spec


def _flag(label, help, applies_to=SOCKET_TYPES):
    return _opt(bool_field(label, False, help=help), applies_to)


def _heartbeat(label, help):
    return _opt(int_field(label, 0, 600000, 0, unit="ms", help="ZMTP heartbeat: " + help))


OPTIONS = {
    "sndhwm": _opt(
        int_field(
            "Send high-water mark",
            0,
            100000,
            1000,
            unit="messages",
            help="Messages queued per peer before the socket blocks or drops; 0 = no limit.",
        )
    ),
    "rcvhwm": _opt(
        int_field(
            "Receive high-water mark",
            0,
            100000,
            1000,
            unit="messages",
            help="Messages queued for receiving before the sender is held back; 0 = no limit.",
        )
    ),
    "subscribe": _opt(
        strings_field(
            "Subscriptions",
            [],
            max_items=32,
            max_bytes=255,
            help='Prefixes matched against the first frame; "" = everything, none = nothing.',
        ),
        ("SUB",),
    ),
    "routing_id": _opt(
        string_field(
            "Routing id",
            None,
            min_bytes=1,
            max_bytes=255,
            no_leading_nul=True,
            help="Identity a ROUTER peer sees instead of the automatic one.",
        )
    ),
    "linger": _opt(
        int_field(
            "Linger",
            -1,
            60000,
            0,
            unit="ms",
            help="How long close() keeps unsent messages; -1 = forever.",
        )
    ),
    "immediate": _flag("Immediate", "Queue messages only on completed connections."),
    "conflate": _flag(
        "Conflate", "Keep only the last message.", ("PUSH", "PULL", "PUB", "SUB", "DEALER")
    ),
    "router_mandatory": _flag(
        "Router mandatory",
        "Fail with EHOSTUNREACH instead of dropping unroutable messages.",
        ("ROUTER",),
    ),
    "router_handover": _flag(
        "Router handover", "A new peer with a taken routing id takes it over.", ("ROUTER",)
    ),
    "req_relaxed": _flag(
        "REQ relaxed", "Allow sending a new request before the reply arrives.", ("REQ",)
    ),
    "req_correlate": _flag(
        "REQ correlate", "Match replies to requests with a request id.", ("REQ",)
    ),
    "xpub_verbose": _flag(
        "XPUB verbose", "Pass on every subscription, not only the first per topic.", ("XPUB",)
    ),
    "xpub_nodrop": _flag(
        "XPUB no-drop", "Fail with EAGAIN at the high-water mark instead of dropping.", ("XPUB",)
    ),
    "expose": _flag(
        "Expose on 127.0.0.1",
        "Also bind on a tcp port of 127.0.0.1 chosen by the server, so an outside ZeroMQ "
        "program can connect to this socket (binding sockets only).",
    ),
    "heartbeat_ivl": _heartbeat("Heartbeat interval", "send a PING this often; 0 = off."),
    "heartbeat_timeout": _heartbeat(
        "Heartbeat timeout",
        "close the connection when nothing arrives this long after a PING; 0 = not set, "
        "which libzmq takes as the interval.",
    ),
    "heartbeat_ttl": _heartbeat(
        "Heartbeat TTL", "ask the peer to close after this long without a PING; 0 = never."
    ),
}

# Values that mean "not set": the socket keeps libzmq's own default, so they are never passed on
# (an explicit HEARTBEAT_TIMEOUT of 0 turns the timeout off in libzmq 4.3.5, while unset it is
# the interval, which is what 0 means here).
_NOT_SET = {"heartbeat_timeout": 0}


def socket_options(options: dict) -> dict:
    """The options of a socket spec that are set on the real socket (engine and export alike)."""
    return {
        name: value
        for name, value in (options or {}).items()
        if name not in _NOT_SET or value != _NOT_SET[name]
    }
