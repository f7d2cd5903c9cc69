"""Validation of lesson documents (docs/lessons.md): every problem names the lesson, the step
and the field, e.g. ``lesson pipeline, step which-worker: question.options[1].when.cmp[1]:
unknown operator '=>'``. Pure: no flask, no zmq. Never raises on JSON-like input.
"""

from __future__ import annotations

import re

from ..presets import get_preset
from ..topology import validate as validate_topology
from .patch import NODE_PATCH_KEYS, PATCH_KEYS, PatchError, apply_patch
from .predicates import AGGS, EXPR_OPS, FRAME_TESTS, MATCH_KEYS, MESSAGE_EVENTS, OPS

VERSION = 1
ID = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
LANGS = ("en", "ko")
STEP_KINDS = ("predict", "build", "fix")
LESSON_KEYS = ("version", "id", "title", "intro", "seed", "steps")
STEP_KEYS = (
    "id",
    "kind",
    "title",
    "text",
    "preset",
    "patch",
    "topology",
    "seconds",
    "question",
    "reference",
    "explain",
    "evidence",
    "goal",
    "hints",
    "solution",
)
MAX_SECONDS = 120
MAX_TEXT = 4000


class Problems:
    """Collects problems as {"lesson", "step", "field", "message"}."""

    def __init__(self, lesson: str | None):
        self.lesson = lesson
        self.step: str | None = None
        self.list: list[dict] = []

    def add(self, path: str, message: str) -> None:
        where = f"lesson {self.lesson or '?'}"
        if self.step is not None:
            where += f", step {self.step}"
        self.list.append(
            {
                "lesson": self.lesson,
                "step": self.step,
                "field": path,
                "message": f"{where}: {path}: {message}",
            }
        )


def _closed(p: Problems, path: str, obj: dict, allowed) -> None:
    for key in obj:
        if key not in allowed:
            p.add(f"{path}.{key}" if path else str(key), "unknown field")


def _text(p: Problems, path: str, value, strict: bool) -> None:
    """A localized text: {"en", "ko"}; both required in the course, one enough when authored."""
    if not isinstance(value, dict):
        p.add(path, 'must be {"en": ..., "ko": ...}')
        return
    _closed(p, path, value, LANGS)
    present = [k for k in LANGS if isinstance(value.get(k), str) and value[k].strip()]
    for k in LANGS:
        if k in value and (not isinstance(value[k], str) or len(value[k]) > MAX_TEXT):
            p.add(f"{path}.{k}", f"must be a string of at most {MAX_TEXT} characters")
    if strict:
        for k in LANGS:
            if k not in present:
                p.add(f"{path}.{k}", "is required (English and Korean)")
    elif not present:
        p.add(path, "needs a text in English or Korean")


def check_match(p: Problems, path: str, m) -> None:
    """An event match: known keys, ``ev`` one of the event names, frame tests well formed."""
    if not isinstance(m, dict):
        p.add(path, "must be an object (an event match)")
        return
    _closed(p, path, m, MATCH_KEYS)
    if m.get("ev") not in MESSAGE_EVENTS:
        p.add(f"{path}.ev", f"must be one of {', '.join(MESSAGE_EVENTS)}")
    for key in MATCH_KEYS:
        if key in m and key not in ("frame", "frames", "nframes"):
            if not isinstance(m[key], str):
                p.add(f"{path}.{key}", "must be a string")
    if "frame" in m:
        f = m["frame"]
        if not isinstance(f, dict):
            p.add(f"{path}.frame", "must be {index, equals|prefix|contains}")
        else:
            _closed(p, f"{path}.frame", f, ("index",) + FRAME_TESTS)
            tests = [k for k in FRAME_TESTS if k in f]
            if len(tests) != 1 or not isinstance(f[tests[0]], str):
                p.add(f"{path}.frame", "needs exactly one of equals, prefix, contains (a string)")
            if "index" in f and (type(f["index"]) is not int or abs(f["index"]) > 16):
                p.add(f"{path}.frame.index", "must be an integer between -16 and 16")
    if "frames" in m and not (
        isinstance(m["frames"], list) and all(isinstance(x, str) for x in m["frames"])
    ):
        p.add(f"{path}.frames", "must be a list of strings")
    if "nframes" in m and (type(m["nframes"]) is not int or m["nframes"] < 0):
        p.add(f"{path}.nframes", "must be a non-negative integer")


