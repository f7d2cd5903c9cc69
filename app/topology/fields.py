"""Field specs shared by socket options and node behaviours, and the one checker for them.

A spec is a plain, JSON-serialisable dict. Every spec has `type`, `label`, `help`, `default`,
`min`, `max` and `choices` (None where they do not apply); some types add keys:

- ``int``     whole number in `min`..`max`; optional `unit` ("ms")
- ``bool``    true or false
- ``string``  optional `max_len` (characters), `min_bytes`/`max_bytes` (UTF-8), `no_leading_nul`
- ``strings`` list of strings, `min_items`..`max_items`; each item as for ``string``
- ``choice``  one of `choices`
- ``socket``  names one of the node's own sockets; `socket_types` lists the acceptable types,
              `required` says whether it may be null, `needs` names its role ("the socket a
              source sends on", for messages)
"""

import math


def _spec(type_, label, default, help, **extra):
    spec = {
        "type": type_,
        "label": label,
        "help": help,
        "default": default,
        "min": None,
        "max": None,
        "choices": None,
    }
    spec.update(extra)
    return spec


def int_field(label, lo, hi, default, unit=None, help=""):
    """A whole number between `lo` and `hi` (inclusive)."""
    return _spec("int", label, default, help, min=lo, max=hi, unit=unit)


def bool_field(label, default=False, help=""):
    """A boolean."""
    return _spec("bool", label, default, help)


def string_field(
    label, default="", max_len=None, min_bytes=None, max_bytes=None, no_leading_nul=False, help=""
):
    """A string limited in characters (`max_len`) and/or UTF-8 bytes."""
    extra = {"max_len": max_len, "min_bytes": min_bytes, "max_bytes": max_bytes}
    if no_leading_nul:
        extra["no_leading_nul"] = True
    return _spec("string", label, default, help, **extra)


def strings_field(label, default, min_items=0, max_items=32, max_len=None, max_bytes=None, help=""):
    """A list of strings; each item is limited like a string_field."""
    return _spec(
        "strings",
        label,
        list(default),
        help,
        min_items=min_items,
        max_items=max_items,
        max_len=max_len,
        max_bytes=max_bytes,
    )


def choice_field(label, choices, default, help=""):
    """One string out of `choices`."""
    return _spec("choice", label, default, help, choices=list(choices))


def socket_field(label, socket_types, needs, required=True, help=""):
    """The name of one of the node's sockets, whose type must be in `socket_types`."""
    return _spec(
        "socket", label, None, help, socket_types=list(socket_types), required=required, needs=needs
    )


def show(value):
    """A short, safe rendering of any JSON-like value for a message (never raises)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**15 else "a very large number"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37]) + "…"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a " + type(value).__name__


def is_int(value):
    """True for a JSON integer (bool excluded)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value):
    """True for a finite JSON number (bool excluded)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return not isinstance(value, float) or math.isfinite(value)


def value_problems(spec, value):
    """Check `value` against `spec`; return (path suffix, code, vars) triples, the codes of
    messages.VALUE (their `subject` and `field` are the caller's: Problems.values). A `socket`
    value is only checked to be a string (or null when not required): resolving it needs the
    node."""
    kind = spec["type"]
    if kind == "int":
        if not is_int(value):
            return [("", "value.int", {"got": show(value)})]
        if not spec["min"] <= value <= spec["max"]:
            return [
                ("", "value.range", {"min": spec["min"], "max": spec["max"], "got": show(value)})
            ]
        return []
    if kind == "bool":
        if isinstance(value, bool):
            return []
        return [("", "value.bool", {"got": show(value)})]
    if kind == "choice":
        if isinstance(value, str) and value in spec["choices"]:
            return []
        return [("", "value.choice", {"choices": ", ".join(spec["choices"]), "got": show(value)})]
    if kind == "string":
        problem = string_problem(spec, value)
        return [("", *problem)] if problem else []
    if kind == "strings":
        return _strings_problems(spec, value)
    if kind == "socket":
        if value is None and not spec["required"]:
            return []
        if not isinstance(value, str):
            return [("", "value.socket", {"got": show(value)})]
        return []
    raise ValueError(f"unknown field type {kind!r}")


def string_problem(spec, value):
    """(code, vars) for a string that breaks `spec`'s limits, or None."""
    if not isinstance(value, str):
        return "value.string", {"got": show(value)}
    max_len, max_bytes = spec.get("max_len"), spec.get("max_bytes")
    if max_len is not None and len(value) > max_len:
        return "value.maxChars", {"max": max_len, "count": len(value)}
    if max_bytes is not None and len(value) > max_bytes:  # every character is >= 1 byte
        return "value.maxBytesOrMore", {"max": max_bytes, "count": len(value)}
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        return "value.unicode", {}
    if max_bytes is not None and size > max_bytes:
        return "value.maxBytes", {"max": max_bytes, "count": size}
    min_bytes = spec.get("min_bytes")
    if min_bytes is not None and size < min_bytes:
        return ("value.minBytes", {"min": min_bytes}) if min_bytes > 1 else ("value.minByte", {})
    if spec.get("no_leading_nul") and value.startswith("\x00"):
        return "value.leadingNul", {}
    return None


def _strings_problems(spec, value):
    if not isinstance(value, list):
        return [("", "value.list", {"got": show(value)})]
    lo, hi = spec["min_items"], spec["max_items"]
    if len(value) < lo:
        if lo > 1:
            return [("", "value.minItems", {"min": lo, "count": len(value)})]
        return [("", "value.minItem", {"count": len(value)})]
    if len(value) > hi:
        return [("", "value.maxItems", {"max": hi, "count": len(value)})]
    problems = []
    for k, item in enumerate(value):
        problem = string_problem(spec, item)
        if problem:
            problems.append((f"[{k}]", *problem))
    return problems
