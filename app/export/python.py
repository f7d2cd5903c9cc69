"""Runnable Python for a topology: one script, one process per node, plain blocking pyzmq.

``python_script(doc)`` returns the text of a script that reproduces the topology outside the
playground over tcp on 127.0.0.1: every binding socket gets a port from ``--base-port`` up, in
document order; every node is a function that creates its sockets (type, options, bind/connect,
exactly as drawn) and runs its kind's behaviour, written out with the same semantics as
app/engine/behaviours (that fixed part of the script: app/export/pyruntime.py). Run it whole (a
process per node) or one node at a time. Kinds without an exporter yet get their sockets and a
clear "not exportable yet" comment.
"""

from __future__ import annotations

import json
import keyword
import re

from ..topology import normalize, socket_options, upgrade
from .pyruntime import MAIN, RESERVED, RUNTIME

EXPORTABLE = ("source", "replier", "worker", "sink")
NOT_EXPORTABLE = "not exportable yet"
BOOL_OPTIONS = {
    "immediate",
    "conflate",
    "router_mandatory",
    "router_handover",
    "req_relaxed",
    "req_correlate",
    "xpub_verbose",
    "xpub_nodrop",
}
INT_OPTIONS = {"sndhwm", "rcvhwm", "linger", "heartbeat_ivl", "heartbeat_timeout", "heartbeat_ttl"}


def _ident(text: str, taken: set) -> str:
    """A Python identifier made from a node or socket name, unique within ``taken``."""
    base = re.sub(r"\W", "_", text) or "n"
    if base[0].isdigit():
        base = f"n_{base}"
    if keyword.iskeyword(base) or base in RESERVED:
        base = f"{base}_"
    name, i = base, 2
    while name in taken:
        name, i = f"{base}_{i}", i + 1
    taken.add(name)
    return name


def _option_lines(var: str, options: dict) -> list[str]:
    """setsockopt calls for the options the document sets (before bind/connect, as libzmq wants)."""
    lines = []
    opts = socket_options(options)
    lines.append(f"    {var}.setsockopt(zmq.LINGER, {int(opts.pop('linger', 0))})")
    for name, value in opts.items():
        if name == "subscribe":
            for topic in value:
                lines.append(f"    {var}.setsockopt(zmq.SUBSCRIBE, {topic.encode()!r})")
        elif name == "routing_id":
            lines.append(f"    {var}.setsockopt(zmq.ROUTING_ID, {value.encode()!r})")
        elif name in BOOL_OPTIONS:
            lines.append(f"    {var}.setsockopt(zmq.{name.upper()}, {1 if value else 0})")
        elif name in INT_OPTIONS:
            lines.append(f"    {var}.setsockopt(zmq.{name.upper()}, {int(value)})")
        else:
            lines.append(f"    # option {name}={value!r} has no equivalent outside the playground")
    return lines


def _behaviour_call(
    node: dict, socks: dict, types: dict, peers: list, waits: tuple[str, int] | None = None
) -> list[str]:
    """The line(s) running the node's behaviour with its fields spelled out. `waits` is (monitor
    variable, peers expected) when the source waits for its peers' handshakes first."""
    b, nid, kind = node.get("behaviour") or {}, node["id"], node["kind"]
    if kind == "source":
        wait = f", monitor={waits[0]}, expected_peers={waits[1]}" if waits else ""
        return [
            f"    run_source({nid!r}, {socks[b['socket']]}, {types[b['socket']]!r}, "
            f"interval_ms={b['interval_ms']}, count={b['count']},",
            f"               frames={b['frames']!r}, topics={b['topics']!r}, "
            f"start_delay_ms={b['start_delay_ms']}, await_reply={b.get('await_reply', 'auto')!r}, "
            f"peers={peers!r}{wait})",
        ]
    if kind == "replier":
        return [
            f"    run_replier({nid!r}, {socks[b['socket']]}, {types[b['socket']]!r}, "
            f"{b['transform']!r}, {b['text']!r}, delay_ms={b['delay_ms']})"
        ]
    if kind == "worker":
        out = socks[b["output"]] if b.get("output") else "None"
        return [
            f"    run_worker({nid!r}, {socks[b['input']]}, {types[b['input']]!r}, {out}, "
            f"{b['transform']!r}, {b['text']!r}, work_ms={b['work_ms']})"
        ]
    if kind == "sink":
        return [f"    run_sink({nid!r}, {socks[b['socket']]})"]
    return [
        f"    # kind {kind!r} is {NOT_EXPORTABLE}: its sockets are bound/connected above so the",
        "    # rest of the topology can reach them, but it does nothing with them.",
        f"    log({nid!r}, {f'kind {kind} is {NOT_EXPORTABLE}: idle'!r})",
        f"    idle({nid!r})",
    ]


def _docstring_safe(text: str) -> str:
    """Text that cannot end the script's docstring, start an escape sequence or hold a
    character Python refuses in source (NUL) or reads as a line break inside a docstring
    (other control characters become ``?``)."""
    text = "".join(c if c in "\t\n" or (c >= " " and c != "\x7f") else "?" for c in text)
    return text.replace("\\", "/").replace('"""', "'''")


