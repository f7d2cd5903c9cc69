"""The lesson predicate vocabulary: what a step asks of a run, evaluated over the run's events.

Pure (no flask, no zmq). ``static/js/lessons/check.js`` is its twin in the page; both are held
to the same results by tests/lessons/test_parity.py. The vocabulary (docs/lessons.md):

- a *match* selects events: ``{"ev": "delivered", "to_node": "w1", "frame": {"index": 0,
  "prefix": "task"}}``; keys ``ev node socket link from to state error`` (exact), ``from_node
  to_node`` (the node part of ``from``/``to``), ``to_type from_type socket_type`` (socket type,
  read from the topology), ``node_kind to_kind`` (node kind), ``frame`` (one frame: ``index``,
  negative from the end, and one of ``equals prefix contains``), ``frames`` (every frame),
  ``nframes``, ``detail`` (substring of a node event's detail);
- an *expression* is a literal or ``{"count": match}``, ``{"first"|"last": match, "field": F}``,
  ``{"distinct": match, "field": F}``, ``{"per": match, "field": F, "agg": "min"|"max",
  "over": [values]}``;
- a *condition* is ``{"cmp": [expr, op, expr]}`` (op ``== != < <= > >=``), ``{"all": [...]}``,
  ``{"any": [...]}``, ``{"not": cond}``.

Fields F: any event key, ``from_node``, ``to_node``, ``nframes``, ``frame:N``.
"""

from __future__ import annotations

MESSAGE_EVENTS = ("sent", "delivered", "filtered", "node", "error", "link")
EXACT_KEYS = ("ev", "node", "socket", "link", "from", "to", "state", "error")
MATCH_KEYS = EXACT_KEYS + (
    "from_node",
    "to_node",
    "to_type",
    "from_type",
    "socket_type",
    "node_kind",
    "to_kind",
    "frame",
    "frames",
    "nframes",
    "detail",
)
FRAME_TESTS = ("equals", "prefix", "contains")
EXPR_OPS = ("count", "first", "last", "distinct", "per")
OPS = ("==", "!=", "<", "<=", ">", ">=")
AGGS = ("min", "max")


class Topo:
    """What matches need from the topology: socket types and node kinds."""

    def __init__(self, doc: dict | None):
        self.types: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        for node in (doc or {}).get("nodes", []) or []:
            self.kinds[node.get("id")] = node.get("kind")
            for s in node.get("sockets", []) or []:
                self.types[f"{node.get('id')}.{s.get('name')}"] = s.get("type")


def _node_of(key):
    return key.split(".", 1)[0] if isinstance(key, str) else None


def _frame_text(frame):
    """A frame as the events carry it: a string, or {"hex": ...} for non-UTF-8 bytes."""
    if isinstance(frame, dict):
        return "hex:" + str(frame.get("hex", ""))
    return frame if isinstance(frame, str) else None


def field(ev: dict, name: str):
    """The value of ``name`` in event ``ev`` (None when it has none)."""
    frames = ev.get("frames") if isinstance(ev.get("frames"), list) else None
    if name == "from_node":
        return _node_of(ev.get("from"))
    if name == "to_node":
        return _node_of(ev.get("to"))
    if name == "nframes":
        return len(frames) if frames is not None else None
    if name.startswith("frame:"):
        try:
            index = int(name[6:])
        except ValueError:
            return None
        if frames is None or not -len(frames) <= index < len(frames):
            return None
        return _frame_text(frames[index])
    value = ev.get(name)
    return value if isinstance(value, (str, int, float, bool)) or value is None else None


def _frame_ok(ev: dict, spec: dict) -> bool:
    text = field(ev, f"frame:{spec.get('index', 0)}")
    if text is None:
        return False
    if "equals" in spec:
        return text == spec["equals"]
    if "prefix" in spec:
        return text.startswith(spec["prefix"])
    if "contains" in spec:
        return spec["contains"] in text
    return True


