"""Size limits of a topology document and the patterns its identifiers follow.

Every limit is a module constant; `DEFAULT_LIMITS` gathers them under the names that
`validate(doc, limits={...})` accepts as overrides (e.g. from the app's configuration).
"""

import re

CURRENT_VERSION = 1

MAX_NODES = 100
MAX_LINKS = 400
MAX_SOCKETS = 8  # per node
MAX_TITLE = 200  # characters
MAX_DESCRIPTION = 4000
MAX_LABEL = 80
MAX_JSON_BYTES = 1_000_000  # parse_json refuses larger texts
MAX_PROBLEMS = 1000  # validate stops collecting after this many
MAX_COORD = 1_000_000  # |x|, |y| of a node or the view
MAX_ZOOM = 100.0  # view.k, must be > 0
# Resource guards (guards.py): what a valid document may cost the server.
MAX_TOTAL_SOCKETS = 400  # sockets in the whole topology
MAX_MESSAGE_BYTES = 65536  # largest message its templates and transforms can make
MAX_HWM = 100000  # sndhwm/rcvhwm upper bound; 0 (no limit) is refused
MAX_QUEUE_BYTES = 256 * 1024 * 1024  # HWM x largest message over every link direction
ALLOW_EXPOSE = 1  # 0: a socket's `expose` is refused (a public server's setting)

DEFAULT_LIMITS = {
    "max_nodes": MAX_NODES,
    "max_links": MAX_LINKS,
    "max_sockets": MAX_SOCKETS,
    "max_title": MAX_TITLE,
    "max_description": MAX_DESCRIPTION,
    "max_label": MAX_LABEL,
    "max_json_bytes": MAX_JSON_BYTES,
    "max_problems": MAX_PROBLEMS,
    "max_total_sockets": MAX_TOTAL_SOCKETS,
    "max_message_bytes": MAX_MESSAGE_BYTES,
    "max_hwm": MAX_HWM,
    "max_queue_bytes": MAX_QUEUE_BYTES,
    "allow_expose": ALLOW_EXPOSE,
}

# Patterns in JavaScript syntax too (the editor gets them through META).
NODE_ID_PATTERN = "^[A-Za-z][A-Za-z0-9_-]{0,39}$"  # also link ids
SOCKET_NAME_PATTERN = "^[A-Za-z][A-Za-z0-9_-]{0,19}$"
NODE_ID_RE = re.compile(NODE_ID_PATTERN[1:-1])  # use with fullmatch: `$` would allow a "\n"
SOCKET_NAME_RE = re.compile(SOCKET_NAME_PATTERN[1:-1])


def merged_limits(overrides=None):
    """Return DEFAULT_LIMITS updated with `overrides` (a dict of the same keys, or None)."""
    limits = dict(DEFAULT_LIMITS)
    if overrides:
        unknown = set(overrides) - set(DEFAULT_LIMITS)
        if unknown:
            raise KeyError(f"unknown limit(s): {', '.join(sorted(map(str, unknown)))}")
        limits.update(overrides)
    return limits
