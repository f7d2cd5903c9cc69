"""A running node: the handle its behaviour uses to send, receive and wait."""
from __future__ import annotations

import gevent
import zmq

from .frames import errno_name
from .wiring import SockRt


class NodeRt:
    """One node of a run. Its behaviour runs in one greenlet; helpers it spawns belong to it."""

    def __init__(self, run, spec: dict, socks: dict[str, SockRt]):
        self.run = run
        self.id = spec["id"]
        self.kind = spec["kind"]
        self.behaviour = spec.get("behaviour") or {}
        self.sockets = {s["name"]: socks[f'{self.id}.{s["name"]}'] for s in spec["sockets"]}
        self.greenlets: list[gevent.Greenlet] = []

    def socket(self, name: str) -> SockRt:
        """The runtime socket called ``name`` on this node."""
        return self.sockets[name]

    def send(self, s: SockRt, frames: list[bytes]) -> None:
        """Send one message (waits while paused or at HWM); every send is observed."""
        run = self.run
        if run.paused:
            run.gate.wait()
        try:
            s.g.send_multipart(frames)
        except zmq.ZMQError as err:
            err.socket_name = s.name
            raise
        run.observer.sent(s, frames)

    def recv(self, s: SockRt) -> list[bytes]:
        """Receive one message; the observer learns which link it came over."""
        run = self.run
        if run.paused:
            run.gate.wait()
        try:
            if s.only_link is not None or run.transport == "inproc":
                frames = s.g.recv_multipart()
                sender = None
            else:
                parts = s.g.recv_multipart(copy=False)
                sender = parts[0].get("X-Node")
                frames = [p.bytes for p in parts]
        except zmq.ZMQError as err:
            err.socket_name = s.name
            raise
        run.observer.received(s, frames, sender)
        return frames

    def sleep(self, ms: float) -> None:
        """Wait ``ms`` of document time: scaled by the run's speed, stretched by pauses."""
        if ms > 0:
            gevent.sleep(ms / 1000.0 / self.run.speed)
        if self.run.paused:
            self.run.gate.wait()

    def spawn(self, fn, *args) -> gevent.Greenlet:
        """Start a helper greenlet that belongs to this node (killed with it)."""
        g = gevent.spawn(self._guard, fn, *args)
        self.greenlets.append(g)
        return g

    def _guard(self, fn, *args) -> None:
        """Run a behaviour; report a zmq error or a crash as events instead of dying silently."""
        obs = self.run.observer
        try:
            fn(*args)
            obs.emit({"ev": "node", "node": self.id, "state": "finished"})
        except zmq.ZMQError as err:
            if err.errno == zmq.ETERM:
                return
            obs.emit({"ev": "error", "node": self.id, "socket": getattr(err, "socket_name", None),
                      "error": errno_name(err),
                      "message": str(err)})
            obs.emit({"ev": "node", "node": self.id, "state": "crashed", "detail": str(err)})
        except gevent.GreenletExit:
            raise
        except Exception as err:  # a behaviour bug must not take the run down
            obs.emit({"ev": "node", "node": self.id, "state": "crashed",
                      "detail": f"{type(err).__name__}: {err}"})
