"""Problems that teach (app/topology/advice.py): valid topologies that will not do what they seem
to, worded as libzmq behaves. Also the live-edit plan (app/topology/diff.py) on documents."""

import copy
import glob
import json

import pytest

from app.topology import prepare
from app.topology.advice import advise
from app.topology.diff import is_empty, plan


def _doc(nodes, links=()):
    d, problems = prepare({"version": 1, "nodes": nodes, "links": list(links)})
    assert not problems, problems
    return d


def _sock(name, type_, mode, **options):
    return {"name": name, "type": type_, "mode": mode, "options": options}


def _link(lid, c, b):
    (cn, cs), (bn, bs) = c.split("."), b.split(".")
    return {"id": lid, "connect": {"node": cn, "socket": cs}, "bind": {"node": bn, "socket": bs}}


def _codes(doc):
    return sorted((w["code"], w["node"], w["socket"]) for w in advise(doc))


def test_every_preset_is_free_of_warnings():
    for path in sorted(glob.glob("app/presets/*.json")):
        with open(path) as f:
            doc, _ = prepare(json.load(f)["topology"])
        assert advise(doc) == [], path


def test_a_pub_chip_added_to_a_source_is_an_unused_socket():
    d = _doc(
        [
            {
                "id": "src",
                "kind": "source",
                "sockets": [_sock("out", "PUSH", "bind"), _sock("pub", "PUB", "bind")],
                "behaviour": {"socket": "out"},
            },
            {
                "id": "s",
                "kind": "sink",
                "sockets": [_sock("in", "SUB", "connect", subscribe=[""])],
                "behaviour": {"socket": "in"},
            },
        ],
        [_link("l1", "s.in", "src.pub")],
    )
    warnings = advise(d)
    assert _codes(d) == [("no-peer-block", "src", "out"), ("unused-socket", "src", "pub")]
    unused = next(w for w in warnings if w["code"] == "unused-socket")
    assert "unused socket" in unused["message"] and "only uses out" in unused["message"]
    block = next(w for w in warnings if w["code"] == "no-peer-block")
    assert "a bound PUSH with no peer blocks" in block["message"]
    assert block["severity"] == "warning" and block["vars"]["type"] == "PUSH"


@pytest.mark.parametrize(
    ("type_", "mode", "code", "words"),
    [
        ("PUB", "bind", "no-peer-drop", "a bound PUB with no peer drops"),
        ("PUSH", "bind", "no-peer-block", "a bound PUSH with no peer blocks"),
        ("PUSH", "connect", "no-peer-connect", "queues up to its HWM unless IMMEDIATE is set"),
    ],
)
def test_a_sender_with_no_peer_says_what_libzmq_does(type_, mode, code, words):
    src = {
        "id": "src",
        "kind": "source",
        "sockets": [_sock("out", type_, mode), _sock("x", "PAIR", "bind")],
        "behaviour": {"socket": "out"},
    }
    other = {
        "id": "p",
        "kind": "sink",
        "sockets": [_sock("in", "PAIR", "connect")],
        "behaviour": {"socket": "in"},
    }
    d = _doc([src, other], [_link("l1", "p.in", "src.x")])
    (w,) = [w for w in advise(d) if w["socket"] == "out"]
    assert w["code"] == code and words in w["message"]


def test_unwired_nodes_and_unlinked_receivers():
    d = _doc(
        [
            {
                "id": "w",
                "kind": "worker",
                "sockets": [_sock("in", "PULL", "connect"), _sock("out", "PUSH", "connect")],
                "behaviour": {"input": "in", "output": "out"},
            },
            {
                "id": "a",
                "kind": "source",
                "sockets": [_sock("out", "PUSH", "bind")],
                "behaviour": {"socket": "out"},
            },
            {
                "id": "b",
                "kind": "sink",
                "sockets": [_sock("in", "PULL", "connect"), _sock("in2", "PULL", "bind")],
                "behaviour": {"socket": "in"},
            },
        ],
        [_link("l1", "b.in", "a.out")],
    )
    assert _codes(d) == [
        ("no-peer-connect", "w", "out"),
        ("unused-socket", "b", "in2"),
        ("unwired-node", "w", None),
    ]
    d2 = copy.deepcopy(d)
    d2["nodes"][2]["behaviour"]["socket"] = "in2"
    assert ("unlinked-socket", "b", "in") not in _codes(d2)  # `in` is unused now instead
    assert ("unused-socket", "b", "in") in _codes(d2)


def test_a_plan_for_positions_and_titles_changes_nothing():
    with open("app/presets/pipeline.json") as f:
        old, _ = prepare(json.load(f)["topology"])
    new = copy.deepcopy(old)
    new["title"] = "other"
    for n in new["nodes"]:
        n["x"] = n.get("x", 0) + 10
    assert is_empty(plan(old, new))


def test_a_plan_rebuilds_a_node_whose_sockets_change_and_relinks_it():
    with open("app/presets/pipeline.json") as f:
        old, _ = prepare(json.load(f)["topology"])
    new = copy.deepcopy(old)
    sink = next(n for n in new["nodes"] if n["kind"] == "sink")
    sink["sockets"][0]["options"]["conflate"] = True
    p = plan(old, new)
    assert p["recreate"][sink["id"]][0].endswith("so the socket is re-created")
    new["nodes"][0]["sockets"][0]["type"] = "PUB"
    p = plan(old, new)
    nid = new["nodes"][0]["id"]
    assert nid in p["nodes_removed"] and nid in p["nodes_added"] and nid in p["rebuilt"]
    touching = [
        ln["id"] for ln in old["links"] if nid in (ln["connect"]["node"], ln["bind"]["node"])
    ]
    assert set(touching) <= set(p["links_removed"]) and set(touching) <= set(p["links_added"])
