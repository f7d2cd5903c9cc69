"""The bounded buffer between a run and whoever reads its events (websocket or stdout).

Bounded in events and in bytes: an event's size depends on its frames (a 16-frame binary message
holds ~12 KB of previews where a one-frame text message holds ~0.4 KB), so a count alone bounds
nothing. :func:`event_bytes` is an upper bound of what one event holds, checked against
tracemalloc for every shape the observer makes (tests/engine/test_event_bytes.py).
"""

from __future__ import annotations

import sys

import gevent.event

# Events about messages may be left out when a reader falls behind; the others never are.
MESSAGE_EVENTS = frozenset(("sent", "delivered", "filtered", "dropped"))

# Upper bounds (bytes, CPython 3.11, 64-bit) of what a message event holds besides its frames:
# the dict with up to 12 keys, its message id, strings made for it (a reason, an error) and the
# list of frames; a text frame preview is a str (header + up to 4 bytes a character when it is
# not ASCII), a binary one a {"hex": str} dict. Socket keys and link ids are shared, not counted.
EVENT_BASE = 1500
TEXT_FRAME = 100
HEX_FRAME = 340
LIST_ITEM = 72


def event_bytes(ev: dict) -> int:
    """An upper bound of the bytes ``ev`` holds (message events by their shape; others, which
    are few, by walking them)."""
    if ev["ev"] not in MESSAGE_EVENTS:
        return deep_size(ev)
    n = EVENT_BASE
    for f in ev.get("frames") or ():
        if type(f) is str:
            n += TEXT_FRAME + (len(f) if f.isascii() else 4 * len(f))
        else:
            n += HEX_FRAME + len(f["hex"])
    for key in ("among", "envelope"):
        extra = ev.get(key)
        if extra:
            n += LIST_ITEM * (len(extra) + 1)
    return n


def deep_size(o) -> int:
    """sys.getsizeof of ``o`` and everything it holds (shared objects counted each time)."""
    n = sys.getsizeof(o)
    if type(o) is dict:
        for k, v in o.items():
            n += deep_size(k) + deep_size(v)
    elif type(o) in (list, tuple):
        for x in o:
            n += deep_size(x)
    return n


class EventBuffer:
    """Collects events; a reader takes them in batches with :meth:`drain`.

    Bounded: when ``cap`` events or ``cap_bytes`` bytes (:func:`event_bytes`) wait, message
    events are counted in ``skipped`` and dropped (the run's counters stay exact; they travel in
    ``stats`` events, which are kept).
    """

    def __init__(self, cap: int = 20000, cap_bytes: int = 10 * 1024 * 1024):
        self.cap = cap
        self.cap_bytes = cap_bytes
        self.bytes = 0  # what the waiting events hold (event_bytes)
        self._items: list[dict] = []
        self._sizes: list[int] = []
        self.skipped = 0  # message events left out since the last drain
        self.untraced = 0  # messages the run chose not to trace since the last drain
        self.ready = gevent.event.Event()

    def __len__(self) -> int:
        return len(self._items)

    def put(self, event: dict) -> None:
        """Append one event (or count it as skipped when full and it is a message event)."""
        items = self._items
        full = len(items) >= self.cap or self.bytes >= self.cap_bytes
        if full and event["ev"] in MESSAGE_EVENTS:
            self.skipped += 1
            return
        n = event_bytes(event)
        self.bytes += n
        self._sizes.append(n)
        items.append(event)
        if not self.ready.is_set():
            self.ready.set()

    def drain(self, limit: int | None = None) -> tuple[list[dict], int, int]:
        """Take up to ``limit`` events: (events, skipped, untraced) since the previous drain."""
        out, _sizes, skipped, untraced = self.drain_sized(limit)
        return out, skipped, untraced

    def drain_sized(self, limit: int | None = None) -> tuple[list[dict], list[int], int, int]:
        """:meth:`drain`, with each event's :func:`event_bytes` (for the next queue's bound)."""
        items, sizes = self._items, self._sizes
        if limit is None or limit >= len(items):
            out, self._items = items, []
            out_sizes, self._sizes, self.bytes = sizes, [], 0
        else:
            out, self._items = items[:limit], items[limit:]
            out_sizes, self._sizes = sizes[:limit], sizes[limit:]
            self.bytes -= sum(out_sizes)
        skipped, untraced = self.skipped, self.untraced
        self.skipped = self.untraced = 0
        if not self._items:
            self.ready.clear()
        return out, out_sizes, skipped, untraced
