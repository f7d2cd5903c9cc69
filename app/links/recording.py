"""Recorded runs: the event stream of one run, saved with its topology and replayed in the page.

    {"version": 1, "libzmq": "4.3.5", "pyzmq": "27.3.0", "speed": 1.0, "duration_ms": 8000.0,
     "truncated": false, "started": {...the run's started message...},
     "events": [{"ev": "sent", "t": 12.5, ...}, ...], "stopped": {"reason": "user", "totals": {}}}

Events are exactly what the run websocket sent (docs/protocol.md), at most ``MAX_EVENTS``.
``check_recording`` is the server's gate before saving one; the page writes them
(static/js/share/recorder.js) and replays them with no backend (static/js/share/replay.js).
"""

from __future__ import annotations

MAX_EVENTS = 20000
FIELDS = {
    "version",
    "libzmq",
    "pyzmq",
    "speed",
    "duration_ms",
    "truncated",
    "started",
    "events",
    "stopped",
    "recorded_at",
}


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_recording(rec) -> str | None:
    """None if ``rec`` is a well-formed recording, else what is wrong with it."""
    if not isinstance(rec, dict):
        return "must be an object"
    unknown = set(rec) - FIELDS
    if unknown:
        return f"unknown field(s): {', '.join(sorted(unknown))}"
    if rec.get("version") != 1:
        return "version must be 1"
    for name in ("libzmq", "pyzmq"):
        if not isinstance(rec.get(name), str) or not 0 < len(rec[name]) <= 40:
            return f"{name} must name the version that produced it"
    if not _number(rec.get("speed")) or not 0 < rec["speed"] <= 1:
        return "speed must be a number in (0, 1]"
    if not _number(rec.get("duration_ms")) or rec["duration_ms"] < 0:
        return "duration_ms must be a number ≥ 0"
    events = rec.get("events")
    if not isinstance(events, list) or not events:
        return "events must be a non-empty list"
    if len(events) > MAX_EVENTS:
        return f"has {len(events)} events, more than the {MAX_EVENTS} allowed"
    last = 0.0
    for i, ev in enumerate(events):
        if (
            not isinstance(ev, dict)
            or not isinstance(ev.get("ev"), str)
            or not _number(ev.get("t"))
        ):
            return f"events[{i}] needs an 'ev' name and a time 't'"
        if ev["t"] < last - 1e-6:
            return f"events[{i}] is out of time order"
        last = ev["t"]
    for name in ("started", "stopped"):
        if name in rec and not isinstance(rec[name], (dict, type(None))):
            return f"{name} must be an object"
    return None