def check_expr(p: Problems, path: str, e) -> None:
    """An expression: a literal, or one of count/first/last/distinct/per over a match."""
    if e is None or isinstance(e, (str, int, float, bool)):
        return
    if not isinstance(e, dict):
        p.add(path, "must be a literal or an expression object")
        return
    ops = [k for k in EXPR_OPS if k in e]
    if len(ops) != 1:
        p.add(path, f"needs exactly one of {', '.join(EXPR_OPS)}")
        return
    op = ops[0]
    allowed = {
        "count": ("count",),
        "first": ("first", "field"),
        "last": ("last", "field"),
        "distinct": ("distinct", "field"),
        "per": ("per", "field", "agg", "over"),
    }[op]
    _closed(p, path, e, allowed)
    check_match(p, f"{path}.{op}", e[op])
    if "field" in allowed and not isinstance(e.get("field"), str):
        p.add(f"{path}.field", "is required (an event field name)")
    if op == "per":
        if e.get("agg") not in AGGS:
            p.add(f"{path}.agg", "must be min or max")
        if "over" in e and not isinstance(e["over"], list):
            p.add(f"{path}.over", "must be a list of values")


def check_cond(p: Problems, path: str, c, depth: int = 0) -> None:
    """A condition: cmp, all, any or not."""
    if depth > 12:
        p.add(path, "is nested too deeply")
        return
    if not isinstance(c, dict) or len(c) != 1:
        p.add(path, "must be an object with exactly one of cmp, all, any, not")
        return
    key = next(iter(c))
    if key in ("all", "any"):
        if not isinstance(c[key], list) or not c[key]:
            p.add(f"{path}.{key}", "must be a non-empty list of conditions")
            return
        for i, sub in enumerate(c[key]):
            check_cond(p, f"{path}.{key}[{i}]", sub, depth + 1)
    elif key == "not":
        check_cond(p, f"{path}.not", c["not"], depth + 1)
    elif key == "cmp":
        v = c["cmp"]
        if not isinstance(v, list) or len(v) != 3:
            p.add(f"{path}.cmp", "must be [expression, operator, expression]")
            return
        if v[1] not in OPS:
            p.add(f"{path}.cmp[1]", f"unknown operator {v[1]!r} (one of {' '.join(OPS)})")
        check_expr(p, f"{path}.cmp[0]", v[0])
        check_expr(p, f"{path}.cmp[2]", v[2])
    else:
        p.add(path, f"unknown condition {key!r} (one of cmp, all, any, not)")


def _question(p: Problems, q, strict: bool) -> None:
    if not isinstance(q, dict):
        p.add("question", "is required for a predict step")
        return
    kind = q.get("kind")
    if kind == "choice":
        _closed(p, "question", q, ("kind", "options", "settle"))
        opts = q.get("options")
        if not isinstance(opts, list) or not 2 <= len(opts) <= 6:
            p.add("question.options", "must list 2 to 6 options")
            opts = []
        seen = set()
        for i, o in enumerate(opts):
            path = f"question.options[{i}]"
            if not isinstance(o, dict):
                p.add(path, "must be {id, text, when}")
                continue
            _closed(p, path, o, ("id", "text", "when"))
            if not isinstance(o.get("id"), str) or not ID.match(o["id"]) or o["id"] in seen:
                p.add(f"{path}.id", "must be a unique id (a-z, 0-9, -)")
            seen.add(o.get("id"))
            _text(p, f"{path}.text", o.get("text"), strict)
            check_cond(p, f"{path}.when", o.get("when"))
    elif kind == "number":
        _closed(p, "question", q, ("kind", "answer", "settle"))
        if "answer" not in q:
            p.add("question.answer", "is required (an expression)")
        check_expr(p, "question.answer", q.get("answer"))
    else:
        p.add("question.kind", "must be choice or number")
        return
    if "settle" in q:
        check_cond(p, "question.settle", q["settle"])
    else:
        p.add("question.settle", "is required: when the run has shown enough to judge")


