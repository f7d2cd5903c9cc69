"""Whole-document operations: parse JSON text, upgrade old versions, fill defaults."""

import copy
import json

from .kinds import KINDS
from .limits import CURRENT_VERSION, MAX_JSON_BYTES
from .messages import render
from .validate import validate

DEFAULT_VIEW = {"x": 0, "y": 0, "k": 1}
TOP_DEFAULTS = {"title": "", "description": "", "transport": "ipc", "start": "ready"}

# version -> function turning a document of that version into one of version + 1 (in place).
# Version 2 will add `1: _v1_to_v2` here; each step also sets doc["version"].
UPGRADES = {}


def _problem(code, **vars_):
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


def _reject_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def parse_json(text, max_bytes=MAX_JSON_BYTES):
    """Parse `text` (str or UTF-8 bytes) into (doc, []), or (None, [problem]) when it cannot.

    Refuses texts over `max_bytes`, malformed JSON (with line and column), NaN/Infinity, and
    absurd nesting. The document itself is not validated: call validate() (or prepare()).
    """
    if isinstance(text, (bytes, bytearray)):
        if len(text) > max_bytes:
            return None, [_problem("json.size", size=len(text), max=max_bytes)]
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return None, [_problem("json.utf8", byte=exc.start)]
    elif not isinstance(text, str):
        return None, [_problem("json.text", type=type(text).__name__)]
    size = len(text) if len(text) > max_bytes else len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        return None, [_problem("json.sizeOrMore", size=size, max=max_bytes)]
    try:
        return json.loads(text, parse_constant=_reject_constant), []
    except json.JSONDecodeError as exc:
        return None, [_problem("json.syntax", error=exc.msg, line=exc.lineno, column=exc.colno)]
    except RecursionError:
        return None, [_problem("json.deep")]
    except ValueError as exc:  # NaN/Infinity, or an integer with thousands of digits
        return None, [_problem("json.value", error=str(exc))]


def upgrade(doc):
    """Bring a document of an older version up to CURRENT_VERSION, one version at a time.

    Returns the document itself when there is nothing to do (current version, or a version or
    shape it does not know: validate() reports those), else an upgraded deep copy.
    """
    if not isinstance(doc, dict):
        return doc
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version not in UPGRADES:
        return doc
    doc = copy.deepcopy(doc)
    while doc.get("version") in UPGRADES and doc["version"] < CURRENT_VERSION:
        UPGRADES[doc["version"]](doc)
    return doc


def normalize(doc):
    """A deep copy of a valid document with every default filled in (what the engine runs).

    Fills title, description, transport ("ipc"), links ([]), view, each node's label (its id),
    each socket's options ({}), and every behaviour field of the node's kind (an optional socket
    field becomes None). Idempotent. Meant for valid documents; on others it fills what it can.
    """
    doc = copy.deepcopy(doc)
    if not isinstance(doc, dict):
        return doc
    for key, value in TOP_DEFAULTS.items():
        doc.setdefault(key, value)
    doc.setdefault("links", [])
    view = doc.setdefault("view", {})
    if isinstance(view, dict):
        for key, value in DEFAULT_VIEW.items():
            view.setdefault(key, value)
    for node in doc.get("nodes") or []:
        if isinstance(node, dict):
            _normalize_node(node)
    return doc


def _normalize_node(node):
    node.setdefault("label", node.get("id"))
    for sock in node.get("sockets") or []:
        if isinstance(sock, dict):
            sock.setdefault("options", {})
    kind = KINDS.get(node.get("kind")) if isinstance(node.get("kind"), str) else None
    behaviour = node.setdefault("behaviour", {})
    if kind is None or not isinstance(behaviour, dict):
        return
    for name, spec in kind["fields"].items():
        if name not in behaviour and not (spec["type"] == "socket" and spec["required"]):
            behaviour[name] = copy.deepcopy(spec["default"])


def prepare(doc, limits=None):
    """upgrade + validate + normalize: (runnable document, []) or (None, problems)."""
    doc = upgrade(doc)
    problems = validate(doc, limits)
    if problems:
        return None, problems
    return normalize(doc), []
