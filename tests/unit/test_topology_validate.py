"""validate(): one test per kind of problem, each checking where it points and what it says."""

import pytest
from topo_helpers import link, node, valid_doc

from app.topology import prepare, validate


def only(doc, **kw):
    """The single problem of `doc` (asserting there is exactly one)."""
    problems = validate(doc, **kw)
    assert len(problems) == 1, problems
    return problems[0]


def test_valid_document_has_no_problems():
    assert validate(valid_doc()) == []


def test_problem_shape():
    doc = valid_doc()
    node(doc, "w1")["sockets"][0]["options"] = {"sndhwm": -5}
    p = only(doc)
    assert p == {
        "path": "nodes[1].sockets[0].options.sndhwm",
        "node": "w1",
        "socket": "in",
        "field": "sndhwm",
        "link": None,
        "message": "w1.in: sndhwm must be between 0 and 100000 (got -5)",
        "code": "value.range",
        "vars": {"subject": "w1.in", "field": "sndhwm", "min": 0, "max": 100000, "got": "-5"},
    }


def test_returns_every_problem():
    doc = valid_doc()
    doc["version"] = 2
    node(doc, "vent")["behaviour"]["interval_ms"] = -1
    doc["links"][1]["bind"]["socket"] = "nope"
    problems = validate(doc)
    assert [p["field"] for p in problems] == ["version", "interval_ms", "socket"]


# -- document level -------------------------------------------------------------------------


@pytest.mark.parametrize("doc", [None, [], "x", 3, True])
def test_document_not_an_object(doc):
    p = only(doc)
    assert p["path"] == "" and p["message"].startswith(
        "topology: the document must be a JSON object"
    )


@pytest.mark.parametrize(
    "version, words",
    [
        (2, "unknown version 2"),
        (0, "unknown version 0"),
        ("1", "whole number"),
        (True, "whole number"),
    ],
)
def test_bad_version(version, words):
    doc = valid_doc()
    doc["version"] = version
    p = only(doc)
    assert p["field"] == "version" and words in p["message"]


def test_missing_version_and_nodes():
    problems = validate({})
    assert [p["field"] for p in problems] == ["version", "nodes"]
    assert "version is required" in problems[0]["message"]


def test_unknown_top_level_field():
    doc = valid_doc()
    doc["titel"] = "x"
    p = only(doc)
    assert p["path"] == "titel" and "unknown field 'titel'" in p["message"]
    assert "did you mean 'title'" in p["message"]


def test_wrong_json_type_top_level():
    doc = valid_doc()
    doc["title"] = 5
    doc["links"] = {}
    problems = validate(doc)
    assert [(p["path"], p["message"]) for p in problems] == [
        ("title", "topology: title must be a string (got 5)"),
        ("links", "topology: links must be a list (got an object)"),
    ]


def test_unknown_transport():
    doc = valid_doc()
    doc["transport"] = "udp"
    assert "must be one of ipc, tcp, inproc (got 'udp')" in only(doc)["message"]


def test_title_too_long_and_limit_override():
    doc = valid_doc()
    doc["title"] = "x" * 201
    assert "at most 200 characters (got 201)" in only(doc)["message"]
    assert validate(doc, limits={"max_title": 300}) == []


def test_bad_view():
    doc = valid_doc()
    doc["view"] = {"x": "a", "k": 0, "z": 1}
    fields = sorted(p["field"] for p in validate(doc))
    assert fields == ["k", "x", "z"]


# -- nodes ----------------------------------------------------------------------------------


def test_no_nodes():
    doc = valid_doc()
    doc["nodes"], doc["links"] = [], []
    assert "at least one node" in only(doc)["message"]


def test_too_many_nodes():
    doc = valid_doc()
    p = only(doc, limits={"max_nodes": 2})
    assert p["field"] == "nodes" and p["message"] == "topology: 3 nodes, at most 2 allowed"


def test_node_not_an_object():
    doc = valid_doc()
    doc["nodes"].append("w2")
    p = only(doc)
    assert p["path"] == "nodes[3]" and p["message"].startswith("nodes[3]: a node must be an object")


@pytest.mark.parametrize("bad", ["1abc", "has space", "x" * 41, "ok\n", 7, ""])
def test_bad_node_id(bad):
    doc = valid_doc()
    doc["nodes"].append(
        {
            "id": bad,
            "kind": "sink",
            "sockets": [{"name": "in", "type": "PULL", "mode": "bind"}],
            "behaviour": {"socket": "in"},
        }
    )
    p = only(doc)
    assert p["path"] == "nodes[3].id" and p["node"] is None and p["field"] == "id"
    assert p["message"].startswith("nodes[3]: id must start with a letter")


