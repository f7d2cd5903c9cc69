"""Step topologies: a preset plus a patch, or a whole document; a solution is a patch too.

A patch (docs/lessons.md) is plain data applied to a copy of a topology:
``{"set": {top-level field: value}, "nodes": {node id: {"behaviour": {...}, "options":
{socket: {...}}, "label": str}}, "remove_nodes": [ids], "remove_links": [ids],
"add_nodes": [nodes], "add_links": [links]}``. Behaviour and options are merged key by key (a
``null`` value removes the key); removing a node removes its links.
"""

from __future__ import annotations

import copy

PATCH_KEYS = ("set", "nodes", "remove_nodes", "remove_links", "add_nodes", "add_links")
NODE_PATCH_KEYS = ("behaviour", "options", "label")


class PatchError(ValueError):
    """The patch names something the topology does not have."""


def _merge(target: dict, changes: dict) -> None:
    for key, value in changes.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = copy.deepcopy(value)


def apply_patch(doc: dict, patch: dict | None) -> dict:
    """A patched deep copy of ``doc``; PatchError names the node, socket or link not found."""
    out = copy.deepcopy(doc)
    if not patch:
        return out
    _merge(out, patch.get("set", {}))
    nodes = {n["id"]: n for n in out.get("nodes", [])}
    for node_id, change in patch.get("nodes", {}).items():
        node = nodes.get(node_id)
        if node is None:
            raise PatchError(f"patch.nodes: no node {node_id!r}")
        if "label" in change:
            node["label"] = change["label"]
        _merge(node.setdefault("behaviour", {}), change.get("behaviour", {}))
        sockets = {s["name"]: s for s in node.get("sockets", [])}
        for name, options in change.get("options", {}).items():
            if name not in sockets:
                raise PatchError(f"patch.nodes.{node_id}.options: no socket {name!r}")
            _merge(sockets[name].setdefault("options", {}), options)
    gone = set(patch.get("remove_nodes", []))
    for node_id in gone:
        if node_id not in nodes:
            raise PatchError(f"patch.remove_nodes: no node {node_id!r}")
    links = out.get("links", [])
    link_ids = {ln["id"] for ln in links}
    for link_id in patch.get("remove_links", []):
        if link_id not in link_ids:
            raise PatchError(f"patch.remove_links: no link {link_id!r}")
    out["nodes"] = [n for n in out.get("nodes", []) if n["id"] not in gone]
    out["links"] = [
        ln
        for ln in links
        if ln["id"] not in patch.get("remove_links", [])
        and ln["connect"]["node"] not in gone
        and ln["bind"]["node"] not in gone
    ]
    out["nodes"] += copy.deepcopy(patch.get("add_nodes", []))
    out["links"] += copy.deepcopy(patch.get("add_links", []))
    return out
