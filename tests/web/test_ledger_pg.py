"""The PostgreSQL ledger (app/web/ledger_pg.py) against a private PostgreSQL: per-client limits
over every server, per-machine budgets, leases that expire when their holder stops renewing
them, a dead holder's leases dropped at once on its own machine, the database unreachable.

Two "servers" are two ledgers in this process with different owners (``machine`` /
``pidspace``), as two hosts would be.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import textwrap

import psycopg
import pytest
from support.postgres import private_postgres
from support.server import ROOT, free_port, live_server

from app import create_app
from app.web.ledger_pg import PostgresLedger

RUNS = {"per_client": 3, "per_client_name": "MAX_RUNS_PER_CLIENT"}


@pytest.fixture(scope="module")
def pg_url():
    with private_postgres() as url:
        yield url


@pytest.fixture
def url(pg_url):
    """pg_url with no ledger tables (each ledger creates them on first use)."""
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("DROP TABLE IF EXISTS zpg_leases, zpg_saves")
    return pg_url


@pytest.fixture
def make(url):
    made = []

    def make(name: str, machine: str | None = None, **kw) -> PostgresLedger:
        ledger = PostgresLedger(url, machine=machine or f"host-{name}", pidspace=f"ns-{name}", **kw)
        made.append(ledger)
        return ledger

    yield make
    for ledger in made:
        ledger.close()


def _rows(url, sql="SELECT owner, kind, client FROM zpg_leases ORDER BY key", args=()):
    with psycopg.connect(url) as db:
        return db.execute(sql, args).fetchall()


def test_one_clients_runs_are_counted_over_every_server(make):
    a, b = make("a"), make("b")
    assert a.take("r1", "run", "1.2.3.4", 0, 0, RUNS) is None
    assert b.take("r1", "run", "1.2.3.4", 0, 0, RUNS) is None  # same key, other server
    assert a.take("r2", "run", "1.2.3.4", 0, 0, RUNS) is None
    refusal = b.take("r2", "run", "1.2.3.4", 0, 0, RUNS)
    assert refusal.limit == "MAX_RUNS_PER_CLIENT" and refusal.message == "3 of 3"
    assert b.take("r2", "run", "5.6.7.8", 0, 0, RUNS) is None  # another client is not held
    assert a.count("run", "1.2.3.4") == b.count("run", "1.2.3.4") == 3
    a.release("r1")
    assert b.take("r3", "run", "1.2.3.4", 0, 0, RUNS) is None  # a's place is b's now
    assert b.take("r4", "run", "1.2.3.4", 0, 0, RUNS).limit == "MAX_RUNS_PER_CLIENT"


def test_machine_budgets_count_the_servers_of_one_machine_only(make):
    fds = {"fds": 100}
    a, b = make("a", machine="box"), make("b", machine="box")
    other = make("c", machine="other-box")
    assert a.take("r", "run", "x", 60, 0, fds) is None
    refusal = b.take("r", "run", "y", 60, 0, fds)
    assert refusal.limit == "MAX_RUN_FDS"
    assert "needs 60 file descriptors and this machine's runs hold 60 of the 100" in (
        refusal.message
    )
    assert other.take("r", "run", "y", 60, 0, fds) is None  # its own machine's budget
    assert a.totals()["run"] == {"n": 1, "fds": 60, "bytes": 0, "workers": 1}
    mem = {"bytes": 10}
    assert a.take("r2", "run", "x", 0, 6, mem) is None
    assert b.take("r2", "run", "y", 0, 6, mem).limit == "MAX_RUNS_BYTES"
    assert other.take("r2", "run", "y", 0, 6, mem) is None
    # MAX_RUNS: the runs of this machine (a's two), not other-box's
    assert b.take("r3", "run", "z", 0, 0, {"total": 3, "total_name": "MAX_RUNS"}) is None
    assert other.take("r3", "run", "z", 0, 0, {"total": 3, "total_name": "MAX_RUNS"}) is None
    assert a.take("r4", "run", "z", 0, 0, {"total": 3, "total_name": "MAX_RUNS"}).limit == (
        "MAX_RUNS"
    )


def test_a_lease_not_renewed_expires_and_a_renewed_one_does_not(make, url):
    gone, kept = make("gone", ttl=1), make("kept", ttl=2)
    watcher = make("watcher")
    assert gone.take("r", "run", "c", 0, 0, RUNS) is None
    assert kept.take("r", "run", "c", 0, 0, RUNS) is None
    gone._beat.kill()  # its server stops (no heartbeat); the other one is renewed by hand
    kept._beat.kill()
    sql = "SELECT expires FROM zpg_leases WHERE owner = %s"
    ((gone_expires,),) = _rows(url, sql, (gone.owner,))
    ((kept_expires,),) = _rows(url, sql, (kept.owner,))
    ((bound,),) = _rows(url, "SELECT now() + interval '1 second'")
    assert gone_expires <= bound  # at most LEDGER_TTL ahead
    assert watcher.count("run", "c") == 2
    with psycopg.connect(url, autocommit=True) as db:  # the database's clock sets expiries
        while db.execute("SELECT now() <= %s", (max(gone_expires, kept_expires),)).fetchone()[0]:
            assert kept.renew() == 1
            db.execute("SELECT pg_sleep(0.2)")
    assert watcher.count("run", "c") == 1  # past both first expiries: the renewed one is left
    assert [r[0] for r in _rows(url)] == [kept.owner]
    assert watcher.take("r", "run", "c", 0, 0, {**RUNS, "per_client": 2}) is None


def test_the_heartbeat_puts_back_lost_leases_and_drops_released_ones(make, url):
    a = make("a")
    assert a.take("r1", "run", "c", 0, 0, RUNS) is None
    assert a.take("w1", "ws", "c", 0, 0, {}) is None
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("DELETE FROM zpg_leases WHERE key LIKE %s", ("%/r1",))
        db.execute(  # a lease whose release never reached the database
            "INSERT INTO zpg_leases SELECT key || 'x', kind, owner, machine, pidspace, pid,"
            " pstart, client, fds, bytes, expires FROM zpg_leases WHERE key LIKE %s",
            ("%/w1",),
        )
    assert a.renew() == 2
    assert sorted(k.rsplit("/", 1)[1] for (k,) in _rows(url, "SELECT key FROM zpg_leases")) == [
        "r1",
        "w1",
    ]


_HOLDER = textwrap.dedent(
    """
    import sys, time
    from app.web.ledger_pg import PostgresLedger
    ledger = PostgresLedger(sys.argv[1], ttl=3600, machine="box")
    assert ledger.take("r", "run", "c", 5, 0, {}) is None
    print("held", flush=True)
    time.sleep(600)
    """
)


def test_a_holder_killed_on_this_machine_loses_its_leases_at_once(make, url):
    """kill -9: no renewal, and its pid is gone: the next lease taken here drops its leases
    (its TTL, an hour here, does not have to pass)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, url], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline() == "held\n"
        here = PostgresLedger(url, machine="box")  # this process's own pid space
        try:
            assert here.take("mine", "run", "c", 5, 0, {}) is None
            assert here.count("run", "c") == 2  # the holder is alive: its lease counts
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            (alive,) = _rows(url, "SELECT bool_and(expires > now()) FROM zpg_leases")[0]
            assert alive  # no lease has expired: what drops it is its dead owner
            assert here.take("mine2", "run", "c", 5, 0, {"fds": 10}) is None
            assert here.totals()["run"]["fds"] == 10
        finally:
            here.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_an_unreachable_database_refuses_naming_it():
    down = PostgresLedger(f"postgresql://nobody@127.0.0.1:{free_port()}/none", machine="m")
    refusal = down.take("r", "run", "c", 0, 0, RUNS)
    assert refusal.limit == "DATABASE_URL" and "cannot be reached" in refusal.message
    assert down.book_save("c", 10, 1, 100).limit == "DATABASE_URL"
    down.release("r")  # never raises: the lease would expire by itself
    assert down._held == {}


