"""A thin green wrapper around a plain pyzmq socket.

Why not ``zmq.green``: it costs ~15x per call here (per-call bookkeeping and enum flag arithmetic,
see STACK_NOTES). This wrapper tries the non-blocking call first and only waits on the socket's
edge-triggered ``ZMQ_FD`` after EAGAIN, re-checking ``ZMQ_EVENTS`` before every wait.

One greenlet may wait per direction. Because any zmq call can consume the FD's edge, an operation
in one direction wakes a greenlet waiting in the other direction so it re-checks ``ZMQ_EVENTS``.
"""

from __future__ import annotations

import zmq
from gevent import sleep
from gevent.hub import Waiter, get_hub

NOBLOCK = int(zmq.NOBLOCK)
SNDMORE = int(zmq.SNDMORE)
POLLIN = int(zmq.POLLIN)
POLLOUT = int(zmq.POLLOUT)
EVENTS = int(zmq.EVENTS)
RCVMORE = int(zmq.RCVMORE)
_Again = zmq.Again
REFUSED_RETRY_S = 0.005  # see send_multipart: EAGAIN while POLLOUT is set
STREAK_MAX = 64  # calls without a wait before a greenlet lets the others run
# libzmq's calls without pyzmq's Python-level sugar (keyword handling, enum flag conversion):
# about a third faster per message, which the flat-out paths feel (bench/engine.py)
raw_send = zmq.backend.Socket.send
raw_recv = zmq.backend.Socket.recv
raw_get = zmq.backend.Socket.get


class GreenSocket:
    """Cooperative send/recv on a plain ``zmq.Socket``; never blocks the gevent hub."""

    __slots__ = ("sock", "_hub", "_watchers", "_waiters", "_closed", "_streak")

    def __init__(self, sock: zmq.Socket):
        self.sock = sock
        self._hub = get_hub()
        fd = sock.getsockopt(zmq.FD)
        # two watchers on the same fd: one per direction (libev allows it)
        self._watchers = {POLLIN: self._hub.loop.io(fd, 1), POLLOUT: self._hub.loop.io(fd, 1)}
        self._waiters: dict[int, Waiter | None] = {POLLIN: None, POLLOUT: None}
        self._closed = False
        self._streak = 0  # calls done without waiting: a busy peer must not starve the hub

    def _wait(self, flag: int) -> None:
        """Park this greenlet until ZMQ_EVENTS has ``flag`` (a kill or Timeout ends the wait)."""
        sock = self.sock
        watcher = self._watchers[flag]
        other = POLLOUT if flag == POLLIN else POLLIN
        self._streak = 0
        while True:
            events = raw_get(sock, EVENTS)
            if events & other and self._waiters[other] is not None:
                # reading ZMQ_EVENTS processed libzmq's commands and so consumed the FD edge the
                # greenlet waiting the other way needs (a ROUTER source parked at the HWM while
                # its reply reader checks for input): hand the news on
                self._poke(other)
            if events & flag:
                return
            waiter = Waiter(self._hub)
            self._waiters[flag] = waiter
            watcher.start(waiter.switch, None)
            try:
                waiter.get()
            finally:
                watcher.stop()
                self._waiters[flag] = None

    def _take_turn(self) -> None:
        """Yield now and then to the other greenlets (other runs, other pages) when every call
        so far found its message ready and so never waited. Called before a call, never after
        it: a Timeout or kill landing in the yield must not lose a message already taken."""
        self._streak += 1
        if self._streak >= STREAK_MAX:
            self._streak = 0
            sleep(0)

    def _poke(self, flag: int) -> None:
        """Wake the greenlet waiting for ``flag`` so it re-reads ZMQ_EVENTS."""
        waiter = self._waiters[flag]
        if waiter is not None:
            self._hub.loop.run_callback(waiter.switch, None)

    def send_multipart(self, frames, flags: int = 0) -> None:
        """Send all frames as one message, waiting cooperatively while the socket is at HWM.

        libzmq checks the HWM on the first frame only; the rest of a multipart message is
        accepted atomically, so only the first send can raise EAGAIN.
        """
        self._take_turn()
        sock = self.sock
        last = len(frames) - 1
        if last < 0:
            frames, last = [b""], 0
        refused = 0
        while True:
            try:
                if last == 0:
                    raw_send(sock, frames[0], NOBLOCK)
                else:
                    raw_send(sock, frames[0], NOBLOCK | SNDMORE)
                    for i in range(1, last):
                        raw_send(sock, frames[i], NOBLOCK | SNDMORE)
                    raw_send(sock, frames[last], NOBLOCK)
                break
            except _Again:
                if flags & NOBLOCK:
                    raise
                if raw_get(sock, EVENTS) & POLLOUT:
                    # Writable after all: reading ZMQ_EVENTS processed libzmq's pending commands,
                    # which usually frees room (a PUSH whose peer just drained): retry at once.
                    # Refused again although ZMQ_EVENTS says writable: a PUB/XPUB always reports
                    # POLLOUT (XPUB_NODROP at its HWM), a ROUTER_MANDATORY whenever any peer has
                    # room. No FD edge will come and _wait would return at once (a spin that
                    # never yields to the hub): yield, then retry on a short timer
                    refused += 1
                    if refused > 1:
                        sleep(REFUSED_RETRY_S if refused > 3 else 0)
                else:
                    refused = 0
                    self._wait(POLLOUT)
        if self._waiters[POLLIN] is not None:
            self._poke(POLLIN)

    def recv_multipart(self, copy: bool = True):
        """Receive one whole message, waiting cooperatively while none is queued."""
        self._take_turn()
        sock = self.sock
        # frames are taken uncopied: a Frame says whether more follow (reading ZMQ_RCVMORE
        # through Socket.get costs an enum lookup per frame, a third of a flat-out receive)
        while True:
            try:
                frame = raw_recv(sock, NOBLOCK, False)
                break
            except _Again:
                self._wait(POLLIN)
        msg = [frame]
        while frame.more:
            frame = raw_recv(sock, NOBLOCK, False)
            msg.append(frame)
        if copy:
            msg = [f.bytes for f in msg]
        if self._waiters[POLLOUT] is not None:
            self._poke(POLLOUT)
        return msg

    def close(self, linger: int = 0) -> None:
        """Stop the watchers and close the socket (at once unless ``linger`` ms are given)."""
        if self._closed:
            return
        self._closed = True
        for w in self._watchers.values():
            w.stop()
            w.close()
        self.sock.close(linger=linger)
