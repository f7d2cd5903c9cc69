"""Which messages the page is sent: a token bucket of TRACE_RATE per second with a quarter
second's burst, so a broker's request and its reply (microseconds apart) are both traced while a
flood is sampled. Counters are exact either way (the other engine tests)."""

import time

from app.engine.events import EventBuffer
from app.engine.observe import Observer


def test_a_burst_is_traced_whole_then_the_rate_holds():
    buf = EventBuffer()
    obs = Observer(buf, trace_rate=40.0)  # burst of 10
    assert [obs._traced() for _ in range(12)] == [True] * 10 + [False] * 2
    assert buf.untraced == 2
    time.sleep(0.2)  # refills 8 at 40/s
    again = sum(obs._traced() for _ in range(20))
    assert 7 <= again <= 9


def test_idle_time_does_not_bank_more_than_one_burst():
    obs = Observer(EventBuffer(), trace_rate=40.0)
    time.sleep(0.5)  # 20 tokens' worth of time, capped at 10
    assert sum(obs._traced() for _ in range(30)) == 10


def test_counting_mode_traces_nothing():
    buf = EventBuffer()
    obs = Observer(buf, trace_rate=0)
    assert not any(obs._traced() for _ in range(5)) and not obs.trace_due()
    assert buf.untraced == 5
