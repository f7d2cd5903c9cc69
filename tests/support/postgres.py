"""A private PostgreSQL server for the storage tests: initdb + pg_ctl in a temp dir, 127.0.0.1.

`private_postgres()` yields a DATABASE_URL. It uses TEST_DATABASE_URL when that is set (a server
someone already runs); otherwise it starts Debian's postgresql (scripts/test.sh installs it) as
the `postgres` user when we are root (initdb refuses root), on a free port, and stops it after.
It raises when it cannot: the PostgreSQL tests fail rather than skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager

from .server import free_port


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    path = found[-1]
    if not path or not os.path.exists(path):
        raise RuntimeError(
            f"PostgreSQL's {name} is missing: run scripts/test.sh (it installs "
            "Debian's postgresql) or set TEST_DATABASE_URL"
        )
    return path


def _as_owner(cmd: list[str]) -> list[str]:
    """Run as `postgres` when we are root (PostgreSQL refuses to run as root)."""
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@contextmanager
def private_postgres():
    """Yield the URL of a running PostgreSQL reachable on 127.0.0.1."""
    if os.environ.get("TEST_DATABASE_URL"):
        yield os.environ["TEST_DATABASE_URL"]
        return
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    root = tempfile.mkdtemp(prefix="zpg-pg-")
    data, sock = os.path.join(root, "data"), os.path.join(root, "sock")
    os.makedirs(sock)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    port = free_port()
    log = os.path.join(root, "server.log")
    try:
        subprocess.run(
            _as_owner(
                [
                    initdb,
                    "-D",
                    data,
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            _as_owner(
                [
                    pg_ctl,
                    "-D",
                    data,
                    "-l",
                    log,
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    f"-h 127.0.0.1 -p {port} -k {sock} -c fsync=off",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=90,
        )
    except subprocess.CalledProcessError as err:
        detail = (err.stderr or b"").decode(errors="replace")
        if os.path.exists(log):
            detail += open(log, encoding="utf-8", errors="replace").read()[-2000:]
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"could not start PostgreSQL: {detail}") from err
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    try:
        yield url
    finally:
        subprocess.run(
            _as_owner([pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            timeout=60,
        )
        for _ in range(50):
            try:
                shutil.rmtree(root)
                break
            except OSError:
                time.sleep(0.1)
