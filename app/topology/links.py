"""Checks of the link list: ids, ends that exist, bind/connect ends, pairs, single-peer types."""

from .fields import show
from .limits import NODE_ID_RE
from .problems import unknown_keys
from .sockets import SINGLE_PEER, pair_error

LINK_KEYS = ("id", "connect", "bind")
END_KEYS = ("node", "socket")
LINK_ID_RULE = (
    "must start with a letter and hold only letters, digits, '_' and '-', at most 40 characters"
)


def check_links(links, index, limits, out):
    """Check the `links` list against the node index built by nodes.check_nodes."""
    if not isinstance(links, list):
        out.add("links", f"topology: links must be a list (got {show(links)})", field="links")
        return
    if len(links) > limits["max_links"]:
        out.add(
            "links",
            f"topology: {len(links)} links, at most {limits['max_links']} allowed",
            field="links",
        )
    ids, pairs, uses = {}, {}, {}
    for k, link in enumerate(links):
        _check_link(k, link, index, ids, pairs, uses, out)
    for (nid, sname), names in uses.items():
        sock = index[nid]["sockets"][sname]
        if sock["type"] in SINGLE_PEER and len(names) > 1:
            out.add(
                f"nodes[{index[nid]['i']}].sockets[{sock['j']}]",
                f"{nid}.{sname}: a {sock['type']} socket has exactly one peer, but "
                f"{len(names)} links use it ({', '.join(names)})",
                node=nid,
                socket=sname,
            )


def _check_link(k, link, index, ids, pairs, uses, out):
    path = f"links[{k}]"
    if not isinstance(link, dict):
        out.add(path, f"{path}: a link must be an object (got {show(link)})")
        return
    lid = link.get("id")
    ok = isinstance(lid, str) and NODE_ID_RE.fullmatch(lid) is not None
    ref = lid if ok else None
    label = f"link {lid}" if ok else path
    unknown_keys(link, LINK_KEYS, path, label, "link field", out, link=ref)
    if "id" not in link:
        out.add(f"{path}.id", f"{path}: id is required", field="id")
    elif not ok:
        out.add(f"{path}.id", f"{path}: id {LINK_ID_RULE} (got {show(lid)})", field="id")
    elif lid in ids:
        out.add(
            f"{path}.id",
            f"{label}: duplicate link id (links[{ids[lid]}] has it too)",
            field="id",
            link=lid,
        )
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
                out.add(
                    f"{path}.{want}",
                    f"{end['name']}: {label} uses it as its {want} end, but it {end['mode']}s",
                    node=end["node"],
                    socket=end["socket"],
                    field=want,
                    link=ref,
                )


def _resolve_end(link, which, path, label, ref, index, out):
    """The end's {"node", "socket", "name", "type", "mode"}, or None (after reporting why)."""
    epath = f"{path}.{which}"
    if which not in link:
        out.add(
            epath,
            f'{label}: the {which} end is required ({{"node": ..., "socket": ...}})',
            field=which,
            link=ref,
        )
        return None
    end = link[which]
    if not isinstance(end, dict):
        out.add(
            epath,
            f'{label}: the {which} end must be an object {{"node", "socket"}} (got {show(end)})',
            field=which,
            link=ref,
        )
        return None
    unknown_keys(end, END_KEYS, epath, f"{label} {which} end", "field", out, link=ref)
    nid, sname = end.get("node"), end.get("socket")
    if not isinstance(nid, str) or nid not in index:
        what = (
            "has no node" if "node" not in end else f"names node {show(nid)}, which does not exist"
        )
        out.add(f"{epath}.node", f"{label}: the {which} end {what}", field="node", link=ref)
        return None
    sockets = index[nid]["sockets"]
    if not isinstance(sname, str) or sname not in sockets:
        what = (
            "names no socket"
            if "socket" not in end
            else f"names socket {show(sname)}, but {nid} has no such socket"
        )
        out.add(
            f"{epath}.socket",
            f"{nid}: {label}'s {which} end {what} (it has: {', '.join(sockets) or 'none'})",
            node=nid,
            field="socket",
            link=ref,
        )
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
    against = f"{c['name']}: {label} joins it to {b['name']}"
    if modes == ("bind", "bind"):
        out.add(
            f"{path}.connect",
            f"{against}, but both bind (two binders on one link); one end must connect",
            field="connect",
            **where,
        )
    elif modes == ("connect", "connect"):
        out.add(
            f"{path}.bind", f"{against}, but both connect; one end must bind", field="bind", **where
        )
    elif modes == ("bind", "connect"):
        out.add(
            path,
            f"{against} with the ends swapped: {c['name']} binds, so it belongs in "
            f'"bind", and {b["name"]} connects, so it belongs in "connect"',
            field="connect",
            **where,
        )
    if c["type"] is not None and b["type"] is not None:
        err = pair_error(c["type"], b["type"])
        if err:
            out.add(path, f"{against}, but {err}", **where)
    key = tuple(sorted((c["name"], b["name"])))
    if key in pairs:
        out.add(path, f"{against} a second time ({pairs[key]} already does)", **where)
    else:
        pairs[key] = ref or path
