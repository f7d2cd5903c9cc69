"""Node kinds: what a node does, as a menu of behaviours with declarative field specs.

KINDS maps kind -> {"label", "help", "fields", "template", "socket_fields"}:
- `fields`: behaviour field name -> spec (see fields.py); `socket` fields name one of the node's
  sockets and list the socket types that suit them.
- `template`: the sockets and behaviour a freshly dropped node of this kind starts with (the
  editor's palette uses it; it validates as a one-node topology).
- `socket_fields`: derived, the names of the `socket` fields.

Adding a kind (proxy, broker, lazy pirate client...) = one entry here plus its behaviour in the
engine; validation, normalisation and META follow from the specs.
"""

from .fields import choice_field, int_field, socket_field, string_field, strings_field
from .sockets import CAN_RECEIVE, CAN_SEND

MAX_MS = 600000

_TRANSFORM = choice_field(
    "Transform", ("echo", "upper", "fixed", "prefix"), "echo",
    help="echo: the body as received; upper: upper-cased; fixed: the text; prefix: text + body.")
_TEXT = string_field("Text", "", max_len=1000, help="The fixed reply, or the prefix.")

KINDS = {
    "source": {
        "label": "Source",
        "help": "Sends a message every interval. On REQ it waits for each reply (lockstep).",
        "fields": {
            "socket": socket_field("Socket", CAN_SEND, "the socket a source sends on"),
            "interval_ms": int_field("Interval", 0, MAX_MS, 500, unit="ms"),
            "count": int_field("Count", 0, 1000000, 0, help="Messages to send; 0 = unlimited."),
            "frames": strings_field(
                "Frames", ["msg {n}"], min_items=1, max_items=16, max_len=1000,
                help="One template per frame: {n} counts from 1, {topic} cycles through the "
                     "topics, {node} is this node's id."),
            "topics": strings_field("Topics", [], max_items=32, max_bytes=255,
                                    help="Values of {topic}, one per message in turn."),
            "start_delay_ms": int_field("Start delay", 0, MAX_MS, 0, unit="ms"),
            "await_reply": choice_field(
                "Await reply", ("auto", "no"), "auto",
                help="auto: a REQ source waits for each reply (lockstep); no: it sends again "
                     "at once, which libzmq refuses with EFSM."),
        },
        "template": {"sockets": [{"name": "out", "type": "PUSH", "mode": "bind"}],
                     "behaviour": {"socket": "out"}},
    },
    "replier": {
        "label": "Replier",
        "help": "Receives a request and answers it on the same socket (keeping the envelope).",
        "fields": {
            "socket": socket_field("Socket", ("REP", "ROUTER", "DEALER"),
                                   "the socket a replier answers on"),
            "transform": _TRANSFORM,
            "text": _TEXT,
            "delay_ms": int_field("Delay", 0, MAX_MS, 0, unit="ms",
                                  help="Time taken before answering."),
        },
        "template": {"sockets": [{"name": "rep", "type": "REP", "mode": "bind"}],
                     "behaviour": {"socket": "rep"}},
    },
    "worker": {
        "label": "Worker",
        "help": "Receives on its input, works for a while, sends the result on its output.",
        "fields": {
            "input": socket_field("Input", CAN_RECEIVE, "the socket a worker receives on"),
            "output": socket_field("Output", CAN_SEND, "the socket a worker sends on",
                                   required=False, help="None: results are dropped."),
            "work_ms": int_field("Work time", 0, MAX_MS, 100, unit="ms"),
            "transform": _TRANSFORM,
            "text": _TEXT,
        },
        "template": {"sockets": [{"name": "in", "type": "PULL", "mode": "connect"},
                                 {"name": "out", "type": "PUSH", "mode": "connect"}],
                     "behaviour": {"input": "in", "output": "out"}},
    },
    "sink": {
        "label": "Sink",
        "help": "Receives and counts; reports throughput.",
        "fields": {
            "socket": socket_field("Socket", CAN_RECEIVE, "the socket a sink receives on"),
        },
        "template": {"sockets": [{"name": "in", "type": "PULL", "mode": "bind"}],
                     "behaviour": {"socket": "in"}},
    },
}

for _kind in KINDS.values():
    _kind["socket_fields"] = [n for n, f in _kind["fields"].items() if f["type"] == "socket"]
