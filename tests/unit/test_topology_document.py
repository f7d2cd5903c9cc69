"""parse_json(), upgrade(), normalize() and prepare()."""

import copy
import json

import pytest
from topo_helpers import DOC, node, valid_doc

from app.topology import KINDS, document, normalize, parse_json, prepare, upgrade, validate


def test_valid_document_round_trips_through_json():
    doc = valid_doc()
    again = json.loads(json.dumps(doc))
    assert again == doc and validate(again) == []


def test_normalize_fills_defaults():
    doc = valid_doc()
    out = normalize(doc)
    assert doc == valid_doc(), "normalize must not touch its input"
    assert (out["title"], out["description"], out["transport"]) == ("t", "", "ipc")
    assert out["view"] == {"x": 0, "y": 0, "k": 1}
    vent, w1, sink = out["nodes"]
    assert vent["label"] == "vent" and w1["label"] == "w1"
    assert all(s["options"] == {} for n in out["nodes"] for s in n["sockets"])
    assert vent["behaviour"] == {
        "socket": "out",
        "interval_ms": 500,
        "count": 0,
        "frames": ["task {n}"],
        "topics": [],
        "start_delay_ms": 0,
        "await_reply": "auto",
    }
    assert w1["behaviour"] == {
        "input": "in",
        "output": "out",
        "work_ms": 100,
        "transform": "echo",
        "text": "",
    }
    assert sink["behaviour"] == {"socket": "in"}
    assert validate(out) == []


def test_normalize_fills_every_field_of_every_kind():
    for kind, spec in KINDS.items():
        doc = {"version": 1, "nodes": [dict(id="n", kind=kind, **copy.deepcopy(spec["template"]))]}
        assert validate(doc) == [], kind
        behaviour = normalize(doc)["nodes"][0]["behaviour"]
        assert set(behaviour) == set(spec["fields"]), kind


def test_normalize_optional_socket_becomes_none_and_defaults_are_not_shared():
    doc = valid_doc()
    del node(doc, "w1")["behaviour"]["output"]
    del node(doc, "vent")["behaviour"]["frames"]
    a, b = normalize(doc), normalize(doc)
    assert node(a, "w1")["behaviour"]["output"] is None
    node(a, "vent")["behaviour"]["frames"].append("x")
    assert node(b, "vent")["behaviour"]["frames"] == ["msg {n}"]
    assert KINDS["source"]["fields"]["frames"]["default"] == ["msg {n}"]


def test_normalize_is_idempotent_and_keeps_given_values():
    doc = valid_doc()
    node(doc, "w1")["label"] = "Worker"
    doc["transport"] = "tcp"
    once = normalize(doc)
    assert normalize(once) == once
    assert node(once, "w1")["label"] == "Worker" and once["transport"] == "tcp"


def test_normalize_does_not_raise_on_odd_documents():
    for doc in (None, [], {"nodes": "x"}, {"nodes": [1, {"kind": 3, "behaviour": []}]}):
        normalize(doc)


def test_upgrade_current_version_is_unchanged():
    doc = valid_doc()
    assert upgrade(doc) is doc
    for odd in (None, [], {"version": "1"}, {"version": 99}):
        assert upgrade(odd) is odd


def test_upgrade_runs_steps_in_order(monkeypatch):
    def v0_to_v1(doc):
        doc["title"] = doc.pop("name")
        doc["version"] = 1

    monkeypatch.setitem(document.UPGRADES, 0, v0_to_v1)
    old = {"version": 0, "name": "old"}
    new = upgrade(old)
    assert new == {"version": 1, "title": "old"} and old == {"version": 0, "name": "old"}


def test_parse_json_ok():
    doc, problems = parse_json(json.dumps(valid_doc()))
    assert problems == [] and doc == valid_doc()
    doc, problems = parse_json(json.dumps(valid_doc()).encode())
    assert problems == [] and doc == valid_doc()


@pytest.mark.parametrize(
    "text, words",
    [
        (
            '{"version": 1,',
            "not valid JSON: Expecting property name enclosed in double quotes at line 1",
        ),
        ("", "not valid JSON: Expecting value at line 1, column 1"),
        ('{"a": NaN}', "NaN is not a JSON number"),
        ("[Infinity]", "Infinity is not a JSON number"),
        ("[" * 100000 + "]" * 100000, "nested too deeply"),
        ("1" * 5000, "not valid JSON"),
        (b"\xff\xfe{}", "not valid UTF-8"),
        (12, "expected JSON text, got int"),
    ],
)
def test_parse_json_problems(text, words):
    doc, problems = parse_json(text)
    assert doc is None and len(problems) == 1
    assert problems[0]["path"] == "" and problems[0]["message"].startswith("topology: ")
    assert words in problems[0]["message"]


def test_parse_json_size_cap():
    text = json.dumps({"version": 1, "title": "x" * 2000})
    assert parse_json(text, max_bytes=1000)[1][0]["message"].startswith("topology: the JSON is")
    assert parse_json(text.encode(), max_bytes=1000)[0] is None
    assert parse_json(text)[1] == []
    assert parse_json("é" * 600, max_bytes=1000)[1], "the cap counts UTF-8 bytes"
    big = " " * 1_000_001
    assert "more than the 1000000 allowed" in parse_json(big)[1][0]["message"]


def test_prepare():
    doc, problems = prepare(valid_doc())
    assert problems == [] and doc == normalize(valid_doc())
    bad = valid_doc()
    bad["version"] = 7
    doc, problems = prepare(bad)
    assert doc is None and problems[0]["field"] == "version"


def test_example_in_docs_is_valid():
    text = DOC.read_text(encoding="utf-8")
    example = text.split("```json", 1)[1].split("```", 1)[0]
    doc, problems = parse_json(example)
    assert problems == [] and validate(doc) == []
