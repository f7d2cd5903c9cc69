"""Safe writes for simple-websocket under gevent.

simple-websocket 1.1.0 writes frames with ``socket.send`` and ignores partial writes
(miguelgrinberg/simple-websocket#45): with a slow reader, large frames are cut and the stream is
corrupted ("Invalid frame header"). Every write must be ``sendall``, and under one lock, because
the reader greenlet also writes (pong, close) while ours writes batches.
"""

from __future__ import annotations

import threading


class LockedSendSocket:
    """Wraps the raw socket: ``send`` becomes a locked ``sendall``; everything else passes."""

    def __init__(self, sock):
        self._sock = sock
        self._lock = threading.Lock()  # a gevent lock once monkey-patched

    def send(self, data, *flags) -> int:
        """Write all of ``data`` before any other frame may start."""
        with self._lock:
            self._sock.sendall(data, *flags)
        return len(data)

    def __getattr__(self, name):
        return getattr(self._sock, name)


def harden(ws) -> None:
    """Replace the websocket's socket by the locked wrapper (once, before the first send)."""
    if not isinstance(ws.sock, LockedSendSocket):
        ws.sock = LockedSendSocket(ws.sock)
