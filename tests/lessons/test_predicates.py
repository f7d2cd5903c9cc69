"""The predicate vocabulary on hand-made events: matches, expressions, conditions, judgments."""

from __future__ import annotations

from app.lessons import Evaluator, goal_state, judge, verdict

DOC = {
    "nodes": [
        {"id": "v", "kind": "source", "sockets": [{"name": "out", "type": "PUSH"}]},
        {"id": "w1", "kind": "worker", "sockets": [{"name": "in", "type": "PULL"}]},
        {"id": "w2", "kind": "worker", "sockets": [{"name": "in", "type": "PULL"}]},
    ]
}


def _d(n, to, frames=None):
    return {"ev": "delivered", "from": "v.out", "to": to, "link": "l", "frames": frames or [n]}


EVENTS = [
    {"ev": "sent", "node": "v", "socket": "out", "frames": ["task 1"]},
    _d("task 1", "w1.in"),
    _d("task 2", "w2.in"),
    _d("task 3", "w1.in"),
    _d("x", "w2.in", ["", {"hex": "00ff"}, "\u0001"]),
    {"ev": "node", "node": "w2", "state": "crashed", "detail": "simulated crash after 1"},
    {"ev": "error", "node": "v", "socket": "out", "error": "EFSM", "message": "..."},
]


def ev():
    return Evaluator(DOC, EVENTS)


def test_matches_by_node_type_kind_and_frames():
    e = ev()
    assert e.value({"count": {"ev": "delivered", "to_node": "w1"}}) == 2
    assert e.value({"count": {"ev": "delivered", "to_type": "PULL"}}) == 4
    assert e.value({"count": {"ev": "delivered", "to_kind": "worker", "from_type": "PUSH"}}) == 4
    assert e.value({"count": {"ev": "sent", "socket_type": "PUSH", "node_kind": "source"}}) == 1
    assert e.value({"count": {"ev": "delivered", "frame": {"prefix": "task"}}}) == 3
    assert e.value({"count": {"ev": "delivered", "frame": {"index": -1, "equals": "\u0001"}}}) == 1
    assert e.value({"count": {"ev": "delivered", "frame": {"index": 1, "equals": "hex:00ff"}}}) == 1
    assert e.value({"count": {"ev": "delivered", "frame": {"index": 5, "contains": ""}}}) == 0
    assert e.value({"count": {"ev": "delivered", "frames": ["task 2"]}}) == 1
    assert e.value({"count": {"ev": "delivered", "nframes": 3}}) == 1
    assert e.value({"count": {"ev": "node", "detail": "crash after"}}) == 1
    assert e.value({"count": {"ev": "error", "error": "EFSM"}}) == 1


def test_expressions():
    e = ev()
    task = {"ev": "delivered", "frame": {"prefix": "task"}}
    assert e.value({"first": task, "field": "to_node"}) == "w1"
    assert e.value({"last": task, "field": "frame:0"}) == "task 3"
    assert e.value({"first": {"ev": "link"}, "field": "to"}) is None
    assert e.value({"distinct": task, "field": "to"}) == 2
    assert e.value({"per": task, "field": "to_node", "agg": "max"}) == 2
    assert e.value({"per": task, "field": "to_node", "agg": "min"}) == 1
    assert e.value({"per": task, "field": "to_node", "agg": "min", "over": ["w1", "w2", "w3"]}) == 0
    assert e.value({"per": {"ev": "link"}, "field": "to", "agg": "min"}) == 0
    assert e.value(7) == 7 and e.value("x") == "x"
    assert len(e.evidence({"count": task})) == 3
    assert e.evidence({"last": task, "field": "to"})[0]["frames"] == ["task 3"]
    assert e.evidence(3) == []


def test_conditions_and_comparisons():
    e = ev()
    two = {"cmp": [{"count": {"ev": "delivered", "to_node": "w1"}}, "==", 2]}
    assert e.holds(two)
    assert not e.holds({"not": two})
    assert e.holds({"all": [two, {"any": [{"not": two}, two]}]})
    # an ordering against a missing value or across types is false, never an exception
    none = {"first": {"ev": "link"}, "field": "to"}
    for op in ("<", "<=", ">", ">="):
        assert not e.holds({"cmp": [none, op, 1]})
        assert not e.holds({"cmp": ["a", op, 1]})
        assert not e.holds({"cmp": [True, op, 0]})
    assert e.holds({"cmp": [none, "==", None]})
    assert e.holds({"cmp": ["b", ">", "a"]})


def test_goal_ticks_and_passes_only_all_at_once():
    e = Evaluator(DOC)
    goal = [
        {"id": "a", "test": {"cmp": [{"count": {"ev": "delivered"}}, ">=", 2]}},
        {"id": "b", "test": {"cmp": [{"count": {"ev": "error"}}, "==", 0]}},
    ]
    assert goal_state(e, goal) == {"items": {"a": False, "b": True}, "passed": False}
    e.add(EVENTS[:3])
    assert goal_state(e, goal)["passed"]
    e.add(EVENTS[3:])
    assert goal_state(e, goal) == {"items": {"a": True, "b": False}, "passed": False}
    assert goal_state(e, [])["passed"] is False


def test_judge_and_verdict():
    e = ev()
    first_to = {"first": {"ev": "delivered"}, "field": "to_node"}
    choice = {
        "kind": "choice",
        "settle": {"cmp": [{"count": {"ev": "delivered"}}, ">=", 4]},
        "options": [
            {"id": "w1", "when": {"cmp": [first_to, "==", "w1"]}},
            {"id": "w2", "when": {"cmp": [first_to, "==", "w2"]}},
        ],
    }
    j = judge(e, choice)
    assert j == {"settled": True, "right": ["w1"]}
    assert verdict(j, choice, "w1") is True and verdict(j, choice, "w2") is False
    assert verdict({"settled": False, "right": []}, choice, "w1") is None
    number = {"kind": "number", "answer": {"count": {"ev": "delivered", "to_node": "w2"}}}
    j = judge(e, number)
    assert j == {"settled": False, "answer": 2}
    assert verdict(j, number, "2") is True and verdict(j, number, 2.0) is True
    assert verdict(j, number, 3) is False and verdict(j, number, "two") is False
    assert verdict({"answer": None}, number, 0) is None
