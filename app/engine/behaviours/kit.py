"""Tools for the high-level pattern behaviours (brokers, pirates, Binary Star, Majordomo...).

- :class:`Clock`: document time (what the behaviour fields are written in), following the run's
  speed, so heartbeats and expiries scale with every other timer.
- :class:`Inbox`: a poll loop without ``zmq.poll``. One reader greenlet per socket receives
  (only one greenlet may wait per socket and direction) and hands each message to the node's
  main greenlet, which does every send. A reader may wait for a gate first, like the zguide's
  brokers that poll their frontend only while a worker is ready.
- :func:`crash`: a simulated crash: the node is killed like the kill fault, so its sockets close
  and peers see the disconnect.
- :class:`Failures`: ``crash_after`` and ``fail_rate`` (a random overload) of the demo servers.
"""

from __future__ import annotations

import random
import time

import gevent
import gevent.event
import gevent.queue


class Clock:
    """Milliseconds of document time since the node started (scaled by the run's speed)."""

    def __init__(self, node):
        self.node = node
        self._t = 0.0
        self._last = time.monotonic()

    def now(self) -> float:
        t = time.monotonic()
        self._t += (t - self._last) * 1000.0 * self.node.run.speed
        self._last = t
        return self._t


def real_seconds(node, ms: float) -> float:
    """Wall-clock seconds for ``ms`` of document time at the run's current speed."""
    return max(0.0, ms) / 1000.0 / node.run.speed


class Inbox:
    """Messages from several sockets, one at a time, in arrival order (a green poller)."""

    def __init__(self, node):
        self.node = node
        self.queue = gevent.queue.Queue(maxsize=1)
        self.readers: list[gevent.Greenlet] = []

    def watch(self, s, gate: gevent.event.Event | None = None) -> None:
        """Start a reader greenlet for ``s`` (it waits for ``gate`` before each receive)."""
        self.readers.append(self.node.spawn(self._reader, s, gate))

    def close(self) -> None:
        """Stop the readers (a behaviour that ends must not keep receiving)."""
        gevent.killall(self.readers)
        self.readers.clear()

    def _reader(self, s, gate) -> None:
        node, queue = self.node, self.queue
        while True:
            if gate is not None:
                gate.wait()
            frames = node.recv(s)
            queue.put((s, frames))

    def get(self, timeout_ms: float | None = None):
        """(socket, frames), or None when ``timeout_ms`` of document time passed first."""
        if timeout_ms is None:
            return self.queue.get()
        try:
            return self.queue.get(timeout=real_seconds(self.node, timeout_ms))
        except gevent.queue.Empty:
            return None


def crash(node, detail: str) -> None:
    """Report a simulated crash and kill the node (sockets close, peers see it go). Never
    returns: the kill ends this greenlet. A restart starts the behaviour afresh."""
    node.state("crashed", detail)
    run = node.run
    # the run's sockets have LINGER 0: give the last answer a moment to leave before the close
    gevent.sleep(0.02)

    def _kill():
        if run.state == "running" and node.alive:
            run.kill_node(node.id)

    gevent.spawn(_kill)
    while True:
        gevent.sleep(3600)


class Failures:
    """Simulated failures of a server: a crash right after its Nth answer, random overloads."""

    def __init__(self, node, behaviour: dict):
        self.node = node
        self.crash_after = behaviour.get("crash_after") or 0
        self.rate = behaviour.get("fail_rate") or 0
        self.delay = behaviour.get("fail_delay_ms") or 0
        self.served = 0
        # seeded by the node id: a preset misbehaves the same way every time it runs
        self.rng = random.Random(node.id)

    def on_request(self) -> None:
        """Call when a request arrives: maybe a simulated overload (a stall before working)."""
        self.served += 1
        if self.rate and self.rng.random() * 100.0 < self.rate:
            self.node.state("overloaded", f"simulated overload: answers after {self.delay} ms")
            self.node.sleep(self.delay)

    def after_reply(self) -> None:
        """Call after answering: crashes once ``crash_after`` requests have been answered."""
        if self.crash_after and self.served >= self.crash_after:
            n = self.served
            crash(self.node, f"simulated crash after answering {n} request{'s' if n > 1 else ''}")