def test_duplicate_node_id():
    doc = valid_doc()
    doc["nodes"].append(
        {
            "id": "w1",
            "kind": "sink",
            "sockets": [{"name": "in", "type": "PULL", "mode": "bind"}],
            "behaviour": {"socket": "in"},
        }
    )
    p = only(doc)
    assert (p["path"], p["node"], p["field"]) == ("nodes[3].id", "w1", "id")
    assert p["message"] == "w1: duplicate node id (nodes[1] has it too)"


def test_unknown_node_field():
    doc = valid_doc()
    node(doc, "w1")["colour"] = "red"
    p = only(doc)
    assert (p["node"], p["field"]) == ("w1", "colour")
    assert p["message"].startswith("w1: unknown node field 'colour'")


def test_unknown_kind():
    doc = valid_doc()
    node(doc, "sink")["kind"] = "snik"
    p = only(doc)
    assert (p["node"], p["field"]) == ("sink", "kind")
    assert p["message"] == "sink: unknown kind 'snik' (did you mean 'sink'?)"


def test_missing_kind():
    doc = valid_doc()
    del node(doc, "sink")["kind"]
    assert only(doc)["message"].startswith("sink: kind is required")


def test_label_too_long():
    doc = valid_doc()
    node(doc, "w1")["label"] = "y" * 81
    p = only(doc)
    assert p["field"] == "label" and "at most 80 characters" in p["message"]


@pytest.mark.parametrize("bad", ["10", None, float("inf"), True, 10**9])
def test_bad_position(bad):
    doc = valid_doc()
    node(doc, "w1")["x"] = bad
    p = only(doc)
    assert (p["node"], p["field"]) == ("w1", "x") and "x must be a number" in p["message"]


# -- sockets --------------------------------------------------------------------------------


def test_no_sockets():
    doc = valid_doc()
    node(doc, "sink")["sockets"] = []
    problems = validate(doc)
    assert problems[0]["message"] == "sink: a node needs at least one socket"


def test_too_many_sockets():
    doc = valid_doc()
    socks = node(doc, "w1")["sockets"]
    socks += [{"name": f"s{k}", "type": "PUSH", "mode": "bind"} for k in range(7)]
    p = only(doc)
    assert (p["node"], p["field"]) == ("w1", "sockets")
    assert p["message"] == "w1: 9 sockets, at most 8 allowed per node"


def test_bad_socket_name():
    doc = valid_doc()
    node(doc, "w1")["sockets"].append({"name": "a b", "type": "PUSH", "mode": "bind"})
    p = only(doc)
    assert (p["path"], p["node"], p["socket"]) == ("nodes[1].sockets[2].name", "w1", None)
    assert p["message"].startswith("w1.sockets[2]: name must start with a letter")


def test_duplicate_socket_name():
    doc = valid_doc()
    node(doc, "w1")["sockets"].append({"name": "in", "type": "PULL", "mode": "bind"})
    p = only(doc)
    assert (p["node"], p["socket"], p["field"]) == ("w1", "in", "name")
    assert p["message"] == "w1.in: duplicate socket name in w1"


def test_unknown_socket_type():
    doc = valid_doc()
    node(doc, "sink")["sockets"][0]["type"] = "pull"
    p = only(doc)
    assert (p["node"], p["socket"], p["field"]) == ("sink", "in", "type")
    assert p["message"] == "sink.in: unknown socket type 'pull' (did you mean 'PULL'?)"


def test_unknown_mode():
    doc = valid_doc()
    node(doc, "sink")["sockets"][0]["mode"] = "listen"
    p = only(doc)
    assert (p["socket"], p["field"]) == ("in", "mode")
    assert p["message"] == "sink.in: mode must be 'bind' or 'connect' (got 'listen')"


def test_unknown_option():
    doc = valid_doc()
    node(doc, "w1")["sockets"][0]["options"] = {"sndhw": 5}
    p = only(doc)
    assert (p["node"], p["socket"], p["field"]) == ("w1", "in", "sndhw")
    assert p["message"] == "w1.in: unknown option 'sndhw' (did you mean 'sndhwm'?)"


