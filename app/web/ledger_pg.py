"""The ledger of app/web/ledger.py in PostgreSQL: one client's limits hold across every server.

Used when ``DATABASE_URL`` is set (docs/deploying.md). Same calls as the SQLite ledger
(``take``, ``release``, ``count``, ``totals``, ``release_mine``, ``book_save``); what each limit
counts:

- per client, over every server of the service: ``MAX_RUNS_PER_CLIENT``, ``WS_MAX_PER_CLIENT``
  (the ``per_client`` limit of a lease kind) and the save quotas;
- per machine (host name + kernel boot id), over every server on it: ``MAX_RUNS``,
  ``MAX_RUN_FDS``, ``MAX_RUNS_BYTES`` (what one machine can hold);
- per worker: its own file descriptors (RLIMIT_NOFILE less FD_RESERVE).

Every lease has an owner (host, boot id, pid namespace, pid, process start time) and an
``expires`` time (the database's clock): a heartbeat greenlet renews the worker's leases every
``LEDGER_TTL / 3`` seconds, so the leases of a server that crashed, was killed or lost its
network are dropped at most ``LEDGER_TTL`` seconds later (15 by default) by whoever takes the next
lease; on the same machine a dead owner's leases go at once (its pid is gone or reused). Leases
the database lost (expired while this worker was stalled) are put back by the next heartbeat.

Every admission is one short transaction behind one transaction-level advisory lock (two servers
cannot both take the last place) with a 5 s statement timeout. Connections come from a small
psycopg_pool pool per worker. Calls never block the event loop: under gevent's monkey-patching
psycopg waits on its socket through gevent; otherwise (psycopg's C wait) they go through
gevent's thread pool, as the SQLite ledger's do. When the database cannot be reached, a run or a
websocket is refused naming ``DATABASE_URL``, never let in uncounted.
"""

from __future__ import annotations

import logging
import os
import socket

import psycopg
import psycopg_pool

from .leases import SAVE_WINDOW, Held, Refusal, _offload, _pstart, judge, judge_save

