"""Resource guards: what a structurally valid topology may cost the server.

A public playground runs documents written by strangers, so beyond the shape rules
(validate.py, nodes.py, links.py) a document must stay within memory the server can afford:

- ``max_total_sockets``  sockets in the whole topology (nodes x sockets could reach 800)
- ``max_hwm``            sndhwm/rcvhwm between 1 and this; 0 (libzmq's "no limit") is refused,
                         because an unbounded queue is unbounded memory
- ``max_message_bytes``  the largest message the topology can make: a source's frame templates
                         with ``{n}``, ``{topic}`` and ``{node}`` filled in at their largest, plus
                         what ``prefix``/``fixed`` transforms add on the way; a ``prefix``
                         transform on a message loop grows messages without bound and is refused
- ``max_queue_bytes``    HWM x largest message, summed over every direction of every link: the
                         memory the run's queues may hold when a consumer stops

Endpoints never come from the document (the engine assigns them), so there is nothing to check
for addresses: every key is closed (an ``endpoint`` key is an unknown field) and the remaining
free strings (title, labels, frames, topics, text, routing ids, subscriptions) are data only.

``check_guards(doc, limits, out)`` runs after the shape checks; the size estimates run only on a
document that has no other problem (they need its structure to be sound).
"""

from .kinds import KINDS
from .sockets import CAN_RECEIVE, CAN_SEND

N_DIGITS = 20  # {n} rendered at its widest: a counter that never wraps within a run
ENVELOPE_ALLOWANCE = 512  # identity + delimiter frames a ROUTER/REQ may add on the way


def check_guards(doc, limits, out, structure_ok):
    """Add every guard problem of `doc` to `out` (a Problems); `structure_ok`: no other problem."""
    if not isinstance(doc, dict) or not isinstance(doc.get("nodes"), list):
        return
    nodes = doc["nodes"]
    _check_total_sockets(nodes, limits, out)
    _check_hwm(nodes, limits, out)
    if not limits.get("allow_expose", 1):
        _check_expose(nodes, out)
    if not structure_ok:
        return
    _check_message_sizes(doc, limits, out)


def _sockets(node):
    socks = node.get("sockets") if isinstance(node, dict) else None
    return socks if isinstance(socks, list) else []


def _check_total_sockets(nodes, limits, out):
    total = sum(len(_sockets(n)) for n in nodes)
    if total > limits["max_total_sockets"]:
        vars_ = {"count": total, "max": limits["max_total_sockets"]}
        out.add("nodes", "sockets.total", vars_, field="sockets")


def _check_expose(nodes, out):
    """On a public server no document may open a listener for outside programs."""
    for i, node in enumerate(nodes):
        for j, s in enumerate(_sockets(node)):
            opts = s.get("options") if isinstance(s, dict) else None
            if isinstance(opts, dict) and opts.get("expose") is True:
                nid = node.get("id") if isinstance(node.get("id"), str) else f"nodes[{i}]"
                name = s.get("name") if isinstance(s.get("name"), str) else f"sockets[{j}]"
                out.add(
                    f"nodes[{i}].sockets[{j}].options.expose",
                    "expose.off",
                    {"subject": f"{nid}.{name}"},
                    node=nid,
                    socket=name,
                    field="expose",
                )


def _check_hwm(nodes, limits, out):
    top = limits["max_hwm"]
    for i, node in enumerate(nodes):
        nid = node.get("id") if isinstance(node, dict) else None
        for j, sock in enumerate(_sockets(node)):
            opts = sock.get("options") if isinstance(sock, dict) else None
            if not isinstance(opts, dict):
                continue
            sname = sock.get("name")
            label = (
                f"{nid}.{sname}"
                if isinstance(nid, str) and isinstance(sname, str)
                else f"nodes[{i}].sockets[{j}]"
            )
            where = {
                "node": nid if isinstance(nid, str) else None,
                "socket": sname if isinstance(sname, str) else None,
            }
            for key in ("sndhwm", "rcvhwm"):
                value = opts.get(key)
                if not isinstance(value, int) or isinstance(value, bool):
                    continue  # a type problem, reported by the option check
                path = f"nodes[{i}].sockets[{j}].options.{key}"
                vars_ = {"subject": label, "option": key, "max": top}
                if value == 0:
                    out.add(path, "hwm.zero", vars_, field=key, **where)
                elif top < value <= 100000:
                    out.add(path, "hwm.max", {**vars_, "got": value}, field=key, **where)