def matches(ev: dict, m: dict, topo: Topo) -> bool:
    """Whether event ``ev`` is selected by match ``m``."""
    for key in EXACT_KEYS:
        if key in m and ev.get(key) != m[key]:
            return False
    if "from_node" in m and field(ev, "from_node") != m["from_node"]:
        return False
    if "to_node" in m and field(ev, "to_node") != m["to_node"]:
        return False
    if "to_type" in m and topo.types.get(ev.get("to")) != m["to_type"]:
        return False
    if "from_type" in m and topo.types.get(ev.get("from")) != m["from_type"]:
        return False
    if "socket_type" in m:
        if topo.types.get(f"{ev.get('node')}.{ev.get('socket')}") != m["socket_type"]:
            return False
    if "node_kind" in m and topo.kinds.get(ev.get("node")) != m["node_kind"]:
        return False
    if "to_kind" in m and topo.kinds.get(field(ev, "to_node")) != m["to_kind"]:
        return False
    if "frame" in m and not _frame_ok(ev, m["frame"]):
        return False
    if "frames" in m:
        frames = ev.get("frames")
        if not isinstance(frames, list) or [_frame_text(f) for f in frames] != m["frames"]:
            return False
    if "nframes" in m and field(ev, "nframes") != m["nframes"]:
        return False
    if "detail" in m and m["detail"] not in str(ev.get("detail", "")):
        return False
    return True


class Evaluator:
    """Expressions and conditions over one run's events (the list grows as the run goes)."""

    def __init__(self, doc: dict | None, events: list[dict] | None = None):
        self.topo = Topo(doc)
        self.events: list[dict] = list(events or [])

    def add(self, events: list[dict]) -> None:
        self.events.extend(events)

    def select(self, m: dict) -> list[dict]:
        return [e for e in self.events if matches(e, m, self.topo)]

    def value(self, expr):
        """The value of an expression: a literal, or a count/first/last/distinct/per of a match."""
        if not isinstance(expr, dict):
            return expr
        if "count" in expr:
            return len(self.select(expr["count"]))
        if "first" in expr or "last" in expr:
            found = self.select(expr.get("first") or expr.get("last"))
            if not found:
                return None
            return field(found[0] if "first" in expr else found[-1], expr["field"])
        if "distinct" in expr:
            seen = {field(e, expr["field"]) for e in self.select(expr["distinct"])}
            seen.discard(None)
            return len(seen)
        if "per" in expr:
            counts: dict = {v: 0 for v in expr.get("over", [])}
            for e in self.select(expr["per"]):
                v = field(e, expr["field"])
                if v is not None and ("over" not in expr or v in counts):
                    counts[v] = counts.get(v, 0) + 1
            if not counts:
                return 0
            return min(counts.values()) if expr["agg"] == "min" else max(counts.values())
        raise ValueError(f"unknown expression {sorted(expr)}")

    def evidence(self, expr) -> list[dict]:
        """The events an expression's value was read from (first/last: one; others: all)."""
        if not isinstance(expr, dict):
            return []
        for key in ("count", "distinct", "per"):
            if key in expr:
                return self.select(expr[key])
        found = self.select(expr.get("first") or expr.get("last") or {})
        if not found:
            return []
        return [found[0] if "first" in expr else found[-1]]

    def holds(self, cond: dict) -> bool:
        """Whether condition ``cond`` holds over the events seen so far."""
        if "all" in cond:
            return all(self.holds(c) for c in cond["all"])
        if "any" in cond:
            return any(self.holds(c) for c in cond["any"])
        if "not" in cond:
            return not self.holds(cond["not"])
        left, op, right = cond["cmp"]
        return compare(self.value(left), op, self.value(right))


def compare(a, op: str, b) -> bool:
    """``a op b``; an ordering against a missing value (None) or across types is false."""
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    numeric = (int, float)
    ok = (isinstance(a, numeric) and isinstance(b, numeric)) or (
        isinstance(a, str) and isinstance(b, str)
    )
    if not ok or isinstance(a, bool) or isinstance(b, bool):
        return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def goal_state(ev: Evaluator, goal: list[dict]) -> dict:
    """{item id: bool} for a build/fix goal, plus "passed" when every item holds at once."""
    ticks = {item["id"]: ev.holds(item["test"]) for item in goal}
    return {"items": ticks, "passed": bool(ticks) and all(ticks.values())}


def judge(ev: Evaluator, question: dict) -> dict:
    """The run's own answer to a predict question: {"settled", "options"/"answer", ...}."""
    settled = ev.holds(question["settle"]) if "settle" in question else False
    if question["kind"] == "choice":
        right = [o["id"] for o in question["options"] if ev.holds(o["when"])]
        return {"settled": settled, "right": right}
    return {"settled": settled, "answer": ev.value(question["answer"])}


def verdict(judged: dict, question: dict, answer) -> bool | None:
    """Whether the learner's ``answer`` matches what the run did (None: the run shows neither)."""
    if question["kind"] == "choice":
        if not judged["right"]:
            return None
        return answer in judged["right"]
    if judged["answer"] is None:
        return None
    try:
        return float(answer) == float(judged["answer"])
    except (TypeError, ValueError):
        return False
