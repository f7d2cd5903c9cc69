"""What a run will cost the server, computed from its document before it starts.

File descriptors (measured with ``python -m bench --only fds``, /proc/self/fd before and while a
run is up): every socket has a mailbox (1 fd, an eventfd); over ipc and tcp a socket with links is
also monitored (a PAIR pair: 2 more), each connection is 2 fds (one per end), each bound listener
1; a context (its I/O thread and reaper) about 5. inproc uses the mailbox alone.

Bytes: libzmq's queues at their high-water marks × the largest message the document can make
(app/topology queue_bound, the same figure MAX_QUEUE_BYTES caps), plus observer bookkeeping:
OBSERVER_BYTES, and on every lossy link (a PUB/XPUB end) up to TRACK_LIMIT (id, digest) entries
(app/engine/observe.py), plus event buffers: the run's (EVENT_BUFFER_BYTES) and its page's
queue (twice WS_QUEUE_BYTES: message events up to it, the others up to twice), both counted in
app/engine/events.py event_bytes, an upper bound of what an event holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..topology import queue_bound
from .wiring import FANOUT_TYPES, TRACK_LIMIT

FDS_PER_CONTEXT = 8  # I/O thread, reaper, their mailboxes and epoll (measured 5; kept 8)
FDS_PER_SOCKET = 1  # its mailbox
FDS_PER_MONITOR = 2  # ipc/tcp: the monitor PAIR and our end of it
FDS_PER_CONNECTION = 2  # ipc/tcp: one per end of a link
FDS_PER_LISTENER = 1  # ipc/tcp: a bound socket's listening fd
FDS_PER_EXPOSED = 1 + 2 + 16  # listener, monitor, and room for 16 outside peers
TRACK_ENTRY = 150  # one (msg id, digest) a lossy link keeps (app/engine/wiring.py TRACK_LIMIT)


@dataclass(frozen=True)
class Cost:
    """Upper bounds for one run: file descriptors and bytes held."""

    fds: int
    bytes: int
    queue_bytes: int
    fanout_bytes: int = 0

    def describe(self) -> str:
        return f"{self.fds} file descriptors, up to {self.bytes / 1048576:.0f} MB"


def run_fds(doc: dict) -> int:
    """File descriptors a run of ``doc`` holds at most (see the module doc for the figures)."""
    transport = doc.get("transport", "ipc")
    linked = set()
    for link in doc.get("links", []):
        linked.add((link["connect"]["node"], link["connect"]["socket"]))
        linked.add((link["bind"]["node"], link["bind"]["socket"]))
    fds = FDS_PER_CONTEXT
    for node in doc.get("nodes", []):
        for s in node.get("sockets", []):
            fds += FDS_PER_SOCKET
            if transport == "inproc":
                continue
            exposed = s.get("mode") == "bind" and (s.get("options") or {}).get("expose")
            if (node["id"], s["name"]) in linked:
                fds += FDS_PER_MONITOR
                if s.get("mode") == "bind":
                    fds += FDS_PER_LISTENER
            if exposed:
                fds += FDS_PER_EXPOSED
    if transport != "inproc":
        fds += FDS_PER_CONNECTION * len(doc.get("links", []))
    return fds


def fanout_bytes(doc: dict) -> int:
    """Bytes the observer may keep for the lossy links of ``doc`` (a PUB/XPUB end): up to
    TRACK_LIMIT (msg id, digest) entries per link, TRACK_ENTRY bytes each."""
    types = {
        (n["id"], s["name"]): s["type"] for n in doc.get("nodes", []) for s in n.get("sockets", [])
    }
    lossy = sum(
        1
        for link in doc.get("links", [])
        if any(
            types.get((end["node"], end["socket"])) in FANOUT_TYPES
            for end in (link["connect"], link["bind"])
        )
    )
    return lossy * TRACK_LIMIT * TRACK_ENTRY


def run_cost(doc: dict, config) -> Cost:
    """The budget a run of ``doc`` needs under ``config`` (app.config or a dict)."""
    slots, largest = queue_bound(doc)
    queue_bytes = slots * largest
    events = int(config.get("EVENT_BUFFER_BYTES", 10 * 1024 * 1024)) + 2 * int(
        config.get("WS_QUEUE_BYTES", 5 * 1024 * 1024)
    )
    fanout = fanout_bytes(doc)
    held = queue_bytes + int(config.get("OBSERVER_BYTES", 0)) + fanout + events
    return Cost(fds=run_fds(doc), bytes=held, queue_bytes=queue_bytes, fanout_bytes=fanout)
