"""simple-websocket's server, made safe for a public gevent server. The whole patch is here.

simple-websocket 1.1.0 is exact-pinned (requirements.txt) because this module leans on how it
works inside; tests/web/test_wsserver.py fails when an upgrade changes the version or any of
what is listed above ``LEANS_ON``. Two small pieces, no copy of the library's code:

- ``SafeSocket`` wraps the raw socket the library reads and writes. ``recv`` yields to the other
  greenlets first, so a client flooding frames cannot starve the hub (the reader loops on recv
  and never waits while data is there). ``send`` becomes a locked ``sendall``: the library
  writes frames with ``socket.send`` and ignores partial writes (miguelgrinberg/simple-websocket
  #45), so a slow reader got cut frames ("Invalid frame header"); locked because the reader
  greenlet writes pong/close frames while the session's writer sends batches. ``close``
  lingers (shut down our side, read until the peer closes, at most 1 s), so a close frame such
  as 1009 reaches the client instead of being lost to a TCP reset; the library calls it once,
  when its reader ends.
- ``GuardedServer._handle_events`` (the library calls it after every chunk it reads) adds: more
  than MAX_PENDING_INBOUND unhandled messages close the socket with 1008; after a message too
  big (1009) nothing more is handled.
"""

from __future__ import annotations

import socket
import threading
import time

import gevent
from flask import Response
from simple_websocket import Server
from wsproto.events import CloseConnection
from wsproto.utilities import LocalProtocolError

POLICY_VIOLATION = 1008
MAX_PENDING_INBOUND = 1000  # messages parsed from one read (≤ 64 KB) not yet handled: a flood

# What this module assumes of the library (tests/web/test_wsserver.py checks each): Base._thread
# reads with sock.recv, calls _handle_events after each chunk and stores its result in
# ``connected`` (the loop's condition), and ends with sock.close(); Base.send, Base.close and
# _handle_events write with sock.send; the server's socket comes from the environ.
LEANS_ON = {"simple-websocket": "1.1.0"}


class SafeSocket:
    """The raw socket with whole, serialized writes and a lingering close; the rest passes."""

    def __init__(self, sock, linger: float = 1.0):
        self._sock = sock
        self._lock = threading.Lock()  # a gevent lock once monkey-patched
        self._linger = linger

    def recv(self, size: int, *flags) -> bytes:
        """Let the other greenlets in, then read. Not in ``_handle_events``: a yield there,
        before the reader stores its result in ``connected``, let the session wait for an
        event that never came."""
        gevent.sleep(0)
        return self._sock.recv(size, *flags)

    def send(self, data, *flags) -> int:
        """Write all of ``data`` before any other frame may start."""
        with self._lock:
            self._sock.sendall(data, *flags)
        return len(data)

    def close(self) -> None:
        """Half-close, read what the peer still sends until it closes (≤ linger s), close."""
        sock = self._sock
        try:
            sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + self._linger
            sock.settimeout(self._linger)
            while time.monotonic() < deadline:
                if not sock.recv(65536):
                    break
        except OSError:
            pass
        try:
            sock.close()
        except OSError:
            pass

    def __getattr__(self, name):
        return getattr(self._sock, name)


class GuardedServer(Server):
    """simple-websocket's server bounded against floods; give it an environ whose socket is a
    ``SafeSocket`` (``guard_environ``)."""

    def _handle_events(self):
        keep = super()._handle_events()
        if not keep and self.incoming_message_len > (self.max_message_size or 0) > 0:
            self.input_buffer.clear()  # closed with 1009: nothing more is handled
        if keep and len(self.input_buffer) > MAX_PENDING_INBOUND:
            self.input_buffer.clear()
            self._refuse(
                POLICY_VIOLATION,
                "too many messages: the page sends faster "
                "than commands can be handled (WS_COMMANDS_PER_SECOND)",
            )
            keep = False
        return keep

    def _refuse(self, code: int, message: str) -> None:
        """Send a close frame and stop reading."""
        try:
            self.sock.send(self.ws.send(CloseConnection(code, message)))
        except (OSError, LocalProtocolError):
            pass
        self.connected = False
        self.event.set()


def guard_environ(environ: dict, deflate: bool) -> dict:
    """A copy of the WSGI environ for GuardedServer: its socket wrapped, and without
    permessage-deflate unless ``deflate`` (CPU is the scarce resource here)."""
    env = dict(environ)
    if not deflate:
        env.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
    for key in ("gunicorn.socket", "werkzeug.socket"):
        if key in env and not isinstance(env[key], SafeSocket):
            env[key] = SafeSocket(env[key])
    return env


class WebSocketResponse(Response):
    """What the view returns once the socket is done (as flask-sock does it)."""

    mode = "unknown"

    def __call__(self, *args, **kwargs):
        if self.mode == "gunicorn":
            raise StopIteration()
        if self.mode == "werkzeug":
            return super().__call__(*args, **kwargs)
        return []
