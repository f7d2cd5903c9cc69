"""app/web/wsserver.py: the one patch of simple-websocket, and what it leans on in the library.

If simple-websocket is upgraded, the first two tests fail until someone re-reads wsserver.py
against the new code: the patch overrides no library function wholesale, but it assumes how the
reader loop calls into the socket and into ``_handle_events``.
"""

import inspect
import socket
import threading
from importlib.metadata import version
from pathlib import Path

import simple_websocket
from simple_websocket.ws import Base, Server

from app.web.wsserver import LEANS_ON, GuardedServer, SafeSocket, guard_environ


def _body(fn) -> list[str]:
    """The function's source lines, stripped, without comments and blank lines."""
    lines = (line.strip() for line in inspect.getsource(fn).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def test_the_installed_library_is_the_version_the_patch_was_written_for():
    assert version("simple-websocket") == LEANS_ON["simple-websocket"]
    assert "simple-websocket==" + LEANS_ON["simple-websocket"] in (
        (Path(__file__).parents[2] / "requirements.txt").read_text().split()
    )


def test_the_library_still_works_the_way_the_patch_assumes():
    thread = _body(Base._thread)
    # the reader: read a chunk from the socket, hand it to wsproto, then to _handle_events,
    # whose result says whether to go on
    recv = thread.index("in_data = self.sock.recv(self.receive_bytes)")
    assert thread[recv + 3 : recv + 5] == [
        "self.ws.receive_data(in_data)",
        "self.connected = self._handle_events()",
    ]
    # ... and when it stops, it closes the socket: our SafeSocket.close lingers there
    assert thread[-1] == "self.sock.close()"
    assert sum("self.sock.close()" in line for line in thread) == 1
    # every frame is written with sock.send (our SafeSocket.send makes it a locked sendall)
    assert "self.sock.send(out_data)" in _body(Base.send)
    assert "self.sock.send(out_data)" in _body(Base._handle_events)
    assert "self.sock.send(out_data)" in _body(Base.close)
    # _handle_events takes nothing, returns the keep-going flag, and fills these
    assert list(inspect.signature(Base._handle_events).parameters) == ["self"]
    assert _body(Base._handle_events)[-1] == "return keep_going"
    init = inspect.getsource(Base.__init__)
    for attr in ("input_buffer", "incoming_message_len", "max_message_size", "event", "ws"):
        assert f"self.{attr} = " in init, attr
    # the server takes its socket from these environ keys (guard_environ wraps them)
    server_init = inspect.getsource(Server.__init__)
    assert "environ.get('gunicorn.socket')" in server_init
    assert "environ.get('werkzeug.socket')" in server_init
    assert GuardedServer.__mro__[1] is simple_websocket.Server


def test_safe_socket_writes_a_large_frame_whole_to_a_slow_reader():
    a, b = socket.socketpair()
    a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    data = bytes(range(256)) * 8192  # 2 MiB: many partial writes
    got = bytearray()

    def slow_reader():
        while len(got) < len(data):
            chunk = b.recv(7000)
            if not chunk:
                break
            got.extend(chunk)

    t = threading.Thread(target=slow_reader)
    t.start()
    assert SafeSocket(a).send(data) == len(data)
    t.join(10)
    assert bytes(got) == data
    a.close()
    b.close()


def test_safe_socket_close_lets_the_peer_read_what_was_sent_then_closes():
    a, b = socket.socketpair()
    safe = SafeSocket(a, linger=5.0)
    safe.send(b"close frame")
    b.sendall(b"unread by us")  # data we never read must not turn our close into a reset

    def peer():
        assert b.recv(100) == b"close frame"
        assert b.recv(100) == b""  # our side shut down its writes
        b.close()  # the peer closes: our close returns without waiting out the linger

    t = threading.Thread(target=peer)
    t.start()
    safe.close()
    t.join(5)
    assert a.fileno() == -1


def test_guard_environ_wraps_the_socket_once_and_drops_deflate_unless_asked():
    raw = socket.socket()
    env = {"gunicorn.socket": raw, "HTTP_SEC_WEBSOCKET_EXTENSIONS": "permessage-deflate"}
    guarded = guard_environ(env, deflate=False)
    assert isinstance(guarded["gunicorn.socket"], SafeSocket)
    assert "HTTP_SEC_WEBSOCKET_EXTENSIONS" not in guarded
    assert env["gunicorn.socket"] is raw  # the server's own environ is left alone
    again = guard_environ(guarded, deflate=True)
    assert again["gunicorn.socket"] is guarded["gunicorn.socket"]
    assert guard_environ(env, deflate=True)["HTTP_SEC_WEBSOCKET_EXTENSIONS"]
    raw.close()
