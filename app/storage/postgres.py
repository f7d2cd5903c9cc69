"""PostgreSQL backend (psycopg 3), used when DATABASE_URL is set.

A connection per call keeps greenlets independent; psycopg notices gevent's monkey-patching
and waits cooperatively. The body is stored as text (not jsonb) so it comes back byte for byte.
"""

from __future__ import annotations

import psycopg
import psycopg.errors

from .base import Storage, StorageError

SCHEMA = """CREATE TABLE IF NOT EXISTS shared_items (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now()
)"""


class PostgresStorage(Storage):
    """Items in the ``shared_items`` table of the database at ``url``."""

    name = "postgres"

    def __init__(self, url: str):
        self.url = url
        self._ready = False

    def _connect(self) -> psycopg.Connection:
        """A connection; the first one creates the table (two workers may race: fine)."""
        try:
            if not self._ready:
                with psycopg.connect(self.url, connect_timeout=10) as db:
                    try:
                        db.execute(SCHEMA)
                    except psycopg.errors.UniqueViolation:
                        db.rollback()  # another process created it at the same moment
                self._ready = True
            return psycopg.connect(self.url, connect_timeout=10)
        except psycopg.Error as err:
            raise StorageError(f"cannot reach PostgreSQL: {err}") from err

    def _insert(self, item_id: str, body: str) -> bool:
        try:
            with self._connect() as db:
                cur = db.execute(
                    "INSERT INTO shared_items (id, body) VALUES (%s, %s)"
                    " ON CONFLICT (id) DO NOTHING",
                    (item_id, body),
                )
                return cur.rowcount == 1
        except psycopg.Error as err:
            raise StorageError(str(err)) from err

    def _fetch(self, item_id: str) -> str | None:
        try:
            with self._connect() as db:
                row = db.execute(
                    "SELECT body FROM shared_items WHERE id = %s", (item_id,)
                ).fetchone()
        except psycopg.Error as err:
            raise StorageError(str(err)) from err
        return row[0] if row else None
