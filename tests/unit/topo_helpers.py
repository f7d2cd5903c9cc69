"""Shared builders for the topology unit tests (a plain module, imported by the tests)."""

import copy
from pathlib import Path


def valid_doc():
    """A small valid pipeline: vent (PUSH bind) -> w1 (PULL in, PUSH out) -> sink (PULL bind)."""
    return copy.deepcopy(
        {
            "version": 1,
            "title": "t",
            "nodes": [
                {
                    "id": "vent",
                    "kind": "source",
                    "x": 100,
                    "y": 200,
                    "sockets": [{"name": "out", "type": "PUSH", "mode": "bind"}],
                    "behaviour": {"socket": "out", "frames": ["task {n}"]},
                },
                {
                    "id": "w1",
                    "kind": "worker",
                    "sockets": [
                        {"name": "in", "type": "PULL", "mode": "connect", "options": {}},
                        {"name": "out", "type": "PUSH", "mode": "connect"},
                    ],
                    "behaviour": {"input": "in", "output": "out"},
                },
                {
                    "id": "sink",
                    "kind": "sink",
                    "sockets": [{"name": "in", "type": "PULL", "mode": "bind"}],
                    "behaviour": {"socket": "in"},
                },
            ],
            "links": [
                {
                    "id": "l1",
                    "connect": {"node": "w1", "socket": "in"},
                    "bind": {"node": "vent", "socket": "out"},
                },
                {
                    "id": "l2",
                    "connect": {"node": "w1", "socket": "out"},
                    "bind": {"node": "sink", "socket": "in"},
                },
            ],
        }
    )


def node(doc, nid):
    """The node with id `nid` in `doc`."""
    return next(n for n in doc["nodes"] if n["id"] == nid)


def link(lid, c, b):
    """A link dict from 'node.socket' strings."""
    cn, cs = c.split(".")
    bn, bs = b.split(".")
    return {"id": lid, "connect": {"node": cn, "socket": cs}, "bind": {"node": bn, "socket": bs}}


def walk(value, path=()):
    """Yield (path tuple, value) for every value inside a JSON-like structure."""
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, path + (i,))


def replaced(doc, path, new):
    """A deep copy of `doc` with the value at `path` replaced by `new` (root when path is ())."""
    if not path:
        return new
    doc = copy.deepcopy(doc)
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return doc


def deep_list(depth):
    """[[[...]]] nested `depth` times, built without recursion."""
    value = []
    for _ in range(depth):
        value = [value]
    return value


DOC = Path(__file__).resolve().parents[2] / "docs" / "topology.md"


def doc_section(title):
    """The lines of docs/topology.md under the heading containing `title`, up to the next one."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("#") and title in line)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    return lines[start + 1 : end]
