"""Fair shares of one worker's CPU between its runs.

A gevent worker runs every page and every run on one thread: when flat-out runs take the whole
core, every page's events wait behind them. ``CpuShare`` watches two things four times a second:
what the process uses (``getrusage``: the hub and libzmq's I/O threads) against ``CPU_TARGET``
cores, and how late the hub wakes a 10 ms timer (its lag: how long anything else, a page's
events included, waits for a turn) against ``BUSY_LAG_MS``. The lag matters on a shared machine,
where the worker may get far less than CPU_TARGET and still have its hub saturated.

Over either, it gives the runs a rate budget in messages/s, water-filled (a run below its share
keeps what it uses, the rest is split evenly among the busy ones), scaled from what they sent in
the last interval by target/load or by BUSY_LAG_MS/lag; each busy run's :class:`RateGovernor`
slows it to its share and its page is told (notice ``busy``). With the load below 60 % of the
target and the lag below half of its limit, the caps are raised by a quarter each interval until
they are gone. Runs are measured by what they do (messages sent), never by what their page sends.

A run that starts while the worker hosts others starts slowly (``RUN_START_RATE``), as a TCP
connection does: its cap doubles each quiet interval until it is gone, and the first busy interval
ends the doubling. Without it, runs started together (a page of many embeds, or an attacker's
burst) all ran flat out until the first interval measured them: 24 of the 100-node flat-out runs
held every other page's events 100-280 ms for the 2-3 s the caps took to come down (``python -m
bench --only fair``).
"""

from __future__ import annotations

import resource
import time

import gevent

from . import gcpolicy

INTERVAL = 0.25
PROBE = 0.01  # the timer whose lateness is the hub's lag
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

    def __init__(self, target: float, lag_ms: float = 10.0):
        self.target = float(target)
        self.max_lag = max(0.001, float(lag_ms) / 1000.0)
        self.lag = 0.0  # the hub's largest lag in the last interval (s)
        self.governors: set = set()
        self.greenlet: gevent.Greenlet | None = None
        self.busy = False
        self.load = 0.0  # cores used in the last interval

    def register(self, gov) -> None:
        self.governors.add(gov)
        if self.greenlet is None or self.greenlet.dead:
            self.greenlet = gevent.spawn(self._loop)

    def entry_cap(self, start_rate: float) -> float | None:
        """The cap a run starts with: none while no other run is on this worker, else
        ``start_rate``, or less when the worker is busy and its runs' shares are lower."""
        if start_rate <= 0 or not self.governors:
            return None
        caps = [g.cpu_cap for g in self.governors if g.cpu_cap]
        if self.busy and caps:
            return max(MIN_SHARE, min(start_rate, min(caps)))
        return float(start_rate)

    def unregister(self, gov) -> None:
        self.governors.discard(gov)

    def _loop(self) -> None:
        cpu, at = _cpu(), time.monotonic()
        seen: dict = {}
        while self.governors:
            self.lag = _probe(at + INTERVAL)
            gcpolicy.tick()  # the runs' housekeeping: see gcpolicy.py
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
            self.adjust(govs, rates)
        self.greenlet = None

    def adjust(self, govs: list, rates: list[float]) -> None:
        """One interval's decision, from the runs' rates (messages/s) and this worker's
        ``load`` and ``lag``: cut the busiest runs to their shares, or raise the caps."""
        total = sum(rates)
        busy_runs = sum(1 for r in rates if r > MIN_SHARE)
        # shares are between runs: a run alone on the worker keeps everything
        over_cpu = self.target > 0 and self.load > self.target
        over_lag = self.lag > self.max_lag
        if (over_cpu or over_lag) and total > 0 and busy_runs >= 2:
            self.busy = True
            # messages/s the worker can carry within both limits, at this interval's cost
            factor = self.target / self.load if over_cpu else 1.0
            if over_lag:
                factor = min(factor, max(0.3, self.max_lag / self.lag))
            cap = waterfill(rates, total * factor * 0.9)
            for g, r in zip(govs, rates, strict=True):
                g.ramping = False  # the worker is full: slow start ends for every run
                if r >= cap:
                    g.cpu_cap = cap if not g.cpu_cap else min(g.cpu_cap, cap)
        elif (
            (self.target <= 0 or self.load < 0.6 * self.target) and self.lag < 0.5 * self.max_lag
        ) or busy_runs < 2:
            self.busy = False
            for g in govs:
                if g.cpu_cap:
                    g.cpu_cap *= 2.0 if g.ramping else 1.25
                    if (g.static_rate and g.cpu_cap >= g.static_rate) or g.cpu_cap > 1e6:
                        g.cpu_cap = None
                        g.ramping = False


def _probe(until: float) -> float:
    """Sleep until ``until`` in PROBE steps; the largest lateness of a step (s)."""
    lag = 0.0
    while True:
        t = time.monotonic()
        gevent.sleep(PROBE)
        now = time.monotonic()
        lag = max(lag, now - t - PROBE)
        if now >= until:
            return lag


_shares: dict = {}


def cpu_share(config) -> CpuShare | None:
    """This process's CpuShare (None when CPU_TARGET and BUSY_LAG_MS are both 0)."""
    target = float(config.get("CPU_TARGET") or 0)
    lag_ms = float(config.get("BUSY_LAG_MS") or 0)
    if target <= 0 and lag_ms <= 0:
        return None
    key = (target, lag_ms)
    share = _shares.get(key)
    if share is None:
        share = _shares[key] = CpuShare(target, lag_ms if lag_ms > 0 else 1e9)
    return share
