"""Checks of the node list: ids, kinds, sockets, socket options and behaviours."""

from .fields import check_value, is_number, show, string_field
from .kinds import KINDS
from .limits import MAX_COORD, NODE_ID_RE, SOCKET_NAME_RE
from .options import OPTIONS
from .problems import suggest, unknown_keys
from .sockets import MODES, SOCKET_TYPES, join_types

NODE_KEYS = ("id", "kind", "label", "x", "y", "sockets", "behaviour")
SOCKET_KEYS = ("name", "type", "mode", "options")
NODE_ID_RULE = "must start with a letter and hold only letters, digits, '_' and '-', at most 40"
SOCKET_NAME_RULE = NODE_ID_RULE[:-2] + "20"


def check_nodes(nodes, limits, out):
    """Check the `nodes` list; return {node id: {"i", "sockets": {name: {"j", "type", "mode"}}}}.

    Only well-formed, first-seen ids and socket names enter the index; a socket's type or mode
    is None there when it is invalid (its problem is already reported).
    """
    index = {}
    if not isinstance(nodes, list):
        out.add("nodes", f"topology: nodes must be a list (got {show(nodes)})", field="nodes")
        return index
    if not nodes:
        out.add("nodes", "topology: a topology needs at least one node", field="nodes")
    if len(nodes) > limits["max_nodes"]:
        out.add(
            "nodes",
            f"topology: {len(nodes)} nodes, at most {limits['max_nodes']} allowed",
            field="nodes",
        )
    for i, node in enumerate(nodes):
        _check_node(i, node, index, limits, out)
    return index


def _check_node(i, node, index, limits, out):
    path = f"nodes[{i}]"
    if not isinstance(node, dict):
        out.add(path, f"{path}: a node must be an object (got {show(node)})")
        return
    nid = node.get("id")
    ok = isinstance(nid, str) and NODE_ID_RE.fullmatch(nid) is not None
    ref, name = (nid, nid) if ok else (None, path)
    unknown_keys(node, NODE_KEYS, path, name, "node field", out, node=ref)
    if "id" not in node:
        out.add(f"{path}.id", f"{path}: id is required", field="id")
    elif not ok:
        out.add(f"{path}.id", f"{path}: id {NODE_ID_RULE} characters (got {show(nid)})", field="id")
    elif nid in index:
        out.add(
            f"{path}.id",
            f"{nid}: duplicate node id (nodes[{index[nid]['i']}] has it too)",
            node=nid,
            field="id",
        )
    kind = node.get("kind")
    if "kind" not in node:
        out.add(
            f"{path}.kind", f"{name}: kind is required ({', '.join(KINDS)})", node=ref, field="kind"
        )
    elif not isinstance(kind, str) or kind not in KINDS:
        hint = suggest(kind, KINDS) or f" (kinds: {', '.join(KINDS)})"
        out.add(f"{path}.kind", f"{name}: unknown kind {show(kind)}{hint}", node=ref, field="kind")
        kind = None
    if "label" in node:
        label_spec = string_field("Label", max_len=limits["max_label"])
        for _, msg in check_value(label_spec, node["label"]):
            out.add(f"{path}.label", f"{name}: label {msg}", node=ref, field="label")
    for axis in ("x", "y"):
        if axis in node and not (is_number(node[axis]) and abs(node[axis]) <= MAX_COORD):
            out.add(
                f"{path}.{axis}",
                f"{name}: {axis} must be a number between -{MAX_COORD} and "
                f"{MAX_COORD} (got {show(node[axis])})",
                node=ref,
                field=axis,
            )
    sockets = _check_sockets(node, path, name, ref, limits, out)
    if ok and nid not in index:
        index[nid] = {"i": i, "sockets": sockets}
    if kind is not None:
        _check_behaviour(node, kind, path, name, ref, sockets, out)


def _check_sockets(node, path, name, ref, limits, out):
    found = {}
    if "sockets" not in node:
        out.add(
            f"{path}.sockets",
            f"{name}: sockets is required (a node needs at least one)",
            node=ref,
            field="sockets",
        )
        return found
    socks = node["sockets"]
    if not isinstance(socks, list):
        out.add(
            f"{path}.sockets",
            f"{name}: sockets must be a list (got {show(socks)})",
            node=ref,
            field="sockets",
        )
        return found
    if not socks:
        out.add(
            f"{path}.sockets",
            f"{name}: a node needs at least one socket",
            node=ref,
            field="sockets",
        )
    if len(socks) > limits["max_sockets"]:
        out.add(
            f"{path}.sockets",
            f"{name}: {len(socks)} sockets, at most {limits['max_sockets']} allowed per node",
            node=ref,
            field="sockets",
        )
    for j, sock in enumerate(socks):
        _check_socket(sock, f"{path}.sockets[{j}]", j, name, ref, found, out)
    return found


