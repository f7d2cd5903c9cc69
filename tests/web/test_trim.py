"""After a large run, freed heap goes back to the system (app/web/admission.py trim_after):
trims at least TRIM_EVERY apart, and one asked for sooner is moved later, never dropped."""

from __future__ import annotations

from types import SimpleNamespace

from app.web import admission

BIG = SimpleNamespace(queue_bytes=admission.TRIM_ABOVE, fanout_bytes=0)
SMALL = SimpleNamespace(queue_bytes=1024, fanout_bytes=0)


def _clocked(monkeypatch):
    """A fake clock and a record of when trims ran or were scheduled to run."""
    now = {"t": 1000.0}
    trims = []
    monkeypatch.setattr(admission, "_last_trim", float("-inf"))
    monkeypatch.setattr(admission.time, "monotonic", lambda: now["t"])
    monkeypatch.setattr(admission, "_trim", lambda: trims.append(now["t"]))
    monkeypatch.setattr(
        admission.gevent, "spawn_later", lambda delay, fn: trims.append(now["t"] + delay)
    )
    return now, trims


def test_a_large_run_is_trimmed_now_and_once_its_page_had_its_last_events(monkeypatch):
    now, trims = _clocked(monkeypatch)
    admission.trim_after(BIG)
    assert trims == [1000.0, 1000.0 + admission.TRIM_EVERY]


def test_a_second_run_stopped_at_once_gets_its_trim_later_not_never(monkeypatch):
    now, trims = _clocked(monkeypatch)
    admission.trim_after(BIG)
    now["t"] += 0.05  # the second page's stop, right after the first
    admission.trim_after(BIG)
    every = admission.TRIM_EVERY
    # its memory was freed after the first trim: one more trim comes, TRIM_EVERY after the last
    assert trims == [1000.0, 1000.0 + every, 1000.0 + 2 * every]
    assert all(b - a >= every for a, b in zip(trims, trims[1:], strict=False))


def test_a_small_run_costs_no_trim(monkeypatch):
    _, trims = _clocked(monkeypatch)
    admission.trim_after(SMALL)
    admission.trim_after(None)
    assert trims == []
