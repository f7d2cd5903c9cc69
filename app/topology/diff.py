"""What changed between the running document and an edited one, and how each change can reach
the running sockets (a live edit, docs/protocol.md "Live edits"). Pure: no zmq.

Both documents must be valid and normalized (prepare()). The answer is a plan the engine applies
in order: links removed, nodes removed, nodes added, links added, then changes in place.

How libzmq takes each change (zmq_setsockopt(3), libzmq 4.3.5): SUBSCRIBE, UNSUBSCRIBE, LINGER,
ROUTER_HANDOVER, ROUTER_MANDATORY, XPUB_VERBOSE, REQ_CORRELATE, REQ_RELAXED, SNDHWM and RCVHWM
apply to a socket at once; every other option only to later binds/connects, so the engine
re-creates that socket (same endpoint, same links: its node restarts). A node whose sockets are
added, removed, renamed or retyped, or whose kind changes, is rebuilt (removed and added again with
its links). Behaviour fields a node reads for every message change in place; the others restart
the node. The transport fixes every endpoint of the run: changing it needs a restart.
"""

from __future__ import annotations

# options libzmq applies to an existing socket (zmq_setsockopt(3), "Caution")
LIVE_OPTIONS = frozenset(
    (
        "subscribe",
        "linger",
        "router_handover",
        "router_mandatory",
        "xpub_verbose",
        "req_correlate",
        "req_relaxed",
        "sndhwm",
        "rcvhwm",
    )
)
# options the engine needs at socket creation (an exposed socket gets its own outside link)
REBUILD_OPTIONS = frozenset(("expose",))
# behaviour fields a running node reads again for every message (engine/behaviours)
LIVE_BEHAVIOUR = {
    "source": frozenset(("interval_ms", "frames", "topics")),
    "worker": frozenset(("work_ms", "transform", "text")),
    "replier": frozenset(("delay_ms", "transform", "text")),
}
# top-level fields that only matter when a run starts
START_ONLY = ("start",)


def _ends(link: dict) -> tuple:
    c, b = link["connect"], link["bind"]
    return (c["node"], c["socket"], b["node"], b["socket"])


def _shape(node: dict) -> tuple:
    """What the sockets of a node are, apart from their options."""
    return (node["kind"],) + tuple((s["name"], s["type"], s["mode"]) for s in node["sockets"])


def _opts(sock: dict) -> dict:
    return {k: v for k, v in (sock.get("options") or {}).items() if v is not None}


