"""Endpoints never come from users: an address placed anywhere in a document is refused or stays
inert data; every bind and connect of a run is one the engine chose (0 connects elsewhere)."""

from __future__ import annotations

import copy
import re
import socket
import tempfile

import gevent
import pytest
import zmq
from support.robust import serve, started, stopped, ws

from app.engine.run import Run
from app.topology import prepare, validate


def _listener():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    s.setblocking(False)
    return s, s.getsockname()[1]


LISTENER, PORT = _listener()
ADDRESSES = [
    "tcp://10.0.0.1:80",
    "tcp://169.254.169.254:80",
    "tcp://localhost:22",
    "ipc://../x",
    "ipc://@x",
    "inproc://x",
    "tcp://*:5555",
    "pgm://eth0;239.192.1.1:5555",
    f"tcp://127.0.0.1:{PORT}",
    f"tcp://localhost:{PORT}",
    f"ws://127.0.0.1:{PORT}",
    "udp://127.0.0.1:9",
    "tcp://eth0:80",
    "/etc/passwd",
    "../../x",
]


def sock(name, type_, mode, **options):
    return {"name": name, "type": type_, "mode": mode, "options": options}


def rich_doc(transport="ipc"):
    """Every kind of free string a document holds: titles, labels, frames, topics, texts,
    subscriptions, routing ids."""
    return copy.deepcopy(
        {
            "version": 1,
            "title": "t",
            "description": "d",
            "transport": transport,
            "view": {"x": 0, "y": 0, "k": 1},
            "nodes": [
                {
                    "id": "pub",
                    "kind": "source",
                    "label": "P",
                    "sockets": [sock("o", "PUB", "bind")],
                    "behaviour": {
                        "socket": "o",
                        "interval_ms": 20,
                        "frames": ["{topic}", "m {n}"],
                        "topics": ["a"],
                    },
                },
                {
                    "id": "sub",
                    "kind": "sink",
                    "label": "S",
                    "sockets": [sock("i", "SUB", "connect", subscribe=["a"])],
                    "behaviour": {"socket": "i"},
                },
                {
                    "id": "cli",
                    "kind": "source",
                    "label": "C",
                    "sockets": [sock("q", "REQ", "connect", routing_id="c1")],
                    "behaviour": {"socket": "q", "interval_ms": 20, "frames": ["hi"]},
                },
                {
                    "id": "srv",
                    "kind": "replier",
                    "label": "R",
                    "sockets": [sock("r", "REP", "bind")],
                    "behaviour": {"socket": "r", "transform": "prefix", "text": "re "},
                },
                {
                    "id": "w",
                    "kind": "worker",
                    "label": "W",
                    "sockets": [
                        sock("in", "SUB", "connect", subscribe=[""]),
                        sock("out", "PUSH", "connect"),
                    ],
                    "behaviour": {
                        "input": "in",
                        "output": "out",
                        "work_ms": 0,
                        "transform": "fixed",
                        "text": "x",
                    },
                },
                {
                    "id": "end",
                    "kind": "sink",
                    "label": "E",
                    "sockets": [sock("i", "PULL", "bind")],
                    "behaviour": {"socket": "i"},
                },
            ],
            "links": [
                {
                    "id": "l1",
                    "connect": {"node": "sub", "socket": "i"},
                    "bind": {"node": "pub", "socket": "o"},
                },
                {
                    "id": "l2",
                    "connect": {"node": "cli", "socket": "q"},
                    "bind": {"node": "srv", "socket": "r"},
                },
                {
                    "id": "l3",
                    "connect": {"node": "w", "socket": "in"},
                    "bind": {"node": "pub", "socket": "o"},
                },
                {
                    "id": "l4",
                    "connect": {"node": "w", "socket": "out"},
                    "bind": {"node": "end", "socket": "i"},
                },
            ],
        }
    )


