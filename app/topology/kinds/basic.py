"""The basic kinds every pattern starts from: source, replier, worker, sink.

The shape of an entry: app/topology/kinds/__init__.py.
"""

from ..fields import choice_field, int_field, socket_field, string_field, strings_field
from ..sockets import CAN_RECEIVE, CAN_SEND
from .common import (
    _CRASH_AFTER,
    _FAIL_DELAY,
    _FAIL_RATE,
    _SEND,
    _TEXT,
    _TRANSFORM,
    MAX_MS,
)

KINDS = {
    "source": {
        "label": "Source",
        "help": "Sends a message every interval. On REQ it waits for each reply (lockstep).",
        "fields": {
            "socket": socket_field("Socket", CAN_SEND, "the socket a source sends on"),
            "interval_ms": int_field("Interval", 0, MAX_MS, 500, unit="ms"),
            "count": int_field("Count", 0, 1000000, 0, help="Messages to send; 0 = unlimited."),
            "frames": strings_field(
                "Frames",
                ["msg {n}"],
                min_items=1,
                max_items=16,
                max_len=1000,
                help="One template per frame: {n} counts from 1, {topic} cycles through the "
                "topics, {node} is this node's id.",
            ),
            "topics": strings_field(
                "Topics",
                [],
                max_items=32,
                max_bytes=255,
                help="Values of {topic}, one per message in turn.",
            ),
            "start_delay_ms": int_field("Start delay", 0, MAX_MS, 0, unit="ms"),
            "await_reply": choice_field(
                "Await reply",
                ("auto", "no"),
                "auto",
                help="auto: a REQ source waits for each reply (lockstep); no: it sends again "
                "at once, which libzmq refuses with EFSM.",
            ),
        },
        "template": {
            "sockets": [{"name": "out", "type": "PUSH", "mode": "bind"}],
            "behaviour": {"socket": "out"},
        },
    },
    "replier": {
        "label": "Replier",
        "help": "Receives a request and answers it on the same socket (keeping the envelope).",
        "fields": {
            "socket": socket_field(
                "Socket", ("REP", "ROUTER", "DEALER"), "the socket a replier answers on"
            ),
            "transform": _TRANSFORM,
            "text": _TEXT,
            "delay_ms": int_field(
                "Delay", 0, MAX_MS, 0, unit="ms", help="Time taken before answering."
            ),
            "crash_after": _CRASH_AFTER,
            "fail_rate": _FAIL_RATE,
            "fail_delay_ms": _FAIL_DELAY,
            "events": socket_field(
                "Events",
                _SEND,
                "the socket a replier announces its work on",
                required=False,
                help="Optional (usually PUB): after each answer it sends [event topic, request].",
            ),
            "event_topic": string_field(
                "Event topic", "", max_bytes=255, help="First frame of each event."
            ),
        },
        "template": {
            "sockets": [{"name": "rep", "type": "REP", "mode": "bind"}],
            "behaviour": {"socket": "rep"},
        },
    },
    "worker": {
        "label": "Worker",
        "help": "Receives on its input, works for a while, sends the result on its output.",
        "fields": {
            "input": socket_field("Input", CAN_RECEIVE, "the socket a worker receives on"),
            "output": socket_field(
                "Output",
                CAN_SEND,
                "the socket a worker sends on",
                required=False,
                help="None: results are dropped.",
            ),
            "work_ms": int_field("Work time", 0, MAX_MS, 100, unit="ms"),
            "transform": _TRANSFORM,
            "text": _TEXT,
        },
        "template": {
            "sockets": [
                {"name": "in", "type": "PULL", "mode": "connect"},
                {"name": "out", "type": "PUSH", "mode": "connect"},
            ],
            "behaviour": {"input": "in", "output": "out"},
        },
    },
    "sink": {
        "label": "Sink",
        "help": "Receives and counts; reports throughput.",
        "fields": {
            "socket": socket_field("Socket", CAN_RECEIVE, "the socket a sink receives on"),
        },
        "template": {
            "sockets": [{"name": "in", "type": "PULL", "mode": "bind"}],
            "behaviour": {"socket": "in"},
        },
    },
}
