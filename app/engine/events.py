"""The bounded buffer between a run and whoever reads its events (websocket or stdout)."""

from __future__ import annotations

import gevent.event

# Events about messages may be left out when a reader falls behind; the others never are.
MESSAGE_EVENTS = frozenset(("sent", "delivered", "filtered", "dropped"))


class EventBuffer:
    """Collects events; a reader takes them in batches with :meth:`drain`.

    Bounded: when more than ``cap`` events wait, message events are counted in ``skipped`` and
    dropped (the run's counters stay exact; they travel in ``stats`` events, which are kept).
    """

    def __init__(self, cap: int = 20000):
        self.cap = cap
        self._items: list[dict] = []
        self.skipped = 0  # message events left out since the last drain
        self.untraced = 0  # messages the run chose not to trace since the last drain
        self.ready = gevent.event.Event()

    def __len__(self) -> int:
        return len(self._items)

    def put(self, event: dict) -> None:
        """Append one event (or count it as skipped when full and it is a message event)."""
        items = self._items
        if len(items) >= self.cap and event["ev"] in MESSAGE_EVENTS:
            self.skipped += 1
            return
        items.append(event)
        if not self.ready.is_set():
            self.ready.set()

    def drain(self, limit: int | None = None) -> tuple[list[dict], int, int]:
        """Take up to ``limit`` events: (events, skipped, untraced) since the previous drain."""
        items = self._items
        if limit is None or limit >= len(items):
            out, self._items = items, []
        else:
            out, self._items = items[:limit], items[limit:]
        skipped, untraced = self.skipped, self.untraced
        self.skipped = self.untraced = 0
        if not self._items:
            self.ready.clear()
        return out, skipped, untraced
