"""Problems that teach: a valid topology that will not do what it looks like it does.

Pure (no zmq). ``advise(doc)`` takes a valid, normalized document and returns warnings shaped like
validate()'s problems plus ``code`` and ``vars`` (the page words them in English or Korean from
static/i18n, ``hint.<code>``), and ``severity: "warning"``. What each says is libzmq 4.3.5's
behaviour: a bound PUSH, DEALER, REQ or PAIR with no peer blocks in send (no pipe to queue
in); a PUB or XPUB with no subscriber drops every message; a ROUTER drops what it cannot route;
a connecting socket has no pipe until it connects, and once connected to an endpoint with no peer
yet it queues up to its HWM unless IMMEDIATE is set.
"""

from __future__ import annotations

from .kinds import KINDS

DROPS = frozenset(("PUB", "XPUB", "ROUTER"))
RECEIVE_ONLY = frozenset(("SUB", "PULL"))

MESSAGES = {
    "unused-socket": "{node}.{socket}: unused socket: the node's behaviour only uses {used}; "
    "nothing is ever sent or received on it (remove it, or pick it in the behaviour)",
    "unwired-node": "{node}: unwired node: none of its sockets is linked, so it can neither "
    "send nor receive anything",
    "unlinked-socket": "{node}.{socket}: unlinked socket: a {type} with no peer receives nothing",
    "no-peer-block": "{node}.{socket}: a sender with no peer: a bound {type} with no peer blocks "
    "in send (there is no pipe to queue in) until a peer connects",
    "no-peer-drop": "{node}.{socket}: a sender with no peer: a bound {type} with no peer drops "
    "every message it sends",
    "no-peer-connect": "{node}.{socket}: a sender with no peer: a connecting {type} that "
    "connects nowhere has no pipe and blocks in send; connected to an endpoint with no peer yet, "
    "it queues up to its HWM unless IMMEDIATE is set",
}


def _warning(code: str, node: str, socket: str | None = None, **extra) -> dict:
    vars_ = {"node": node, "socket": socket, **extra}
    filled = {k: v if v is not None else "" for k, v in vars_.items()}
    return {
        "path": f"nodes.{node}" + (f".sockets.{socket}" if socket else ""),
        "node": node,
        "socket": socket,
        "field": None,
        "link": None,
        "severity": "warning",
        "code": code,
        "vars": {k: v for k, v in vars_.items() if v is not None},
        "message": MESSAGES[code].format(**filled),
    }


def used_sockets(node: dict) -> set[str] | None:
    """The sockets a node's behaviour names, or None when its kind names none (it uses all)."""
    kind = KINDS.get(node["kind"])
    fields = [n for n, f in kind["fields"].items() if f["type"] == "socket"] if kind else []
    if not fields:
        return None
    b = node.get("behaviour") or {}
    return {b[f] for f in fields if b.get(f)}


def advise(doc: dict) -> list[dict]:
    """Warnings for a valid, normalized document (see the module doc)."""
    linked: dict[str, set[str]] = {}
    for link in doc["links"]:
        for end in (link["connect"], link["bind"]):
            linked.setdefault(end["node"], set()).add(end["socket"])
    out = []
    for node in doc["nodes"]:
        nid = node["id"]
        mine = linked.get(nid, set())
        exposed = any((s.get("options") or {}).get("expose") for s in node["sockets"])
        unwired = not mine and not exposed and bool(node["sockets"])
        if unwired:
            out.append(_warning("unwired-node", nid))
        used = used_sockets(node)
        for s in node["sockets"]:
            name, type_ = s["name"], s["type"]
            if used is not None and name not in used:
                shown = ", ".join(sorted(used)) or "no socket"
                out.append(_warning("unused-socket", nid, name, used=shown))
                continue
            if name in mine or (s.get("options") or {}).get("expose"):
                continue
            if type_ in RECEIVE_ONLY:
                if unwired:
                    continue  # "unwired node" says it already
                out.append(_warning("unlinked-socket", nid, name, type=type_))
            elif s["mode"] == "connect":
                out.append(_warning("no-peer-connect", nid, name, type=type_))
            elif type_ in DROPS:
                out.append(_warning("no-peer-drop", nid, name, type=type_))
            else:
                out.append(_warning("no-peer-block", nid, name, type=type_))
    return out
