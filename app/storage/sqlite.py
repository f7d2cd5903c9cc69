"""SQLite backend: one file, one table; a connection per call (cheap, greenlet-safe)."""

from __future__ import annotations

import os
import sqlite3
import time

from .base import Storage, StorageError

SCHEMA = """CREATE TABLE IF NOT EXISTS shared_items (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    created REAL NOT NULL
)"""


class SQLiteStorage(Storage):
    """Items in the SQLite file at ``path`` (its folder is created if missing)."""

    name = "sqlite"

    def __init__(self, path: str):
        self.path = path
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        """A connection; the first one creates the folder, the file and the table."""
        try:
            if not self._ready:
                folder = os.path.dirname(self.path)
                if folder:
                    os.makedirs(folder, exist_ok=True)
                with sqlite3.connect(self.path, timeout=10) as db:
                    db.execute("PRAGMA journal_mode=WAL")
                    db.execute(SCHEMA)
                db.close()
                self._ready = True
            return sqlite3.connect(self.path, timeout=10)
        except (sqlite3.Error, OSError) as err:
            raise StorageError(f"cannot open {self.path}: {err}") from err

    def _insert(self, item_id: str, body: str) -> bool:
        db = self._connect()
        try:
            with db:
                cur = db.execute(
                    "INSERT OR IGNORE INTO shared_items (id, body, created) VALUES (?, ?, ?)",
                    (item_id, body, time.time()),
                )
                return cur.rowcount == 1
        except sqlite3.Error as err:
            raise StorageError(str(err)) from err
        finally:
            db.close()

    def _fetch(self, item_id: str) -> str | None:
        db = self._connect()
        try:
            row = db.execute("SELECT body FROM shared_items WHERE id = ?", (item_id,)).fetchone()
        except sqlite3.Error as err:
            raise StorageError(str(err)) from err
        finally:
            db.close()
        return row[0] if row else None
