"""What every worker process of this server holds, in one small SQLite table they all share.

Per-client and per-machine limits must not double with the number of gunicorn workers, so every
run and every websocket takes a *lease* here before it starts and gives it back when it ends:
the client address, the file descriptors and the bytes the run may hold (app/engine/budget.py).
Admission sums the leases of every live worker in one ``BEGIN IMMEDIATE`` transaction, so two
workers cannot both take the last place. Saves are booked too (rate and bytes per client).

The file is ``LEDGER_PATH``, by default ``/dev/shm/zpg-ledger-<uid>-<server pid>.sqlite3``:
one per server (the gunicorn master's pid; every worker of it shares the file), in memory, never
in the server's TMPDIR. A worker that dies without releasing (kill -9) leaves leases tagged with
its pid and start time: they are dropped by the next admission, and the files of dead servers by
app start (app/engine/tmpdirs.py).

Every call goes through gevent's thread pool: SQLite waits for a lock another process holds
(``timeout``) in a thread, never on the event loop.

With ``DATABASE_URL`` set, :func:`get_ledger` gives app/web/ledger_pg.py's ledger instead: the
same calls, in PostgreSQL, so one client's limits hold across every server of the service.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time

from .leases import SAVE_WINDOW, Held, _offload, _pstart, judge, judge_save

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS leases (
        key TEXT PRIMARY KEY, kind TEXT NOT NULL, pid INTEGER NOT NULL, pstart INTEGER NOT NULL,
        client TEXT NOT NULL, fds INTEGER NOT NULL, bytes INTEGER NOT NULL, at REAL NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS leases_client ON leases (client, kind)",
    """CREATE TABLE IF NOT EXISTS saves (
        client TEXT NOT NULL, at REAL NOT NULL, bytes INTEGER NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS saves_client ON saves (client, at)",
)


def default_path() -> str:
    """One ledger per server: the gunicorn master's pid names it (its workers share it)."""
    server = os.getppid() if "gunicorn" in sys.modules else os.getpid()
    folder = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    folder = folder or tempfile.gettempdir()
    return os.path.join(folder, f"zpg-ledger-{os.getuid()}-{server}.sqlite3")


