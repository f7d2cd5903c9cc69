"""Fuzz the topology document (hypothesis) through POST /api/validate and the websocket ``start``:
thousands of cases, including deep nesting and huge strings. 0 server errors; every rejection is a
list of problems, each naming the field it concerns."""

from __future__ import annotations

import copy
import json
import re
import urllib.error
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.robust import serve, ws
from test_no_outside_endpoints import rich_doc

from app import create_app
from app.presets import get_preset, list_presets

DEEP = "__DEEP__"
HUGE = "__HUGE__"

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
        "PUB",
        "REQ",
        "REP",
        "ROUTER",
        "DEALER",
        "subscribe",
        "sndhwm",
        "rcvhwm",
        "frames",
        "topics",
        "input",
        "output",
        "transform",
        "prefix",
        "text",
        "view",
        "k",
        "x",
        "y",
        "transport",
        "tcp",
        "ipc",
        "inproc",
        "interval_ms",
        "count",
        "routing_id",
        "endpoint",
        "tcp://10.0.0.1:80",
        "ipc://../x",
        "{n}",
        "{topic}",
        "{node}",
        "STREAM",
        "",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | WORDS
    | st.sampled_from([0, -1, 1, 100000, 100001, 10**18, 1e308, -0.0, 0.5])
    | st.just(DEEP)
    | st.just(HUGE)
)
JSONISH = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=6)
        | st.dictionaries(WORDS | st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=30,
)
BASES = [rich_doc(t) for t in ("ipc", "tcp", "inproc")] + [
    get_preset(p["id"])["topology"] for p in list_presets()
]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, path + (i,))


@st.composite
def documents(draw):
    """(JSON text, the parsed document or None): a mutated valid document, or anything."""
    if draw(st.integers(0, 9)) == 0:
        doc = draw(JSONISH)
    else:
        doc = copy.deepcopy(draw(st.sampled_from(BASES)))
        for _ in range(draw(st.integers(1, 4))):
            paths = list(_paths(doc))
            path = draw(st.sampled_from(paths))
            target = doc
            for key in path[:-1]:
                target = target[key]
            action = draw(st.sampled_from(["replace", "replace", "add", "delete"]))
            if not path:
                doc = draw(JSONISH)
                break
            if action == "delete" and isinstance(target, (dict, list)):
                del target[path[-1]]
            elif action == "add" and isinstance(target[path[-1]], dict):
                target[path[-1]][draw(WORDS | st.text(max_size=8))] = draw(JSONISH)
            else:
                target[path[-1]] = draw(JSONISH)
    text = json.dumps(doc)
    deep = draw(st.sampled_from([10, 1000, 100_000]))
    huge = draw(st.sampled_from(["x", "é", "\u4e00", "\U0001f600"])) * draw(
        st.sampled_from([300, 50_000, 240_000, 600_000])
    )
    text = text.replace(json.dumps(DEEP), "[" * deep + "]" * deep, 1)
    text = text.replace(json.dumps(DEEP), json.dumps({"a": [{"b": [1] * 3}] * 3}))
    text = text.replace(json.dumps(HUGE), json.dumps(huge, ensure_ascii=False), 1)
    text = text.replace(json.dumps(HUGE), '"h"')
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        parsed = None
    return text, parsed


_TOKEN = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")


def locates(doc, path: str) -> bool:
    """``path`` leads into ``doc`` up to its first missing key (a missing required field, or a
    field inside a missing object): every index and key before that exists."""
    if path == "":
        return True
    here = doc
    pos = 0
    while pos < len(path):
        m = _TOKEN.match(path, pos)
        if not m:  # "nodes[0]." names the empty key ""
            return path[pos:] == "." and isinstance(here, dict) and "" in here
        index, key = m.group(1), m.group(2)
        if index is not None:
            if not isinstance(here, list):
                return False
            if int(index) >= len(here):
                return False
            here = here[int(index)]
        else:
            if not isinstance(here, dict):
                return False
            if key not in here:
                return True  # a missing field (or one inside a missing object), or an odd key
            here = here[key]
        pos = m.end()
    return True


def check_problems(problems, doc):
    assert isinstance(problems, list) and problems
    for p in problems:
        assert set(p) == {"path", "node", "socket", "field", "message", "link", "code", "vars"}, p
        msg = p["message"]
        assert isinstance(msg, str) and 0 < len(msg) < 2000
        assert "internal validation error" not in msg, msg
        # names what it concerns: a located field, or the whole document
        assert p["path"] or msg.startswith("topology:"), p
        if isinstance(doc, dict) and p["path"]:
            assert locates(doc, p["path"]), (p["path"], msg)


FUZZ = settings(
    max_examples=1500,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def client():
    return create_app({"TESTING": True}).test_client()


@FUZZ
@given(case=documents())
def test_validate_endpoint(client, case):
    text, doc = case
    r = client.post(
        "/api/validate", data=text.encode("utf-8", "surrogatepass"), content_type="application/json"
    )
    if len(text.encode("utf-8", "surrogatepass")) > 1_000_000:
        assert r.status_code == 413 and "MAX_CONTENT_LENGTH" in r.get_json()["error"]
        return
    assert r.status_code == 200
    body = r.get_json()
    assert isinstance(body["ok"], bool)
    if not body["ok"]:
        check_problems(body["errors"], doc)


@pytest.fixture(scope="module")
def srv():
    with serve(WS_COMMANDS_PER_SECOND=100000, TRACE_RATE=100, WS_MAX_MESSAGE=2_000_000) as s:
        yield s


@pytest.fixture(scope="module")
def page(srv):
    c = ws(srv)
    yield c
    c.close()


@settings(
    max_examples=600,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(case=documents())
def test_websocket_start(srv, page, case):
    text, doc = case
    page.sock.sendall(
        page.conn.send(
            __import__("wsproto.events").events.Message(
                data='{"op": "start", "topology": ' + text + "}"
            )
        )
    )
    _, msg = page.recv_until(lambda m: m["type"] in ("started", "invalid", "error"), timeout=20)
    if msg["type"] == "started":
        page.send({"op": "stop"})
        page.recv_until(lambda m: m["type"] == "stopped")
    elif msg["type"] == "invalid":
        check_problems(msg["errors"], doc)
    else:
        assert "nested too deeply" in msg["message"] or "JSON" in msg["message"], msg


@settings(
    max_examples=300,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(case=documents())
def test_validate_over_http(srv, case):
    text, doc = case
    req = urllib.request.Request(
        srv.url + "/api/validate",
        data=text.encode("utf-8", "surrogatepass"),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            status, body = r.status, json.load(r)
    except urllib.error.HTTPError as err:
        status, body = err.code, json.load(err)
    assert status in (200, 413), status
    if status == 200 and not body["ok"]:
        check_problems(body["errors"], doc)


def test_the_server_logged_no_error(srv, page):
    page.send({"op": "ping"})
    page.recv_until(lambda m: m["type"] == "pong")  # the fuzzed socket is still alive
    assert srv.resources()["runs"] == 0
    log = srv.log()
    assert "Traceback" not in log and "Error handling request" not in log, log[-3000:]
