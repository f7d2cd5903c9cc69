"""The private temp dirs of ipc runs, and cleaning up after a worker that died without doing so.

A run's dir is named ``zpg-<pid>-<random>`` so that a process starting later can tell a dir
whose owner is gone (a worker killed with -9 never runs its teardown) from one a live worker
still uses, and remove it. ``clean_stale()`` runs when the app starts (every gunicorn worker
builds the app after its fork, so a respawned worker cleans up after the one it replaces).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile

PREFIX = "zpg-"
_NAME = re.compile(r"^zpg-(\d+)-[A-Za-z0-9_]+$")
# app/web/ledger.py: one small SQLite file per server (with its -wal and -shm companions)
_LEDGER = re.compile(r"^zpg-ledger-(\d+)-(\d+)\.sqlite3(-wal|-shm|-journal)?$")


def run_tmpdir() -> str:
    """A new private (0700) dir for one run's ipc endpoints, named after this process."""
    return tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-")


def _started_at(pid: int) -> float | None:
    """When process ``pid`` started (seconds since boot), or None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        ticks = int(fields[19])  # field 22 of stat(5): starttime, in clock ticks after boot
    except (OSError, IndexError, ValueError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def _boot_time() -> float:
    try:
        with open("/proc/stat") as fh:
            for line in fh:
                if line.startswith("btime "):
                    return float(line.split()[1])
    except OSError:
        pass
    return 0.0


def _owner(name: str) -> int | None:
    """The pid that owns a run dir or a ledger file of ours (a ledger only of our uid)."""
    m = _NAME.match(name)
    if m:
        return int(m.group(1))
    m = _LEDGER.match(name)
    if m and int(m.group(1)) == os.getuid():
        return int(m.group(2))
    return None


def clean_stale(tmp: str | None = None) -> list[str]:
    """Remove run dirs and ledger files whose process is gone (or is a newer process that
    reused the pid), in ``tmp`` (TMPDIR) and /dev/shm.

    Returns what was removed. Those of live processes (this one included) are left alone.
    """
    removed = []
    for folder in dict.fromkeys((tmp or tempfile.gettempdir(), "/dev/shm")):
        removed += _clean(folder)
    return removed


def _clean(tmp: str) -> list[str]:
    removed = []
    boot = _boot_time()
    try:
        names = os.listdir(tmp)
    except OSError:
        return removed
    for name in names:
        pid = _owner(name)
        if pid is None:
            continue
        path = os.path.join(tmp, name)
        started = _started_at(pid)
        if started is not None:
            try:
                made = os.stat(path).st_mtime
            except OSError:
                continue
            if boot + started <= made + 1.0:
                continue  # its owner is alive (it started before the dir was made)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                continue
        removed.append(path)
    return removed
