"""Saved topologies: immutable items addressed by a content id.

The interface is two calls (``save(item) -> id``, ``load(id) -> item | None``) on a backend
chosen by config: ``DATABASE_URL`` set → PostgreSQL (psycopg 3), else an SQLite file at
``STORAGE_PATH``. ``init_app(app)`` opens it once; views reach it with ``get_storage()``.
"""

from __future__ import annotations

from flask import current_app

from .base import Storage, StorageError
from .sqlite import SQLiteStorage


def open_storage(database_url: str | None, sqlite_path: str, pool_max: int = 10) -> Storage:
    """The backend for this configuration (the schema is created if missing)."""
    if database_url:
        from .postgres import PostgresStorage  # psycopg is needed only here

        return PostgresStorage(database_url, pool_max=pool_max)
    return SQLiteStorage(sqlite_path)


def init_app(app) -> None:
    """Open the configured backend once per app; a relative STORAGE_PATH is under the app root."""
    import os

    path = app.config.get("STORAGE_PATH") or "instance/playground.sqlite3"
    if not os.path.isabs(path):
        path = os.path.join(os.path.dirname(app.root_path), path)
    app.extensions["zpg_storage"] = open_storage(
        app.config.get("DATABASE_URL"), path, int(app.config.get("PG_POOL_MAX") or 10)
    )


def get_storage() -> Storage:
    """The current app's storage backend."""
    return current_app.extensions["zpg_storage"]


__all__ = ["SQLiteStorage", "Storage", "StorageError", "get_storage", "init_app", "open_storage"]
