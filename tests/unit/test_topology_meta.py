"""META (served at /api/meta) is complete, JSON-clean and agrees with the model."""

import json
import re

from topo_helpers import doc_section

from app.topology import KINDS, META, OPTIONS, PAIRS, SOCKET_TYPES, build_meta, validate

FIELD_KEYS = {"name", "type", "label", "help", "default", "min", "max", "choices"}


def test_meta_is_plain_json():
    assert json.loads(json.dumps(META)) == META


def test_meta_tables():
    assert META["socket_types"] == list(SOCKET_TYPES)
    assert META["pairs"] == {t: list(p) for t, p in PAIRS.items()}
    assert META["version"] == 1 and META["modes"] == ["bind", "connect"]
    assert META["limits"]["max_nodes"] == 100 and META["limits"]["max_links"] == 400
    assert re.fullmatch(META["patterns"]["node_id"][1:-1], "w1")


def test_every_field_can_build_a_form():
    specs = list(META["options"].values())
    specs += [f for kind in META["kinds"].values() for f in kind["fields"].values()]
    for spec in specs:
        assert FIELD_KEYS <= set(spec), spec
        assert spec["label"]
        if spec["type"] == "int":
            assert spec["min"] <= spec["default"] <= spec["max"]
        if spec["type"] == "choice":
            assert spec["default"] in spec["choices"]
        if spec["type"] == "socket":
            assert set(spec["socket_types"]) <= set(SOCKET_TYPES) and "required" in spec


def test_kinds_in_meta():
    assert list(META["kinds"])[:4] == ["source", "replier", "worker", "sink"]
    assert {
        "proxy",
        "lb_broker",
        "lazy_pirate",
        "pp_queue",
        "bstar_server",
        "mdp_broker",
        "monitor",
        "sync_pub",
    } <= set(META["kinds"])
    worker = META["kinds"]["worker"]
    assert worker["socket_fields"] == ["input", "output"]
    assert worker["fields"]["work_ms"]["default"] == 100
    assert META["kinds"]["replier"]["fields"]["socket"]["socket_types"] == [
        "REP",
        "ROUTER",
        "DEALER",
    ]
    assert "SUB" not in META["kinds"]["source"]["fields"]["socket"]["socket_types"]


def test_kind_templates_are_valid_nodes():
    for kind, spec in KINDS.items():
        doc = {"version": 1, "nodes": [dict(id="n", kind=kind, **spec["template"])]}
        assert validate(doc) == [], kind


def test_options_match_docs():
    documented = set()
    for line in doc_section("Socket options"):
        if not line.startswith("|"):
            continue
        first = line.strip().strip("|").split("|")[0]
        documented |= set(re.findall(r"`([a-z_]+)`", first))
    assert documented == set(OPTIONS)
    assert META["options"]["subscribe"]["applies_to"] == ["SUB"]


def test_build_meta_with_limits():
    meta = build_meta({"max_nodes": 10})
    assert meta["limits"]["max_nodes"] == 10 and META["limits"]["max_nodes"] == 100
