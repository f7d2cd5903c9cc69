"""What the two ledgers share (app/web/ledger.py in SQLite, app/web/ledger_pg.py in PostgreSQL):
the refusal, what the leases hold as each limit counts it, the judgment of one more lease or
save against the limits, and the process helpers (a pid's start time, gevent's thread pool)."""

from __future__ import annotations

from dataclasses import dataclass

SAVE_WINDOW = 3600.0  # bytes saved per client are counted over the last hour


@dataclass
class Refusal:
    """Why a lease was refused: ``limit`` is the setting's name, ``message`` says it in full."""

    limit: str
    message: str


def _pstart(pid: int) -> int:
    """Process start time in clock ticks since boot (tells a pid's reuse from its owner); -1
    when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        if fields[0] in (b"Z", b"X"):  # a zombie is dead: it only waits to be reaped
            return -1
        return int(fields[19])
    except (OSError, IndexError, ValueError):
        return -1


def _offload(fn, *args):
    """Run ``fn`` in gevent's thread pool when a hub is running (always in gunicorn's worker)."""
    try:
        import gevent

        return gevent.get_hub().threadpool.apply(fn, args)
    except ImportError:  # pragma: no cover - gevent is a runtime requirement
        return fn(*args)


@dataclass
class Held:
    """What the leases already hold, as each limit counts it."""

    client: int  # leases of this kind of this client
    total: int  # leases of this kind
    fds: int  # file descriptors of every lease the machine budget counts
    process_fds: int  # file descriptors of this worker's leases
    bytes: int  # bytes of every lease the machine budget counts


def judge(limits: dict, fds: int, nbytes: int, held: Held, whose: str) -> Refusal | None:
    """Whether a lease of ``fds`` / ``nbytes`` fits ``limits`` beside ``held`` (see
    :meth:`Ledger.take`); ``whose`` names the runs the machine budgets count in messages."""
    per_client = limits.get("per_client") or 0
    if per_client and held.client >= per_client:
        return Refusal(limits["per_client_name"], f"{held.client} of {per_client}")
    total = limits.get("total") or 0
    if total and held.total >= total:
        return Refusal(limits["total_name"], f"{held.total} of {total}")
    cap = limits.get("fds") or 0
    if cap and fds and held.fds + fds > cap:
        return Refusal(
            "MAX_RUN_FDS",
            f"this run needs {fds} file descriptors and {whose} hold {held.fds} "
            f"of the {cap} they may use (MAX_RUN_FDS)",
        )
    cap = limits.get("process_fds") or 0
    if cap and fds and held.process_fds + fds > cap:
        return Refusal(
            "MAX_RUN_FDS",
            f"this run needs {fds} file descriptors and this worker's runs hold "
            f"{held.process_fds} of the {cap} it may use (its RLIMIT_NOFILE less FD_RESERVE)",
        )
    cap = limits.get("bytes") or 0
    if cap and nbytes and held.bytes + nbytes > cap:
        return Refusal(
            "MAX_RUNS_BYTES",
            f"this run may hold up to {_mb(nbytes)} and {whose} may already "
            f"hold {_mb(held.bytes)} of the {_mb(cap)} allowed (MAX_RUNS_BYTES); lower its "
            "high-water marks or message sizes, or try again shortly",
        )
    return None


def judge_save(nbytes, per_minute, bytes_per_hour, last_minute, last_hour) -> Refusal | None:
    """Whether one more save of ``nbytes`` fits the client's quotas (0 = no quota)."""
    if per_minute and last_minute >= per_minute:
        return Refusal(
            "SAVES_PER_MINUTE",
            f"too many saves from your address: at most {per_minute} a minute "
            "(SAVES_PER_MINUTE); try again in a minute",
        )
    if bytes_per_hour and last_hour + nbytes > bytes_per_hour:
        return Refusal(
            "SAVE_BYTES_PER_HOUR",
            f"your address saved {_mb(last_hour)} in the last hour; this save "
            f"({_mb(nbytes)}) would pass the {_mb(bytes_per_hour)} allowed "
            "(SAVE_BYTES_PER_HOUR)",
        )
    return None


def _mb(n: int) -> str:
    return f"{n / 1048576:.1f} MB"
