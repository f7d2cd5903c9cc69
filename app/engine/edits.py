"""Live edits: apply a plan from app.topology.diff to a running Run's real sockets.

Order: links removed (the connecting socket disconnects from the endpoint), nodes removed (their
greenlets end, their sockets close), nodes added (sockets opened and bound), links added (the
connecting socket connects; libzmq's monitor then reports ``connecting``/``connected``), new nodes
started, then changes in place: SUBSCRIBE/UNSUBSCRIBE, options libzmq applies at once, sockets
re-created for options it applies only before bind/connect (their node restarts), behaviour
fields changed in place or by restarting the node. Every change is an event; the answer lists
them for the page.
"""

from __future__ import annotations

import gevent
import zmq

from .node import NodeRt
from .pipes import track
from .wiring import (
    _BOOL_OPTIONS,
    _INT_OPTIONS,
    LinkRt,
    SockRt,
    bind_socket,
    open_socket,
)

_FIRST_INDEX = 100000  # sockets added live: indexes (ipc paths, inproc names) never reused


def apply_plan(run, new_doc: dict, plan: dict) -> list[dict]:
    """Apply ``plan`` (diff.plan(run.doc, new_doc)) to ``run``; returns what was done."""
    done: list[dict] = []
    new_nodes = {n["id"]: n for n in new_doc["nodes"]}
    new_links = {link["id"]: link for link in new_doc["links"]}
    for lid in plan["links_removed"]:
        _remove_link(run, lid)
        done.append({"change": "link removed", "target": lid})
    for nid in plan["nodes_removed"]:
        _remove_node(run, nid, rebuilt=nid in plan["rebuilt"])
        if nid not in plan["rebuilt"]:
            done.append({"change": "node removed", "target": nid})
    added = [_add_node(run, new_nodes[nid]) for nid in plan["nodes_added"]]
    for lid in plan["links_added"]:
        _add_link(run, new_links[lid])
        done.append({"change": "link added", "target": lid})
    for node in added:
        for s in node.sockets.values():
            if s.monitor is None and s.zsock is not None:
                run.watch.attach(s)
        run.start_node(node)
        why = plan["rebuilt"].get(node.id)
        done.append(
            {"change": "node rebuilt" if why else "node added", "target": node.id, "detail": why}
        )
    for nid, sname, topic in plan["subscribe"]:
        run.subscribe(nid, sname, topic, True)
        done.append({"change": "subscribed", "target": f"{nid}.{sname}", "detail": topic})
    for nid, sname, topic in plan["unsubscribe"]:
        run.subscribe(nid, sname, topic, False)
        done.append({"change": "unsubscribed", "target": f"{nid}.{sname}", "detail": topic})
    for nid, sname, name, value in plan["options"]:
        _set_option(run, run.nodes[nid].sockets[sname], name, value)
        done.append({"change": "option", "target": f"{nid}.{sname}", "detail": f"{name} = {value}"})
    _keep_options(run, new_nodes)
    for nid, why in plan["recreate"].items():
        _restart(run, nid, "; ".join(why))
        done.append({"change": "sockets re-created", "target": nid, "detail": "; ".join(why)})
    for nid, behaviour in plan["behaviour"].items():
        node = run.nodes[nid]
        node.behaviour.clear()
        node.behaviour.update(behaviour)
        run.observer.emit({"ev": "node", "node": nid, "state": "changed", "detail": "behaviour"})
        done.append({"change": "behaviour", "target": nid})
    for nid, fields in plan["restart"].items():
        node = run.nodes[nid]
        node.behaviour.clear()
        node.behaviour.update(new_nodes[nid]["behaviour"])
        why = ", ".join(fields) + ": read when the node starts"
        _restart(run, nid, why)
        done.append({"change": "node restarted", "target": nid, "detail": why})
    run.doc = new_doc
    return done


def _restart(run, nid: str, why: str) -> None:
    """Restart a node with what it has now (a killed node stays killed: the change waits)."""
    node = run.nodes[nid]
    if node.alive:
        run.restart_node(nid)
    run.observer.emit({"ev": "node", "node": nid, "state": "changed", "detail": why})


def _keep_options(run, new_nodes: dict) -> None:
    """Every kept socket carries its new options (what a restart re-creates it with)."""
    for nid, node in run.nodes.items():
        spec = new_nodes.get(nid)
        if spec is None:
            continue
        for sspec in spec["sockets"]:
            s = node.sockets.get(sspec["name"])
            if s is not None:
                s.options = sspec.get("options") or {}


