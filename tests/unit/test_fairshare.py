"""The worker's share decisions (app/web/fairshare.py), one interval at a time, with stand-in
governors: who is cut, who is raised, and where a run that joins others starts."""

from __future__ import annotations

import pytest

from app.engine.credit import Credit
from app.web.fairshare import MIN_SHARE, CpuShare, waterfill
from app.web.limits import RateGovernor


class Gov:
    """What CpuShare reads and sets of a RateGovernor."""

    def __init__(self, cap, ramping, static):
        self.cpu_cap, self.ramping, self.static_rate, self.ops = cap, ramping, static, 0


def gov(cap=None, ramping=False, static=20000.0):
    return Gov(cap, ramping, static)


def share(load=0.0, lag=0.0, target=0.7, lag_ms=10.0):
    s = CpuShare(target, lag_ms)
    s.load, s.lag = load, lag
    return s


def test_waterfill_keeps_small_runs_and_splits_the_rest():
    assert waterfill([10, 20], 100) == float("inf")
    # 1 000 for three runs: the 100 keeps its 100, the other two share 900
    assert waterfill([100, 5000, 8000], 1000) == pytest.approx(450)
    assert waterfill([5000, 8000], 10) == MIN_SHARE  # never below MIN_SHARE


def test_a_run_alone_starts_uncapped():
    assert share().entry_cap(500) is None


def test_a_run_joining_others_starts_at_the_start_rate():
    s = share()
    s.governors.add(gov())
    assert s.entry_cap(500) == 500
    assert s.entry_cap(0) is None  # RUN_START_RATE 0: off


def test_on_a_busy_worker_a_new_run_starts_at_the_lowest_share_if_lower():
    s = share()
    s.governors |= {gov(cap=120.0), gov(cap=300.0)}
    s.busy = True
    assert s.entry_cap(500) == 120.0
    s.governors = {gov(cap=10.0)}
    assert s.entry_cap(500) == MIN_SHARE


def test_a_slow_start_doubles_while_the_worker_has_room():
    s = share(load=0.1, lag=0.001)
    new, old = gov(cap=500.0, ramping=True), gov(cap=500.0)
    s.adjust([new, old], [500.0, 500.0])
    assert new.cpu_cap == 1000.0 and new.ramping
    assert old.cpu_cap == 625.0  # a run once cut is raised by a quarter
    for _ in range(5):
        s.adjust([new, old], [new.cpu_cap, old.cpu_cap])
    # past MAX_RUN_RATE (the static rate) the cap is gone, and so is the slow start
    assert new.cpu_cap is None and not new.ramping


def test_a_busy_interval_ends_the_slow_start_and_cuts_the_busiest():
    s = share(load=1.4, lag=0.001)  # twice the CPU target
    new, quiet = gov(cap=4000.0, ramping=True), gov()
    s.adjust([new, quiet], [4000.0, 60.0])
    assert s.busy
    assert not new.ramping and not quiet.ramping
    assert new.cpu_cap < 4000.0 * 0.5  # cut by target/load, shared by water-filling
    assert quiet.cpu_cap is None  # below its share: it keeps what it uses
    before = new.cpu_cap
    s.load = 0.1
    s.adjust([new, quiet], [before, 60.0])
    assert new.cpu_cap == pytest.approx(before * 1.25)  # raised again, slowly


def test_between_the_marks_nothing_moves():
    s = share(load=0.5, lag=0.001)  # under the target, over 60 % of it
    new, other = gov(cap=500.0, ramping=True), gov(cap=500.0, ramping=True)
    s.adjust([new, other], [500.0, 500.0])
    assert new.cpu_cap == other.cpu_cap == 500.0 and new.ramping


class _Run:
    """What a RateGovernor reads of a run."""

    heavy = False

    def __init__(self):
        self.credit = Credit()

    def sent_total(self):
        return 0


class _Session:
    last_active = 0.0

    def notice(self, *a, **kw):
        pass


def test_a_limited_run_has_its_credit_before_its_first_message():
    """The credit is granted when the governor is made, before the run's nodes first run: a
    flat-out source never sends a whole batch before the first check."""
    run = _Run()
    limited = RateGovernor(_Session(), run, rate=2000)
    try:
        assert run.credit.left == 500  # a quarter second of 2 000 messages/s
    finally:
        limited.stop()
    joining = _Run()
    s = share()
    s.governors.add(Gov(None, False, 20000.0))  # another run on the worker
    slow = RateGovernor(_Session(), joining, rate=20000, share=s, start_rate=400)
    try:
        assert slow.cpu_cap == 400 and slow.ramping
        assert joining.credit.left == 100  # a quarter second of 400, at least 100
    finally:
        slow.stop()
        s.governors.clear()  # the share's loop (started by register) ends with no run left
        if s.greenlet is not None:
            s.greenlet.kill()


def test_an_unlimited_run_is_not_held_at_all():
    run = _Run()
    free = RateGovernor(_Session(), run, rate=0)
    try:
        assert run.credit.left is None
    finally:
        free.stop()
