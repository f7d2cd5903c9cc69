"""Connection events from libzmq's socket monitor: link states on the page, and readiness.

Readiness: a run starts its behaviours only after every link's ZMTP handshake has completed on
both ends, so a binding PUSH round-robins over all its peers from the first message. inproc
connects synchronously and has no monitor events.
"""

from __future__ import annotations

import gevent
import gevent.event
import zmq
from zmq.utils.monitor import parse_monitor_message

from .greensock import GreenSocket

_EVENTS = (
    zmq.EVENT_CONNECTED
    | zmq.EVENT_CONNECT_RETRIED
    | zmq.EVENT_DISCONNECTED
    | zmq.EVENT_HANDSHAKE_SUCCEEDED
    | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
    | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL
    | zmq.EVENT_ACCEPTED
)
_LINK_STATES = {
    int(zmq.EVENT_CONNECTED): "connecting",
    int(zmq.EVENT_HANDSHAKE_SUCCEEDED): "connected",
    int(zmq.EVENT_DISCONNECTED): "disconnected",
    int(zmq.EVENT_CONNECT_RETRIED): "retrying",
    int(zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL): "handshake failed",
    int(zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL): "handshake failed",
}


class LinkWatch:
    """Counts completed handshakes per socket; reports link state changes as events."""

    def __init__(self, run):
        self.run = run
        self.pending = {s.key: len(s.links) for s in run.socks.values() if s.links}
        self.ready = gevent.event.Event()
        if not any(self.pending.values()):
            self.ready.set()
        self.by_endpoint = {}
        for link in run.links.values():
            if link.bind.endpoint:
                self.by_endpoint[(link.connect.key, link.bind.endpoint)] = link

    def wait_ready(self, timeout: float) -> bool:
        """Wait until every link is up (or ``timeout``); say which were not."""
        ok = self.ready.wait(timeout)
        if not ok:
            late = sorted(k for k, n in self.pending.items() if n > 0)
            self.run.observer.emit(
                {
                    "ev": "node",
                    "node": None,
                    "state": "waiting",
                    "detail": "no handshake yet on " + ", ".join(late),
                }
            )
        return ok

    def attach(self, s) -> None:
        """Monitor ``s`` (before it connects) and read its events in a service greenlet."""
        if self.run.transport == "inproc" or not (s.links or s.outside):
            return
        s.monitor = GreenSocket(s.zsock.get_monitor_socket(_EVENTS))
        s.monitor_g = gevent.spawn(self._loop, s, s.monitor)

    def _loop(self, s, monitor) -> None:
        """Read one socket's monitor events until it is closed."""
        obs = self.run.observer
        while True:
            msg = parse_monitor_message(monitor.recv_multipart())
            event = int(msg["event"])
            if event == zmq.EVENT_HANDSHAKE_SUCCEEDED and self.pending.get(s.key, 0) > 0:
                self.pending[s.key] -= 1
                if not any(self.pending.values()):
                    self.ready.set()
            endpoint = msg["endpoint"].decode()
            if s.outside is not None and endpoint == s.exposed and s.mode == "bind":
                if event in (zmq.EVENT_ACCEPTED, zmq.EVENT_DISCONNECTED):
                    obs.emit(
                        {
                            "ev": "link",
                            "link": s.outside.id,
                            "state": "connected" if event == zmq.EVENT_ACCEPTED else "disconnected",
                        }
                    )
                continue
            if s.mode != "connect":
                continue
            link = self.by_endpoint.get((s.key, endpoint))
            state = _LINK_STATES.get(event)
            if link is not None and state is not None and state != link.state:
                if state == "disconnected":
                    link.queues_lost()
                link.state = state
                obs.emit({"ev": "link", "link": link.id, "state": state})
