"""PUSH round-robin, PULL fair-queueing and REQ/REP lockstep, observed on real sockets."""

import pytest
from topo import doc, link, node, of, run_until, sock

TRANSPORTS = ["ipc", "tcp", "inproc"]


def _push_to_three(transport, n, push_binds=True):
    pm, lm = ("bind", "connect") if push_binds else ("connect", "bind")
    nodes = [
        node(
            "vent",
            "source",
            [sock("out", "PUSH", pm)],
            socket="out",
            interval_ms=0,
            count=n,
            frames=["task {n}"],
        )
    ]
    links = []
    for i in (1, 2, 3):
        nodes.append(node(f"w{i}", "sink", [sock("in", "PULL", lm)], socket="in"))
        links.append(
            link(f"l{i}", f"w{i}.in", "vent.out")
            if push_binds
            else link(f"l{i}", "vent.out", f"w{i}.in")
        )
    return doc(nodes, links, transport)


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("push_binds", [True, False], ids=["push-binds", "push-connects"])
def test_push_round_robin_is_exact(transport, push_binds):
    n = 300
    run, events = run_until(
        _push_to_three(transport, n, push_binds),
        lambda r: sum(s.received for s in r.socks.values()) >= n,
    )
    counts = {lid: link.delivered for lid, link in run.links.items()}
    assert counts == {"l1": n // 3, "l2": n // 3, "l3": n // 3}
    # and the page saw each message go exactly one way, in round-robin order
    delivered = of(events, "delivered")
    assert len(delivered) == n
    # strict rotation: each PULL got every third task (1,4,7... or 2,5,8... or 3,6,9...)
    by_receiver = {}
    for e in delivered:
        by_receiver.setdefault(e["to"], []).append(int(e["frames"][0].split()[1]))
    assert sorted(nums[0] for nums in by_receiver.values()) == [1, 2, 3]
    for nums in by_receiver.values():
        assert nums == list(range(nums[0], n + 1, 3))


@pytest.mark.parametrize("transport", ["ipc", "tcp"])
def test_pull_fair_queues_three_pushers_and_names_each_sender(transport):
    n = 50
    nodes = [node("sink", "sink", [sock("in", "PULL", "bind")], socket="in")]
    links = []
    for i in (1, 2, 3):
        nodes.append(
            node(
                f"p{i}",
                "source",
                [sock("out", "PUSH", "connect")],
                socket="out",
                interval_ms=0,
                count=n,
                frames=["from {node} #{n}"],
            )
        )
        links.append(link(f"l{i}", f"p{i}.out", "sink.in"))
    run, events = run_until(
        doc(nodes, links, transport), lambda r: r.socks["sink.in"].received >= 3 * n
    )
    assert {lid: link.delivered for lid, link in run.links.items()} == {"l1": n, "l2": n, "l3": n}
    for e in of(events, "delivered"):
        # attribution comes from ZMQ_METADATA, and agrees with the content the sender sent
        assert e["frames"][0].startswith(f"from {e['from'].split('.')[0]} ")


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_every_req_gets_its_own_reply(transport):
    nodes = [
        node(
            "server",
            "replier",
            [sock("rep", "REP", "bind")],
            socket="rep",
            transform="prefix",
            text="re: ",
        )
    ]
    links = []
    for i in (1, 2, 3):
        nodes.append(
            node(
                f"c{i}",
                "source",
                [sock("req", "REQ", "connect")],
                socket="req",
                interval_ms=1,
                count=20,
                frames=["{node} asks {n}"],
            )
        )
        links.append(link(f"l{i}", f"c{i}.req", "server.rep"))
    run, events = run_until(
        doc(nodes, links, transport),
        lambda r: all(r.socks[f"c{i}.req"].received >= 20 for i in (1, 2, 3)),
    )
    replies = [e for e in of(events, "delivered") if e["to"].endswith(".req")]
    assert len(replies) == 60
    for e in replies:
        client = e["to"].split(".")[0]
        assert e["frames"][0].startswith(f"re: {client} asks ")
    # lockstep: each client's k-th reply answers its k-th request
    for i in (1, 2, 3):
        mine = [e["frames"][0] for e in replies if e["to"] == f"c{i}.req"]
        assert mine == [f"re: c{i} asks {k}" for k in range(1, 21)]
    # the REQ's sent events show the empty delimiter libzmq puts on the wire
    assert all(e.get("envelope") == [""] for e in of(events, "sent") if e["socket"] == "req")


def test_router_replier_keeps_the_envelope():
    nodes = [
        node(
            "server",
            "replier",
            [sock("r", "ROUTER", "bind")],
            socket="r",
            transform="upper",
            text="",
        )
    ]
    links = []
    for i in (1, 2):
        nodes.append(
            node(
                f"c{i}",
                "source",
                [sock("req", "REQ", "connect", routing_id=f"C{i}")],
                socket="req",
                interval_ms=1,
                count=5,
                frames=["hello {n}"],
            )
        )
        links.append(link(f"l{i}", f"c{i}.req", "server.r"))
    run, events = run_until(
        doc(nodes, links), lambda r: all(r.socks[f"c{i}.req"].received >= 5 for i in (1, 2))
    )
    at_router = [e for e in of(events, "delivered") if e["to"] == "server.r"]
    # ROUTER receives [identity, '', body] from a REQ peer
    assert {tuple(e["frames"][:2]) for e in at_router} == {("C1", ""), ("C2", "")}
    back = [e for e in of(events, "delivered") if e["to"].endswith(".req")]
    assert len(back) == 10 and all(e["frames"][0].startswith("HELLO ") for e in back)
