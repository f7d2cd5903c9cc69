"""The problem list validate() returns, and helpers that phrase common problems."""

import difflib

from .fields import show, value_problems
from .messages import render, word


class TooManyProblems(Exception):
    """Raised by Problems.add once the limit is reached; validate() stops there."""


class Problems:
    """Collects {"path", "node", "socket", "field", "message", "link", "code", "vars"} dicts, up
    to `limit` (the message is `code`'s English with `vars`: messages.py)."""

    def __init__(self, limit):
        self.items = []
        self.limit = limit

    def add(self, path, code, vars_=None, node=None, socket=None, field=None, link=None):
        """Record one problem; raise TooManyProblems when the limit is reached."""
        if len(self.items) >= self.limit:
            raise TooManyProblems
        vars_ = vars_ or {}
        self.items.append(
            {
                "path": path,
                "node": node,
                "socket": socket,
                "field": field,
                "message": render(code, vars_),
                "link": link,
                "code": code,
                "vars": vars_,
            }
        )

    def values(self, spec, value, path, subject, name, **where):
        """Add a problem for everything wrong with `value` (a field of `spec`) at `path`,
        worded "<subject>: <name> must ..."; `where` names the node, socket, field, link."""
        for suffix, code, vars_ in value_problems(spec, value):
            vars_ = {"subject": subject, "field": name + suffix, **vars_}
            self.add(path + suffix, code, vars_, **where)


def suggestion(value, known):
    """The nested var ' (did you mean 'x'?)' when `value` is a near miss of one of `known`."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    if not close and value.upper() in known:
        close = [value.upper()]
    return word("w.didYouMean", guess=repr(close[0])) if close else None


def join(path, key):
    """`path.key` (or `key` at the top); an odd key (one a dotted path cannot spell: empty, or
    holding ".", "[" or "]") or a very long one leaves the path as it is."""
    if not isinstance(key, str) or not key or len(key) > 40 or any(c in key for c in ".[]"):
        return path
    return f"{path}.{key}" if path else key


def unknown_keys(obj, allowed, path, subject, what, out, **where):
    """Report every key of `obj` not in `allowed`: "<subject>: unknown <what> 'k' (...)";
    `subject` and `what` are words (a name as written, or word(...))."""
    for key in obj:
        if key in allowed:
            continue
        hint = suggestion(key, allowed) or word("w.known", what=what, known=", ".join(allowed))
        field = key if isinstance(key, str) and len(key) <= 40 else None
        out.add(
            join(path, key),
            "unknown",
            {"subject": subject, "what": what, "got": show(key), "hint": hint},
            field=field,
            **where,
        )
