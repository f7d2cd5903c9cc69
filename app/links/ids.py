"""Content ids: the same topology always gets the same short id, whoever saves it.

The id is the SHA-256 of the item's canonical JSON (keys sorted, no spaces, UTF-8), written in
Crockford's base 32 (no i, l, o, u: nothing to misread) and cut to ``ID_LENGTH`` characters
(60 bits). Storage lengthens an id only in the (astronomically unlikely) case of a collision.
"""

from __future__ import annotations

import hashlib
import json
import re

from ..topology import upgrade, validate

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
ID_LENGTH = 12
ID_RE = re.compile(r"^[0-9a-hjkmnp-tv-z]{12,52}$")


def canonical_json(item) -> str:
    """One text per JSON value: sorted keys, compact separators, non-ASCII kept as is."""
    return json.dumps(
        item, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def content_id(item, length: int = ID_LENGTH) -> str:
    """The first ``length`` base-32 characters of the SHA-256 of ``canonical_json(item)``."""
    digest = int.from_bytes(hashlib.sha256(canonical_json(item).encode("utf-8")).digest(), "big")
    chars = []
    for _ in range(52):  # 256 bits / 5
        digest, rest = divmod(digest, 32)
        chars.append(ALPHABET[rest])
    return "".join(reversed(chars))[:length]


def is_id(text) -> bool:
    """Whether ``text`` looks like a content id (checked before any storage lookup)."""
    return isinstance(text, str) and bool(ID_RE.match(text))


def shareable(doc):
    """(the topology as saved, []) for a valid topology, or (None, problems).

    The saved form is the document upgraded to the current version, as written: defaults are
    *not* filled in, so an id does not change when a later release adds a field with a default
    (a saved item is immutable, and so is the id of its content). The pan/zoom of ``view`` is
    dropped: a shared topology always opens fitted to the reader's window. Its comments
    (``view.comments``) are content and are kept; without any, ``view`` goes whole.
    """
    doc = upgrade(doc)
    problems = validate(doc)
    if problems:
        return None, problems
    view = doc.get("view")
    comments = view.get("comments") if isinstance(view, dict) else None
    doc = {k: v for k, v in doc.items() if k != "view"}
    if comments:
        doc["view"] = {"comments": comments}
    return doc, []