def test_a_database_reached_but_busy_is_said_busy_not_unreachable(make, url):
    """Another transaction holds the ledger's lock past the statement timeout (as 200 pages
    starting at once on a loaded machine did): the page is told the ledger is busy."""
    from app.web.ledger_pg import LOCK

    here = make("a")
    assert here.take("warm", "run", "c", 0, 0, RUNS) is None  # its tables and pool exist
    with psycopg.connect(url) as other, other.transaction():
        other.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
        refusal = here.take("r", "run", "c", 0, 0, RUNS)
    assert refusal.limit == "DATABASE_URL" and "is busy" in refusal.message, refusal
    assert "r" not in here._held
    assert here.take("r", "run", "c", 0, 0, RUNS) is None  # the lock is free again


def test_saves_are_booked_over_every_server(url, tmp_path):
    def app(n):
        return create_app(
            {
                "TESTING": True,
                "DATABASE_URL": url,
                "SAVES_PER_MINUTE": 2,
                "STORAGE_PATH": str(tmp_path / f"{n}.sqlite3"),
            }
        ).test_client()

    a, b = app("a"), app("b")
    doc = json.loads((ROOT / "app" / "presets" / "pipeline.json").read_text())["topology"]
    for n, client in enumerate((a, b)):
        doc["title"] = f"t{n}"
        r = client.post("/api/topologies", json=doc)
        assert r.status_code == 201, r.get_json()
    r = a.post("/api/topologies", json=doc)
    assert r.status_code == 429 and "SAVES_PER_MINUTE" in r.get_json()["error"]
    (n,) = _rows(url, "SELECT COUNT(*) FROM zpg_saves")[0]
    assert n == 2


def test_without_its_database_a_server_refuses_websockets_and_saves_naming_it():
    down = f"postgresql://nobody@127.0.0.1:{free_port()}/none"
    doc = json.loads((ROOT / "app" / "presets" / "pipeline.json").read_text())["topology"]
    r = (
        create_app({"TESTING": True, "DATABASE_URL": down})
        .test_client()
        .post("/api/topologies", json=doc)
    )
    assert r.status_code == 503 and "DATABASE_URL" in r.get_json()["error"]
    with live_server({"DATABASE_URL": down}) as (url, _proc):
        conn = http.client.HTTPConnection(url.split("//")[1], timeout=30)
        conn.request(  # urllib would say "Connection: close"
            "GET",
            "/ws",
            headers={
                "Upgrade": "websocket",
                "Connection": "Upgrade",
                "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
                "Sec-WebSocket-Version": "13",
                "Origin": url,
            },
        )
        r = conn.getresponse()
        assert r.status == 503
        assert "DATABASE_URL" in json.loads(r.read())["error"]
        conn.close()
