"""validate(doc): every problem of a topology document, as data; never an exception."""

from .comments import check_comments
from .fields import check_value, choice_field, is_int, is_number, show, string_field
from .guards import check_guards
from .limits import CURRENT_VERSION, MAX_COORD, MAX_ZOOM, merged_limits
from .links import check_links
from .nodes import check_nodes
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

    Each problem is {"path", "node", "socket", "field", "message", "link"}: `path` locates the
    value ("nodes[2].sockets[0].options.sndhwm"), `node`/`socket`/`link` are the ids concerned or
    None, and `message` starts with what it concerns ("w1.in: ...", "w1: ...", "link l3: ...",
    "topology: ..."). `limits` overrides entries of limits.DEFAULT_LIMITS. Past
    `max_problems` problems validation stops with a final problem saying so.
    """
    limits = merged_limits(limits)
    out = Problems(limits["max_problems"])
    try:
        _check_document(doc, limits, out)
    except TooManyProblems:
        out.items.append(
            _problem(f"topology: stopped after {len(out.items)} problems; fix these first")
        )
    except Exception as exc:  # a bug here must not take the caller down with it
        out.items.append(
            _problem(
                f"topology: internal validation error ({type(exc).__name__}); please report it"
            )
        )
    return out.items


def _problem(message):
    return {
        "path": "",
        "node": None,
        "socket": None,
        "field": None,
        "message": message,
        "link": None,
    }


def _check_document(doc, limits, out):
    if not isinstance(doc, dict):
        out.add("", f"topology: the document must be a JSON object (got {show(doc)})")
        return
    unknown_keys(doc, TOP_KEYS, "", "topology", "field", out)
    _check_version(doc, out)
    texts = {
        "title": string_field("Title", max_len=limits["max_title"]),
        "description": string_field("Description", max_len=limits["max_description"]),
        "transport": TRANSPORT_FIELD,
        "start": START_FIELD,
    }
    for key, spec in texts.items():
        if key in doc:
            for _, msg in check_value(spec, doc[key]):
                out.add(key, f"topology: {key} {msg}", field=key)
    if "view" in doc:
        _check_view(doc["view"], out)
    if "nodes" not in doc:
        out.add("nodes", "topology: nodes is required (a list of at least one node)", field="nodes")
    index = check_nodes(doc.get("nodes", []), limits, out) if "nodes" in doc else {}
    if "links" in doc:
        check_links(doc["links"], index, limits, out)
    check_guards(doc, limits, out, structure_ok=not out.items)


def _check_version(doc, out):
    version = doc.get("version")
    if "version" not in doc:
        out.add(
            "version",
            f"topology: version is required (this server reads version {CURRENT_VERSION})",
            field="version",
        )
    elif not is_int(version):
        out.add(
            "version",
            f"topology: version must be a whole number (got {show(version)})",
            field="version",
        )
    elif version != CURRENT_VERSION:
        hint = "; upgrade() it first" if 1 <= version < CURRENT_VERSION else ""
        out.add(
            "version",
            f"topology: unknown version {show(version)} (this server reads "
            f"version {CURRENT_VERSION}){hint}",
            field="version",
        )


def _check_view(view, out):
    if not isinstance(view, dict):
        out.add(
            "view",
            f"topology: view must be an object {{x, y, k, comments}} (got {show(view)})",
            field="view",
        )
        return
    unknown_keys(view, VIEW_KEYS, "view", "topology: view", "field", out)
    for axis in ("x", "y"):
        if axis in view and not (is_number(view[axis]) and abs(view[axis]) <= MAX_COORD):
            out.add(
                f"view.{axis}",
                f"topology: view.{axis} must be a number between "
                f"-{MAX_COORD} and {MAX_COORD} (got {show(view[axis])})",
                field=axis,
            )
    if "k" in view and not (is_number(view["k"]) and 0 < view["k"] <= MAX_ZOOM):
        out.add(
            "view.k",
            f"topology: view.k (zoom) must be a number above 0 and at most "
            f"{MAX_ZOOM:g} (got {show(view['k'])})",
            field="k",
        )
    if "comments" in view:
        check_comments(view["comments"], out)
