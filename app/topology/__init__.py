"""The topology model: the document a user draws, its rules and its defaults.

Pure Python (no Flask, no zmq). See docs/topology.md for the format. Typical use:

    doc, problems = parse_json(text)
    if not problems:
        doc, problems = prepare(doc)   # upgrade + validate + normalize
"""

from .document import normalize, parse_json, prepare, upgrade
from .guards import queue_bound
from .kinds import KINDS
from .limits import (
    CURRENT_VERSION,
    DEFAULT_LIMITS,
    MAX_JSON_BYTES,
    MAX_LINKS,
    MAX_NODES,
    MAX_SOCKETS,
)
from .meta import META, build_meta
from .options import OPTIONS, socket_options
from .sockets import CAN_RECEIVE, CAN_SEND, MODES, PAIRS, SOCKET_TYPES, pair_error
from .validate import TRANSPORTS, validate

__all__ = [
    "CAN_RECEIVE",
    "CAN_SEND",
    "CURRENT_VERSION",
    "DEFAULT_LIMITS",
    "KINDS",
    "MAX_JSON_BYTES",
    "MAX_LINKS",
    "MAX_NODES",
    "MAX_SOCKETS",
    "META",
    "MODES",
    "OPTIONS",
    "PAIRS",
    "SOCKET_TYPES",
    "TRANSPORTS",
    "build_meta",
    "normalize",
    "pair_error",
    "parse_json",
    "prepare",
    "queue_bound",
    "socket_options",
    "upgrade",
    "validate",
]
