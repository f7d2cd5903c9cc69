"""A page's queue (app/web/outbox.py) is bounded in bytes as well as in events: message events
beyond WS_QUEUE_BYTES are left out and counted, the others kept up to twice it, stats coalesced."""

from app.engine.events import event_bytes
from app.web.outbox import Control, Outbox

BIG = {"ev": "delivered", "msg": 0, "link": "l1", "frames": ["ff" * 256] * 16}
EACH = event_bytes(BIG)


def _queued(box):
    out = []
    for item in box.frames(10**6):
        if isinstance(item, Control) and item.msg["type"] == "events":
            out.append(item.msg)
    return out


def test_message_events_beyond_its_bytes_are_left_out_and_counted():
    box = Outbox(cap=10**6, cap_bytes=100 * EACH)
    dropped = box.events([{**BIG, "msg": i} for i in range(300)])
    assert dropped == 200 and len(box) == 100 and box.n_bytes == 100 * EACH
    (batch,) = _queued(box)
    assert len(batch["events"]) == 100 and batch["sampled"] and batch["skipped"] == 200
    assert box.n_bytes == 0 and box.n_events == 0


def test_other_events_are_kept_up_to_twice_its_bytes_and_stats_coalesced():
    box = Outbox(cap=10**6, cap_bytes=100 * EACH)
    box.events([{**BIG, "msg": i} for i in range(100)])
    state = {"ev": "node", "node": "n" * 20000, "state": "up"}  # a large non-message event
    size = event_bytes(state)
    n = (100 * EACH) // size + 5
    dropped = box.events([state] * n + [{"ev": "stats", "n": 1}, {"ev": "stats", "n": 2}])
    assert 0 < dropped < 10 and box.n_bytes <= 200 * EACH + size
    assert box.held_stats == {"ev": "stats", "n": 2}
    (batch,) = _queued(box)
    assert batch["events"][-1] == {"ev": "stats", "n": 2}


def test_sizes_given_by_the_run_are_the_ones_counted():
    box = Outbox(cap=10**6, cap_bytes=10**9)
    box.events([BIG, BIG], sizes=[7, 11])
    assert box.n_bytes == 18
    _queued(box)
    assert box.n_bytes == 0