def _goal(p: Problems, goal) -> None:
    if not isinstance(goal, list) or not 1 <= len(goal) <= 8:
        p.add("goal", "must list 1 to 8 checklist items")
        return
    seen = set()
    for i, item in enumerate(goal):
        path = f"goal[{i}]"
        if not isinstance(item, dict):
            p.add(path, "must be {id, text, test}")
            continue
        _closed(p, path, item, ("id", "text", "test"))
        if not isinstance(item.get("id"), str) or not ID.match(item["id"]) or item["id"] in seen:
            p.add(f"{path}.id", "must be a unique id (a-z, 0-9, -)")
        seen.add(item.get("id"))
        _text(p, f"{path}.text", item.get("text"), strict=False)
        check_cond(p, f"{path}.test", item.get("test"))


def _patch(p: Problems, path: str, patch) -> bool:
    if not isinstance(patch, dict):
        p.add(path, "must be a patch object")
        return False
    _closed(p, path, patch, PATCH_KEYS)
    nodes = patch.get("nodes", {})
    if not isinstance(nodes, dict):
        p.add(f"{path}.nodes", "must map node ids to changes")
        return False
    for nid, change in nodes.items():
        if not isinstance(change, dict):
            p.add(f"{path}.nodes.{nid}", "must be an object")
            return False
        _closed(p, f"{path}.nodes.{nid}", change, NODE_PATCH_KEYS)
    for key in ("remove_nodes", "remove_links", "add_nodes", "add_links"):
        if key in patch and not isinstance(patch[key], list):
            p.add(f"{path}.{key}", "must be a list")
            return False
    if "set" in patch and not isinstance(patch["set"], dict):
        p.add(f"{path}.set", "must be an object")
        return False
    return True


def _topology_ok(p: Problems, path: str, doc) -> None:
    for problem in validate_topology(doc)[:5]:
        p.add(path, f"topology: {problem['message']}")


def resolve_topology(step: dict) -> dict | None:
    """The step's starting topology: its ``topology``, or its preset with ``patch`` applied."""
    if isinstance(step.get("topology"), dict):
        return step["topology"]
    preset = get_preset(step.get("preset")) if isinstance(step.get("preset"), str) else None
    if preset is None:
        return None
    return apply_patch(preset["topology"], step.get("patch"))


