"""A malformed or oversized websocket message never kills the worker: each abuse ends at most its
own socket (oversized → 1009), and the same worker process serves the next page normally."""

import json
import os
import struct
import time

import pytest
from support.robust import pair_doc, serve, started, stopped, ws

LIMIT = 100_000


def frame(opcode, payload, fin=True, length=None, rsv=0):
    """A client frame (masked), optionally lying about its length or flags."""
    mask = os.urandom(4)
    n = len(payload) if length is None else length
    head = bytes([(0x80 if fin else 0) | rsv | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 1 << 16:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return head + mask + body


TEXT, BINARY, CLOSE, PING = 0x1, 0x2, 0x8, 0x9
NESTED = "[" * 200_000 + "]" * 200_000

ABUSES = {
    "binary frame": [frame(BINARY, b"\x00\x01\x02")],
    "invalid utf-8": [frame(TEXT, b'{"op": "\xff\xfe"}')],
    "reserved bits": [frame(TEXT, b'{"op":"ping"}', rsv=0x40)],
    "reserved opcode": [frame(0x3, b"x")],
    "huge declared length": [frame(TEXT, b"x" * 10, length=1 << 62)],
    "oversized message": [frame(TEXT, b'"' + b"x" * (LIMIT + 10) + b'"')],
    "oversized in fragments": [
        frame(TEXT, b"x" * 60_000, fin=False),
        frame(0x0, b"x" * 60_000, fin=False),
    ],
    "unfinished fragments": [frame(TEXT, b'{"op":', fin=False)],
    "continuation first": [frame(0x0, b"x")],
    "big ping": [frame(PING, b"x" * 200)],
    "fragmented ping": [frame(PING, b"x", fin=False)],
    "garbage bytes": [os.urandom(5000)],
    "close with bad code": [frame(CLOSE, struct.pack("!H", 999) + b"x")],
    "close with bad utf-8": [frame(CLOSE, struct.pack("!H", 1000) + b"\xff")],
    "deep nesting": [frame(TEXT, NESTED[: LIMIT // 2].encode())],
    "deep nesting closed": [frame(TEXT, ("[" * 40_000 + "]" * 40_000).encode())],
    "not an object": [frame(TEXT, b"[1, 2, 3]"), frame(TEXT, b'"ping"'), frame(TEXT, b"null")],
    "op not a string": [frame(TEXT, b'{"op": {"x": 1}}'), frame(TEXT, b'{"op": 5}')],
    "huge op name": [frame(TEXT, json.dumps({"op": "x" * 90_000}).encode())],
    "start without topology": [
        frame(TEXT, b'{"op": "start"}'),
        frame(TEXT, b'{"op": "start", "topology": [[[[]]]]}'),
        frame(TEXT, b'{"op": "start", "topology": {"nodes": 7}}'),
    ],
    "bad numbers": [
        frame(TEXT, b'{"op": "speed", "value": NaN}'),
        frame(TEXT, b'{"op": "start", "speed": 1e999, "topology": null}'),
        frame(TEXT, b'{"op": "speed", "value": ' + b"9" * 5000 + b"}"),
    ],
    "run ops without a run": [
        frame(TEXT, json.dumps({"op": op, "node": "x" * 1000}).encode())
        for op in ("pause", "resume", "step", "node", "link", "subscribe", "speed", "stop")
    ],
    "lone surrogate escape": [frame(TEXT, b'{"op": "\\ud800"}')],
}


@pytest.fixture(scope="module")
def srv():
    with serve(WS_MAX_MESSAGE=LIMIT, WS_COMMANDS_PER_SECOND=10000) as s:
        yield s


@pytest.mark.parametrize("name", list(ABUSES))
def test_abuse_never_kills_the_worker(srv, name):
    pid = srv.resources()["pid"]
    c = ws(srv)
    try:
        for data in ABUSES[name]:
            c.sock.sendall(data)
        # whatever the server answers (an error, a close), it must answer and stay up
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            try:
                if c.recv(timeout=0.3) is None:
                    break
            except TimeoutError:
                continue
            except (ConnectionError, OSError, Exception):  # wsproto may refuse our own garbage
                break
    finally:
        c.close()
    if name.startswith("oversized"):
        assert c.closed is not None and c.closed.code == 1009, c.closed
    # the same worker serves the next page: a run starts and delivers
    assert srv.resources()["pid"] == pid
    other = ws(srv)
    started(other, pair_doc(interval_ms=10))
    other.recv_until(
        lambda m: m["type"] == "events" and any(e["ev"] == "delivered" for e in m["events"]),
        timeout=5,
    )
    stopped(other)
    other.close()


def test_nothing_was_left_behind_and_no_traceback(srv):
    res = srv.wait_idle(timeout=10)
    assert res["runs"] == 0 and res["sessions"] == 0
    log = srv.log()
    assert "Traceback" not in log, log[-3000:]
    assert log.count("Booting worker") == 1