def _set_option(run, s: SockRt, name: str, value) -> None:
    """An option libzmq applies to an open socket."""
    if s.zsock is not None:
        if name in _INT_OPTIONS:
            number = value if value is not None else _default(name)
            s.zsock.setsockopt(_INT_OPTIONS[name], int(number))
        elif name == "router_mandatory":
            pass  # always on inside the engine; the document's value decides what it reports
        elif name in _BOOL_OPTIONS:
            s.zsock.setsockopt(_BOOL_OPTIONS[name], 1 if value else 0)
    run.observer.emit(
        {"ev": "node", "node": s.node, "state": "changed", "detail": f"{s.name}: {name} = {value}"}
    )


def _default(name: str) -> int:
    return {"sndhwm": 1000, "rcvhwm": 1000, "linger": 0}.get(name, 0)


def _remove_link(run, lid: str) -> None:
    link = run.links.pop(lid, None)
    if link is None:
        return
    c, b = link.connect, link.bind
    if c.zsock is not None and link.state != "cut" and b.endpoint:
        try:
            c.zsock.disconnect(b.endpoint)
        except zmq.ZMQError:
            pass  # not connected (the peer's endpoint is gone already)
    link.queues_lost()
    for here, there in ((c, b), (b, c)):
        if link in here.links:
            here.links.remove(link)
        if here.by_peer.get(there.key) is link:
            del here.by_peer[there.key]
        _derive(here)
    if b.endpoint:
        run.watch.by_endpoint.pop((c.key, b.endpoint), None)
    link.state = "removed"
    run.observer.emit({"ev": "link", "link": lid, "state": "removed"})


def _remove_node(run, nid: str, rebuilt: bool) -> None:
    node = run.nodes.get(nid)
    if node is None:
        return
    if node.greenlets:
        gevent.killall(node.greenlets, block=True, timeout=1)
        node.greenlets.clear()
    for s in node.sockets.values():
        run.close_socket(s)
        run.socks.pop(s.key, None)
        if s.outside is not None:
            run.links.pop(s.outside.id, None)
    node.alive = False
    del run.nodes[nid]
    if not rebuilt:
        run.observer.emit({"ev": "node", "node": nid, "state": "removed"})


def _add_node(run, spec: dict) -> NodeRt:
    for sspec in spec["sockets"]:
        index = getattr(run, "_edit_index", _FIRST_INDEX)
        run._edit_index = index + 1
        s = SockRt(spec["id"], sspec, index)
        if s.mode == "bind" and s.options.get("expose"):
            outside = SockRt("outside", {"name": s.key, "type": "OUTSIDE", "mode": "connect"}, -1)
            s.outside = LinkRt(f"{s.key}~outside", outside, s)
            run.links[s.outside.id] = s.outside
        s.transport = run.transport
        run.socks[s.key] = s
        open_socket(run.ctx, s, run.transport)
        if s.mode == "bind":
            bind_socket(s, run.transport, run._tag(), run.tmpdir)
    node = NodeRt(run, spec, run.socks)
    run.nodes[node.id] = node
    return node


def _add_link(run, spec: dict) -> None:
    c = run.socks[f"{spec['connect']['node']}.{spec['connect']['socket']}"]
    b = run.socks[f"{spec['bind']['node']}.{spec['bind']['socket']}"]
    link = LinkRt(spec["id"], c, b)
    run.links[link.id] = link
    for here, there in ((c, b), (b, c)):
        here.links.append(link)
        here.by_peer[there.key] = link
        _derive(here)
    track(link, run.transport)
    rid = c.options.get("routing_id")
    if b.type == "ROUTER" and rid:
        b.route[rid.encode()] = link
    run.watch.by_endpoint[(c.key, b.endpoint)] = link
    run.observer.emit({"ev": "link", "link": link.id, "state": "added"})
    if c.zsock is not None:  # a killed node connects when it restarts
        if c.monitor is None:
            run.watch.attach(c)
        c.zsock.connect(b.endpoint)


def _derive(s: SockRt) -> None:
    """What a socket's links imply: its only link (a fast path for receipts and queues). A
    conflating sender followed message by message needs that one link: with another, libzmq
    picks the pipe, and what its links hold becomes unknown."""
    s.only_link = s.links[0] if len(s.links) == 1 and s.outside is None else None
    for link in s.links:
        if link.tracked is s and not s.fanout and s.only_link is not link:
            link.tracked = None
            link.queue.clear()
            link.digests.clear()
            link.anon = link.evicted = 0
            link.lossy = True
