"""validate(doc): every problem of a topology document, as data; never an exception."""

from .comments import check_comments
from .fields import choice_field, is_int, is_number, show, string_field
from .guards import check_guards
from .limits import CURRENT_VERSION, MAX_COORD, MAX_ZOOM, merged_limits
from .links import check_links
from .messages import render, word
from .nodes import TOPOLOGY, check_nodes
from .problems import Problems, TooManyProblems, unknown_keys

TOP_KEYS = ("version", "title", "description", "transport", "start", "nodes", "links", "view")
VIEW_KEYS = ("x", "y", "k", "comments")
TRANSPORTS = ("ipc", "tcp", "inproc")
TRANSPORT_FIELD = choice_field("Transport", TRANSPORTS, "ipc")
START_FIELD = choice_field(
    "Start",
    ("ready", "immediate"),
    "ready",
    help="ready: nodes start once every link's handshake completed (exact round-robin); "
    "immediate: at once, as a program that sends right after connect (slow joiner).",
)


def validate(doc, limits=None):
    """Return every problem of `doc` (a parsed JSON value) as a list; [] means valid.

    Each problem is {"path", "node", "socket", "field", "message", "link", "code", "vars"}:
    `path` locates the value ("nodes[2].sockets[0].options.sndhwm"), `node`/`socket`/`link` are
    the ids concerned or None, and `message` starts with what it concerns ("w1.in: ...",
    "w1: ...", "link l3: ...", "topology: ..."); it is `code`'s English with `vars`
    (messages.py), which the page words in the reader's language. `limits` overrides entries of
    limits.DEFAULT_LIMITS. Past `max_problems` problems validation stops with a final problem
    saying so.
    """
    limits = merged_limits(limits)
    out = Problems(limits["max_problems"])
    try:
        _check_document(doc, limits, out)
    except TooManyProblems:
        out.items.append(_problem("stopped", {"count": len(out.items)}))
    except Exception as exc:  # a bug here must not take the caller down with it
        out.items.append(_problem("internal", {"error": type(exc).__name__}))
    return out.items


def _problem(code, vars_):
    return {
        "path": "",
        "node": None,
        "socket": None,
        "field": None,
        "message": render(code, vars_),
        "link": None,
        "code": code,
        "vars": vars_,
    }


def _check_document(doc, limits, out):
    if not isinstance(doc, dict):
        out.add("", "document.object", {"got": show(doc)})
        return
    unknown_keys(doc, TOP_KEYS, "", TOPOLOGY, word("w.field"), out)
    _check_version(doc, out)
    texts = {
        "title": string_field("Title", max_len=limits["max_title"]),
        "description": string_field("Description", max_len=limits["max_description"]),
        "transport": TRANSPORT_FIELD,
        "start": START_FIELD,
    }
    for key, spec in texts.items():
        if key in doc:
            out.values(spec, doc[key], key, TOPOLOGY, key, field=key)
    if "view" in doc:
        _check_view(doc["view"], out)
    if "nodes" not in doc:
        out.add("nodes", "nodes.required", field="nodes")
    index = check_nodes(doc.get("nodes", []), limits, out) if "nodes" in doc else {}
    if "links" in doc:
        check_links(doc["links"], index, limits, out)
    check_guards(doc, limits, out, structure_ok=not out.items)


def _check_version(doc, out):
    version = doc.get("version")
    if "version" not in doc:
        out.add("version", "version.required", {"version": CURRENT_VERSION}, field="version")
    elif not is_int(version):
        vars_ = {"subject": TOPOLOGY, "field": "version", "got": show(version)}
        out.add("version", "value.int", vars_, field="version")
    elif version != CURRENT_VERSION:
        code = "version.old" if 1 <= version < CURRENT_VERSION else "version.unknown"
        vars_ = {"got": show(version), "version": CURRENT_VERSION}
        out.add("version", code, vars_, field="version")


def _check_view(view, out):
    if not isinstance(view, dict):
        out.add("view", "view.object", {"got": show(view)}, field="view")
        return
    unknown_keys(
        view, VIEW_KEYS, "view", word("w.inTopology", subject="view"), word("w.field"), out
    )
    for axis in ("x", "y"):
        if axis in view and not (is_number(view[axis]) and abs(view[axis]) <= MAX_COORD):
            vars_ = {
                "subject": TOPOLOGY,
                "field": f"view.{axis}",
                "max": MAX_COORD,
                "got": show(view[axis]),
            }
            out.add(f"view.{axis}", "coord", vars_, field=axis)
    if "k" in view and not (is_number(view["k"]) and 0 < view["k"] <= MAX_ZOOM):
        vars_ = {"max": f"{MAX_ZOOM:g}", "got": show(view["k"])}
        out.add("view.k", "view.zoom", vars_, field="k")
    if "comments" in view:
        check_comments(view["comments"], out)
