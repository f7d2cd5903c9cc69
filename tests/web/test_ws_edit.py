"""The ``edit`` command over the run websocket (docs/protocol.md, "Live edits")."""

import copy
import json
import urllib.request

from wsclient import WsClient


def _preset(server, pid):
    with urllib.request.urlopen(f"{server}/api/presets/{pid}") as r:
        return json.load(r)["topology"]


def _started(server, pid):
    ws = WsClient(server)
    ws.recv()
    doc = _preset(server, pid)
    ws.send({"op": "start", "topology": doc})
    assert ws.recv()["type"] == "started"
    return ws, doc


def _answer(ws):
    _, msg = ws.recv_until(lambda m: m["type"] in ("edit", "error"), timeout=5)
    return msg


def test_an_edit_reaches_the_run_and_is_listed(server):
    ws, doc = _started(server, "pubsub-weather")
    edited = copy.deepcopy(doc)
    edited["links"] = [ln for ln in edited["links"] if ln["id"] != "l2"]
    edited["nodes"][3]["sockets"][0]["options"]["subscribe"] = ["zzz", "weather"]
    ws.send({"op": "edit", "seq": 4, "topology": edited})
    msg = _answer(ws)
    assert msg["type"] == "edit" and msg["ok"] is True and msg["seq"] == 4
    assert {"change": "link removed", "target": "l2"} in msg["applied"]
    assert {"change": "subscribed", "target": "nothing.sub", "detail": "weather"} in msg["applied"]
    seen, _ = ws.recv_until(
        lambda m: (
            m["type"] == "events"
            and any(e["ev"] == "stats" and "l2" not in e["links"] for e in m["events"])
        ),
        timeout=5,
    )
    ws.send({"op": "stop"})
    ws.close()


def test_an_invalid_edit_names_the_node_and_applies_nothing(server):
    ws, doc = _started(server, "pubsub-weather")
    bad = copy.deepcopy(doc)
    bad["nodes"][1]["sockets"][0]["type"] = "PULL"
    ws.send({"op": "edit", "seq": 1, "topology": bad})
    msg = _answer(ws)
    assert msg["ok"] is False and msg["errors"]
    assert any(e["node"] == "weather" for e in msg["errors"])
    other = copy.deepcopy(doc)
    other["transport"] = "tcp"
    ws.send({"op": "edit", "seq": 2, "topology": other})
    msg = _answer(ws)
    assert msg["ok"] is False and msg["refused"][0]["field"] == "transport"
    ws.send({"op": "stop"})
    ws.close()


def test_an_edit_without_a_run_is_an_error(server):
    ws = WsClient(server)
    ws.recv()
    ws.send({"op": "edit", "topology": {}})
    assert "no run" in _answer(ws)["message"]
    ws.close()