def test_options_not_an_object():
    doc = valid_doc()
    node(doc, "w1")["sockets"][0]["options"] = ["sndhwm"]
    assert only(doc)["message"] == "w1.in: options must be an object (got a list)"


@pytest.mark.parametrize(
    "option, value, words",
    [
        ("sndhwm", 100001, "between 0 and 100000"),
        ("rcvhwm", "10", "whole number"),
        ("linger", -2, "between -1 and 60000"),
        ("immediate", 1, "must be true or false (got 1)"),
        ("heartbeat_ivl", 600001, "between 0 and 600000"),
        ("routing_id", "", "at least 1 byte"),
        ("routing_id", "\x00abc", "zero byte"),
        ("routing_id", "é" * 128, "at most 255 bytes in UTF-8 (got 256)"),
    ],
)
def test_option_out_of_range(option, value, words):
    doc = valid_doc()
    node(doc, "w1")["sockets"][0]["options"] = {option: value}
    p = only(doc)
    assert (p["node"], p["socket"], p["field"]) == ("w1", "in", option)
    assert p["message"].startswith(f"w1.in: {option} ") and words in p["message"]


def test_subscribe_on_non_sub():
    doc = valid_doc()
    node(doc, "sink")["sockets"][0]["options"] = {"subscribe": ["a"]}
    p = only(doc)
    assert (p["node"], p["socket"], p["field"]) == ("sink", "in", "subscribe")
    assert p["message"] == "sink.in: subscribe applies only to SUB sockets, not PULL"


def test_subscribe_items_checked():
    doc = valid_doc()
    sock = node(doc, "sink")["sockets"][0]
    sock["type"] = "SUB"
    sock["mode"] = "connect"
    sock["options"] = {"subscribe": ["ok", 5, "x" * 256]}
    doc["links"] = [link("l1", "sink.in", "vent.out")]
    node(doc, "vent")["sockets"][0]["type"] = "PUB"
    problems = validate(doc)
    assert [p["path"] for p in problems] == [
        "nodes[2].sockets[0].options.subscribe[1]",
        "nodes[2].sockets[0].options.subscribe[2]",
    ]


def test_option_for_other_type():
    doc = valid_doc()
    node(doc, "vent")["sockets"][0]["options"] = {"router_mandatory": True}
    assert (
        only(doc)["message"]
        == "vent.out: router_mandatory applies only to ROUTER sockets, not PUSH"
    )


def test_lone_surrogate_string():
    doc = valid_doc()
    node(doc, "vent")["behaviour"]["frames"] = ["ok", "\ud800"]
    p = only(doc)
    assert p["path"] == "nodes[0].behaviour.frames[1]" and "unpaired surrogate" in p["message"]


# -- links ----------------------------------------------------------------------------------


def test_too_many_links():
    p = only(valid_doc(), limits={"max_links": 1})
    assert p["message"] == "topology: 2 links, at most 1 allowed"


@pytest.mark.parametrize("bad", ["9", "a.b", None])
def test_bad_link_id(bad):
    doc = valid_doc()
    doc["links"][0]["id"] = bad
    p = only(doc)
    assert (p["path"], p["field"]) == ("links[0].id", "id")
    assert p["message"].startswith("links[0]: id must start with a letter")


def test_duplicate_link_id():
    doc = valid_doc()
    doc["links"][1]["id"] = "l1"
    p = only(doc)
    assert (p["link"], p["field"]) == ("l1", "id")
    assert p["message"] == "link l1: duplicate link id (links[0] has it too)"


def test_dangling_link_node():
    doc = valid_doc()
    doc["links"][0]["bind"]["node"] = "vnet"
    p = only(doc)
    assert (p["path"], p["link"], p["field"]) == ("links[0].bind.node", "l1", "node")
    assert p["message"] == "link l1: the bind end names node 'vnet', which does not exist"


def test_dangling_link_socket():
    doc = valid_doc()
    doc["links"][0]["bind"]["socket"] = "output"
    p = only(doc)
    assert (p["node"], p["socket"], p["link"]) == ("vent", None, "l1")
    assert p["message"] == (
        "vent: link l1's bind end names socket 'output', but vent has no such socket (it has: out)"
    )


def test_link_end_missing_or_malformed():
    doc = valid_doc()
    del doc["links"][0]["connect"]
    doc["links"][1]["bind"] = "sink.in"
    problems = validate(doc)
    assert [(p["path"], p["link"]) for p in problems] == [
        ("links[0].connect", "l1"),
        ("links[1].bind", "l2"),
    ]
    assert "the connect end is required" in problems[0]["message"]
    assert "must be an object" in problems[1]["message"]


