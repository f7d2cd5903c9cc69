"""Starts take turns on a worker (app/web/session.py, _start_turn): one at a time, and the next
waits as long as the last one held the hub, so a burst of starts cannot hold every other page's
events for their sum."""

from __future__ import annotations

import gevent

from app.web import session


def test_the_next_start_waits_as_long_as_the_last_one_held_the_hub(monkeypatch):
    pauses = []
    real = gevent.spawn_later

    def spawn_later(seconds, fn, *args):
        pauses.append(seconds)
        return real(seconds, fn, *args)

    monkeypatch.setattr(session.gevent, "spawn_later", spawn_later)
    order = []

    def start(name, busy_s):
        with session._start_turn():
            order.append(("in", name))
            gevent.sleep(busy_s)  # the hub is the start's (a stand-in for opening sockets)
            order.append(("out", name))

    first = gevent.spawn(start, "a", 0.03)
    gevent.sleep(0)  # a holds its turn
    second = gevent.spawn(start, "b", 0.0)
    gevent.sleep(0.01)
    assert order == [("in", "a")]  # b waits while a starts
    gevent.joinall([first, second], timeout=5)
    assert order == [("in", "a"), ("out", "a"), ("in", "b"), ("out", "b")]
    # a held it at least 30 ms: the turn passed on only after that long again
    assert session.START_PAUSE_MAX >= pauses[0] >= 0.03
    gevent.sleep(pauses[1] + 0.01)
    assert not session._START_TURNS.locked()  # free again once the last pause is over


def test_a_pause_is_never_longer_than_the_limit(monkeypatch):
    pauses = []
    monkeypatch.setattr(session.gevent, "spawn_later", lambda s, fn, *a: (pauses.append(s), fn(*a)))
    clock = iter([0.0, 5.0])  # a start that held the hub 5 s
    monkeypatch.setattr(session.time, "perf_counter", lambda: next(clock))
    with session._start_turn():
        pass
    assert pauses == [session.START_PAUSE_MAX]
    assert not session._START_TURNS.locked()
