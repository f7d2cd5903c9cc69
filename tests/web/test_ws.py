"""The run websocket against a real gunicorn+gevent server."""

import json
import urllib.request

import pytest
from wsclient import WsClient


def _preset(server, pid):
    with urllib.request.urlopen(f"{server}/api/presets/{pid}") as r:
        return json.load(r)["topology"]


def _events(messages, kind):
    return [e for m in messages if m["type"] == "events" for e in m["events"] if e["ev"] == kind]


def test_hello_then_a_preset_delivers(server):
    ws = WsClient(server)
    hello = ws.recv()
    assert hello["type"] == "hello" and hello["libzmq"].startswith("4.")
    ws.send({"op": "start", "topology": _preset(server, "pipeline")})
    started = ws.recv()
    assert started["type"] == "started" and set(started["links"]) == {f"l{i}" for i in range(1, 7)}
    # every endpoint is the engine's: ipc in the run's private directory (its path not shown),
    # never a user's address
    assert all(ln["endpoint"].startswith("ipc://…/") for ln in started["links"].values())
    assert "/tmp" not in json.dumps(started)
    seen, _ = ws.recv_until(lambda m: len(_events([m], "delivered")) > 0, timeout=5)
    d = _events(seen, "delivered")[0]
    assert d["from"] == "ventilator.out" and d["frames"] == ["task 1"]
    ws.send({"op": "stop"})
    seen, stopped = ws.recv_until(lambda m: m["type"] == "stopped")
    assert stopped["reason"] == "user" and stopped["totals"]["links"]["l1"]["delivered"] >= 1
    ws.close()


def test_invalid_topology_gets_the_problems(server):
    ws = WsClient(server)
    ws.recv()
    bad = _preset(server, "pubsub-weather")
    bad["nodes"][1]["sockets"][0]["type"] = "PULL"
    ws.send({"op": "start", "topology": bad})
    msg = ws.recv()
    assert msg["type"] == "invalid"
    assert any("PULL" in e["message"] and e["node"] for e in msg["errors"])
    ws.send({"op": "start", "topology": "not a document"})
    assert ws.recv()["type"] == "invalid"
    ws.send({"op": "bogus"})
    assert "bogus" in ws.recv()["message"]
    ws.send({"op": "pause"})
    assert ws.recv()["type"] == "error"
    # the socket is still alive and usable
    ws.send({"op": "ping"})
    assert ws.recv()["type"] == "pong"
    ws.close()


def test_a_stop_is_always_answered(server):
    """A stop with no run (never started, refused as invalid, already stopped) still gets
    ``stopped``, at once: a page waiting for it must never wait for ever."""
    ws = WsClient(server)
    ws.recv()
    ws.send({"op": "stop"})
    msg = ws.recv()
    assert msg["type"] == "stopped" and msg["reason"].startswith("not running")
    assert msg["totals"] == {"links": {}, "sockets": {}}
    bad = _preset(server, "pipeline")
    bad["nodes"][0]["behaviour"]["frames"] = ["x" * 4000]  # a frame text is ≤ 1000 characters
    ws.send({"op": "start", "topology": bad})
    assert ws.recv()["type"] == "invalid"
    ws.send({"op": "stop"})
    assert ws.recv()["reason"].startswith("not running")
    ws.send({"op": "start", "topology": _preset(server, "pipeline")})
    assert ws.recv()["type"] == "started"
    ws.send({"op": "stop"})
    _, first = ws.recv_until(lambda m: m["type"] == "stopped")
    assert first["reason"] == "user" and first["totals"]["links"]
    ws.send({"op": "stop"})
    assert ws.recv()["reason"].startswith("not running")
    ws.close()


def test_pause_resume_speed_are_acknowledged(server):
    ws = WsClient(server)
    ws.recv()
    ws.send({"op": "start", "topology": _preset(server, "reqrep-hello")})
    ws.recv_until(lambda m: m["type"] == "started")
    ws.send({"op": "pause"})
    _, st = ws.recv_until(lambda m: m["type"] == "state")
    assert st["paused"] is True
    ws.send({"op": "speed", "value": 0.25})
    _, st = ws.recv_until(lambda m: m["type"] == "state")
    assert st["speed"] == 0.25
    ws.send({"op": "resume"})
    _, st = ws.recv_until(lambda m: m["type"] == "state")
    assert st["paused"] is False
    ws.close()


def _flood(n, body_chars):
    frame = "x" * body_chars + " {n}"
    return {
        "version": 1,
        "nodes": [
            {
                "id": "src",
                "kind": "source",
                "sockets": [{"name": "o", "type": "PUSH", "mode": "bind"}],
                "behaviour": {"socket": "o", "interval_ms": 0, "count": n, "frames": [frame] * 4},
            },
            {
                "id": "dst",
                "kind": "sink",
                "sockets": [{"name": "i", "type": "PULL", "mode": "connect"}],
                "behaviour": {"socket": "i"},
            },
        ],
        "links": [
            {
                "id": "l1",
                "connect": {"node": "dst", "socket": "i"},
                "bind": {"node": "src", "socket": "o"},
            }
        ],
    }


@pytest.mark.parametrize("attempt", range(3))
def test_slow_reader_gets_large_batches_intact(server, attempt):
    """simple-websocket 1.1.0 drops partial writes under gevent; we must not corrupt frames."""
    import time

    ws = WsClient(server, rcvbuf=4096)
    ws.recv()
    ws.send({"op": "start", "topology": _flood(5000, 240)})
    time.sleep(2.0)  # read nothing while the server writes big frames
    seen, _ = ws.recv_until(
        lambda m: (
            m["type"] == "events"
            and any(
                e["ev"] == "stats" and e["sockets"]["dst.i"]["received"] == 5000
                for e in m["events"]
            )
        ),
        timeout=30,
    )
    big = [m for m in seen if m["type"] == "events" and len(m["events"]) >= 100]
    assert big, "expected large batches"
    delivered = _events(seen, "delivered")
    ids = [e["msg"] for e in delivered]
    assert len(ids) == len(set(ids)) and len(ids) > 1000
    assert all(e["frames"][0].startswith("x" * 240) for e in delivered)
    ws.send({"op": "stop"})
    ws.recv_until(lambda m: m["type"] == "stopped")
    ws.close()


def test_a_message_sent_and_delivered_travel_in_one_frame(server):
    """Events go out in batches, never one frame per event: at 20 messages/s every frame carries
    a message's `sent` together with its `delivered` (WS_FLUSH_MS, 1 ms, gathers them)."""
    doc = _flood(20, 1)
    doc["nodes"][0]["behaviour"]["interval_ms"] = 50
    ws = WsClient(server)
    ws.recv()
    ws.send({"op": "start", "topology": doc})
    seen, _ = ws.recv_until(
        lambda m: (
            m["type"] == "stopped"
            or len(_events([m], "delivered"))
            and _events([m], "delivered")[-1]["frames"][0].endswith(" 20")
        ),
        timeout=10,
    )
    frames = [m["events"] for m in seen if m["type"] == "events"]
    message_frames = [f for f in frames if any(e["ev"] in ("sent", "delivered") for e in f)]
    sent = sum(e["ev"] == "sent" for f in frames for e in f)
    assert sent == 20
    together = sum(
        1
        for f in message_frames
        if {e["msg"] for e in f if e["ev"] == "sent"}
        & {e["msg"] for e in f if e["ev"] == "delivered"}
    )
    # one frame per message (its two events), not one per event; a loaded machine may split a few
    assert len(message_frames) <= 24 and together >= 16, [[e["ev"] for e in f] for f in frames]
    ws.close()
