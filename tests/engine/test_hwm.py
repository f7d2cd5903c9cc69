"""Why a message did not arrive: HWM drops (PUB) versus blocking (PUSH), on real sockets."""
import gevent
import pytest
from topo import doc, link, node, of, sock

from app.engine.run import Run


@pytest.mark.parametrize("transport", ["ipc", "inproc"])
def test_pub_at_hwm_drops_and_the_count_is_sent_minus_received(transport):
    d = doc([node("pub", "source", [sock("out", "PUB", "bind", sndhwm=10)], socket="out",
                  interval_ms=1, count=1500, frames=["tick {n}"], start_delay_ms=100),
             node("slow", "sink", [sock("in", "SUB", "connect", subscribe=[""], rcvhwm=10)],
                  socket="in")],
            [link("l1", "slow.in", "pub.out")], transport)
    run = Run(d, trace_rate=1e9)
    run.start()
    run.pause_node("slow")           # a slow consumer: its queue fills, the PUB drops
    gevent.sleep(1.0)
    run.pause_node("slow", False)
    while run.socks["pub.out"].sent < 1500:
        gevent.sleep(0.05)
    gevent.sleep(0.3)                # the tail arrives
    l1 = run.links["l1"]
    assert l1.expected == 1500
    assert l1.dropped > 0
    assert len(l1.queue) == 0        # every message was received or proven dropped
    assert l1.dropped == l1.expected - l1.delivered
    run.stop()
    events, _, _ = run.events.drain()
    dropped = of(events, "dropped")
    assert len(dropped) == l1.dropped and {e["reason"] for e in dropped} == {"hwm"}
    assert not of(events, "blocked")


@pytest.mark.parametrize("transport", ["ipc", "inproc"])
def test_push_at_hwm_blocks_and_drops_nothing(transport):
    # 1 KB messages: over ipc the kernel's socket buffers hold a few hundred beyond the HWMs
    n = 3000
    d = doc([node("src", "source", [sock("out", "PUSH", "bind", sndhwm=5)], socket="out",
                  interval_ms=0, count=n, frames=["x" * 900 + " job {n}"]),
             node("slow", "sink", [sock("in", "PULL", "connect", rcvhwm=5)], socket="in")],
            [link("l1", "slow.in", "src.out")], transport)
    run = Run(d, trace_rate=1e9)
    run.start()
    run.pause_node("slow")
    gevent.sleep(0.5)
    blocked_while_paused = run.socks["src.out"].blocked
    sent_while_paused = run.socks["src.out"].sent
    st = run.totals()["sockets"]["src.out"]
    run.pause_node("slow", False)
    while run.socks["slow.in"].received < n:
        gevent.sleep(0.02)
    run.stop()
    events, _, _ = run.events.drain()
    assert blocked_while_paused and st["blocked"] is True
    assert sent_while_paused < n and st["queued"] == sent_while_paused
    assert run.links["l1"].delivered == n and run.links["l1"].dropped == 0
    kinds = [e["ev"] for e in events if e["ev"] in ("blocked", "unblocked")]
    assert kinds[0] == "blocked" and "unblocked" in kinds
    assert not of(events, "dropped")
