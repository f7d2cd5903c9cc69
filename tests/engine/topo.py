"""Small builders for topology documents used by the engine and web tests."""

from __future__ import annotations

import gevent

from app.engine.run import Run
from app.topology import prepare


def sock(name, type_, mode, **options):
    """A socket spec."""
    return {"name": name, "type": type_, "mode": mode, "options": options}


def node(id_, kind, sockets, **behaviour):
    """A node spec."""
    return {"id": id_, "kind": kind, "sockets": sockets, "behaviour": behaviour}


def link(id_, connect, bind):
    """A link from 'node.socket' (connecting) to 'node.socket' (binding)."""
    c_node, c_sock = connect.split(".")
    b_node, b_sock = bind.split(".")
    return {
        "id": id_,
        "connect": {"node": c_node, "socket": c_sock},
        "bind": {"node": b_node, "socket": b_sock},
    }


def doc(nodes, links, transport="ipc"):
    """A valid, normalized document (the test fails loudly if it is not valid)."""
    d, problems = prepare({"version": 1, "transport": transport, "nodes": nodes, "links": links})
    assert not problems, problems
    return d


def run_for(document, seconds, **kwargs):
    """Start a run, let it go for ``seconds``, stop it; returns (run, events)."""
    kwargs.setdefault("trace_rate", 1e9)
    run = Run(document, **kwargs)
    run.start()
    gevent.sleep(seconds)
    run.stop("test")
    events, _skipped, _untraced = run.events.drain()
    return run, events


def run_until(document, done, timeout=10.0, **kwargs):
    """Start a run and stop it once ``done(run)`` is true (or after ``timeout``)."""
    kwargs.setdefault("trace_rate", 1e9)
    run = Run(document, **kwargs)
    run.start()
    deadline = timeout
    while deadline > 0 and not done(run):
        gevent.sleep(0.02)
        deadline -= 0.02
    run.stop("test")
    events, _skipped, _untraced = run.events.drain()
    return run, events


def of(events, kind):
    """Events of one kind."""
    return [e for e in events if e["ev"] == kind]
