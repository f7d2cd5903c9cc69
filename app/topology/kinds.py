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

# -- high-level patterns (the gallery): brokers, pirates, Binary Star, Majordomo, monitors -------

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


_PATTERN_KINDS = {
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
KINDS.update(_PATTERN_KINDS)

for _kind in KINDS.values():
    _kind["socket_fields"] = [n for n, f in _kind["fields"].items() if f["type"] == "socket"]
