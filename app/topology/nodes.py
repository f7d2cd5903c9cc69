"""Checks of the node list: ids, kinds, sockets, socket options and behaviours."""

from .fields import is_number, show, string_field
from .kinds import KINDS
from .kinds_ko import FIELD_KO
from .limits import MAX_COORD, NODE_ID_RE, SOCKET_NAME_RE
from .messages import word
from .options import OPTIONS
from .problems import suggestion, unknown_keys
from .sockets import MODES, SOCKET_TYPES, types_word

NODE_KEYS = ("id", "kind", "label", "x", "y", "sockets", "behaviour")
SOCKET_KEYS = ("name", "type", "mode", "options")
TOPOLOGY = word("w.topology")


def _needs(spec):
    """A socket field's role ("the socket a source sends on"), in English and Korean."""
    return {"en": spec["needs"], "ko": FIELD_KO.get(spec["needs"], spec["needs"])}


def check_nodes(nodes, limits, out):
    """Check the `nodes` list; return {node id: {"i", "sockets": {name: {"j", "type", "mode"}}}}.

    Only well-formed, first-seen ids and socket names enter the index; a socket's type or mode
    is None there when it is invalid (its problem is already reported).
    """
    index = {}
    if not isinstance(nodes, list):
        vars_ = {"subject": TOPOLOGY, "field": "nodes", "got": show(nodes)}
        out.add("nodes", "list", vars_, field="nodes")
        return index
    if not nodes:
        out.add("nodes", "nodes.empty", field="nodes")
    if len(nodes) > limits["max_nodes"]:
        vars_ = {"count": len(nodes), "max": limits["max_nodes"]}
        out.add("nodes", "nodes.tooMany", vars_, field="nodes")
    for i, node in enumerate(nodes):
        _check_node(i, node, index, limits, out)
    return index


def _check_node(i, node, index, limits, out):
    path = f"nodes[{i}]"
    if not isinstance(node, dict):
        out.add(path, "node.object", {"subject": path, "got": show(node)})
        return
    nid = node.get("id")
    ok = isinstance(nid, str) and NODE_ID_RE.fullmatch(nid) is not None
    ref, name = (nid, nid) if ok else (None, path)
    unknown_keys(node, NODE_KEYS, path, name, word("w.nodeField"), out, node=ref)
    if "id" not in node:
        out.add(f"{path}.id", "id.required", {"subject": path}, field="id")
    elif not ok:
        out.add(f"{path}.id", "id.rule", {"subject": path, "got": show(nid)}, field="id")
    elif nid in index:
        vars_ = {"node": nid, "other": index[nid]["i"]}
        out.add(f"{path}.id", "node.duplicate", vars_, node=nid, field="id")
    kind = node.get("kind")
    kinds = ", ".join(KINDS)
    if "kind" not in node:
        vars_ = {"subject": name, "kinds": kinds}
        out.add(f"{path}.kind", "kind.required", vars_, node=ref, field="kind")
    elif not isinstance(kind, str) or kind not in KINDS:
        hint = suggestion(kind, KINDS) or word("w.knownOf", what=word("w.kinds"), known=kinds)
        vars_ = {"subject": name, "what": word("w.kind"), "got": show(kind), "hint": hint}
        out.add(f"{path}.kind", "unknown", vars_, node=ref, field="kind")
        kind = None
    if "label" in node:
        label_spec = string_field("Label", max_len=limits["max_label"])
        out.values(
            label_spec, node["label"], f"{path}.label", name, "label", node=ref, field="label"
        )
    for axis in ("x", "y"):
        if axis in node and not (is_number(node[axis]) and abs(node[axis]) <= MAX_COORD):
            vars_ = {"subject": name, "field": axis, "max": MAX_COORD, "got": show(node[axis])}
            out.add(f"{path}.{axis}", "coord", vars_, node=ref, field=axis)
    sockets = _check_sockets(node, path, name, ref, limits, out)
    if ok and nid not in index:
        index[nid] = {"i": i, "sockets": sockets}
    if kind is not None:
        _check_behaviour(node, kind, path, name, ref, sockets, out)


def _check_sockets(node, path, name, ref, limits, out):
    found = {}
    where = {"node": ref, "field": "sockets"}
    if "sockets" not in node:
        out.add(f"{path}.sockets", "sockets.required", {"subject": name}, **where)
        return found
    socks = node["sockets"]
    if not isinstance(socks, list):
        vars_ = {"subject": name, "field": "sockets", "got": show(socks)}
        out.add(f"{path}.sockets", "list", vars_, **where)
        return found
    if not socks:
        out.add(f"{path}.sockets", "sockets.empty", {"subject": name}, **where)
    if len(socks) > limits["max_sockets"]:
        vars_ = {"subject": name, "count": len(socks), "max": limits["max_sockets"]}
        out.add(f"{path}.sockets", "sockets.tooMany", vars_, **where)
    for j, sock in enumerate(socks):
        _check_socket(sock, f"{path}.sockets[{j}]", j, name, ref, found, out)
    return found


