"""A bare websocket client on a plain socket (wsproto), so a test can choose when to read."""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlparse

from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Message, Ping, Request, TextMessage


class WsClient:
    """Connects, sends JSON commands, returns parsed JSON messages; reads only when asked."""

    def __init__(
        self,
        base_url: str,
        path: str = "/ws",
        rcvbuf: int | None = None,
        headers: list | None = None,
        origin: str | None = "",
        ssl_context=None,
    ):
        """``origin``: the Origin header; "" (default) = the server's own, like its page; None =
        no Origin header at all. ``ssl_context``: speak TLS (wss://, an https ``base_url``)."""
        u = urlparse(base_url)
        headers = list(headers or [])
        if origin == "":
            origin = f"{u.scheme}://{u.hostname}:{u.port}"
        if origin is not None:
            headers.append(("Origin", origin))
        self.sock = socket.socket()
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.connect((u.hostname, u.port))
        if ssl_context is not None:
            self.sock = ssl_context.wrap_socket(self.sock, server_hostname=u.hostname)
        self.conn = WSConnection(ConnectionType.CLIENT)
        self.sock.sendall(
            self.conn.send(
                Request(host=f"{u.hostname}:{u.port}", target=path, extra_headers=headers)
            )
        )
        self.pending: list = []
        self.closed: CloseConnection | None = None
        self._text = ""
        accepted = False
        while not accepted:
            for ev in self._read_events():
                if isinstance(ev, AcceptConnection):
                    accepted = True
                elif accepted:
                    self._handle(ev)  # a message in the same TCP read as the accept

    def _handle(self, ev) -> None:
        if isinstance(ev, TextMessage):
            self._text += ev.data
            if ev.message_finished:
                self.pending.append(json.loads(self._text))
                self._text = ""
        elif isinstance(ev, Ping):
            self.sock.sendall(self.conn.send(ev.response()))
        elif isinstance(ev, CloseConnection):
            self.closed = ev

    def _read_events(self, timeout: float = 10.0):
        self.sock.settimeout(timeout)
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("server closed the TCP connection")
        self.conn.receive_data(data)
        return list(self.conn.events())

    def send(self, obj: dict) -> None:
        """Send one JSON command."""
        self.sock.sendall(self.conn.send(Message(data=json.dumps(obj))))

    def recv(self, timeout: float = 10.0) -> dict | None:
        """The next JSON message (None once the server closed)."""
        deadline = time.monotonic() + timeout
        while not self.pending:
            if self.closed is not None:
                return None
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no message from the server")
            for ev in self._read_events(left):
                self._handle(ev)
        return self.pending.pop(0)

    def recv_until(self, pred, timeout: float = 10.0) -> tuple[list, dict]:
        """Messages up to and including the first one for which ``pred`` is true."""
        seen = []
        deadline = time.monotonic() + timeout
        while True:
            msg = self.recv(max(0.01, deadline - time.monotonic()))
            if msg is None:
                raise ConnectionError(f"closed: {self.closed}")
            seen.append(msg)
            if pred(msg):
                return seen, msg

    def close(self) -> None:
        """Drop the TCP connection without a close handshake (an abrupt page close)."""
        self.sock.close()