def plan(old: dict, new: dict) -> dict:
    """The changes from ``old`` (running) to ``new`` (edited), grouped as the engine applies them.

    Keys: ``refused`` (reasons the edit cannot apply live, each a problem dict naming its field),
    ``notes`` (what applies only at the next start), ``links_removed`` / ``links_added`` (ids),
    ``nodes_removed`` / ``nodes_added`` (ids; a rebuilt node is in both, with ``rebuilt[id]`` the
    reason), ``subscribe`` / ``unsubscribe`` (``[node, socket, topic]``), ``options`` (``[node,
    socket, name, value]`` applied at once), ``recreate`` (``{node: [why, ...]}``: sockets
    re-created with new options), ``behaviour`` (``{node: {field: value}}`` in place) and
    ``restart`` (``{node: [field, ...]}``: the node restarts with its new behaviour).
    """
    out = {
        "refused": [],
        "notes": [],
        "links_removed": [],
        "links_added": [],
        "nodes_removed": [],
        "nodes_added": [],
        "rebuilt": {},
        "subscribe": [],
        "unsubscribe": [],
        "options": [],
        "recreate": {},
        "behaviour": {},
        "restart": {},
    }
    if old.get("transport") != new.get("transport"):
        out["refused"].append(
            {
                "path": "transport",
                "node": None,
                "socket": None,
                "field": "transport",
                "link": None,
                "message": (
                    f"transport: {old.get('transport')} → {new.get('transport')} changes every "
                    "endpoint of the run; it applies when the run restarts"
                ),
            }
        )
    for key in START_ONLY:
        if old.get(key) != new.get(key):
            out["notes"].append(f"{key}: applies when a run starts")
    old_nodes = {n["id"]: n for n in old["nodes"]}
    new_nodes = {n["id"]: n for n in new["nodes"]}
    for nid, n in old_nodes.items():
        m = new_nodes.get(nid)
        if m is None:
            out["nodes_removed"].append(nid)
        elif _shape(n) != _shape(m) or _rebuild_options(n, m):
            out["nodes_removed"].append(nid)
            out["nodes_added"].append(nid)
            out["rebuilt"][nid] = _rebuild_reason(n, m)
        else:
            _node_changes(n, m, out)
    out["nodes_added"] += [nid for nid in new_nodes if nid not in old_nodes]
    gone = set(out["nodes_removed"])
    old_links = {link["id"]: link for link in old["links"]}
    new_links = {link["id"]: link for link in new["links"]}
    for lid, link in old_links.items():
        m = new_links.get(lid)
        ends = {link["connect"]["node"], link["bind"]["node"]}
        if m is None or _ends(m) != _ends(link) or gone & ends:
            out["links_removed"].append(lid)
    kept = set(old_links) - set(out["links_removed"])
    out["links_added"] = [lid for lid in new_links if lid not in kept]
    return out


def is_empty(p: dict) -> bool:
    """Whether the plan changes nothing that runs."""
    return not any(v for k, v in p.items() if k not in ("notes",))


def _rebuild_options(n: dict, m: dict) -> bool:
    for a, b in zip(n["sockets"], m["sockets"], strict=False):
        for name in REBUILD_OPTIONS:
            if bool(_opts(a).get(name)) != bool(_opts(b).get(name)):
                return True
    return False


def _rebuild_reason(n: dict, m: dict) -> str:
    if n["kind"] != m["kind"]:
        return f"kind {n['kind']} → {m['kind']}"
    if _rebuild_options(n, m) and _shape(n) == _shape(m):
        return "expose: an exposed socket is bound on its own tcp port when it is created"
    return "its sockets changed (added, removed, renamed, retyped or bind/connect)"


def _node_changes(n: dict, m: dict, out: dict) -> None:
    nid = n["id"]
    why = []
    for a, b in zip(n["sockets"], m["sockets"], strict=True):
        oa, ob = _opts(a), _opts(b)
        for name in sorted(set(oa) | set(ob)):
            if oa.get(name) == ob.get(name):
                continue
            if name == "subscribe":
                before, after = list(oa.get(name) or []), list(ob.get(name) or [])
                for topic in after:
                    if topic not in before:
                        out["subscribe"].append([nid, a["name"], topic])
                for topic in before:
                    if topic not in after:
                        out["unsubscribe"].append([nid, a["name"], topic])
            elif name in LIVE_OPTIONS:
                out["options"].append([nid, a["name"], name, ob.get(name)])
            else:
                why.append(
                    f"{a['name']}.{name}: libzmq applies it only before bind/connect, "
                    "so the socket is re-created"
                )
    if why:
        out["recreate"][nid] = why
    ba, bb = n.get("behaviour") or {}, m.get("behaviour") or {}
    changed = sorted(k for k in set(ba) | set(bb) if ba.get(k) != bb.get(k))
    if not changed:
        return
    live = LIVE_BEHAVIOUR.get(n["kind"], frozenset())
    if n["kind"] == "source" and not (ba.get("interval_ms") and bb.get("interval_ms")):
        live = live - {"interval_ms", "frames", "topics"}  # flat out: a tight loop, no re-read
    if all(k in live for k in changed):
        out["behaviour"][nid] = dict(bb)
    else:
        out["restart"][nid] = [k for k in changed if k not in live]
