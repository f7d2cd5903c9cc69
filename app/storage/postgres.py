"""PostgreSQL backend (psycopg 3), used when DATABASE_URL is set.

Connections come from one psycopg_pool pool per worker (at most PG_POOL_MAX, waiting up to
PG_POOL_TIMEOUT for a free one): 150 loads at once share a few connections instead of opening
150 and being refused by the server. psycopg waits on its sockets through gevent's patched
``selectors``, so a query never blocks the event loop (``blocking = False``: no thread pool).
The body is stored as text (not jsonb) so it comes back byte for byte.
"""

from __future__ import annotations

import psycopg
import psycopg.errors
import psycopg_pool

from .base import Storage, StorageError

SCHEMA = """CREATE TABLE IF NOT EXISTS shared_items (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now()
)"""


class PostgresStorage(Storage):
    """Items in the ``shared_items`` table of the database at ``url``."""

    name = "postgres"
    blocking = False

    def __init__(self, url: str, pool_max: int = 10, pool_timeout: float = 10.0):
        self.url = url
        self.pool_max = max(1, int(pool_max))
        self.pool_timeout = float(pool_timeout)
        self._pool: psycopg_pool.ConnectionPool | None = None
        self._pid = None

    def _connect(self):
        """A pooled connection (a context manager); the first call creates the pool and the
        table (two workers may race: fine). A pool made before a fork is not reused."""
        import os

        try:
            if self._pool is None or self._pid != os.getpid():
                with psycopg.connect(self.url, connect_timeout=10) as db:
                    try:
                        db.execute(SCHEMA)
                    except psycopg.errors.UniqueViolation:
                        db.rollback()  # another process created it at the same moment
                self._pool = psycopg_pool.ConnectionPool(
                    self.url,
                    min_size=1,
                    max_size=self.pool_max,
                    timeout=self.pool_timeout,
                    kwargs={"connect_timeout": 10},
                    open=True,
                )
                self._pid = os.getpid()
            return self._pool.connection()
        except (psycopg.Error, psycopg_pool.PoolTimeout) as err:
            raise StorageError(f"cannot reach PostgreSQL: {err}") from err

    def close(self) -> None:
        """Close the pool's connections."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def _insert(self, item_id: str, body: str) -> bool:
        try:
            with self._connect() as db:
                cur = db.execute(
                    "INSERT INTO shared_items (id, body) VALUES (%s, %s)"
                    " ON CONFLICT (id) DO NOTHING",
                    (item_id, body),
                )
                return cur.rowcount == 1
        except (psycopg.Error, psycopg_pool.PoolTimeout) as err:
            raise StorageError(str(err)) from err

    def _fetch(self, item_id: str) -> str | None:
        try:
            with self._connect() as db:
                row = db.execute(
                    "SELECT body FROM shared_items WHERE id = %s", (item_id,)
                ).fetchone()
        except (psycopg.Error, psycopg_pool.PoolTimeout) as err:
            raise StorageError(str(err)) from err
        return row[0] if row else None
