"""Fair shares of one worker's CPU between its runs.

A gevent worker runs every page and every run on one thread: when flat-out runs take the whole
core, every page's events wait behind them. ``CpuShare`` measures what the process really uses
(``getrusage``: the hub and libzmq's I/O threads) four times a second. Above ``CPU_TARGET`` cores
it gives the runs a rate budget in messages/s, water-filled (a run below its share keeps what it
uses, the rest is split evenly among the busy ones), estimated from what each message cost in the
last interval; each busy run's :class:`RateGovernor` slows it to its share and its page is told
(notice ``busy``). Below 60 % of the target the caps are raised by half each interval until they
are gone. Runs are measured by what they do (messages sent), never by what their page sends.
"""

from __future__ import annotations

import resource
import time

import gevent

INTERVAL = 0.25
MIN_SHARE = 50.0  # messages/s: a run always keeps at least this much


def waterfill(rates: list[float], budget: float) -> float:
    """The per-run cap that spends ``budget`` on runs using ``rates`` (inf when all fit)."""
    if sum(rates) <= budget:
        return float("inf")
    left, n = budget, len(rates)
    for r in sorted(rates):
        share = left / n
        if r > share:
            return max(MIN_SHARE, share)
        left -= r
        n -= 1
    return max(MIN_SHARE, left)


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


class CpuShare:
    """One per worker process: watches its CPU and sets the governors' ``cpu_cap``."""

    def __init__(self, target: float):
        self.target = float(target)
        self.governors: set = set()
        self.greenlet: gevent.Greenlet | None = None
        self.busy = False
        self.load = 0.0  # cores used in the last interval

    def register(self, gov) -> None:
        self.governors.add(gov)
        if self.target > 0 and (self.greenlet is None or self.greenlet.dead):
            self.greenlet = gevent.spawn(self._loop)

    def unregister(self, gov) -> None:
        self.governors.discard(gov)

    def _loop(self) -> None:
        cpu, at = _cpu(), time.monotonic()
        seen: dict = {}
        while self.governors:
            gevent.sleep(INTERVAL)
            now_cpu, now = _cpu(), time.monotonic()
            used, wall = now_cpu - cpu, max(1e-3, now - at)
            cpu, at = now_cpu, now
            self.load = used / wall
            govs = list(self.governors)
            rates = []
            for g in govs:
                prev = seen.get(g, g.ops)
                rates.append(max(0, g.ops - prev) / wall)
                seen[g] = g.ops
            seen = {g: seen[g] for g in govs}
            total = sum(rates)
            busy_runs = sum(1 for r in rates if r > MIN_SHARE)
            # shares are between runs: a run alone on the worker keeps everything
            if self.load > self.target and total > 0 and busy_runs >= 2:
                self.busy = True
                # messages/s the worker can carry at the target, at this interval's cost each
                budget = total * self.target / self.load * 0.9
                cap = waterfill(rates, budget)
                for g, r in zip(govs, rates, strict=True):
                    if r >= cap:
                        g.cpu_cap = cap if not g.cpu_cap else min(g.cpu_cap, cap)
            elif self.load < 0.6 * self.target or busy_runs < 2:
                self.busy = False
                for g in govs:
                    if g.cpu_cap:
                        g.cpu_cap *= 1.5
                        if g.static_rate and g.cpu_cap >= g.static_rate:
                            g.cpu_cap = None
                        elif g.cpu_cap > 1e6:
                            g.cpu_cap = None
        self.greenlet = None


_shares: dict = {}


def cpu_share(config) -> CpuShare | None:
    """This process's CpuShare (None when CPU_TARGET is 0)."""
    target = float(config.get("CPU_TARGET") or 0)
    if target <= 0:
        return None
    share = _shares.get(target)
    if share is None:
        share = _shares[target] = CpuShare(target)
    return share
