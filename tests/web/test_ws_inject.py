"""The ``inject`` command over the run websocket (docs/protocol.md, "Inject"): a message sent now
from a running socket is answered and observed like any other send; a bad command gets an
answer naming the field, never a 500 or a closed socket."""

import json
import urllib.request

from wsclient import WsClient


def _preset(server, pid):
    with urllib.request.urlopen(f"{server}/api/presets/{pid}") as r:
        return json.load(r)["topology"]


def _answer(ws):
    _, msg = ws.recv_until(lambda m: m["type"] in ("inject", "error"), timeout=5)
    return msg


def test_inject_on_a_running_publisher_is_sent_and_delivered(server):
    ws = WsClient(server)
    ws.recv()
    ws.send({"op": "start", "topology": _preset(server, "pubsub-weather")})
    assert ws.recv()["type"] == "started"
    ws.send({"op": "inject", "node": "publisher", "socket": "pub", "frames": ["zzz!", "hi"]})
    msg = _answer(ws)
    assert msg == {
        "type": "inject",
        "ok": True,
        "node": "publisher",
        "socket": "pub",
        "sent": 1,
        "msgs": msg["msgs"],
        "error": None,
    }
    (mid,) = msg["msgs"]
    seen, _ = ws.recv_until(
        lambda m: (
            m["type"] == "events"
            and any(e["ev"] == "delivered" and e["msg"] == mid for e in m["events"])
        ),
        timeout=5,
    )
    events = [e for m in seen if m["type"] == "events" for e in m["events"]]
    got = [e for e in events if e.get("msg") == mid and e["ev"] == "delivered"]
    assert {e["to"] for e in got} >= {"everything.sub"}  # "" matches; "zzz" too
    filtered = [e for e in events if e.get("msg") == mid and e["ev"] == "filtered"]
    assert {e["to"] for e in filtered} <= {"weather.sub"}
    ws.send({"op": "stop"})
    ws.close()


def test_bad_inject_commands_are_answered_naming_the_field(server):
    ws = WsClient(server)
    ws.recv()
    ws.send({"op": "inject", "node": "x", "socket": "y", "frames": ["z"]})
    assert "no run" in _answer(ws)["message"]
    ws.send({"op": "start", "topology": _preset(server, "pubsub-weather")})
    assert ws.recv()["type"] == "started"
    for cmd, word in [
        ({"node": "nope", "socket": "pub", "frames": ["a"]}, "node:"),
        ({"node": "publisher", "socket": 7, "frames": ["a"]}, "socket:"),
        ({"node": "weather", "socket": "sub", "frames": ["a"]}, "SUB"),
        ({"node": "publisher", "socket": "pub", "frames": "a"}, "frames:"),
        ({"node": "publisher", "socket": "pub", "frames": [{"hex": "0g"}]}, "frames[0].hex"),
        ({"node": "publisher", "socket": "pub", "frames": ["a"], "count": 0}, "count:"),
        ({"node": "publisher", "socket": "pub", "frames": ["a"], "count": "3"}, "count:"),
        ({"node": ["x"], "socket": {}, "frames": [[]]}, "node:"),
    ]:
        ws.send({"op": "inject", **cmd})
        msg = _answer(ws)
        assert msg["type"] == "inject" and msg["ok"] is False and word in msg["problem"], msg
    ws.send({"op": "ping"})
    assert ws.recv_until(lambda m: m["type"] == "pong", timeout=5)
    ws.send({"op": "stop"})
    ws.close()