# -- message sizes ------------------------------------------------------------------------------


def _utf8(text):
    return len(text.encode("utf-8", "surrogatepass"))


def template_bytes(frames, topics, node_id):
    """The largest message a source can render from `frames` (engine: behaviours/common.py).

    Placeholders are filled in the engine's order: ``{n}``, then ``{topic}``, then ``{node}``, so
    a topic holding ``{node}`` grows again; every topic is tried.
    """
    widest = 0
    for topic in topics or [""]:
        size = 0
        for frame in frames:
            text = frame.replace("{n}", "9" * N_DIGITS).replace("{topic}", topic)
            size += _utf8(text.replace("{node}", node_id))
        widest = max(widest, size)
    return widest


def _socket_types(node):
    return {s["name"]: s["type"] for s in node["sockets"]}


def _socket_fields(kind):
    return KINDS[kind]["socket_fields"] if kind in KINDS else []


def _hops(node, types):
    """(from socket, to socket) pairs inside ``node``: where what it received leaves it again.

    A worker passes what its input receives to its output (and answers on a REP/ROUTER input);
    a replier answers on the socket it received on (and may announce on ``events``); sources and
    sinks start or end paths. Any other kind (proxies, brokers, pattern workers) is taken to
    forward between its different sockets, or to answer on its only socket.
    """
    beh = node.get("behaviour") or {}
    key = node["id"] + "."
    kind = node["kind"]
    if kind in ("source", "sink"):
        return []
    if kind == "worker":
        src = key + beh["input"]
        hops = [(src, key + beh["output"])] if beh.get("output") else []
        if types[src] in ("REP", "ROUTER"):
            hops.append((src, src))
        return hops
    if kind == "replier":
        s = key + beh["socket"]
        return [(s, s)] + ([(s, key + beh["events"])] if beh.get("events") else [])
    names = [beh[f] for f in _socket_fields(kind) if isinstance(beh.get(f), str)]
    names = list(dict.fromkeys(names)) or [s["name"] for s in node["sockets"]]
    if len(names) == 1:
        return [(key + names[0], key + names[0])]
    return [(key + a, key + b) for a in names for b in names if a != b]


def _flow_edges(doc):
    """Directed edges between socket ends: ("tx", key) sends, ("rx", key) receives.

    A link carries messages each way the two types allow; inside a node, see :func:`_hops`.
    Returns (edges, internal hops as (node index, from end, to end)).
    """
    types = {}
    edges = {}
    internal = []
    for node in doc["nodes"]:
        for name, stype in _socket_types(node).items():
            types[f"{node['id']}.{name}"] = stype
    for link in doc.get("links", []):
        c = f"{link['connect']['node']}.{link['connect']['socket']}"
        b = f"{link['bind']['node']}.{link['bind']['socket']}"
        for a, z in ((c, b), (b, c)):
            if types[a] in CAN_SEND and types[z] in CAN_RECEIVE:
                edges.setdefault(("tx", a), []).append(("rx", z))
    for i, node in enumerate(doc["nodes"]):
        for a, z in _hops(node, types):
            if types.get(a) in CAN_RECEIVE and types.get(z) in CAN_SEND:
                edges.setdefault(("rx", a), []).append(("tx", z))
                internal.append((i, ("rx", a), ("tx", z)))
    return edges, internal


def _components(edges):
    """Strongly connected components (iterative Tarjan): {vertex: component id}."""
    index, low, comp, stack, on = {}, {}, {}, [], set()
    counter = [0]
    vertices = set(edges)
    for outs in edges.values():
        vertices.update(outs)
    for root in vertices:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(edges.get(w, ()))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp[w] = v
                    if w == v:
                        break
    return comp


