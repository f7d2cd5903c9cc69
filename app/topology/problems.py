"""The problem list validate() returns, and helpers that phrase common problems."""

import difflib

from .fields import show


class TooManyProblems(Exception):
    """Raised by Problems.add once the limit is reached; validate() stops there."""


class Problems:
    """Collects {"path", "node", "socket", "field", "message", "link"} dicts, up to `limit`."""

    def __init__(self, limit):
        self.items = []
        self.limit = limit

    def add(self, path, message, node=None, socket=None, field=None, link=None):
        """Record one problem; raise TooManyProblems when the limit is reached."""
        if len(self.items) >= self.limit:
            raise TooManyProblems
        self.items.append(
            {
                "path": path,
                "node": node,
                "socket": socket,
                "field": field,
                "message": message,
                "link": link,
            }
        )


def suggest(value, known):
    """' (did you mean 'x'?)' when `value` is a near miss of one of `known`, else ''."""
    if not isinstance(value, str) or len(value) > 40:
        return ""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    if not close and value.upper() in known:
        close = [value.upper()]
    return f" (did you mean {close[0]!r}?)" if close else ""


def join(path, key):
    """`path.key` (or `key` at the top); an odd key (one a dotted path cannot spell: empty, or
    holding ".", "[" or "]") or a very long one leaves the path as it is."""
    if not isinstance(key, str) or not key or len(key) > 40 or any(c in key for c in ".[]"):
        return path
    return f"{path}.{key}" if path else key


def unknown_keys(obj, allowed, path, prefix, what, out, **where):
    """Report every key of `obj` not in `allowed`: "<prefix>: unknown <what> 'k' (...)"."""
    for key in obj:
        if key in allowed:
            continue
        hint = suggest(key, allowed) or f" ({what}s: {', '.join(allowed)})"
        field = key if isinstance(key, str) and len(key) <= 40 else None
        out.add(
            join(path, key), f"{prefix}: unknown {what} {show(key)}{hint}", field=field, **where
        )