def string_leaves(value, path=()):
    """(path, value) of every string inside a JSON value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from string_leaves(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from string_leaves(v, path + (i,))


def put(doc, path, value):
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


def dotted(path):
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
    return out


def names_the_field(problems, path):
    """Some problem points at ``path`` (or at the object holding it, for a key/value refusal)."""
    want = dotted(path)
    parent = dotted(path[:-1])
    return any(
        p["path"] in (want, parent) or (p["path"] and want.startswith(p["path"])) for p in problems
    )


def inert_documents():
    """For each address: one document with it in every string field that accepts it.

    Also checks every refusal names the field it concerns.
    """
    base = rich_doc()
    leaves = list(string_leaves(base))
    accepted = {}
    for addr in ADDRESSES:
        for path, _old in leaves:
            doc = put(base, path, addr)
            problems = validate(doc)
            if problems:
                assert names_the_field(problems, path), (path, addr, problems)
            else:
                accepted.setdefault(addr, []).append(path)
    docs = {}
    for addr, paths in accepted.items():
        doc = base
        for path in paths:
            doc = put(doc, path, addr)
        assert validate(doc) == [], addr
        docs[addr] = doc
    return docs, accepted


def test_addresses_are_refused_where_they_would_mean_something():
    docs, accepted = inert_documents()
    for addr, paths in accepted.items():
        for path in paths:
            assert (
                path[-1] in ("title", "description", "label", "text")
                or "frames" in path
                or "topics" in path
                or "subscribe" in path
                or "routing_id" in path
            ), (addr, path)
    # ids, names, kinds, types, modes, transports, link ends never take an address
    assert not any(
        p
        and p[-1]
        in ("id", "kind", "type", "mode", "transport", "node", "socket", "name", "input", "output")
        for paths in accepted.values()
        for p in paths
    )


@pytest.mark.parametrize(
    "where", ["top", "node", "socket", "options", "behaviour", "link", "link_end", "view"]
)
@pytest.mark.parametrize(
    "key",
    [
        "endpoint",
        "address",
        "bind",
        "connect",
        "url",
        "host",
        "path",
        "interface",
        "last_endpoint",
        "router_raw",
        "stream_notify",
        "zap_domain",
        "socks_proxy",
        "tcp_accept_filter",
    ],
)
def test_any_field_naming_an_endpoint_is_refused(where, key):
    doc = rich_doc()
    targets = {
        "top": lambda d: d,
        "node": lambda d: d["nodes"][0],
        "socket": lambda d: d["nodes"][0]["sockets"][0],
        "options": lambda d: d["nodes"][0]["sockets"][0]["options"],
        "behaviour": lambda d: d["nodes"][0]["behaviour"],
        "link": lambda d: d["links"][0],
        "link_end": lambda d: d["links"][0]["connect"],
        "view": lambda d: d["view"],
    }
    obj = targets[where](doc)
    # (a link's own "bind"/"connect" are real fields: an address there is refused all the same)
    obj[key] = "tcp://10.0.0.1:80" if key not in ("router_raw", "stream_notify") else True
    problems = validate(doc)
    assert problems and any(p["field"] == key or p["path"].endswith(key) for p in problems)


@pytest.mark.parametrize(
    "value",
    [
        "STREAM",
        "ROUTER_RAW",
        "stream",
        "ZMQ_STREAM",
        "RAW",
        "SERVER",
        "CLIENT",
        "RADIO",
        "DISH",
        "GATHER",
        "SCATTER",
        "PEER",
        "CHANNEL",
    ],
)
def test_raw_and_draft_socket_types_are_refused(value):
    doc = rich_doc()
    doc["nodes"][5]["sockets"][0]["type"] = value
    problems = validate(doc)
    assert any(p["path"] == "nodes[5].sockets[0].type" and p["field"] == "type" for p in problems)


class Recorder:
    """Every bind and connect made through pyzmq while installed."""

    def __init__(self, monkeypatch):
        self.binds, self.connects = [], []
        bind, connect = zmq.Socket.bind, zmq.Socket.connect
        rec = self

        def rec_bind(self, addr):
            out = bind(self, addr)
            rec.binds.append((addr, self.getsockopt_string(zmq.LAST_ENDPOINT)))
            return out

        def rec_connect(self, addr):
            rec.connects.append(addr)
            return connect(self, addr)

        monkeypatch.setattr(zmq.Socket, "bind", rec_bind)
        monkeypatch.setattr(zmq.Socket, "connect", rec_connect)


ENGINE_BIND = re.compile(
    r"^(tcp://127\.0\.0\.1:\*|inproc://r\d+-[0-9a-f]+-\d+|ipc://"
    + re.escape(tempfile.gettempdir())
    + r"/zpg-[^/]+/\d+)$"
)


@pytest.mark.parametrize("transport", ["ipc", "tcp", "inproc"])
def test_runs_make_only_engine_chosen_binds_and_connects(monkeypatch, transport):
    docs, _accepted = inert_documents()
    rec = Recorder(monkeypatch)
    for addr, doc in docs.items():
        doc = dict(doc, transport=transport)
        runnable, problems = prepare(doc)
        assert not problems, problems
        run = Run(runnable, trace_rate=1e9)
        run.start()
        gevent.sleep(0.15)
        assert sum(s.sent for s in run.socks.values()) > 0, addr  # it really ran
        run.stop()
    assert rec.binds and rec.connects
    bound = set()
    for asked, got in rec.binds:
        assert ENGINE_BIND.match(asked), asked
        bound.add(got)
    for addr in rec.connects:
        assert addr in bound or re.match(r"^inproc://monitor\.s-\d+$", addr), addr
    with pytest.raises(BlockingIOError):
        LISTENER.accept()


def test_through_the_websocket_nothing_connects_out():
    docs, _accepted = inert_documents()
    with serve() as srv:
        c = ws(srv)
        for transport in ("ipc", "tcp"):
            for doc in docs.values():
                started(c, dict(doc, transport=transport))
                gevent.sleep(0.05)
                stopped(c)
        c.close()
    with pytest.raises(BlockingIOError):
        LISTENER.accept()