log = logging.getLogger(__name__)

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS zpg_leases (
        key TEXT PRIMARY KEY, kind TEXT NOT NULL, owner TEXT NOT NULL, machine TEXT NOT NULL,
        pidspace TEXT NOT NULL, pid INTEGER NOT NULL, pstart BIGINT NOT NULL,
        client TEXT NOT NULL, fds INTEGER NOT NULL, bytes BIGINT NOT NULL,
        expires TIMESTAMPTZ NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS zpg_leases_client ON zpg_leases (client, kind)",
    "CREATE INDEX IF NOT EXISTS zpg_leases_machine ON zpg_leases (machine)",
    "CREATE INDEX IF NOT EXISTS zpg_leases_owner ON zpg_leases (owner)",
    """CREATE TABLE IF NOT EXISTS zpg_saves (
        client TEXT NOT NULL, at TIMESTAMPTZ NOT NULL, bytes BIGINT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS zpg_saves_client ON zpg_saves (client, at)",
)
LOCK = 0x7A70_6C65  # pg_advisory_xact_lock key of every ledger transaction ("zple")
STATEMENT_TIMEOUT = "5s"
POOL_TIMEOUT = 5.0  # seconds a transaction waits for a connection of the pool


def _read(path: str, default: str) -> str:
    try:
        with open(path) as fh:
            return fh.read().strip()
    except OSError:
        return default


def machine_id() -> str:
    """This machine: its host name and the kernel's boot id (a reboot is a new machine)."""
    return f"{socket.gethostname()}/{_read('/proc/sys/kernel/random/boot_id', 'no-boot-id')}"


def pidspace_id() -> str:
    """Where this process's pid means something: the boot id and the pid namespace."""
    try:
        ns = os.readlink("/proc/self/ns/pid")
    except OSError:
        ns = "no-pid-ns"
    return f"{_read('/proc/sys/kernel/random/boot_id', 'no-boot-id')}/{ns}"


class LedgerUnavailable(Exception):
    """The database could not be reached or answered with an error (``busy``: it was reached,
    but no connection of the pool or no turn at the ledger's lock came within the timeouts)."""

    def __init__(self, message: str, busy: bool = False):
        super().__init__(message)
        self.busy = busy

    def refusal(self) -> Refusal:
        """What the page or the client is told, naming DATABASE_URL."""
        if self.busy:
            return Refusal(
                "DATABASE_URL",
                "the servers' shared ledger (PostgreSQL, DATABASE_URL) is busy: no turn at it "
                f"came within {POOL_TIMEOUT:g} s; try again shortly",
            )
        return Refusal(
            "DATABASE_URL",
            "the servers' shared ledger (PostgreSQL, DATABASE_URL) cannot be reached; "
            "try again shortly",
        )


class PostgresLedger:
    """Leases and booked saves in PostgreSQL, shared by every worker of every server."""

    scope = "on this service's servers"  # where the per-client limits count (in refusals)

    def __init__(
        self,
        url: str,
        ttl: float = 15.0,
        machine: str | None = None,
        pidspace: str | None = None,
        pool_max: int = 4,
    ):
        """``machine`` / ``pidspace``: this process's (tests pretend to be another machine)."""
        self.url = url
        self.ttl = max(1.0, float(ttl))
        self.machine = machine or machine_id()
        self.pidspace = pidspace or pidspace_id()
        self.pool_max = pool_max
        self._pool: psycopg_pool.ConnectionPool | None = None
        self._held: dict[str, tuple] = {}  # key -> (kind, client, fds, bytes) this worker holds
        self._beat = None
        self._new_process()

    def _new_process(self) -> None:
        self.pid = os.getpid()
        self.pstart = _pstart(self.pid)
        self.owner = f"{self.machine}/{self.pidspace}/{self.pid}/{self.pstart}"
        self._pool, self._held, self._beat = None, {}, None

    # -- plumbing ------------------------------------------------------------------------------
    def _connect(self) -> psycopg_pool.ConnectionPool:
        if self._pool is None:
            with psycopg.connect(self.url, connect_timeout=5, autocommit=True) as db:
                with db.transaction():
                    db.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))  # one creator
                    for stmt in SCHEMA:
                        db.execute(stmt)
            self._pool = psycopg_pool.ConnectionPool(
                self.url,
                min_size=1,
                max_size=self.pool_max,
                timeout=POOL_TIMEOUT,
                kwargs={"connect_timeout": 5, "autocommit": True},
                open=True,
            )
        return self._pool

    def _tx(self, fn, *args):
        """``fn(db, *args)`` in one transaction behind the ledger's advisory lock."""

        def work():
            if self.pid != os.getpid():  # forked after we were made (gunicorn --preload)
                self._new_process()
            try:
                with self._connect().connection() as db, db.transaction():
                    db.execute(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")
                    db.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
                    return fn(db, *args)
            except (psycopg_pool.PoolTimeout, psycopg.errors.QueryCanceled) as err:
                # reached, but every connection was in use (or the lock's queue too long)
                return LedgerUnavailable(str(err).strip() or type(err).__name__, busy=True)
            except (psycopg.Error, OSError) as err:
                # returned, not raised: gevent's thread pool would print it as a crash
                return LedgerUnavailable(str(err).strip() or type(err).__name__)

        waiting = psycopg.waiting
        if waiting.wait is getattr(waiting, "wait_c", None):  # libpq waits in C: not here
            out = _offload(work)
        else:
            out = work()  # psycopg waits through gevent's patched selectors
        if isinstance(out, LedgerUnavailable):
            raise out
        return out

    def close(self) -> None:
        """Close the pool and stop the heartbeat (tests)."""
        if self._beat is not None:
            self._beat.kill(block=False)
            self._beat = None
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def _purge(self, db) -> None:
        """Drop expired leases, and at once those of dead processes sharing our pid space."""
        db.execute("DELETE FROM zpg_leases WHERE expires < now()")
        rows = db.execute(
            "SELECT DISTINCT owner, pid, pstart FROM zpg_leases"
            " WHERE pidspace = %s AND owner <> %s",
            (self.pidspace, self.owner),
        ).fetchall()
        for owner, pid, pstart in rows:
            if _pstart(pid) != pstart:
                db.execute("DELETE FROM zpg_leases WHERE owner = %s", (owner,))

    def _expires(self) -> str:
        return f"now() + interval '{self.ttl:.3f} seconds'"

    # -- leases --------------------------------------------------------------------------------
    def take(self, key: str, kind: str, client: str, fds: int, nbytes: int, limits: dict):
        """Take a lease unless a limit forbids it: None when taken, else a Refusal (the
        ``limits`` of app/web/ledger.py's ``Ledger.take``; counted as this module says)."""
        # held before the transaction: a heartbeat meanwhile keeps (or puts back) its row, and
        # this transaction deletes it first and then judges it
        self._held[key] = (kind, client, fds, nbytes)
        try:
            refusal = self._tx(self._take, key, kind, client, fds, nbytes, limits)
        except LedgerUnavailable as err:
            self._held.pop(key, None)
            log.warning("ledger: cannot take a lease: %s", err)
            return err.refusal()
        if refusal is not None:
            self._held.pop(key, None)
        else:
            self._start_heartbeat()
        return refusal

    def _take(self, db, key, kind, client, fds, nbytes, limits):
        self._purge(db)
        full = f"{self.owner}/{key}"
        db.execute("DELETE FROM zpg_leases WHERE key = %s", (full,))

        def one(sql, *args):
            return db.execute(sql, args).fetchone()[0]

        mine = self.machine
        held = Held(
            client=one(
                "SELECT COUNT(*) FROM zpg_leases WHERE kind = %s AND client = %s", kind, client
            ),
            total=one(
                "SELECT COUNT(*) FROM zpg_leases WHERE kind = %s AND machine = %s", kind, mine
            ),
            fds=one("SELECT COALESCE(SUM(fds), 0) FROM zpg_leases WHERE machine = %s", mine),
            process_fds=one(
                "SELECT COALESCE(SUM(fds), 0) FROM zpg_leases WHERE owner = %s", self.owner
            ),
            bytes=one("SELECT COALESCE(SUM(bytes), 0) FROM zpg_leases WHERE machine = %s", mine),
        )
        refusal = judge(limits, fds, nbytes, held, "this machine's runs")
        if refusal is None:
            self._insert(db, full, kind, client, fds, nbytes)
        return refusal

    def _insert(self, db, full, kind, client, fds, nbytes) -> None:
        db.execute(
            "INSERT INTO zpg_leases (key, kind, owner, machine, pidspace, pid, pstart, client,"
            f" fds, bytes, expires) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
            f"{self._expires()}) ON CONFLICT (key) DO UPDATE SET expires = EXCLUDED.expires",
            (full, kind, self.owner, self.machine, self.pidspace, self.pid, self.pstart, client,
             fds, nbytes),
        )  # fmt: skip

    def release(self, key: str) -> None:
        """Give a lease back (nothing happens if it is not held). If the database cannot be
        reached, the lease is no longer renewed and expires within LEDGER_TTL."""
        self._held.pop(key, None)
        full = f"{self.owner}/{key}"
        try:
            self._tx(lambda db: db.execute("DELETE FROM zpg_leases WHERE key = %s", (full,)))
        except LedgerUnavailable as err:
            log.warning("ledger: cannot release a lease (it expires by itself): %s", err)

    def renew(self) -> int:
        """Push the expiry of every lease this worker holds LEDGER_TTL ahead (the heartbeat);
        leases the database dropped meanwhile are put back. Returns how many are held."""

        def q(db):
            held = dict(self._held)  # under the lock: no take or release is half done in it
            db.execute(
                f"UPDATE zpg_leases SET expires = {self._expires()} WHERE owner = %s",
                (self.owner,),
            )
            there = {
                k
                for (k,) in db.execute(
                    "SELECT key FROM zpg_leases WHERE owner = %s", (self.owner,)
                ).fetchall()
            }
            prefix = f"{self.owner}/"
            for key, (kind, client, fds, nbytes) in held.items():
                if prefix + key not in there:
                    self._insert(db, prefix + key, kind, client, fds, nbytes)
            # leases whose release did not reach the database: gone now
            for full in there - {prefix + k for k in held}:
                db.execute("DELETE FROM zpg_leases WHERE key = %s", (full,))
            return len(held)

        return self._tx(q) if self._held else 0

    def _start_heartbeat(self) -> None:
        if self._beat is not None:
            return
        try:
            import gevent
        except ImportError:  # pragma: no cover - gevent is a runtime requirement
            return
        self._beat = gevent.spawn(self._heartbeat)

    def _heartbeat(self) -> None:
        import gevent

        while True:
            gevent.sleep(self.ttl / 3)
            try:
                self.renew()
            except LedgerUnavailable as err:
                log.warning("ledger: heartbeat failed (leases expire after LEDGER_TTL): %s", err)

    def count(self, kind: str, client: str | None = None) -> int:
        """Leases of ``kind`` of ``client`` on every server, or of every client on this machine."""

        def q(db):
            self._purge(db)
            if client is None:
                return db.execute(
                    "SELECT COUNT(*) FROM zpg_leases WHERE kind = %s AND machine = %s",
                    (kind, self.machine),
                ).fetchone()[0]
            return db.execute(
                "SELECT COUNT(*) FROM zpg_leases WHERE kind = %s AND client = %s", (kind, client)
            ).fetchone()[0]

        return self._tx(q)

    def totals(self) -> dict:
        """What the leases of this machine hold (for /api/debug/resources and benchmarks)."""

        def q(db):
            self._purge(db)
            rows = db.execute(
                "SELECT kind, COUNT(*), COALESCE(SUM(fds), 0), COALESCE(SUM(bytes), 0),"
                " COUNT(DISTINCT owner) FROM zpg_leases WHERE machine = %s GROUP BY kind",
                (self.machine,),
            ).fetchall()
            return {k: {"n": n, "fds": f, "bytes": b, "workers": w} for k, n, f, b, w in rows}

        return self._tx(q)

    def release_mine(self) -> None:
        """Drop every lease of this process (shutdown)."""
        self._held.clear()
        self._tx(lambda db: db.execute("DELETE FROM zpg_leases WHERE owner = %s", (self.owner,)))

    # -- saves ---------------------------------------------------------------------------------
    def book_save(self, client: str, nbytes: int, per_minute: int, bytes_per_hour: int):
        """Book one save of ``nbytes`` by ``client`` (over every server): None, or a Refusal."""
        try:
            return self._tx(self._book_save, client, nbytes, per_minute, bytes_per_hour)
        except LedgerUnavailable as err:
            log.warning("ledger: cannot book a save: %s", err)
            return err.refusal()

    def _book_save(self, db, client, nbytes, per_minute, bytes_per_hour):
        window = f"interval '{SAVE_WINDOW:.0f} seconds'"
        db.execute(f"DELETE FROM zpg_saves WHERE at < now() - {window}")
        last_minute = db.execute(
            "SELECT COUNT(*) FROM zpg_saves WHERE client = %s AND at >= now() - interval '60 s'",
            (client,),
        ).fetchone()[0]
        last_hour = db.execute(
            "SELECT COALESCE(SUM(bytes), 0) FROM zpg_saves WHERE client = %s", (client,)
        ).fetchone()[0]
        refusal = judge_save(nbytes, per_minute, bytes_per_hour, last_minute, last_hour)
        if refusal is None:
            db.execute(
                "INSERT INTO zpg_saves (client, at, bytes) VALUES (%s, now(), %s)",
                (client, nbytes),
            )
        return refusal
