"""The event buffers are bounded in bytes, by app/engine/events.py event_bytes: an upper bound
of what one event holds, checked here against tracemalloc for the events real runs make.

Each event is measured as a JSON copy (json.loads of its text, many times over): a copy shares
nothing with the engine's objects (socket keys, link ids, strings of a reason), so it holds at
least what the engine's own event does, and event_bytes must be at least that."""

import json
import tracemalloc

import gevent
from topo import doc, link, node, sock

from app.engine.events import EventBuffer, event_bytes
from app.engine.run import Run
from app.presets import get_preset

COPIES = 2000
BINARY = {"hex": (bytes(range(256)) + b"\xff" * 44).hex()}  # 300 bytes: cut to 256 in events


def _held(event) -> float:
    text = json.dumps(event)
    tracemalloc.start()
    copies = [json.loads(text) for _ in range(COPIES)]
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(copies) == COPIES
    return held / COPIES


def _events_of(document, act=None, seconds=1.5):
    run = Run(document, trace_rate=1e9, buffer_cap=10**6, buffer_bytes=1 << 30)
    run.start()
    if act:
        act(run)
    gevent.sleep(seconds)
    run.stop()
    events, _, _ = run.events.drain()
    return events


def _router_dealer():
    return doc(
        [
            node("r", "source", [sock("rt", "ROUTER", "bind")], socket="rt", start_delay_ms=600000),
            node("d", "sink", [sock("in", "DEALER", "connect", routing_id="d1")], socket="in"),
        ],
        [link("l1", "d.in", "r.rt")],
    )


def _inject_shapes(run):
    for frames in (
        ["d1"] + [BINARY] * 16,  # the most a preview shows: 16 frames of 256 bytes, in hex
        ["d1", "안녕하세요 " * 40, "😀" * 100],  # text that is not ASCII (cut at 256 bytes)
        ["d1"] + [""] * 31,  # many empty frames (the preview stops at 16)
        ["nobody", "x"],  # unroutable: a dropped event with its reason and error
    ):
        res = run.inject("r", "rt", frames)
        assert res.get("sent") == 1, res


def test_every_event_of_real_runs_holds_at_most_its_event_bytes():
    events = _events_of(_router_dealer(), _inject_shapes)
    for pid in ("rrbroker", "pubsub-weather", "microservices", "hwm"):
        events += _events_of(get_preset(pid)["topology"])
    kinds = {e["ev"] for e in events}
    assert {"sent", "delivered", "dropped", "stats"} <= kinds, kinds
    assert any(len(e.get("frames") or ()) == 16 and e.get("cut") for e in events)
    # one event of each shape: kind, frame count, text/hex, largest
    shapes = {}
    for e in events:
        frames = e.get("frames") or []
        key = (e["ev"], len(frames), tuple(type(f).__name__ for f in frames[:2]), "among" in e)
        if key not in shapes or len(json.dumps(e)) > len(json.dumps(shapes[key])):
            shapes[key] = e
    assert len(shapes) >= 10
    for e in shapes.values():
        held = _held(e)
        assert held <= event_bytes(e), (round(held), event_bytes(e), e)


def test_a_buffer_holds_at_most_its_bytes_of_message_events_and_keeps_the_others():
    big = {"ev": "delivered", "msg": 1, "link": "l1", "frames": [BINARY["hex"][:512]] * 16}
    each = event_bytes(big)
    buf = EventBuffer(cap=10**6, cap_bytes=10 * each)
    for i in range(100):
        buf.put({**big, "msg": i})
    assert len(buf) == 10 and buf.bytes == 10 * each
    buf.put({"ev": "stats", "sockets": {}})  # never left out
    assert len(buf) == 11
    events, sizes, skipped, _ = buf.drain_sized(4)
    assert len(events) == 4 and sizes == [each] * 4 and skipped == 90
    assert buf.bytes == 6 * each + event_bytes({"ev": "stats", "sockets": {}})
    buf.put({**big, "msg": 100})  # room again
    assert len(buf) == 8
