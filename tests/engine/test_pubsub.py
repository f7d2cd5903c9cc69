"""PUB fan-out with prefix filtering, observed on real sockets."""

import pytest
from topo import doc, link, node, of, run_until, sock

TOPICS = ["weather.seoul", "weather.busan", "sports.kbo"]


def _weather(transport, n):
    nodes = [
        node(
            "pub",
            "source",
            [sock("out", "PUB", "bind")],
            socket="out",
            interval_ms=1,
            count=n,
            topics=TOPICS,
            frames=["{topic}", "reading {n}"],
            # the subscriptions travel after the handshake: give them time to arrive
            start_delay_ms=300,
        )
    ]
    links = []
    for sid, subs in (("weather", ["weather"]), ("all", [""]), ("none", ["zzz"])):
        nodes.append(node(sid, "sink", [sock("in", "SUB", "connect", subscribe=subs)], socket="in"))
        links.append(link(f"l_{sid}", f"{sid}.in", "pub.out"))
    return doc(nodes, links, transport)


@pytest.mark.parametrize("transport", ["ipc", "tcp", "inproc"])
def test_prefix_filtering_gives_exact_counts(transport):
    n = 90
    run, events = run_until(
        _weather(transport, n),
        lambda r: r.socks["all.in"].received >= n and r.socks["weather.in"].received >= 60,
        timeout=10,
    )
    gevent_settle(run)
    counts = {lid: (link.delivered, link.filtered) for lid, link in run.links.items()}
    assert counts == {"l_weather": (60, 30), "l_all": (90, 0), "l_none": (0, 90)}
    filtered = of(events, "filtered")
    assert {e["to"] for e in filtered} == {"weather.in", "none.in"}
    assert all(e["topic"] == "sports.kbo" for e in filtered if e["to"] == "weather.in")
    assert len([e for e in filtered if e["to"] == "none.in"]) == n
    # whole multipart messages are delivered, topic frame first
    got = [e for e in of(events, "delivered") if e["to"] == "weather.in"]
    assert all(e["frames"][0].startswith("weather.") and len(e["frames"]) == 2 for e in got)
    assert not of(events, "dropped")


def gevent_settle(run):
    """Nothing more can arrive after stop; kept for symmetry with the run_until contract."""
    assert run.state == "stopped"


def test_sub_without_subscription_gets_nothing():
    nodes = [
        node(
            "pub",
            "source",
            [sock("out", "PUB", "bind")],
            socket="out",
            interval_ms=1,
            count=50,
            start_delay_ms=200,
        ),
        node("deaf", "sink", [sock("in", "SUB", "connect")], socket="in"),
    ]
    run, events = run_until(
        doc(nodes, [link("l1", "deaf.in", "pub.out")]),
        lambda r: r.socks["pub.out"].sent >= 50,
        timeout=5,
    )
    assert run.links["l1"].delivered == 0
    assert run.links["l1"].filtered == 50


def test_slow_joiner_losses_are_accounted_for():
    """Timing decides how many are lost (often some, sometimes none): assert kinds and sums."""
    d = doc(
        [
            node(
                "pub",
                "source",
                [sock("out", "PUB", "bind")],
                socket="out",
                interval_ms=1,
                count=200,
                frames=["n {n}"],
            ),
            node("sub", "sink", [sock("in", "SUB", "connect", subscribe=[""])], socket="in"),
        ],
        [link("l1", "sub.in", "pub.out")],
        "tcp",
    )
    d["start"] = "immediate"
    run, events = run_until(d, lambda r: r.socks["pub.out"].sent >= 200, timeout=10)
    l1 = run.links["l1"]
    assert l1.delivered + l1.dropped + len(l1.queue) == l1.expected == 200
    assert l1.delivered > 0
    drops = of(events, "dropped")
    assert len(drops) == l1.dropped
    assert all(e["reason"].startswith("not subscribed yet") for e in drops)
    # what was lost is a prefix: the first messages, before the subscription arrived
    got = [int(e["frames"][0].split()[1]) for e in of(events, "delivered")]
    assert got == list(range(l1.dropped + 1, l1.dropped + 1 + len(got)))


def test_an_xsub_is_filtered_by_the_subscriptions_it_forwarded():
    """PUB → XSUB/XPUB proxy → SUB('weather'): the proxy's XSUB sends \\x01weather upstream, so
    the publisher filters sports on that link too (shown as filtered there, never as dropped)."""
    n = 60
    nodes = [
        node(
            "pub",
            "source",
            [sock("out", "PUB", "connect")],
            socket="out",
            interval_ms=2,
            count=n,
            topics=TOPICS,
            frames=["{topic}", "reading {n}"],
            start_delay_ms=400,
        ),
        node(
            "proxy",
            "proxy",
            [sock("xsub", "XSUB", "bind"), sock("xpub", "XPUB", "bind")],
            frontend="xsub",
            backend="xpub",
        ),
        node("sub", "sink", [sock("in", "SUB", "connect", subscribe=["weather"])], socket="in"),
    ]
    links = [link("up", "pub.out", "proxy.xsub"), link("down", "sub.in", "proxy.xpub")]
    run, events = run_until(
        doc(nodes, links),
        lambda r: r.socks["pub.out"].sent >= n and r.socks["sub.in"].received >= 40,
        timeout=10,
    )
    up, down = run.links["up"], run.links["down"]
    assert run.socks["proxy.xsub"].subs == (b"weather",)
    assert (up.delivered, up.filtered, up.dropped) == (40, 20, 0)
    # the down link also carried the SUB's subscription to the XPUB (the other way)
    assert (down.rx["sub.in"], down.rx["proxy.xpub"], down.dropped) == (40, 1, 0)
    assert {e["topic"] for e in of(events, "filtered") if e["link"] == "up"} == {"sports.kbo"}
