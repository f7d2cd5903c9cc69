"""What every storage backend does: content-addressed, write-once JSON items."""

from __future__ import annotations

import json

from ..links.ids import ID_LENGTH, canonical_json, content_id, is_id


class StorageError(RuntimeError):
    """The backend could not be reached or refused the operation."""


class Storage:
    """Saved items never change: saving the same content again returns the same id.

    Backends implement ``_insert(id, body) -> bool`` (False when the id is taken) and
    ``_fetch(id) -> body | None``; ``body`` is the canonical JSON text.
    """

    name = "abstract"

    def save(self, item) -> str:
        """Store ``item`` (JSON-able) and return its id (derived from its content)."""
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
        body = self._fetch(item_id)
        return None if body is None else json.loads(body)

    def close(self) -> None:
        """Release what the backend holds (connections are per call, so usually nothing)."""

    def _insert(self, item_id: str, body: str) -> bool:  # pragma: no cover: abstract
        raise NotImplementedError

    def _fetch(self, item_id: str) -> str | None:  # pragma: no cover: abstract
        raise NotImplementedError
