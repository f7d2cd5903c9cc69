"""Share links: content ids for short links and the versioned full-link fragment.

Pure Python (no Flask, no database). ``content_id`` names a saved item by its canonical JSON;
``encode_state`` / ``decode_state`` are the Python twin of static/js/share/links.js.
"""

from .ids import canonical_json, content_id, is_id, shareable
from .state import LINK_VERSION, decode_state, encode_state, state_from_url

__all__ = [
    "LINK_VERSION",
    "canonical_json",
    "content_id",
    "decode_state",
    "encode_state",
    "is_id",
    "shareable",
    "state_from_url",
]
