"""Starts take turns on a worker (app/web/session.py, _start_turn): one at a time, and the next
waits as long as the last one held the hub, so a burst of starts cannot hold every other page's
events for their sum."""

from __future__ import annotations

import gevent
import gevent.event
import pytest

from app.web import session


def test_the_next_start_waits_as_long_as_the_last_one_held_the_hub(monkeypatch):
    releases = []  # (pause asked for, the release): run by hand, so no timing decides the order
    monkeypatch.setattr(
        session.gevent, "spawn_later", lambda seconds, fn, *a: releases.append((seconds, fn))
    )
    clock = {"t": 100.0}
    monkeypatch.setattr(session, "_clock", lambda: clock["t"])
    order = []
    done_a = gevent.event.Event()

    def start(name, until=None):
        with session._start_turn():
            order.append(("in", name))
            if until is not None:
                until.wait()  # the hub is the start's meanwhile (opening its sockets)
            order.append(("out", name))

    first = gevent.spawn(start, "a", done_a)
    second = gevent.spawn(start, "b")
    for _ in range(5):
        gevent.sleep(0)
    assert order == [("in", "a")]  # b waits while a starts
    clock["t"] += 0.03  # a held the hub 30 ms
    done_a.set()
    first.join(timeout=5)
    for _ in range(5):
        gevent.sleep(0)
    assert order == [("in", "a"), ("out", "a")]  # a is done, and b still waits: a's pause
    pause, release = releases[0]
    assert pause == pytest.approx(0.03)  # as long as a held its turn
    release()  # the pause is over
    second.join(timeout=5)
    assert order == [("in", "a"), ("out", "a"), ("in", "b"), ("out", "b")]
    releases[1][1]()
    assert not session._START_TURNS.locked()


def test_a_pause_is_never_longer_than_the_limit(monkeypatch):
    pauses = []
    monkeypatch.setattr(session.gevent, "spawn_later", lambda s, fn, *a: (pauses.append(s), fn(*a)))
    clock = iter([0.0, 5.0])  # a start that held the hub 5 s
    monkeypatch.setattr(session, "_clock", lambda: next(clock))
    with session._start_turn():
        pass
    assert pauses == [session.START_PAUSE_MAX]
    assert not session._START_TURNS.locked()