def python_script(doc: dict) -> str:
    """The script for a valid topology document (call prepare() or validate() first)."""
    doc = normalize(upgrade(doc))
    nodes = doc["nodes"]
    bind_ports, order = {}, []
    for node in nodes:
        for s in node["sockets"]:
            if s["mode"] == "bind":
                bind_ports[f"{node['id']}.{s['name']}"] = len(bind_ports)
    connects: dict[str, list[str]] = {}
    links_of: dict[str, int] = {}
    peers_of: dict[str, list[bytes]] = {}
    index = {n["id"]: n for n in nodes}
    for link in doc.get("links", []):
        c, b = link["connect"], link["bind"]
        connects.setdefault(f"{c['node']}.{c['socket']}", []).append(f"{b['node']}.{b['socket']}")
        for end in (c, b):
            links_of[f"{end['node']}.{end['socket']}"] = (
                links_of.get(f"{end['node']}.{end['socket']}", 0) + 1
            )
        for end, other in ((c, b), (b, c)):
            other_sock = next(
                s for s in index[other["node"]]["sockets"] if s["name"] == other["socket"]
            )
            rid = other_sock["options"].get("routing_id")
            if rid:
                peers_of.setdefault(f"{end['node']}.{end['socket']}", []).append(rid.encode())
    funcs, table, taken = [], [], set()
    for node in nodes:
        fname = _ident(node["id"], taken)
        order.append(node["id"])
        table.append(f"    {node['id']!r}: {fname},")
        label = _docstring_safe(node.get("label") or node["id"])
        lines = [
            f"def {fname}(base_port):",
            f'    """{label} ({node["kind"]})'
            f'{" — " + NOT_EXPORTABLE if node["kind"] not in EXPORTABLE else ""}."""',
            "    ctx = zmq.Context()",
        ]
        socks, types, local, waits = {}, {}, set(), None
        source_socket = (
            (node.get("behaviour") or {}).get("socket") if node["kind"] == "source" else None
        )
        for s in node["sockets"]:
            var = _ident(s["name"], local)
            socks[s["name"]], types[s["name"]] = var, s["type"]
            key = f"{node['id']}.{s['name']}"
            lines.append(f"    {var} = ctx.socket(zmq.{s['type']})")
            if s["name"] == source_socket and doc.get("start") == "ready" and links_of.get(key):
                # watched from before bind/connect so that no handshake is missed
                mon = _ident(f"{s['name']}_monitor", local)
                waits = (mon, links_of[key])
                lines.append(f"    {mon} = {var}.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)")
            lines += _option_lines(var, s.get("options"))
            if s["mode"] == "bind":
                lines.append(
                    f'    {var}.bind(f"tcp://127.0.0.1:{{base_port + {bind_ports[key]}}}")  # {key}'
                )
            for target in connects.get(key, []):
                lines.append(
                    f'    {var}.connect(f"tcp://127.0.0.1:{{base_port + {bind_ports[target]}}}")'
                    f"  # → {target}"
                )
        lines.append(f'    log({node["id"]!r}, "up")')
        lines.append("    try:")
        body = _behaviour_call(
            node,
            socks,
            types,
            peers_of.get(f"{node['id']}.{(node.get('behaviour') or {}).get('socket')}", []),
            waits,
        )
        lines += ["    " + ln for ln in body]
        lines += ["    finally:", "        ctx.destroy(linger=0)", ""]
        funcs.append("\n".join(lines))
    title = doc.get("title") or "ZeroMQ topology"
    name = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "topology"
    first = order[0] if order else "NODE"
    doc_title = _docstring_safe(title)
    description = _docstring_safe(doc.get("description") or "")
    header = "\n".join(
        [
            "#!/usr/bin/env python3",
            f'"""{doc_title}: exported from the ZeroMQ Pattern Playground.',
            "",
            *([description, ""] if description else []),
            "Every node is a function below that creates its sockets exactly as drawn and runs its",
            "behaviour with plain blocking pyzmq over tcp on 127.0.0.1 "
            "(binding sockets take consecutive",
            "ports from --base-port). Needs pyzmq (pip install pyzmq).",
            "",
            f"    python {name}.py                "
            "# every node, each in its own process (Ctrl+C stops)",
            f"    python {name}.py {first:<14} # one node; start the others in other terminals",
            f"    python {name}.py --list         # the endpoints",
            f"    python {name}.py --seconds 10   # stop by itself",
            '"""',
            "import argparse",
            "import os",
            "import signal",
            "import subprocess",
            "import sys",
            "import time",
            "",
            "import zmq",
            "",
            '# "node.socket" of every binding socket -> its port offset from --base-port',
            "BIND_PORTS = " + json.dumps(bind_ports, indent=4),
            "",
        ]
    )
    rule = "# " + "-" * 93
    nodes_table = f"\n\n{rule}\n# The nodes, in document order.\n\n" + "\n\n".join(funcs)
    registry = "\n\nNODES = {\n" + "\n".join(table) + "\n}\nORDER = " + repr(order) + "\n"
    return header + RUNTIME + nodes_table + registry + MAIN
