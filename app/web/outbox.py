"""What waits to be written to one page: event batches and control messages, in order, bounded.

A page that reads too slowly gets a sample of the message events (``sampled``/``skipped`` on each
batch); the cumulative ``stats`` are coalesced, never lost; control messages keep their place.
The session (app/web/session.py) fills it and its writer greenlet empties it.
"""

from __future__ import annotations

import json
from collections import deque

import gevent.event

from ..engine.events import MESSAGE_EVENTS, event_bytes

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

    Events beyond ``cap`` events or ``cap_bytes`` bytes (app/engine/events.py event_bytes) are
    left out when they are message events (counted in ``skipped``), the cumulative ``stats`` are
    coalesced to the newest one while the page lags, and other events are kept up to twice
    both. Control messages always keep their place.
    """

    def __init__(self, cap: int, cap_bytes: int = 5 * 1024 * 1024):
        self.cap = max(100, cap)
        self.cap_bytes = max(64 * 1024, cap_bytes)
        self.items: deque = deque()
        self.sizes: deque = deque()  # event_bytes of each event in items, in order
        self.n_bytes = 0
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
            self._keep(self.held_stats, event_bytes(self.held_stats))
            self.held_stats = None
        self.items.append(item)
        self.n_control += 1
        self.ready.set()

    def _keep(self, ev: dict, size: int) -> None:
        self.items.append(ev)
        self.sizes.append(size)
        self.n_events += 1
        self.n_bytes += size

    def events(
        self, events: list, skipped: int = 0, untraced: int = 0, sizes: list | None = None
    ) -> int:
        """Queue a run's events (``sizes``: their event_bytes when the caller knows them);
        returns how many this queue had to leave out."""
        self.skipped += skipped
        self.untraced += untraced
        if sizes is None:
            sizes = [event_bytes(ev) for ev in events]
        total = sum(sizes)
        if self.n_events + len(events) <= self.cap and self.n_bytes + total <= self.cap_bytes:
            self.items.extend(events)
            self.sizes.extend(sizes)
            self.n_events += len(events)
            self.n_bytes += total
        else:
            dropped = 0
            cap, cap_bytes = self.cap, self.cap_bytes
            for ev, size in zip(events, sizes, strict=True):
                kind = ev["ev"]
                if kind == "stats":
                    self.held_stats = ev  # cumulative: the newest one says it all
                    continue
                twice = 1 if kind in MESSAGE_EVENTS else 2
                if self.n_events >= twice * cap or self.n_bytes >= twice * cap_bytes:
                    dropped += 1
                    continue
                self._keep(ev, size)
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
            pop, pop_size = items.popleft, self.sizes.popleft
            while items and len(batch) < limit and type(items[0]) is dict:
                batch.append(pop())
                self.n_bytes -= pop_size()
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