def check_step(p: Problems, step, strict: bool = True) -> None:
    """Every problem of one step (``strict``: a course step, which needs both languages and a
    reference solution)."""
    if not isinstance(step, dict):
        p.add("", "a step must be an object")
        return
    _closed(p, "", step, STEP_KEYS)
    kind = step.get("kind")
    if kind not in STEP_KINDS:
        p.add("kind", "must be predict, build or fix")
    _text(p, "title", step.get("title"), strict)
    _text(p, "text", step.get("text"), strict)
    if "seconds" in step and (
        type(step["seconds"]) is not int or not 1 <= step["seconds"] <= MAX_SECONDS
    ):
        p.add("seconds", f"must be an integer between 1 and {MAX_SECONDS}")
    has_topo, has_preset = "topology" in step, "preset" in step
    if has_topo == has_preset:
        p.add("topology", "give exactly one of topology and preset")
    elif has_preset and get_preset(step["preset"]) is None:
        p.add("preset", f"no preset {step['preset']!r}")
    elif has_topo and "patch" in step:
        p.add("patch", "applies to a preset only")
    start = None
    if "patch" not in step or _patch(p, "patch", step["patch"]):
        try:
            start = resolve_topology(step)
        except (PatchError, KeyError, TypeError) as err:
            p.add("patch", str(err))
    if start is not None:
        _topology_ok(p, "topology" if has_topo else "patch", start)
    if kind == "predict":
        _question(p, step.get("question"), strict)
        _text(p, "explain", step.get("explain"), strict)
        if "evidence" in step:
            check_match(p, "evidence", step["evidence"])
        for key in ("goal", "solution", "hints"):
            if key in step:
                p.add(key, "belongs to build and fix steps")
        ref = step.get("reference")
        q = step.get("question") if isinstance(step.get("question"), dict) else {}
        if "reference" in step:
            ids = [o.get("id") for o in q.get("options", []) if isinstance(o, dict)]
            if q.get("kind") == "choice" and ref not in ids:
                p.add("reference", "must be the id of one option")
            if q.get("kind") == "number" and (type(ref) is not int):
                p.add("reference", "must be an integer")
    elif kind in ("build", "fix"):
        _goal(p, step.get("goal"))
        for key in ("question", "reference", "evidence"):
            if key in step:
                p.add(key, "belongs to predict steps")
        if "explain" in step:
            _text(p, "explain", step["explain"], strict)
        hints = step.get("hints", [])
        if not isinstance(hints, list) or len(hints) > 6:
            p.add("hints", "must be a list of at most 6 texts")
            hints = []
        for i, h in enumerate(hints):
            _text(p, f"hints[{i}]", h, strict)
        if kind == "fix" and not hints:
            p.add("hints", "a fix step needs at least one hint")
        if "solution" in step:
            if _patch(p, "solution", step["solution"]) and start is not None:
                try:
                    _topology_ok(p, "solution", apply_patch(start, step["solution"]))
                except (PatchError, KeyError, TypeError) as err:
                    p.add("solution", str(err))
        elif strict:
            p.add("solution", "a course step needs its reference solution (a patch)")


def validate_lesson(lesson) -> list[dict]:
    """Every problem of a lesson document; [] when it is valid."""
    lid = lesson.get("id") if isinstance(lesson, dict) else None
    p = Problems(lid if isinstance(lid, str) else None)
    if not isinstance(lesson, dict):
        p.add("", "a lesson must be an object")
        return p.list
    _closed(p, "", lesson, LESSON_KEYS)
    if lesson.get("version") != VERSION:
        p.add("version", f"must be {VERSION}")
    if not isinstance(lid, str) or not ID.match(lid):
        p.add("id", "must match ^[a-z][a-z0-9-]{0,39}$")
    _text(p, "title", lesson.get("title"), True)
    _text(p, "intro", lesson.get("intro"), True)
    if "seed" in lesson and not isinstance(lesson["seed"], str):
        p.add("seed", "must be a string")
    steps = lesson.get("steps")
    if not isinstance(steps, list) or not 1 <= len(steps) <= 20:
        p.add("steps", "must list 1 to 20 steps")
        return p.list
    seen = set()
    for i, step in enumerate(steps):
        sid = step.get("id") if isinstance(step, dict) else None
        p.step = sid if isinstance(sid, str) and ID.match(sid) else f"#{i + 1}"
        if not isinstance(sid, str) or not ID.match(sid):
            p.add("id", "must match ^[a-z][a-z0-9-]{0,39}$")
        elif sid in seen:
            p.add("id", "is used by another step of this lesson")
        seen.add(sid)
        check_step(p, step, strict=True)
    return p.list


def validate_step(step) -> list[dict]:
    """Every problem of one authored step (one language is enough, no solution needed)."""
    sid = step.get("id") if isinstance(step, dict) else None
    p = Problems("authored")
    p.step = sid if isinstance(sid, str) else "?"
    if not isinstance(sid, str) or not ID.match(sid):
        p.add("id", "must match ^[a-z][a-z0-9-]{0,39}$")
    check_step(p, step, strict=False)
    return p.list