def test_unknown_link_field():
    doc = valid_doc()
    doc["links"][0]["label"] = "x"
    assert only(doc)["message"].startswith("link l1: unknown link field 'label'")


def test_two_binders_on_one_link():
    doc = valid_doc()
    doc["links"][0] = link("l1", "sink.in", "vent.out")
    p = only(doc)
    assert (p["node"], p["socket"], p["link"]) == ("sink", "in", "l1")
    assert p["message"] == (
        "sink.in: link l1 joins it to vent.out, but both bind "
        "(two binders on one link); one end must connect"
    )


def test_two_connecters_on_one_link():
    doc = valid_doc()
    doc["links"][0] = link("l1", "w1.in", "w1.out")
    problems = validate(doc)
    assert any("both connect; one end must bind" in p["message"] for p in problems)


def test_swapped_link_ends():
    doc = valid_doc()
    doc["links"][0] = link("l1", "vent.out", "w1.in")
    p = only(doc)
    assert p["message"].startswith("vent.out: link l1 joins it to w1.in with the ends swapped")


def test_wrong_end_mode_when_other_end_dangles():
    doc = valid_doc()
    doc["links"][0] = link("l1", "vent.out", "nobody.x")
    problems = validate(doc)
    assert [p["field"] for p in problems] == ["node", "connect"]
    assert problems[1]["message"] == ("vent.out: link l1 uses it as its connect end, but it binds")


def test_duplicate_link_between_same_sockets():
    doc = valid_doc()
    doc["links"].append(link("l3", "w1.in", "vent.out"))
    p = only(doc)
    assert (p["node"], p["socket"], p["link"]) == ("w1", "in", "l3")
    assert p["message"] == "w1.in: link l3 joins it to vent.out a second time (l1 already does)"


def test_incompatible_pair():
    doc = valid_doc()
    node(doc, "vent")["sockets"][0]["type"] = "PUB"
    p = only(doc)
    assert (p["path"], p["node"], p["socket"], p["link"]) == ("links[0]", "w1", "in", "l1")
    assert (
        p["message"] == "w1.in: link l1 joins it to vent.out, but PULL talks only to PUSH, not PUB"
    )


def test_pair_socket_with_two_links():
    doc = {
        "version": 1,
        "nodes": [
            {
                "id": "a",
                "kind": "source",
                "sockets": [{"name": "p", "type": "PAIR", "mode": "bind"}],
                "behaviour": {"socket": "p"},
            },
            {
                "id": "b",
                "kind": "sink",
                "sockets": [{"name": "p", "type": "PAIR", "mode": "connect"}],
                "behaviour": {"socket": "p"},
            },
            {
                "id": "c",
                "kind": "sink",
                "sockets": [{"name": "p", "type": "PAIR", "mode": "connect"}],
                "behaviour": {"socket": "p"},
            },
        ],
        "links": [link("l1", "b.p", "a.p"), link("l2", "c.p", "a.p")],
    }
    p = only(doc)
    assert (p["path"], p["node"], p["socket"]) == ("nodes[0].sockets[0]", "a", "p")
    assert p["message"] == "a.p: a PAIR socket has exactly one peer, but 2 links use it (l1, l2)"


# -- behaviours -----------------------------------------------------------------------------


def test_behaviour_names_missing_socket():
    doc = valid_doc()
    node(doc, "w1")["behaviour"]["output"] = "result"
    p = only(doc)
    assert (p["path"], p["node"], p["socket"], p["field"]) == (
        "nodes[1].behaviour.output",
        "w1",
        None,
        "output",
    )
    assert (
        p["message"]
        == "w1: behaviour.output names 'result', but w1 has no such socket (it has: in, out)"
    )


def test_behaviour_socket_required():
    doc = valid_doc()
    del node(doc, "sink")["behaviour"]
    p = only(doc)
    assert (p["node"], p["field"]) == ("sink", "socket")
    assert p["message"] == (
        "sink: behaviour.socket is required: name the socket a sink "
        "receives on (any type except PUB and PUSH)"
    )


def test_optional_socket_field_may_be_null_or_absent():
    doc = valid_doc()
    node(doc, "w1")["behaviour"]["output"] = None
    assert validate(doc) == []
    del node(doc, "w1")["behaviour"]["output"]
    assert validate(doc) == []


