"""What every storage backend does: content-addressed, write-once JSON items."""

from __future__ import annotations

import json

from ..links.ids import ID_LENGTH, canonical_json, content_id, is_id


class StorageError(RuntimeError):
    """The backend could not be reached or refused the operation."""


def offload(fn, *args):
    """Run a blocking call in gevent's thread pool when a gevent hub runs in this thread, so a
    lock held by another process (SQLite waits up to its timeout) stalls one request, not every
    page of the worker; called directly otherwise (scripts, tests without gevent)."""
    try:
        import gevent
    except ImportError:  # pragma: no cover - gevent is a runtime requirement
        return fn(*args)
    return gevent.get_hub().threadpool.apply(fn, args)


class Storage:
    """Saved items never change: saving the same content again returns the same id.

    Backends implement ``_insert(id, body) -> bool`` (False when the id is taken) and
    ``_fetch(id) -> body | None``; ``body`` is the canonical JSON text.
    """

    name = "abstract"
    blocking = True  # its calls block the thread: run them in the thread pool

    def save(self, item) -> str:
        """Store ``item`` (JSON-able) and return its id (derived from its content)."""
        if self.blocking:
            return offload(self._save, item)
        return self._save(item)

    def _save(self, item) -> str:
        body = canonical_json(item)
        for length in range(ID_LENGTH, 53, 4):
            item_id = content_id(item, length)
            if self._insert(item_id, body):
                return item_id
            existing = self._fetch(item_id)
            if existing == body:
                return item_id
            # A different item already has this id (a hash-prefix collision): lengthen it.
        raise StorageError("could not find a free id")  # pragma: no cover: 256-bit collision

    def load(self, item_id: str):
        """The item saved under ``item_id``, or None (also for ids that cannot exist)."""
        if not is_id(item_id):
            return None
        body = offload(self._fetch, item_id) if self.blocking else self._fetch(item_id)
        return None if body is None else json.loads(body)

    def close(self) -> None:
        """Release what the backend holds (connections are per call, so usually nothing)."""

    def _insert(self, item_id: str, body: str) -> bool:  # pragma: no cover: abstract
        raise NotImplementedError

    def _fetch(self, item_id: str) -> str | None:  # pragma: no cover: abstract
        raise NotImplementedError
