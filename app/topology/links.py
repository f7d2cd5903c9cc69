"""Checks of the link list: ids, ends that exist, bind/connect ends, pairs, single-peer types."""

from .fields import show
from .limits import NODE_ID_RE
from .messages import word
from .problems import unknown_keys
from .sockets import SINGLE_PEER, pair_problem

LINK_KEYS = ("id", "connect", "bind")
END_KEYS = ("node", "socket")
TOPOLOGY = word("w.topology")


def check_links(links, index, limits, out):
    """Check the `links` list against the node index built by nodes.check_nodes."""
    if not isinstance(links, list):
        vars_ = {"subject": TOPOLOGY, "field": "links", "got": show(links)}
        out.add("links", "list", vars_, field="links")
        return
    if len(links) > limits["max_links"]:
        vars_ = {"count": len(links), "max": limits["max_links"]}
        out.add("links", "links.tooMany", vars_, field="links")
    ids, pairs, uses = {}, {}, {}
    for k, link in enumerate(links):
        _check_link(k, link, index, ids, pairs, uses, out)
    for (nid, sname), names in uses.items():
        sock = index[nid]["sockets"][sname]
        if sock["type"] in SINGLE_PEER and len(names) > 1:
            vars_ = {
                "subject": f"{nid}.{sname}",
                "type": sock["type"],
                "count": len(names),
                "links": ", ".join(names),
            }
            path = f"nodes[{index[nid]['i']}].sockets[{sock['j']}]"
            out.add(path, "link.singlePeer", vars_, node=nid, socket=sname)


def _check_link(k, link, index, ids, pairs, uses, out):
    path = f"links[{k}]"
    if not isinstance(link, dict):
        out.add(path, "link.object", {"subject": path, "got": show(link)})
        return
    lid = link.get("id")
    ok = isinstance(lid, str) and NODE_ID_RE.fullmatch(lid) is not None
    ref = lid if ok else None
    label = word("w.link", id=lid) if ok else path
    unknown_keys(link, LINK_KEYS, path, label, word("w.linkField"), out, link=ref)
    if "id" not in link:
        out.add(f"{path}.id", "id.required", {"subject": path}, field="id")
    elif not ok:
        out.add(f"{path}.id", "id.rule", {"subject": path, "got": show(lid)}, field="id")
    elif lid in ids:
        vars_ = {"subject": label, "other": ids[lid]}
        out.add(f"{path}.id", "link.duplicate", vars_, field="id", link=lid)
    else:
        ids[lid] = k
    c = _resolve_end(link, "connect", path, label, ref, index, out)
    b = _resolve_end(link, "bind", path, label, ref, index, out)
    name = lid if ok else path
    for end in (c, b):
        if end is not None:
            uses.setdefault((end["node"], end["socket"]), []).append(name)
    if c is not None and b is not None:
        _check_pair(c, b, path, label, ref, pairs, out)
    else:
        for end, want in ((c, "connect"), (b, "bind")):
            if end is not None and end["mode"] not in (None, want):
                vars_ = {"subject": end["name"], "link": label, "end": want, "mode": end["mode"]}
                where = {"node": end["node"], "socket": end["socket"], "link": ref}
                out.add(f"{path}.{want}", "link.endMode", vars_, field=want, **where)


def _resolve_end(link, which, path, label, ref, index, out):
    """The end's {"node", "socket", "name", "type", "mode"}, or None (after reporting why)."""
    epath = f"{path}.{which}"
    if which not in link:
        out.add(epath, "end.required", {"subject": label, "end": which}, field=which, link=ref)
        return None
    end = link[which]
    if not isinstance(end, dict):
        vars_ = {"subject": label, "end": which, "got": show(end)}
        out.add(epath, "end.object", vars_, field=which, link=ref)
        return None
    subject = word("w.linkEnd", link=label, end=which)
    unknown_keys(end, END_KEYS, epath, subject, word("w.field"), out, link=ref)
    nid, sname = end.get("node"), end.get("socket")
    if not isinstance(nid, str) or nid not in index:
        if "node" not in end:
            code, vars_ = "end.noNode", {"subject": label, "end": which}
        else:
            code, vars_ = "end.nodeMissing", {"subject": label, "end": which, "got": show(nid)}
        out.add(f"{epath}.node", code, vars_, field="node", link=ref)
        return None
    sockets = index[nid]["sockets"]
    if not isinstance(sname, str) or sname not in sockets:
        vars_ = {"node": nid, "link": label, "end": which}
        vars_["have"] = ", ".join(sockets) or word("w.none")
        if "socket" in end:
            code, vars_["got"] = "end.socketMissing", show(sname)
        else:
            code = "end.noSocket"
        out.add(f"{epath}.socket", code, vars_, node=nid, field="socket", link=ref)
        return None
    sock = sockets[sname]
    return {
        "node": nid,
        "socket": sname,
        "name": f"{nid}.{sname}",
        "type": sock["type"],
        "mode": sock["mode"],
    }


def _check_pair(c, b, path, label, ref, pairs, out):
    where = {"node": c["node"], "socket": c["socket"], "link": ref}
    modes = (c["mode"], b["mode"])
    against = {"a": c["name"], "link": label, "b": b["name"]}
    if modes == ("bind", "bind"):
        out.add(f"{path}.connect", "pair.bothBind", against, field="connect", **where)
    elif modes == ("connect", "connect"):
        out.add(f"{path}.bind", "pair.bothConnect", against, field="bind", **where)
    elif modes == ("bind", "connect"):
        out.add(path, "pair.swapped", against, field="connect", **where)
    if c["type"] is not None and b["type"] is not None:
        why = pair_problem(c["type"], b["type"])
        if why:
            out.add(path, "pair.types", {**against, "why": why}, **where)
    key = tuple(sorted((c["name"], b["name"])))
    if key in pairs:
        out.add(path, "pair.again", {**against, "other": pairs[key]}, **where)
    else:
        pairs[key] = ref or path