def test_replier_on_push():
    doc = valid_doc()
    node(doc, "vent")["kind"] = "replier"
    node(doc, "vent")["behaviour"] = {"socket": "out"}
    p = only(doc)
    assert (p["node"], p["socket"], p["field"]) == ("vent", "out", "socket")
    assert p["message"] == (
        "vent: behaviour.socket is out, a PUSH socket; the socket a replier "
        "answers on must be REP, ROUTER or DEALER"
    )


@pytest.mark.parametrize(
    "nid, field, stype",
    [("vent", "socket", "PULL"), ("w1", "input", "PUSH"), ("sink", "socket", "PUB")],
)
def test_behaviour_socket_cannot_send_or_receive(nid, field, stype):
    doc = valid_doc()
    target = node(doc, nid)
    name = target["behaviour"][field]
    next(s for s in target["sockets"] if s["name"] == name)["type"] = stype
    problems = [p for p in validate(doc) if p["field"] == field]
    assert len(problems) == 1 and f"a {stype} socket" in problems[0]["message"]


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("interval_ms", -1, "between 0 and 600000 (got -1)"),
        ("interval_ms", 1.5, "whole number"),
        ("count", 1000001, "between 0 and 1000000"),
        ("frames", [], "at least 1 item"),
        ("frames", ["a"] * 17, "at most 16 items"),
        ("frames", "msg", "must be a list of strings"),
        ("topics", ["x" * 256], "at most 255 bytes"),
        ("start_delay_ms", None, "whole number (got null)"),
    ],
)
def test_source_behaviour_out_of_range(field, value, words):
    doc = valid_doc()
    node(doc, "vent")["behaviour"][field] = value
    p = only(doc)
    assert (p["node"], p["field"]) == ("vent", field)
    assert p["message"].startswith(f"vent: behaviour.{field}") and words in p["message"]


def test_worker_transform_and_text():
    doc = valid_doc()
    node(doc, "w1")["behaviour"].update(transform="reverse", text="t" * 1001)
    messages = [p["message"] for p in validate(doc)]
    assert messages == [
        "w1: behaviour.transform must be one of echo, upper, fixed, prefix (got 'reverse')",
        "w1: behaviour.text must be at most 1000 characters (got 1001)",
    ]


def test_unknown_behaviour_field():
    doc = valid_doc()
    node(doc, "sink")["behaviour"]["interval_ms"] = 5
    p = only(doc)
    assert (p["path"], p["field"]) == ("nodes[2].behaviour.interval_ms", "interval_ms")
    assert p["message"].startswith("sink: unknown sink behaviour field 'interval_ms'")


def test_behaviour_not_an_object():
    doc = valid_doc()
    node(doc, "sink")["behaviour"] = "in"
    assert only(doc)["message"] == "sink: behaviour must be an object (got 'in')"


# -- problem cap ----------------------------------------------------------------------------


def test_stops_after_max_problems():
    doc = valid_doc()
    doc["nodes"] += [{"id": f"bad{k}", "kind": "nope", "sockets": []} for k in range(20)]
    problems = validate(doc, limits={"max_problems": 10})
    assert len(problems) == 11
    assert problems[-1]["message"] == "topology: stopped after 10 problems; fix these first"


def test_unknown_limit_name_is_a_caller_error():
    with pytest.raises(KeyError):
        validate(valid_doc(), limits={"max_nodez": 3})


def test_only_options_that_are_set_reach_the_socket():
    from app.topology import socket_options

    # heartbeat_timeout 0 means "not set" (libzmq then uses the interval); an explicit 0 would
    # turn the timeout off, so it is never passed on. Everything else is passed as it is.
    opts = {"heartbeat_ivl": 100, "heartbeat_timeout": 0, "sndhwm": 0, "linger": 0}
    assert socket_options(opts) == {"heartbeat_ivl": 100, "sndhwm": 0, "linger": 0}
    assert socket_options({"heartbeat_timeout": 300}) == {"heartbeat_timeout": 300}
    assert socket_options(None) == {}


def test_a_key_a_dotted_path_cannot_spell_leaves_the_path_at_its_parent():
    # found by tests/robustness/test_fuzz.py: {".": null} was reported at path ".", which
    # names nothing in the document
    for key in (".", "a.b", "", "x[0]"):
        problems = prepare({key: None})[1]
        odd = [p for p in problems if "unknown field" in p["message"]]
        assert odd and odd[0]["path"] == "", (key, odd)
