"""A run's send credit (app/engine/credit.py): its nodes never send more than they were granted,
a node without credit waits (it is not lost or spun), and a later grant lets them go on."""

import gevent
import pytest
from topo import doc, link, node, sock

from app.engine.run import Run


def _flat_out(transport, sources=4, traced=False):
    nodes = [node("k", "sink", [sock("in", "PULL", "bind")], socket="in")]
    links = []
    for i in range(sources):
        nodes.append(
            node(f"s{i}", "source", [sock("out", "PUSH", "connect")], socket="out", interval_ms=0)
        )
        links.append(link(f"l{i}", f"s{i}.out", "k.in"))
    return doc(nodes, links, transport)


def _sent(run):
    return sum(s.sent for s in run.socks.values())


@pytest.mark.parametrize("traced", [False, True])
def test_nodes_send_exactly_what_they_were_granted(traced):
    run = Run(_flat_out("ipc"), trace_rate=1e9 if traced else 0)
    run.credit.grant(700)  # before the nodes start: not one message beyond it
    run.start()
    try:
        gevent.sleep(0.3)
        assert _sent(run) == 700
        assert run.socks["k.in"].received == 700  # nothing half sent, nothing lost
        run.credit.grant(300)  # one wake-up passes the baton to the other sources
        gevent.sleep(0.3)
        assert _sent(run) == 1000
        run.credit.grant(None)  # no limit: every parked source goes on
        gevent.sleep(0.2)
        assert _sent(run) > 1000
        assert all(s.sent > 0 for k, s in run.socks.items() if k.startswith("s"))
    finally:
        run.stop()


def test_a_run_without_credit_stops_at_once():
    run = Run(_flat_out("inproc"), trace_rate=0)
    run.credit.grant(0)
    run.start()
    gevent.sleep(0.1)
    run.stop()  # parked nodes are killed like any other
    assert run.state == "stopped" and run.ctx is None
    assert all(not g for n in run.nodes.values() for g in n.greenlets)  # none left parked
    assert _sent(run) == 0