def _check_socket(sock, path, j, name, ref, found, out):
    if not isinstance(sock, dict):
        vars_ = {"subject": f"{name}.sockets[{j}]", "got": show(sock)}
        out.add(path, "socket.object", vars_, node=ref)
        return
    sname = sock.get("name")
    ok = isinstance(sname, str) and SOCKET_NAME_RE.fullmatch(sname) is not None
    sref = sname if ok else None
    label = f"{name}.{sname}" if ok else f"{name}.sockets[{j}]"
    where = {"node": ref, "socket": sref}
    unknown_keys(sock, SOCKET_KEYS, path, label, word("w.socketField"), out, **where)
    if "name" not in sock:
        out.add(f"{path}.name", "name.required", {"subject": label}, field="name", **where)
    elif not ok:
        vars_ = {"subject": label, "got": show(sname)}
        out.add(f"{path}.name", "name.rule", vars_, field="name", **where)
    elif sname in found:
        vars_ = {"subject": label, "node": name}
        out.add(f"{path}.name", "socket.duplicate", vars_, field="name", **where)
    stype = sock.get("type")
    types = " ".join(SOCKET_TYPES)
    if "type" not in sock:
        vars_ = {"subject": label, "types": types}
        out.add(f"{path}.type", "type.required", vars_, field="type", **where)
        stype = None
    elif not isinstance(stype, str) or stype not in SOCKET_TYPES:
        hint = suggestion(stype, SOCKET_TYPES) or word(
            "w.knownOf", what=word("w.types"), known=types
        )
        vars_ = {"subject": label, "what": word("w.type"), "got": show(stype), "hint": hint}
        out.add(f"{path}.type", "unknown", vars_, field="type", **where)
        stype = None
    mode = sock.get("mode")
    if not isinstance(mode, str) or mode not in MODES:
        if "mode" not in sock:
            out.add(f"{path}.mode", "mode.required", {"subject": label}, field="mode", **where)
        else:
            vars_ = {"subject": label, "got": show(mode)}
            out.add(f"{path}.mode", "mode.bad", vars_, field="mode", **where)
        mode = None
    if "options" in sock:
        _check_options(sock["options"], stype, f"{path}.options", label, where, out)
        opts = sock["options"]
        if isinstance(opts, dict) and opts.get("expose") is True and mode == "connect":
            vars_ = {"subject": label}
            out.add(f"{path}.options.expose", "expose.connect", vars_, field="expose", **where)
    if ok and sname not in found:
        found[sname] = {"j": j, "type": stype, "mode": mode}


def _check_options(options, stype, path, label, where, out):
    if not isinstance(options, dict):
        vars_ = {"subject": label, "field": "options", "got": show(options)}
        out.add(path, "object", vars_, field="options", **where)
        return
    unknown_keys(options, tuple(OPTIONS), path, label, word("w.option"), out, **where)
    for key, value in options.items():
        spec = OPTIONS.get(key) if isinstance(key, str) else None
        if spec is None:
            continue
        if stype is not None and stype not in spec["applies_to"]:
            vars_ = {
                "subject": label,
                "option": key,
                "types": types_word(spec["applies_to"]),
                "type": stype,
            }
            out.add(f"{path}.{key}", "option.type", vars_, field=key, **where)
        out.values(spec, value, f"{path}.{key}", label, key, field=key, **where)


def _check_behaviour(node, kind, path, name, ref, sockets, out):
    fields = KINDS[kind]["fields"]
    path += ".behaviour"
    beh = node.get("behaviour", {})
    if not isinstance(beh, dict):
        vars_ = {"subject": name, "field": "behaviour", "got": show(beh)}
        out.add(path, "object", vars_, node=ref, field="behaviour")
        return
    what = word("w.behaviourField", kind=kind)
    unknown_keys(beh, tuple(fields), path, name, what, out, node=ref)
    for fname, spec in fields.items():
        fpath = f"{path}.{fname}"
        if fname not in beh:
            if spec["type"] == "socket" and spec["required"]:
                vars_ = {
                    "subject": name,
                    "field": fname,
                    "needs": _needs(spec),
                    "types": types_word(spec["socket_types"]),
                }
                out.add(fpath, "behaviour.required", vars_, node=ref, field=fname)
            continue
        value = beh[fname]
        before = len(out.items)
        out.values(spec, value, fpath, name, f"behaviour.{fname}", node=ref, field=fname)
        problems = len(out.items) > before
        if spec["type"] == "socket" and not problems and value is not None:
            _check_socket_ref(spec, value, fpath, fname, name, ref, sockets, out)


def _check_socket_ref(spec, sname, path, fname, name, ref, sockets, out):
    sock = sockets.get(sname)
    if sock is None:
        have = ", ".join(sockets) or word("w.none")
        vars_ = {"subject": name, "field": fname, "got": show(sname), "node": name, "have": have}
        out.add(path, "behaviour.noSocket", vars_, node=ref, field=fname)
        return
    stype = sock["type"]
    if stype is not None and stype not in spec["socket_types"]:
        vars_ = {
            "subject": name,
            "field": fname,
            "socket": sname,
            "type": stype,
            "needs": _needs(spec),
            "types": types_word(spec["socket_types"]),
        }
        out.add(path, "behaviour.socketType", vars_, node=ref, socket=sname, field=fname)
