"""What a valid document may cost the server (app/topology/guards.py): every refusal names the
field and the limit."""

import copy

from app.topology import prepare, validate


def sock(name, type_, mode, **options):
    return {"name": name, "type": type_, "mode": mode, "options": options}


def base():
    return copy.deepcopy(
        {
            "version": 1,
            "nodes": [
                {
                    "id": "src",
                    "kind": "source",
                    "sockets": [sock("o", "PUSH", "bind")],
                    "behaviour": {"socket": "o", "frames": ["task {n}"]},
                },
                {
                    "id": "w1",
                    "kind": "worker",
                    "sockets": [sock("in", "PULL", "connect"), sock("out", "PUSH", "connect")],
                    "behaviour": {
                        "input": "in",
                        "output": "out",
                        "transform": "prefix",
                        "text": "w1:",
                    },
                },
                {
                    "id": "dst",
                    "kind": "sink",
                    "sockets": [sock("i", "PULL", "bind")],
                    "behaviour": {"socket": "i"},
                },
            ],
            "links": [
                {
                    "id": "l1",
                    "connect": {"node": "w1", "socket": "in"},
                    "bind": {"node": "src", "socket": "o"},
                },
                {
                    "id": "l2",
                    "connect": {"node": "w1", "socket": "out"},
                    "bind": {"node": "dst", "socket": "i"},
                },
            ],
        }
    )


def only(problems):
    assert len(problems) == 1, problems
    return problems[0]


def test_the_base_document_is_valid():
    assert validate(base()) == []


def test_hwm_zero_means_unbounded_and_is_refused():
    doc = base()
    doc["nodes"][0]["sockets"][0]["options"]["sndhwm"] = 0
    p = only(validate(doc))
    assert p["path"] == "nodes[0].sockets[0].options.sndhwm" and p["field"] == "sndhwm"
    assert p["node"] == "src" and p["socket"] == "o" and "max_hwm" in p["message"]
    assert "no limit" in p["message"]


def test_hwm_above_the_configured_bound():
    doc = base()
    doc["nodes"][2]["sockets"][0]["options"]["rcvhwm"] = 5000
    p = only(validate(doc, limits={"max_hwm": 1000}))
    assert p["field"] == "rcvhwm" and "at most 1000" in p["message"] and "max_hwm" in p["message"]
    assert validate(doc) == []


def test_total_sockets():
    doc = base()
    p = only(validate(doc, limits={"max_total_sockets": 3}))
    assert p["field"] == "sockets" and "4 sockets in all, at most 3" in p["message"]
    assert "max_total_sockets" in p["message"]


def test_message_size_counts_filled_in_templates():
    doc = base()
    beh = doc["nodes"][0]["behaviour"]
    beh["frames"] = ["{topic}" * 100]
    beh["topics"] = ["{node}" * 42]  # the engine fills {topic}, then {node} inside it
    problems = validate(doc, limits={"max_message_bytes": 10000})
    p = next(p for p in problems if p["field"] == "frames")
    assert p["path"] == "nodes[0].behaviour.frames" and p["node"] == "src"
    assert "12600 bytes" in p["message"] and "max_message_bytes" in p["message"]


def test_prefix_on_a_loop_grows_without_bound():
    doc = base()
    # w2 sends w1's results back into w1: every lap adds the prefix again
    doc["nodes"][2] = {
        "id": "w2",
        "kind": "worker",
        "sockets": [sock("i", "PULL", "bind"), sock("o", "PUSH", "connect")],
        "behaviour": {"input": "i", "output": "o"},
    }
    doc["nodes"][1]["sockets"][0]["mode"] = "bind"
    doc["links"] = [
        {
            "id": "l1",
            "connect": {"node": "src", "socket": "o"},
            "bind": {"node": "w1", "socket": "in"},
        },
        {
            "id": "l2",
            "connect": {"node": "w1", "socket": "out"},
            "bind": {"node": "w2", "socket": "i"},
        },
        {
            "id": "l3",
            "connect": {"node": "w2", "socket": "o"},
            "bind": {"node": "w1", "socket": "in"},
        },
    ]
    doc["nodes"][0]["sockets"][0]["mode"] = "connect"
    p = only(validate(doc))
    assert p["path"] == "nodes[1].behaviour.transform" and p["field"] == "transform"
    assert "grow without bound" in p["message"] and "max_message_bytes" in p["message"]
    doc["nodes"][1]["behaviour"]["transform"] = "echo"
    assert validate(doc) == []  # a loop without growth is fine (queues are HWM-bound)


def test_a_replier_answering_a_request_is_not_a_loop():
    doc = {
        "version": 1,
        "nodes": [
            {
                "id": "c",
                "kind": "source",
                "sockets": [sock("q", "REQ", "connect")],
                "behaviour": {"socket": "q"},
            },
            {
                "id": "s",
                "kind": "replier",
                "sockets": [sock("r", "REP", "bind")],
                "behaviour": {"socket": "r", "transform": "prefix", "text": "re: "},
            },
        ],
        "links": [
            {
                "id": "l1",
                "connect": {"node": "c", "socket": "q"},
                "bind": {"node": "s", "socket": "r"},
            }
        ],
    }
    assert validate(doc) == []


def test_prefixes_along_a_path_add_up():
    doc = base()
    doc["nodes"][1]["behaviour"]["text"] = "p" * 1000
    p = only(validate(doc, limits={"max_message_bytes": 900}))
    assert p["field"] == "text" and "max_message_bytes" in p["message"]


def test_queue_memory_budget():
    doc = base()
    doc["nodes"][0]["behaviour"]["frames"] = ["x" * 1000] * 16
    for node in doc["nodes"]:
        for s in node["sockets"]:
            s["options"].update(sndhwm=100000, rcvhwm=100000) if s["type"] == "PUSH" else s[
                "options"
            ].update(rcvhwm=100000)
    p = only(validate(doc))
    assert p["field"] == "links" and "max_queue_bytes" in p["message"]
    assert validate(doc, limits={"max_queue_bytes": 10**12}) == []


def test_presets_pass_every_guard():
    from app.presets import get_preset, list_presets

    for item in list_presets():
        doc, problems = prepare(get_preset(item["id"])["topology"])
        assert problems == [], item["id"]
