"""Field specs and helpers shared by several node kinds."""

from ..fields import choice_field, int_field, string_field, strings_field
from ..sockets import CAN_RECEIVE, CAN_SEND

MAX_MS = 600000

_TRANSFORM = choice_field(
    "Transform",
    ("echo", "upper", "fixed", "prefix"),
    "echo",
    help="echo: the body as received; upper: upper-cased; fixed: the text; prefix: text + body.",
)
_TEXT = string_field("Text", "", max_len=1000, help="The fixed reply, or the prefix.")
# A socket a node only sends on (no answer expected): REQ and REP would need the other half.
_SEND = tuple(t for t in CAN_SEND if t not in ("REQ", "REP"))
# Simulated failures of the reliability demos (off by default).
_CRASH_AFTER = int_field(
    "Crash after",
    0,
    1000000,
    0,
    unit="requests",
    help="Crash right after answering this many requests (its sockets close, as when a process "
    "dies); 0 = never. Restart the node to bring it back.",
)
_FAIL_RATE = int_field(
    "Failure rate",
    0,
    100,
    0,
    unit="%",
    help="Share of requests that meet a simulated overload: the answer comes only after the "
    "failure delay. Random, but the same sequence on every run.",
)
_FAIL_DELAY = int_field(
    "Failure delay", 0, MAX_MS, 3000, unit="ms", help="How long an overloaded request takes."
)

# A socket a node only listens on: REQ must send first and REP must answer, so neither fits.
_RECV = tuple(t for t in CAN_RECEIVE if t not in ("REQ", "REP"))
_HEARTBEAT = int_field(
    "Heartbeat",
    10,
    MAX_MS,
    1000,
    unit="ms",
    help="Interval between heartbeats (and the unit of liveness).",
)
_LIVENESS = int_field(
    "Liveness", 1, 100, 3, help="Heartbeat intervals of silence before the peer counts as dead."
)
_FRAMES_N = strings_field(
    "Frames",
    ["{n}"],
    min_items=1,
    max_items=16,
    max_len=1000,
    help="One template per frame of each request: {n} counts from 1, {node} is this node's id.",
)
_COUNT = int_field("Count", 0, 1000000, 0, help="Requests to send; 0 = unlimited.")


def _sock(name, type_, mode, **options):
    spec = {"name": name, "type": type_, "mode": mode}
    if options:
        spec["options"] = options
    return spec
