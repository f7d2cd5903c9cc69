"""Starts take turns on a worker (app/web/session.py, _StartTurn): one at a time, and the next
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
        with session._StartTurn():
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
    with session._StartTurn():
        pass
    assert pauses == [session.START_PAUSE_MAX]
    assert not session._START_TURNS.locked()


def test_a_start_that_only_waits_gives_its_turn_up_meanwhile(monkeypatch):
    """Waiting for its links' handshakes (up to the ready timeout), a start does not hold the
    others; the pause after it counts only the time it held the hub."""
    releases = []
    monkeypatch.setattr(
        session.gevent, "spawn_later", lambda seconds, fn, *a: releases.append((seconds, fn))
    )
    clock = {"t": 100.0}
    monkeypatch.setattr(session, "_clock", lambda: clock["t"])
    order = []
    handshakes = gevent.event.Event()

    def slow_links():
        with session._StartTurn() as turn:
            order.append("a opens its sockets")
            clock["t"] += 0.02  # which takes 20 ms of the hub
            with turn.waiting():
                handshakes.wait()  # its links take their time
            order.append("a starts its nodes")
            clock["t"] += 0.01  # 10 ms more

    def quick():
        with session._StartTurn():
            order.append("b starts")

    a = gevent.spawn(slow_links)
    for _ in range(3):
        gevent.sleep(0)
    b = gevent.spawn(quick)
    for _ in range(3):
        gevent.sleep(0)
    assert order == ["a opens its sockets", "b starts"]  # b did not wait for a's handshakes
    pause_b, release_b = releases[0]
    assert pause_b == 0.0  # b held the hub for no time on this clock
    clock["t"] += 3.0  # a's links take 3 s
    handshakes.set()
    gevent.sleep(0)
    assert order == ["a opens its sockets", "b starts"]  # a waits for its turn back: b's pause
    release_b()
    a.join(timeout=5)
    b.join(timeout=5)
    assert order[-1] == "a starts its nodes"
    pause_a, release_a = releases[1]
    assert pause_a == pytest.approx(0.03)  # 20 + 10 ms: the 3 s it only waited are not counted
    release_a()
    assert not session._START_TURNS.locked()