def _check_socket(sock, path, j, name, ref, found, out):
    if not isinstance(sock, dict):
        out.add(
            path, f"{name}.sockets[{j}]: a socket must be an object (got {show(sock)})", node=ref
        )
        return
    sname = sock.get("name")
    ok = isinstance(sname, str) and SOCKET_NAME_RE.fullmatch(sname) is not None
    sref = sname if ok else None
    label = f"{name}.{sname}" if ok else f"{name}.sockets[{j}]"
    where = {"node": ref, "socket": sref}
    unknown_keys(sock, SOCKET_KEYS, path, label, "socket field", out, **where)
    if "name" not in sock:
        out.add(f"{path}.name", f"{label}: name is required", field="name", **where)
    elif not ok:
        out.add(
            f"{path}.name",
            f"{label}: name {SOCKET_NAME_RULE} characters (got {show(sname)})",
            field="name",
            **where,
        )
    elif sname in found:
        out.add(f"{path}.name", f"{label}: duplicate socket name in {name}", field="name", **where)
    stype = sock.get("type")
    if "type" not in sock:
        out.add(
            f"{path}.type",
            f"{label}: type is required ({' '.join(SOCKET_TYPES)})",
            field="type",
            **where,
        )
        stype = None
    elif not isinstance(stype, str) or stype not in SOCKET_TYPES:
        hint = suggest(stype, SOCKET_TYPES) or f" (types: {' '.join(SOCKET_TYPES)})"
        out.add(
            f"{path}.type",
            f"{label}: unknown socket type {show(stype)}{hint}",
            field="type",
            **where,
        )
        stype = None
    mode = sock.get("mode")
    if not isinstance(mode, str) or mode not in MODES:
        what = (
            "is required"
            if "mode" not in sock
            else f"must be 'bind' or 'connect' (got {show(mode)})"
        )
        out.add(f"{path}.mode", f"{label}: mode {what}", field="mode", **where)
        mode = None
    if "options" in sock:
        _check_options(sock["options"], stype, f"{path}.options", label, where, out)
        opts = sock["options"]
        if isinstance(opts, dict) and opts.get("expose") is True and mode == "connect":
            out.add(
                f"{path}.options.expose",
                f"{label}: expose applies only to binding sockets "
                "(an outside program connects to it)",
                field="expose",
                **where,
            )
    if ok and sname not in found:
        found[sname] = {"j": j, "type": stype, "mode": mode}


def _check_options(options, stype, path, label, where, out):
    if not isinstance(options, dict):
        out.add(
            path,
            f"{label}: options must be an object (got {show(options)})",
            field="options",
            **where,
        )
        return
    unknown_keys(options, tuple(OPTIONS), path, label, "option", out, **where)
    for key, value in options.items():
        spec = OPTIONS.get(key) if isinstance(key, str) else None
        if spec is None:
            continue
        if stype is not None and stype not in spec["applies_to"]:
            out.add(
                f"{path}.{key}",
                f"{label}: {key} applies only to "
                f"{join_types(spec['applies_to'])} sockets, not {stype}",
                field=key,
                **where,
            )
        for suffix, msg in check_value(spec, value):
            out.add(f"{path}.{key}{suffix}", f"{label}: {key}{suffix} {msg}", field=key, **where)


def _check_behaviour(node, kind, path, name, ref, sockets, out):
    fields = KINDS[kind]["fields"]
    path += ".behaviour"
    beh = node.get("behaviour", {})
    if not isinstance(beh, dict):
        out.add(
            path,
            f"{name}: behaviour must be an object (got {show(beh)})",
            node=ref,
            field="behaviour",
        )
        return
    unknown_keys(beh, tuple(fields), path, name, f"{kind} behaviour field", out, node=ref)
    for fname, spec in fields.items():
        fpath = f"{path}.{fname}"
        if fname not in beh:
            if spec["type"] == "socket" and spec["required"]:
                out.add(
                    fpath,
                    f"{name}: behaviour.{fname} is required: name {spec['needs']} "
                    f"({join_types(spec['socket_types'])})",
                    node=ref,
                    field=fname,
                )
            continue
        value = beh[fname]
        problems = check_value(spec, value)
        for suffix, msg in problems:
            out.add(
                fpath + suffix, f"{name}: behaviour.{fname}{suffix} {msg}", node=ref, field=fname
            )
        if spec["type"] == "socket" and not problems and value is not None:
            _check_socket_ref(spec, value, fpath, fname, name, ref, sockets, out)


def _check_socket_ref(spec, sname, path, fname, name, ref, sockets, out):
    sock = sockets.get(sname)
    if sock is None:
        have = ", ".join(sockets) or "none"
        out.add(
            path,
            f"{name}: behaviour.{fname} names {show(sname)}, but {name} has no such "
            f"socket (it has: {have})",
            node=ref,
            field=fname,
        )
        return
    stype = sock["type"]
    if stype is not None and stype not in spec["socket_types"]:
        out.add(
            path,
            f"{name}: behaviour.{fname} is {sname}, a {stype} socket; {spec['needs']} "
            f"must be {join_types(spec['socket_types'])}",
            node=ref,
            socket=sname,
            field=fname,
        )
