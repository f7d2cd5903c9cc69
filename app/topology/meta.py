"""META: everything the browser editor needs to build palettes and inspector forms."""

import copy

from .document import DEFAULT_VIEW, TOP_DEFAULTS
from .kinds import KINDS
from .kinds_ko import FIELD_KO, KIND_HELP_KO, UNITS_KO
from .limits import (
    CURRENT_VERSION,
    MAX_COORD,
    MAX_ZOOM,
    NODE_ID_PATTERN,
    SOCKET_NAME_PATTERN,
    merged_limits,
)
from .meta_ko import KIND_LABELS_KO, OPTIONS_KO
from .options import OPTIONS
from .sockets import CAN_RECEIVE, CAN_SEND, MODES, PAIRS, SINGLE_PEER, SOCKET_TYPES
from .validate import TRANSPORTS


def _texts(label_en, label_ko, help_ko=None, help_en=None, unit=None):
    """{"label": {"en", "ko"}, "help": {"en", "ko"}, "unit": ...} for what has a text."""
    out = {"unit": {"en": unit, "ko": UNITS_KO.get(unit)}} if unit else {}
    if label_ko:
        out["label"] = {"en": label_en, "ko": label_ko}
    if help_ko and help_en:
        out["help"] = {"en": help_en, "ko": help_ko}
    return out


def _field_texts(spec):
    """{en, ko} for each of a behaviour field's label, help, unit and needs that has a text."""
    return {
        key: {"en": spec[key], "ko": FIELD_KO.get(spec[key])}
        for key in ("label", "help", "unit", "needs")
        if spec.get(key)
    }


def build_meta(limits=None):
    """A JSON-serialisable description of the document format (served at /api/meta).

    `limits` overrides entries of DEFAULT_LIMITS, so the editor shows the server's real limits.
    """
    kinds = {}
    for name, kind in KINDS.items():
        fields = {}
        for fname, spec in kind["fields"].items():
            fields[fname] = dict(copy.deepcopy(spec), name=fname, text=_field_texts(spec))
        kinds[name] = {
            "label": kind["label"],
            "help": kind["help"],
            "text": _texts(
                kind["label"], KIND_LABELS_KO.get(name), KIND_HELP_KO.get(name), kind["help"]
            ),
            "fields": fields,
            "socket_fields": list(kind["socket_fields"]),
            "template": copy.deepcopy(kind["template"]),
        }
    return {
        "version": CURRENT_VERSION,
        "socket_types": list(SOCKET_TYPES),
        "pairs": {t: list(peers) for t, peers in PAIRS.items()},
        "single_peer": list(SINGLE_PEER),
        "can_send": list(CAN_SEND),
        "can_receive": list(CAN_RECEIVE),
        "modes": list(MODES),
        "transports": list(TRANSPORTS),
        "options": {
            name: dict(
                copy.deepcopy(spec),
                name=name,
                text=_texts(
                    spec.get("label"),
                    *OPTIONS_KO.get(name, (None, None)),
                    spec.get("help"),
                    spec.get("unit"),
                ),
            )
            for name, spec in OPTIONS.items()
        },
        "kinds": kinds,
        "limits": dict(merged_limits(limits), max_coord=MAX_COORD, max_zoom=MAX_ZOOM),
        "patterns": {
            "node_id": NODE_ID_PATTERN,
            "link_id": NODE_ID_PATTERN,
            "socket_name": SOCKET_NAME_PATTERN,
        },
        "defaults": dict(TOP_DEFAULTS, view=dict(DEFAULT_VIEW)),
    }


META = build_meta()