class Ledger:
    """Leases of runs and websockets, and booked saves, shared by every worker of one server."""

    scope = "on this server"  # where the per-client limits count (in refusals)

    def __init__(self, path: str | None = None):
        self.path = path or default_path()
        self.pid = os.getpid()
        self.pstart = _pstart(self.pid)
        self._ready = False

    # -- plumbing ------------------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        if not self._ready:
            db.execute("PRAGMA journal_mode=WAL")
            for stmt in SCHEMA:
                db.execute(stmt)
            self._ready = True
        return db

    def _tx(self, fn, *args):
        """``fn(db, *args)`` inside one write transaction (other workers wait their turn)."""

        def work():
            if self.pid != os.getpid():  # forked after we were made (gunicorn --preload)
                self.pid, self.pstart = os.getpid(), _pstart(os.getpid())
            db = self._db()
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    out = fn(db, *args)
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
                return out
            finally:
                db.close()

        return _offload(work)

    def _purge(self, db) -> None:
        """Drop the leases of processes that are gone (killed without releasing)."""
        for pid, pstart in db.execute("SELECT DISTINCT pid, pstart FROM leases").fetchall():
            if pid == self.pid and pstart == self.pstart:
                continue
            if _pstart(pid) != pstart:
                db.execute("DELETE FROM leases WHERE pid = ? AND pstart = ?", (pid, pstart))

    # -- leases --------------------------------------------------------------------------------
    def take(self, key: str, kind: str, client: str, fds: int, nbytes: int, limits: dict):
        """Take a lease unless a limit forbids it: None when taken, else a :class:`Refusal`.

        ``limits`` (0 or missing = no limit): ``per_client`` (leases of this kind per client,
        named by ``per_client_name``), ``total`` (of this kind, named by ``total_name``),
        ``fds`` / ``bytes`` (summed over every worker: MAX_RUN_FDS, MAX_RUNS_BYTES),
        ``process_fds`` (this worker alone: its RLIMIT_NOFILE less a reserve).
        """
        return self._tx(self._take, key, kind, client, fds, nbytes, limits)

    def _take(self, db, key, kind, client, fds, nbytes, limits):
        self._purge(db)
        db.execute("DELETE FROM leases WHERE key = ?", (key,))

        def one(sql, *args):
            return db.execute(sql, args).fetchone()[0]

        held = Held(
            client=one("SELECT COUNT(*) FROM leases WHERE kind = ? AND client = ?", kind, client),
            total=one("SELECT COUNT(*) FROM leases WHERE kind = ?", kind),
            fds=one("SELECT COALESCE(SUM(fds), 0) FROM leases"),
            process_fds=one("SELECT COALESCE(SUM(fds), 0) FROM leases WHERE pid = ?", self.pid),
            bytes=one("SELECT COALESCE(SUM(bytes), 0) FROM leases"),
        )
        refusal = judge(limits, fds, nbytes, held, "the server's runs")
        if refusal is None:
            db.execute(
                "INSERT INTO leases (key, kind, pid, pstart, client, fds, bytes, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key, kind, self.pid, self.pstart, client, fds, nbytes, time.time()),
            )
        return refusal

    def release(self, key: str) -> None:
        """Give a lease back (nothing happens if it is not held)."""
        self._tx(lambda db: db.execute("DELETE FROM leases WHERE key = ?", (key,)))

    def count(self, kind: str, client: str | None = None) -> int:
        """Leases of ``kind`` held by every live worker (of ``client`` when given)."""

        def q(db):
            self._purge(db)
            if client is None:
                row = db.execute("SELECT COUNT(*) FROM leases WHERE kind = ?", (kind,))
                return row.fetchone()[0]
            return db.execute(
                "SELECT COUNT(*) FROM leases WHERE kind = ? AND client = ?", (kind, client)
            ).fetchone()[0]

        return self._tx(q)

    def totals(self) -> dict:
        """What every worker's leases hold (for /api/debug/resources and benchmarks)."""

        def q(db):
            self._purge(db)
            rows = db.execute(
                "SELECT kind, COUNT(*), COALESCE(SUM(fds), 0), COALESCE(SUM(bytes), 0),"
                " COUNT(DISTINCT pid) FROM leases GROUP BY kind"
            ).fetchall()
            return {k: {"n": n, "fds": f, "bytes": b, "workers": w} for k, n, f, b, w in rows}

        return self._tx(q)

    def release_mine(self) -> None:
        """Drop every lease of this process (shutdown)."""
        self._tx(lambda db: db.execute("DELETE FROM leases WHERE pid = ?", (self.pid,)))

    # -- saves ---------------------------------------------------------------------------------
    def book_save(self, client: str, nbytes: int, per_minute: int, bytes_per_hour: int):
        """Book one save of ``nbytes`` by ``client``: None, or a Refusal naming the quota."""
        return self._tx(self._book_save, client, nbytes, per_minute, bytes_per_hour)

    def _book_save(self, db, client, nbytes, per_minute, bytes_per_hour):
        now = time.time()
        db.execute("DELETE FROM saves WHERE at < ?", (now - SAVE_WINDOW,))
        (last_minute,) = db.execute(
            "SELECT COUNT(*) FROM saves WHERE client = ? AND at >= ?", (client, now - 60.0)
        ).fetchone()
        (last_hour,) = db.execute(
            "SELECT COALESCE(SUM(bytes), 0) FROM saves WHERE client = ?", (client,)
        ).fetchone()
        refusal = judge_save(nbytes, per_minute, bytes_per_hour, last_minute, last_hour)
        if refusal is None:
            db.execute(
                "INSERT INTO saves (client, at, bytes) VALUES (?, ?, ?)", (client, now, nbytes)
            )
        return refusal


def get_ledger(app):
    """This app's ledger (made on first use, after gunicorn's fork): in PostgreSQL when
    DATABASE_URL is set (app/web/ledger_pg.py, shared by every server), else this SQLite one."""
    ledger = app.extensions.get("zpg_ledger")
    if ledger is None or ledger.pid != os.getpid():
        cfg = app.config
        if cfg.get("DATABASE_URL"):
            from .ledger_pg import PostgresLedger  # psycopg is needed only here

            ledger = PostgresLedger(
                cfg["DATABASE_URL"],
                ttl=float(cfg.get("LEDGER_TTL") or 15.0),
                machine=cfg.get("LEDGER_MACHINE") or None,
            )
        else:
            ledger = Ledger(cfg.get("LEDGER_PATH") or None)
        app.extensions["zpg_ledger"] = ledger
    return ledger