def _check_message_sizes(doc, limits, out):
    cap = limits["max_message_bytes"]
    biggest = 0
    for i, node in enumerate(doc["nodes"]):
        fields = KINDS.get(node["kind"], {}).get("fields", {})
        if "frames" not in fields:
            continue
        beh = node.get("behaviour") or {}
        frames = beh.get("frames", fields["frames"]["default"])
        size = template_bytes(frames, beh.get("topics") or [], node["id"])
        stype = _socket_types(node).get(beh.get("socket"))
        if stype == "ROUTER":
            size += 255  # the peer's routing id frame
        if size > cap:
            out.add(
                f"nodes[{i}].behaviour.frames",
                "size.message",
                {"subject": node["id"], "size": size, "max": cap},
                node=node["id"],
                field="frames",
            )
        biggest = max(biggest, size)
    edges, internal = _flow_edges(doc)
    comp = None
    grow = 0
    fixed = 0
    seen = set()
    for i, a, z in internal:
        node = doc["nodes"][i]
        beh = node.get("behaviour") or {}
        how, text = beh.get("transform", "echo"), beh.get("text", "")
        if how == "fixed":
            fixed = max(fixed, _utf8(text))
        if how != "prefix" or not text or i in seen:
            continue
        if comp is None:
            comp = _components(edges)
        if comp.get(a) is not None and comp.get(a) == comp.get(z):
            out.add(
                f"nodes[{i}].behaviour.transform",
                "size.loop",
                {"subject": node["id"], "max": cap},
                node=node["id"],
                field="transform",
            )
            return
        seen.add(i)
        grow += _utf8(text)
    if grow and max(biggest, fixed) + grow > cap:
        first = next(
            i
            for i, _a, _z in internal
            if (doc["nodes"][i].get("behaviour") or {}).get("transform") == "prefix"
        )
        out.add(
            f"nodes[{first}].behaviour.text",
            "size.prefix",
            {"size": max(biggest, fixed) + grow, "max": cap},
            node=doc["nodes"][first]["id"],
            field="text",
        )
        return
    largest = max(biggest, fixed) + grow + ENVELOPE_ALLOWANCE
    _check_queue_budget(doc, largest, limits, out)
    return largest


class _Ignore:
    """A problem collector that keeps nothing (queue_bound on an already valid document)."""

    def add(self, *args, **kwargs):
        pass


def queue_bound(doc, limits=None):
    """(messages, largest message bytes) the queues of a *valid* document can hold at most:
    every sending direction of every link at sndhwm + rcvhwm, each message at its largest.
    Their product is what its libzmq queues may hold (the server's memory budget per run)."""
    from .limits import merged_limits

    largest = _check_message_sizes(doc, merged_limits(limits), _Ignore())
    return queue_slots(doc), (largest or 0)


def queue_slots(doc):
    """Messages every direction of every link can hold at its high-water marks."""
    opts = {}
    for node in doc["nodes"]:
        for s in node["sockets"]:
            opts[f"{node['id']}.{s['name']}"] = (s["type"], s.get("options") or {})
    slots = 0
    for link in doc.get("links", []):
        c = f"{link['connect']['node']}.{link['connect']['socket']}"
        b = f"{link['bind']['node']}.{link['bind']['socket']}"
        for a, z in ((c, b), (b, c)):
            (ta, oa), (tz, oz) = opts[a], opts[z]
            if ta in CAN_SEND and tz in CAN_RECEIVE:
                slots += oa.get("sndhwm", 1000) + oz.get("rcvhwm", 1000)
    return slots


def _check_queue_budget(doc, largest, limits, out):
    """HWM x largest message over every direction of every link must fit max_queue_bytes."""
    slots = queue_slots(doc)
    total = slots * largest
    cap = limits["max_queue_bytes"]
    if total > cap:
        vars_ = {"total": _mb(total), "slots": slots, "size": largest, "max": _mb(cap)}
        out.add("links", "size.queues", vars_, field="links")


def _mb(n):
    return f"{n / 1048576:.1f} MB"
