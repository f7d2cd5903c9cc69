"""The seed systems: producer, task worker and collector (a pipeline), the API gateway.

The shape of an entry: app/topology/kinds/__init__.py.
"""

from ..fields import int_field, socket_field, string_field, strings_field
from .common import (
    _RECV,
    _SEND,
    _TEXT,
    _TRANSFORM,
    MAX_MS,
    _sock,
)

KINDS = {
    "producer": {
        "label": "Task producer",
        "help": "Sends a task every interval (PUSH) and announces it as an event (PUB): the "
        "seed's task distribution system.",
        "fields": {
            "tasks": socket_field("Tasks", _SEND, "the socket tasks go out on"),
            "events": socket_field("Events", _SEND, "the socket events go out on", required=False),
            "interval_ms": int_field("Interval", 0, MAX_MS, 1000, unit="ms"),
            "count": int_field("Count", 0, 1000000, 0, help="Tasks to send; 0 = unlimited."),
            "frames": strings_field(
                "Frames",
                ['{"id":{n},"type":"process"}'],
                min_items=1,
                max_items=16,
                max_len=1000,
                help="{n}, {node} templates.",
            ),
            "event_topic": string_field("Event topic", "task_created", max_bytes=255),
            "start_delay_ms": int_field("Start delay", 0, MAX_MS, 0, unit="ms"),
        },
        "template": {
            "sockets": [_sock("tasks", "PUSH", "bind"), _sock("events", "PUB", "bind")],
            "behaviour": {"tasks": "tasks", "events": "events"},
        },
    },
    "task_worker": {
        "label": "Task worker",
        "help": "Pipeline worker that announces each task started/completed on an event "
        "socket, and stops when a kill signal arrives on its control socket.",
        "fields": {
            "input": socket_field("Input", _RECV, "the socket a worker receives tasks on"),
            "output": socket_field("Output", _SEND, "the socket results go out on", required=False),
            "events": socket_field("Events", _SEND, "the socket events go out on", required=False),
            "control": socket_field(
                "Control", _RECV, "the socket a kill signal comes in on", required=False
            ),
            "work_ms": int_field("Work time", 0, MAX_MS, 1000, unit="ms"),
            "transform": _TRANSFORM,
            "text": _TEXT,
            "started_topic": string_field("Started topic", "task_started", max_bytes=255),
            "completed_topic": string_field("Completed topic", "task_completed", max_bytes=255),
        },
        "template": {
            "sockets": [
                _sock("in", "PULL", "connect"),
                _sock("out", "PUSH", "connect"),
                _sock("events", "PUB", "connect"),
            ],
            "behaviour": {"input": "in", "output": "out", "events": "events"},
        },
    },
    "collector": {
        "label": "Collector",
        "help": "Counts results; after the expected number it reports how long the batch took "
        "and can send a signal (the kill signal of the parallel pipeline).",
        "fields": {
            "socket": socket_field("Socket", _RECV, "the socket results arrive on"),
            "expect": int_field("Expect", 0, 1000000, 0, help="Results per batch; 0 = no end."),
            "signal": socket_field(
                "Signal", _SEND, "the socket the signal goes out on", required=False
            ),
            "signal_text": string_field("Signal text", "KILL", max_bytes=255),
        },
        "template": {"sockets": [_sock("in", "PULL", "bind")], "behaviour": {"socket": "in"}},
    },
    "gateway": {
        "label": "API gateway",
        "help": "One ROUTER for clients and services: routes [service, body] from a client to "
        "the DEALER whose routing id is that service, and the answer back (seed 002).",
        "fields": {
            "socket": socket_field(
                "Socket", ("ROUTER",), "the socket clients and services talk to"
            ),
            "services": strings_field(
                "Services",
                ["auth", "user", "order"],
                min_items=1,
                max_items=32,
                max_bytes=255,
                help="Routing ids of the service DEALERs.",
            ),
        },
        "template": {
            "sockets": [_sock("router", "ROUTER", "bind")],
            "behaviour": {"socket": "router"},
        },
    },
}
