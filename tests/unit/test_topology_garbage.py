"""validate() never raises, whatever JSON-like value it is given, and never hits its safety net."""

import json
import math

import pytest
from topo_helpers import deep_list, replaced, valid_doc, walk

from app.presets import get_preset
from app.topology import normalize, validate
from app.topology.messages import MESSAGES, render

ODD = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    math.nan,
    math.inf,
    10**400,
    -(10**400),
    "",
    "x",
    "x" * 200_000,
    "\ud800",
    "\x00",
    [],
    {},
    [None],
    {"": None},
    {"k": [{}]},
    deep_list(50_000),
    ["a"] * 10_000,
    {str(k): k for k in range(2000)},
    ("tuple",),
    {1: 2},
    object(),
]


def assert_clean(doc):
    problems = validate(doc)
    assert isinstance(problems, list)
    for p in problems:
        assert set(p) == {"path", "node", "socket", "field", "message", "link", "code", "vars"}
        assert isinstance(p["message"], str) and len(p["message"]) < 2000
        assert "internal validation error" not in p["message"], p["message"]
        assert p["code"] in MESSAGES and p["message"] == render(p["code"], p["vars"])
        json.dumps(p["vars"])  # sendable too
        p["message"].encode("utf-8")  # must be sendable as it is
    return problems


@pytest.mark.parametrize("value", ODD, ids=lambda v: type(v).__name__)
def test_odd_documents(value):
    assert_clean(value)
    assert_clean({"version": 1, "nodes": value, "links": value, "view": value, "title": value})
    assert_clean({"version": 1, "nodes": [value], "links": [value]})
    assert_clean({value if isinstance(value, str) else "k": value})


def test_every_path_of_a_valid_document_replaced_by_odd_values():
    base = valid_doc()
    paths = [path for path, _ in walk(base)]
    for path in paths:
        for value in ODD:
            assert_clean(replaced(base, path, value))


def test_presets_mutated():
    base = get_preset("pubsub-weather")["topology"]
    for path, _ in walk(base):
        for value in (None, [], {}, "PAIR", -1):
            assert_clean(replaced(base, path, value))


def test_huge_but_well_formed_document_is_fast_enough():
    doc = valid_doc()
    doc["nodes"] *= 400
    doc["links"] *= 400
    problems = validate(doc)
    assert problems[-1]["message"].startswith("topology: stopped after 1000 problems")


try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is optional
    st = None

if st is not None:
    WORDS = st.sampled_from(
        [
            "version",
            "nodes",
            "links",
            "id",
            "kind",
            "sockets",
            "behaviour",
            "name",
            "type",
            "mode",
            "options",
            "connect",
            "bind",
            "node",
            "socket",
            "source",
            "sink",
            "worker",
            "replier",
            "PUSH",
            "PULL",
            "PAIR",
            "SUB",
            "subscribe",
            "sndhwm",
            "frames",
            "input",
            "output",
            "x",
            "view",
            "k",
        ]
    )
    SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | WORDS
    JSONISH = st.recursive(
        SCALARS,
        lambda inner: (
            st.lists(inner, max_size=5)
            | st.dictionaries(WORDS | st.text(max_size=5), inner, max_size=6)
        ),
        max_leaves=40,
    )

    @settings(
        max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(JSONISH)
    def test_hypothesis_random_values(value):
        assert_clean(value)
        assert_clean({"version": 1, "nodes": [value], "links": [value]})

    @settings(
        max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(st.data())
    def test_hypothesis_mutated_valid_document(data):
        base = valid_doc()
        paths = [path for path, _ in walk(base)]
        doc = base
        for _ in range(data.draw(st.integers(1, 3))):
            path = data.draw(st.sampled_from(paths))
            try:
                doc = replaced(doc, path, data.draw(JSONISH))
            except (KeyError, IndexError, TypeError):
                pass  # an earlier mutation removed the path
        problems = assert_clean(doc)
        if not problems:
            assert validate(normalize(doc)) == []
