"""What waits to be written to one page: event batches and control messages, in order, bounded.

A page that reads too slowly gets a sample of the message events (``sampled``/``skipped`` on each
batch); the cumulative ``stats`` are coalesced, never lost; control messages keep their place.
The session (app/web/session.py) fills it and its writer greenlet empties it.
"""

from __future__ import annotations

import json
from collections import deque

import gevent.event

from ..engine.events import MESSAGE_EVENTS

try:  # orjson encodes event batches ~5x faster than json (a third of the CPU at 150 k events/s)
    import orjson

    def dumps(message: dict) -> str:
        """Compact JSON text (json.dumps for what orjson refuses, e.g. lone surrogates)."""
        try:
            return orjson.dumps(message).decode()
        except TypeError:
            return json.dumps(message, separators=(",", ":"))
except ImportError:  # pragma: no cover - orjson is in requirements.txt

    def dumps(message: dict) -> str:
        """Compact JSON text."""
        return json.dumps(message, separators=(",", ":"))


class Control:
    """A message for the page that is not an event (hello, started, stopped, error, ...)."""

    __slots__ = ("msg",)

    def __init__(self, msg: dict):
        self.msg = msg


class Close:
    """Queued last: close the socket with ``code`` once everything before it is sent."""

    __slots__ = ("code", "message")

    def __init__(self, code: int, message: str):
        self.code = code
        self.message = message


class Outbox:
    """Everything waiting to be written to one page, in order, bounded.

    Events beyond ``cap`` are left out when they are message events (counted in ``skipped``),
    the cumulative ``stats`` are coalesced to the newest one while the page lags, and other
    events are kept up to ``2 * cap``. Control messages always keep their place.
    """

    def __init__(self, cap: int):
        self.cap = max(100, cap)
        self.items: deque = deque()
        self.n_events = 0
        self.n_control = 0
        self.skipped = 0  # message events left out since the previous batch
        self.untraced = 0  # messages the run did not trace since the previous batch
        self.dropped_total = 0  # events this queue left out (ever)
        self.held_stats = None  # newest stats while the page lags
        self.ready = gevent.event.Event()

    def __len__(self) -> int:
        return len(self.items)

    def control(self, item) -> None:
        """Queue a control message (or a Close) after everything queued so far."""
        if self.held_stats is not None:
            self.items.append(self.held_stats)
            self.n_events += 1
            self.held_stats = None
        self.items.append(item)
        self.n_control += 1
        self.ready.set()

    def events(self, events: list, skipped: int = 0, untraced: int = 0) -> int:
        """Queue a run's events; returns how many this queue had to leave out."""
        self.skipped += skipped
        self.untraced += untraced
        if self.n_events + len(events) <= self.cap:
            self.items.extend(events)
            self.n_events += len(events)
        else:
            dropped = 0
            append, cap = self.items.append, self.cap
            for ev in events:
                kind = ev["ev"]
                if kind == "stats":
                    self.held_stats = ev  # cumulative: the newest one says it all
                    continue
                limit = cap if kind in MESSAGE_EVENTS else 2 * cap
                if self.n_events >= limit:
                    dropped += 1
                    continue
                append(ev)
                self.n_events += 1
            self.skipped += dropped
            self.dropped_total += dropped
            if dropped:
                self.ready.set()
                return dropped
        if events or skipped:
            self.ready.set()
        return 0

    def frames(self, limit: int):
        """Yield what to write next: events frames of ≤ ``limit`` events, control messages."""
        items = self.items
        while items or self.held_stats is not None:
            if items and type(items[0]) is not dict:
                item = items.popleft()
                self.n_control -= 1
                yield item
                continue
            batch = []
            pop = items.popleft
            while items and len(batch) < limit and type(items[0]) is dict:
                batch.append(pop())
            self.n_events -= len(batch)
            if not items and self.held_stats is not None:
                batch.append(self.held_stats)
                self.held_stats = None
            skipped, untraced = self.skipped, self.untraced
            self.skipped = self.untraced = 0
            yield Control(
                {
                    "type": "events",
                    "events": batch,
                    "sampled": bool(skipped or untraced),
                    "skipped": skipped,
                }
            )
        self.ready.clear()  # left-out counts ride on the next batch
